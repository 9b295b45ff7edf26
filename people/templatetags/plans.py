"""`{% warnings_panel subject %}`: the "Warnings and plan" panel of a person, an incident (its
people) or a detention (its person), as the viewer's organisation may see it (people.policy):
approved plans addressed to it, warning markers not past their review date. Then the subject's
references to other systems. Three queries for the plans, whatever their number."""

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

from accounts.permissions import Perm
from accounts.principal import principal_of
from people import plans, policy
from people.models import Person

register = template.Library()

# The references to other systems, in the order shown, on whichever record has them.
REFERENCE_FIELDS = (
    "cad_number",
    "rms_reference",
    "custody_record_number",
    "rms_person_id",
    "nhs_trust_record_id",
)


def _people_of(subject) -> list:
    if isinstance(subject, Person):
        return [subject]
    person = getattr(subject, "person", None)
    if isinstance(person, Person):
        return [person]
    people = getattr(subject, "people", None)
    if people is not None and hasattr(people, "all"):
        return list(people.all())
    return []


def _references(subject) -> list[tuple[str, str]]:
    rows = []
    for name in REFERENCE_FIELDS:
        try:
            model_field = subject._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        value = getattr(subject, name)
        if name == "nhs_trust_record_id" and value and subject.nhs_trust_id:
            value = f"{value} ({subject.nhs_trust.name})"
        rows.append((model_field.verbose_name, value))
    return rows


@register.inclusion_tag("people/_warnings_panel_body.html", takes_context=True)
def warnings_panel(context, subject, show_references=True):
    request = context.get("request")
    actor = principal_of(request) if request is not None else None
    people = _people_of(subject)
    shown = []
    may_view = actor is not None and actor.allowed((Perm.VIEW_PLANS,), "plans:read")
    if may_view and people:
        shown = plans.warnings_for(policy.in_force_plans(actor), people, now=timezone.now())
    may_write = actor is not None and bool(policy.may_write_plan_for(actor))
    references = _references(subject) if show_references else []
    return {
        "request": request,
        "subject": subject,
        "warnings": shown,
        "may_view": may_view,
        "may_write": may_write and len(people) == 1,
        "person": people[0] if len(people) == 1 else None,
        "references": references,
        "has_references": any(value for _label, value in references),
        "is_detention": getattr(subject._meta, "model_name", "") == "detention",
        "may_change_references": actor is not None
        and actor.is_user
        and actor.organisation_id == getattr(subject, "organisation_id", None)
        and actor.has_perm(Perm.RECORD_DETENTIONS),
    }
