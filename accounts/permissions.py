"""What each role may do. Checked on the server for every page and endpoint.

Pages ask `user.has_perm(Perm.X)` (through RoleBackend, so templates can use `perms`),
API keys carry scopes instead (accounts.api_permissions). Who may see and do what with a
record is each aggregate's policy module (docs/architecture.md "Who may see and do what").
"""

from enum import StrEnum

from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

from .roles import Role


class Perm(StrEnum):
    VIEW_INCIDENTS = "incidents.view"
    RECORD_INCIDENTS = "incidents.record"
    VIEW_PEOPLE = "people.view"
    RECORD_PEOPLE = "people.record"
    VIEW_DETENTIONS = "detentions.view"
    RECORD_DETENTIONS = "detentions.record"
    RECORD_CUSTODY_CARE = "detentions.custody_care"
    AUTHORISE_POLICE_STATION = "detentions.authorise_police_station"
    APPROVE_EXTENSION = "detentions.approve_extension"
    AUTHORISE_EXTENSION = "detentions.authorise_extension"
    CORRECT_RECORDS = "detentions.correct"
    # R1: the force mental health lead reviews acts recorded as they happened.
    REVIEW_UNLAWFUL_ACTS = "detentions.review_unlawful"
    RECORD_ASSESSMENT = "assessments.record"
    VIEW_PLACES = "places.view"
    SET_PLACE_STATUS = "places.set_status"
    MANAGE_PLACES = "places.manage"
    VIEW_REFERRALS = "referrals.view"
    SEND_REFERRALS = "referrals.send"
    RESPOND_REFERRALS = "referrals.respond"
    VIEW_ALERTS = "alerts.view"
    ACKNOWLEDGE_ALERTS = "alerts.acknowledge"
    VIEW_REPORTS = "reports.view"
    VIEW_AUDIT = "audit.view"
    MANAGE_ORGANISATION = "organisation.manage"
    # Tactical advisers, joint protocols, training (advisers/, protocols/, training/).
    VIEW_ROSTER = "roster.view"
    MANAGE_ROSTER = "roster.manage"
    RECORD_ADVICE = "advice.record"
    VIEW_PROTOCOLS = "protocols.view"
    MANAGE_PROTOCOLS = "protocols.manage"
    VIEW_TRAINING = "training.view"
    MANAGE_TRAINING = "training.manage"
    # Force, search and restraint (use_of_force/): the force mental health lead's review.
    REVIEW_FORCE = "use_of_force.review"
    # Response plans and warning markers on a person (people/plans.py, people/policy.py).
    VIEW_PLANS = "plans.view"
    WRITE_PLANS = "plans.write"
    APPROVE_PLANS = "plans.approve"


_OFFICER = {
    Perm.VIEW_INCIDENTS,
    Perm.RECORD_INCIDENTS,
    Perm.VIEW_PEOPLE,
    Perm.RECORD_PEOPLE,
    Perm.VIEW_DETENTIONS,
    Perm.RECORD_DETENTIONS,
    Perm.VIEW_PLACES,
    Perm.VIEW_REFERRALS,
    Perm.SEND_REFERRALS,
    Perm.VIEW_ALERTS,
    Perm.ACKNOWLEDGE_ALERTS,
}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.RESPONSE_OFFICER: frozenset(_OFFICER),
    Role.CUSTODY_SERGEANT: frozenset(_OFFICER | {Perm.RECORD_CUSTODY_CARE}),
    Role.INSPECTOR: frozenset(
        _OFFICER | {Perm.RECORD_CUSTODY_CARE, Perm.AUTHORISE_POLICE_STATION, Perm.CORRECT_RECORDS}
    ),
    Role.SUPERINTENDENT: frozenset(
        _OFFICER
        | {
            Perm.RECORD_CUSTODY_CARE,
            Perm.AUTHORISE_POLICE_STATION,
            Perm.APPROVE_EXTENSION,
            Perm.CORRECT_RECORDS,
            Perm.VIEW_REPORTS,
        }
    ),
    Role.MH_TACTICAL_ADVISER: frozenset(
        _OFFICER | {Perm.VIEW_REPORTS, Perm.CORRECT_RECORDS, Perm.REVIEW_UNLAWFUL_ACTS}
    ),
    Role.NPU_LEAD: frozenset(
        {
            Perm.VIEW_INCIDENTS,
            Perm.VIEW_PEOPLE,
            Perm.VIEW_DETENTIONS,
            Perm.VIEW_PLACES,
            Perm.VIEW_REFERRALS,
            Perm.VIEW_ALERTS,
            Perm.VIEW_REPORTS,
        }
    ),
    Role.AMHP: frozenset(
        {
            Perm.VIEW_DETENTIONS,
            Perm.RECORD_ASSESSMENT,
            Perm.VIEW_PLACES,
            Perm.VIEW_ALERTS,
            Perm.VIEW_REFERRALS,
            Perm.SEND_REFERRALS,
        }
    ),
    Role.DOCTOR: frozenset(
        {
            Perm.VIEW_DETENTIONS,
            Perm.RECORD_ASSESSMENT,
            Perm.AUTHORISE_EXTENSION,
            Perm.VIEW_PLACES,
            Perm.VIEW_ALERTS,
        }
    ),
    Role.PLACE_OF_SAFETY_STAFF: frozenset(
        {
            Perm.VIEW_DETENTIONS,
            Perm.RECORD_DETENTIONS,
            Perm.RECORD_CUSTODY_CARE,
            Perm.VIEW_PLACES,
            Perm.SET_PLACE_STATUS,
            Perm.VIEW_ALERTS,
            Perm.ACKNOWLEDGE_ALERTS,
            Perm.RECORD_ASSESSMENT,
        }
    ),
    # Partners receive `referral_overdue` alerts about referrals addressed to them.
    Role.PARTNER_USER: frozenset(
        {
            Perm.VIEW_REFERRALS,
            Perm.RESPOND_REFERRALS,
            Perm.VIEW_PLACES,
            Perm.VIEW_ALERTS,
            Perm.ACKNOWLEDGE_ALERTS,
        }
    ),
    Role.AUDITOR: frozenset(
        {
            Perm.VIEW_INCIDENTS,
            Perm.VIEW_PEOPLE,
            Perm.VIEW_DETENTIONS,
            Perm.VIEW_PLACES,
            Perm.VIEW_REFERRALS,
            Perm.VIEW_ALERTS,
            Perm.VIEW_REPORTS,
            Perm.VIEW_AUDIT,
        }
    ),
    Role.ADMINISTRATOR: frozenset(
        {Perm.MANAGE_ORGANISATION, Perm.MANAGE_PLACES, Perm.VIEW_PLACES, Perm.SET_PLACE_STATUS}
    ),
}


# Additive grants for the delivery items (roster, advice, protocols, training), kept apart so
# the core role sets above read as they did.
_DELIVERY: dict[str, set[Perm]] = {
    Role.RESPONSE_OFFICER: {Perm.VIEW_ROSTER, Perm.RECORD_ADVICE, Perm.VIEW_PROTOCOLS},
    Role.CUSTODY_SERGEANT: {Perm.VIEW_ROSTER, Perm.RECORD_ADVICE, Perm.VIEW_PROTOCOLS},
    Role.INSPECTOR: {
        Perm.VIEW_ROSTER,
        Perm.MANAGE_ROSTER,
        Perm.RECORD_ADVICE,
        Perm.VIEW_PROTOCOLS,
        Perm.VIEW_TRAINING,
    },
    Role.SUPERINTENDENT: {
        Perm.VIEW_ROSTER,
        Perm.MANAGE_ROSTER,
        Perm.RECORD_ADVICE,
        Perm.VIEW_PROTOCOLS,
        Perm.VIEW_TRAINING,
    },
    Role.MH_TACTICAL_ADVISER: {
        Perm.VIEW_ROSTER,
        Perm.MANAGE_ROSTER,
        Perm.RECORD_ADVICE,
        Perm.VIEW_PROTOCOLS,
        Perm.MANAGE_PROTOCOLS,
        Perm.VIEW_TRAINING,
        Perm.MANAGE_TRAINING,
    },
    Role.NPU_LEAD: {Perm.VIEW_ROSTER, Perm.VIEW_PROTOCOLS, Perm.VIEW_TRAINING},
    Role.AMHP: {Perm.VIEW_PROTOCOLS},
    Role.PLACE_OF_SAFETY_STAFF: {Perm.VIEW_PROTOCOLS},
    Role.PARTNER_USER: {Perm.VIEW_PROTOCOLS},
    Role.AUDITOR: {Perm.VIEW_ROSTER, Perm.VIEW_PROTOCOLS, Perm.VIEW_TRAINING},
    Role.ADMINISTRATOR: {
        Perm.VIEW_PROTOCOLS,
        Perm.MANAGE_PROTOCOLS,
        Perm.VIEW_TRAINING,
        Perm.MANAGE_TRAINING,
    },
}
_DELIVERY[Role.MH_TACTICAL_ADVISER].add(Perm.REVIEW_FORCE)
# Response plans and warning markers: everyone who meets the person reads what is addressed to
# their organisation; officers and partners write; a second person with the approve permission
# (the force's inspectors, superintendents and mental health lead; a partner's users) approves.
_PLANS: dict[str, set[Perm]] = {
    Role.RESPONSE_OFFICER: {Perm.VIEW_PLANS, Perm.WRITE_PLANS},
    Role.CUSTODY_SERGEANT: {Perm.VIEW_PLANS, Perm.WRITE_PLANS},
    Role.INSPECTOR: {Perm.VIEW_PLANS, Perm.WRITE_PLANS, Perm.APPROVE_PLANS},
    Role.SUPERINTENDENT: {Perm.VIEW_PLANS, Perm.WRITE_PLANS, Perm.APPROVE_PLANS},
    Role.MH_TACTICAL_ADVISER: {Perm.VIEW_PLANS, Perm.WRITE_PLANS, Perm.APPROVE_PLANS},
    Role.NPU_LEAD: {Perm.VIEW_PLANS},
    Role.AMHP: {Perm.VIEW_PLANS},
    Role.DOCTOR: {Perm.VIEW_PLANS},
    Role.PLACE_OF_SAFETY_STAFF: {Perm.VIEW_PLANS},
    Role.PARTNER_USER: {Perm.VIEW_PLANS, Perm.WRITE_PLANS, Perm.APPROVE_PLANS},
    Role.AUDITOR: {Perm.VIEW_PLANS},
}
for _role, _perms in _PLANS.items():
    _DELIVERY.setdefault(_role, set()).update(_perms)
ROLE_PERMISSIONS = {
    role: perms | frozenset(_DELIVERY.get(role, ())) for role, perms in ROLE_PERMISSIONS.items()
}


def permissions_for_roles(roles) -> frozenset[Perm]:
    perms: set[Perm] = set()
    for role in roles:
        perms |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(perms)


def user_permissions(user) -> frozenset[Perm]:
    if not user.is_active or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_harbour_perms", None)
    if cached is None:
        membership = getattr(user, "membership", None)
        cached = permissions_for_roles(membership.roles) if membership else frozenset()
        user._harbour_perms = cached
    return cached


def has_perm(user, perm: Perm | str) -> bool:
    return perm in user_permissions(user)


class RoleBackend(BaseBackend):
    """`user.has_perm("detentions.record")` answers from the user's roles."""

    def has_perm(self, user_obj, perm, obj=None):
        return perm in user_permissions(user_obj)

    def get_all_permissions(self, user_obj, obj=None):
        return {str(p) for p in user_permissions(user_obj)}


def require(user, perm: Perm) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied


class PermRequiredMixin(AccessMixin):
    """Class-based views: `perm = Perm.X`; signed-out users go to sign in, others get 403."""

    perm: Perm | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.perm is not None and not has_perm(request.user, self.perm):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def perm_required(perm: Perm):
    """Function views: signed-out users go to sign in, wrong role gets 403."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_perm(request.user, perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
