"""Incidents: the one door for logging and changing them.

Every function takes keyword-only arguments and `now=None`; a refusal raises
`django.core.exceptions.ValidationError` with field -> error (each with a stable `code`) and
writes nothing. History rows are stamped with the current actor (core.actor).

Rules (codes):
- `time_order`: `occurred_at` and `reported_at` are at or before `ended_at`; none is in the
  future (beyond a 5-minute skew). A report may come before the incident (a planned s135
  warrant, an AMHP's request for support), so `reported_at` and `occurred_at` are not ordered.
- `npu_not_in_force`: the NPU belongs to the incident's force.
- `rcrp_decision_required`: the Right Care Right Person decision is recorded.
- `rcrp_rationale_required` / `rcrp_agency_required`: a call not attended (`none`) says why,
  and which agency it was passed to.
- `healthcare_setting_required`: a healthcare location says which setting.
- `person_not_in_force` / `person_merged`: people linked are the force's own, current records.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actor import current_actor
from core.references import clean_reference
from incidents import policy
from incidents.choices import RcrpThreshold
from incidents.models import Incident, OfficerDeployment, location_key, normalise_postcode
from people import repeat_demand
from people.models import Person

CLOCK_SKEW = timedelta(minutes=5)

EDITABLE_FIELDS = (
    "reported_at",
    "occurred_at",
    "ended_at",
    "category",
    "npu",
    "location_description",
    "location_postcode",
    "healthcare_setting",
    "healthcare_place",
    "healthcare_setting_name",
    "rcrp_threshold",
    "rcrp_rationale",
    "rcrp_passed_to",
    "summary",
    "outcome",
    "outcome_detail",
    # References to other systems (core.references).
    "cad_number",
    "rms_reference",
)


def _actor_label() -> str:
    actor = current_actor()
    return actor.label if actor else ""


def _error(errors: dict, field: str, message: str, code: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def validate_incident(incident: Incident, *, now=None) -> None:
    """All the rules for one incident's own fields; raises ValidationError with codes."""
    now = now or timezone.now()
    errors: dict[str, list] = {}
    limit = now + CLOCK_SKEW
    for field in ("reported_at", "occurred_at", "ended_at"):
        value = getattr(incident, field)
        if value is not None and value > limit:
            _error(errors, field, _("This time is in the future."), "time_order")
    if incident.ended_at is not None:
        if incident.occurred_at and incident.ended_at < incident.occurred_at:
            _error(
                errors,
                "ended_at",
                _("The incident cannot end before it occurred."),
                "time_order",
            )
        if incident.reported_at and incident.ended_at < incident.reported_at:
            _error(
                errors,
                "ended_at",
                _("The incident cannot end before it was reported."),
                "time_order",
            )
    if incident.npu_id is not None and incident.npu.force_id != incident.organisation_id:
        _error(errors, "npu", _("Choose one of your force's NPUs."), "npu_not_in_force")
    if not incident.rcrp_threshold:
        _error(
            errors,
            "rcrp_threshold",
            _("Record the Right Care Right Person decision."),
            "rcrp_decision_required",
        )
    elif incident.rcrp_threshold == RcrpThreshold.NONE:
        if not (incident.rcrp_rationale or "").strip():
            _error(
                errors,
                "rcrp_rationale",
                _("Say why the police did not attend."),
                "rcrp_rationale_required",
            )
        if not incident.rcrp_passed_to:
            _error(
                errors,
                "rcrp_passed_to",
                _("Say which agency the call was passed to."),
                "rcrp_agency_required",
            )
    if (
        incident.healthcare_setting
        and not incident.healthcare_place_id
        and not incident.healthcare_setting_name.strip()
    ):
        _error(
            errors,
            "healthcare_setting_name",
            _("Say which healthcare setting, or choose the place of safety."),
            "healthcare_setting_required",
        )
    # Field-level checks (choices, lengths) with Django's codes.
    try:
        incident.full_clean(
            exclude=["organisation", "reference", "people", "created_by", "npu", "healthcare_place"]
            + list(errors),
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for field, errs in exc.error_dict.items():
            errors.setdefault(field, []).extend(errs)
    if errors:
        raise ValidationError(errors)


def _validate_people(organisation_id, people) -> None:
    for person in people:
        if person.organisation_id != organisation_id:
            raise ValidationError(
                {"people": [ValidationError(_("Unknown person."), code="person_not_in_force")]}
            )
        if person.merged_into_id:
            raise ValidationError(
                {
                    "people": [
                        ValidationError(
                            _("%(name)s was merged into another record; use that one.")
                            % {"name": person.full_name},
                            code="person_merged",
                        )
                    ]
                }
            )


def _validate_officers(officers) -> list[OfficerDeployment]:
    rows = []
    for data in officers or ():
        row = OfficerDeployment(
            officer_name=(data.get("officer_name") or "").strip(),
            collar_number=(data.get("collar_number") or "").strip(),
            minutes=data.get("minutes"),
            recorded_by=_actor_label(),
        )
        _check_officer(row)
        rows.append(row)
    return rows


def _check_officer(row: OfficerDeployment) -> None:
    errors: dict[str, list] = {}
    if not row.officer_name and not row.collar_number:
        _error(
            errors,
            "officer_name",
            _("Give the officer's name or collar number."),
            "officer_required",
        )
    if row.minutes is None:
        _error(errors, "minutes", _("Give the minutes spent."), "required")
    else:
        try:
            row.clean_fields(exclude=["incident", "officer_name", "collar_number"])
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors:
        raise ValidationError({"officers": [ValidationError(errors)]})


def _next_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Incident._meta.db_table]
        )
        return cursor.fetchone()[0]


def _normalise(incident: Incident) -> None:
    incident.cad_number = clean_reference(incident.cad_number)
    incident.rms_reference = clean_reference(incident.rms_reference)
    incident.location_postcode = normalise_postcode(incident.location_postcode)
    if incident.healthcare_place_id:
        incident.healthcare_setting = True
    if not incident.healthcare_setting:
        incident.healthcare_place = None
        incident.healthcare_setting_name = ""
    if incident.rcrp_threshold and incident.rcrp_threshold != RcrpThreshold.NONE:
        incident.rcrp_passed_to = ""
    incident.location_key = location_key(
        healthcare_place_id=incident.healthcare_place_id,
        postcode=incident.location_postcode,
        description=incident.healthcare_setting_name or incident.location_description,
    )


@transaction.atomic
def create_incident(
    *,
    organisation,
    occurred_at,
    category,
    rcrp_threshold="",
    people=(),
    officers=(),
    created_by=None,
    now=None,
    **fields,
) -> Incident:
    """Logs an incident with its people and officers. `fields` are any of EDITABLE_FIELDS."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown incident fields: {sorted(unknown)}")
    incident = Incident(
        organisation=organisation,
        occurred_at=occurred_at,
        category=category,
        rcrp_threshold=rcrp_threshold or "",
        created_by=created_by,
        recorded_by=_actor_label(),
    )
    for name, value in fields.items():
        setattr(incident, name, "" if value is None and _is_text(name) else value)
    _normalise(incident)
    validate_incident(incident, now=now)
    people = list(people or ())
    _validate_people(organisation.pk, people)
    officer_rows = _validate_officers(officers)

    incident.pk = _next_id()
    year = timezone.localtime(incident.occurred_at).year
    incident.reference = f"INC-{year}-{incident.pk:06d}"
    incident.save(force_insert=True)
    if people:
        incident.people.add(*people)
    for row in officer_rows:
        row.incident = incident
        row.save()
    return incident


def _is_text(name: str) -> bool:
    return name not in ("reported_at", "occurred_at", "ended_at", "npu", "healthcare_place")


def _lock(incident: Incident) -> Incident:
    return (
        Incident.objects.select_for_update(of=("self",)).select_related("npu").get(pk=incident.pk)
    )


@transaction.atomic
def update_incident(
    incident: Incident, *, now=None, people=None, officers=None, **changes
) -> Incident:
    """Changes an incident's fields (any of EDITABLE_FIELDS); `people` replaces the people and
    `officers` (dicts of officer_name, collar_number, minutes) the officers deployed."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown incident fields: {sorted(unknown)}")
    locked = _lock(incident)
    for name, value in changes.items():
        setattr(locked, name, "" if value is None and _is_text(name) else value)
    _normalise(locked)
    validate_incident(locked, now=now)
    if people is not None:
        people = list(people)
        _validate_people(locked.organisation_id, people)
    officer_rows = _validate_officers(officers) if officers is not None else None
    locked.save()
    if people is not None:
        current = set(locked.people.values_list("pk", flat=True))
        wanted = {p.pk for p in people}
        if current != wanted:
            locked.people.set(people)
    if officer_rows is not None:
        for old in locked.officers.all():
            old.delete()
        for row in officer_rows:
            row.incident = locked
            row.save()
    return locked


@transaction.atomic
def add_person(incident: Incident, person: Person) -> Incident:
    locked = _lock(incident)
    _validate_people(locked.organisation_id, [person])
    if not locked.people.filter(pk=person.pk).exists():
        locked.people.add(person)
    return locked


@transaction.atomic
def remove_person(incident: Incident, person: Person) -> Incident:
    locked = _lock(incident)
    locked.people.remove(person)
    return locked


@transaction.atomic
def add_officer(
    incident: Incident, *, officer_name="", collar_number="", minutes=None
) -> OfficerDeployment:
    locked = _lock(incident)
    (row,) = _validate_officers(
        [{"officer_name": officer_name, "collar_number": collar_number, "minutes": minutes}]
    )
    row.incident = locked
    row.save()
    return row


@transaction.atomic
def remove_officer(deployment: OfficerDeployment) -> None:
    _lock(deployment.incident)
    deployment.delete()


# --- Repeat demand: locations ---------------------------------------------------------------


def locations_with_repeated_calls(
    organisation_id, *, window_days=None, min_incidents=None, now=None
):
    """Locations with `min_incidents` or more incidents in the last `window_days` days, for
    multi-agency review; healthcare settings first. One query. Repeat demand as defined in
    `repeat_demand`."""
    demand = repeat_demand.of_locations().overridden(window_days, min_incidents)
    now = now or timezone.now()
    since = demand.since(now)
    return (
        policy.incidents_of_organisation(organisation_id)
        .filter(occurred_at__gte=since, occurred_at__lte=now)
        .exclude(location_key="")
        .values("location_key")
        .annotate(
            incidents=Count("id", distinct=True),
            people=Count("people", distinct=True),
            healthcare=Count("id", filter=Q(healthcare_setting=True), distinct=True),
            place_name=Max("healthcare_place__name"),
            setting_name=Max("healthcare_setting_name"),
            description=Max("location_description"),
            postcode=Max("location_postcode"),
            first=Min("occurred_at"),
            last=Max("occurred_at"),
            not_attended=Count("id", filter=Q(rcrp_threshold=RcrpThreshold.NONE), distinct=True),
        )
        .filter(incidents__gte=demand.min_incidents)
        .order_by("-healthcare", "-incidents", "-last")
    )
