from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _doctor(user) -> bool:
    from accounts.roles import Role

    return Role.DOCTOR in user.roles


def _amhp_worklist_user(user) -> bool:
    """The AMHP worklist: those who record assessments, except a doctor (their own list)."""
    from accounts.permissions import Perm, has_perm
    from accounts.roles import Role

    if Role.DOCTOR in user.roles and Role.AMHP not in user.roles:
        return False
    return has_perm(user, Perm.RECORD_ASSESSMENT)


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments by AMHPs and doctors")

    def ready(self):
        from . import attention  # the home page's panels (core/attention.py)

        attention.install()
        from accounts.permissions import Perm
        from core.navigation import register
        from detentions.models import widen_visibility

        from .visibility import amhp_service_sees

        widen_visibility(amhp_service_sees)

        register(
            "assessments:worklist",
            _("AMHP worklist"),
            _("Detentions in your area waiting for an AMHP: take a case, record the assessment."),
            _amhp_worklist_user,
            order=30,
        )
        register(
            "assessments:my_cases",
            _("My cases"),
            _("Detentions where you are the requested or attending doctor, and those waiting."),
            _doctor,
            order=30,
        )
        register(
            "assessments:delays",
            _("Assessment delays"),
            _("Delays to assessments by reason (no bed, no AMHP, no doctor...) for a period."),
            Perm.RECORD_ASSESSMENT,
            in_menu=False,
            order=31,
        )
