"""People: create, change, find possible duplicates, merge; repeat contact; the timeline.

Possible duplicates are records of the same force with the same date of birth and a similar
name, or the same NHS number. "Similar" is PostgreSQL trigram similarity (pg_trgm) of the
normalised full name (accents and case removed, see `normalise_name`): it tolerates typing
errors ("Jon"/"John", "Smyth"/"Smith"), swapped given/family names and hyphenated names,
which soundex does not (soundex is English-only, keys on the first letter and ignores given
names). The threshold is `settings.HARBOUR["DUPLICATE_NAME_SIMILARITY"]` (default 0.3, pg_trgm's
own default). Duplicates are only ever shown to a person; `merge_people` needs a reason and
is recorded in history with who did it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actor import current_actor
from core.references import clean_reference
from core.serializers import EARLIEST_DATE_OF_BIRTH
from people import policy, related, repeat_demand
from people.models import Person, normalise_name

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "age_assessment",
    "gender",
    "ethnicity",
    "nhs_number",
    # References to other systems (core.references); the trust the record id belongs to.
    "rms_person_id",
    "nhs_trust_record_id",
    "nhs_trust",
    "preferred_language",
)
TRUST_KINDS = ("mental_health_trust", "acute_trust", "ambulance_service")


def _actor_label() -> str:
    actor = current_actor()
    return actor.label if actor else ""


def _detentions():
    """Detentions point at people (`Detention.person`, related name `detentions`); people sit
    below detentions, so merging and repeat contact reach them through that relation, not an
    import."""
    return Person._meta.get_field("detentions").related_model.objects


def _clean(person: Person, *, now=None) -> None:
    errors: dict[str, list] = {}
    if person.nhs_number is not None:
        person.nhs_number = person.nhs_number.replace(" ", "") or None
    if person.age_assessment == "":
        person.age_assessment = None
    person.given_name = (person.given_name or "").strip()
    person.family_name = (person.family_name or "").strip()
    today = timezone.localdate(now or timezone.now())
    if person.date_of_birth and person.date_of_birth > today:
        errors["date_of_birth"] = [
            ValidationError(_("The date of birth must be in the past."), code="time_order")
        ]
    elif person.date_of_birth and person.date_of_birth < EARLIEST_DATE_OF_BIRTH:
        errors["date_of_birth"] = [
            ValidationError(
                _("Give a date of birth on or after 1 January 1900."),
                code="date_of_birth_too_early",
            )
        ]
    person.rms_person_id = clean_reference(person.rms_person_id)
    person.nhs_trust_record_id = clean_reference(person.nhs_trust_record_id)
    if person.nhs_trust_record_id and person.nhs_trust_id is None:
        errors["nhs_trust"] = [
            ValidationError(
                _("Select the NHS trust the record id belongs to."), code="trust_required"
            )
        ]
    elif person.nhs_trust_id is not None and person.nhs_trust.kind not in TRUST_KINDS:
        errors["nhs_trust"] = [ValidationError(_("Select an NHS trust."), code="not_a_trust")]
    elif person.nhs_trust_id is not None and not person.nhs_trust_record_id:
        errors["nhs_trust_record_id"] = [
            ValidationError(
                _("Enter the record id at that trust, or leave the trust empty."),
                code="required",
            )
        ]
    try:
        person.full_clean(
            exclude=["organisation", "merged_into", "nhs_trust", *errors], validate_unique=False
        )
    except ValidationError as exc:
        for field, errs in exc.error_dict.items():
            errors.setdefault(field, []).extend(errs)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_person(*, organisation, given_name, family_name, now=None, **fields) -> Person:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    person = Person(organisation=organisation, given_name=given_name, family_name=family_name)
    for name, value in fields.items():
        if value is None and name in ("gender", "ethnicity", "preferred_language"):
            continue  # model defaults: not known / not stated
        setattr(person, name, value)
    _clean(person, now=now)
    person.save()
    return person


def _refuse_merged(person: Person) -> None:
    if person.merged_into_id:
        raise ValidationError(
            _("This record was merged into another; change that one instead."),
            code="person_merged",
        )


@transaction.atomic
def update_person(person: Person, *, now=None, **changes) -> Person:
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    locked = Person.objects.select_for_update().get(pk=person.pk)
    _refuse_merged(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    _clean(locked, now=now)
    locked.save()
    return locked


def duplicate_similarity() -> float:
    return float(settings.HARBOUR.get("DUPLICATE_NAME_SIMILARITY", 0.3))


def possible_duplicates(person: Person, *, limit: int = 10):
    """Other current records of the same force that may be the same person. One query."""
    name = normalise_name(f"{person.given_name} {person.family_name}")
    same_dob = Q(date_of_birth=person.date_of_birth, similarity__gte=duplicate_similarity())
    match = Q(pk__in=[])
    if person.date_of_birth:
        match |= same_dob
    if person.nhs_number:
        match |= Q(nhs_number=person.nhs_number)
    return (
        policy.people_of_organisation(person.organisation_id)
        .current()
        .exclude(pk=person.pk)
        .annotate(similarity=TrigramSimilarity("search_name", name))
        .filter(match)
        .order_by("-similarity", "family_name", "given_name")[:limit]
    )


def find_duplicates_for(organisation_id, *, given_name, family_name, date_of_birth, limit=5):
    """Before creating a person: current records that may already be them. One query."""
    if not date_of_birth:
        return Person.objects.none()
    name = normalise_name(f"{given_name} {family_name}")
    return (
        policy.people_of_organisation(organisation_id)
        .current()
        .filter(date_of_birth=date_of_birth)
        .annotate(similarity=TrigramSimilarity("search_name", name))
        .filter(similarity__gte=duplicate_similarity())
        .order_by("-similarity")[:limit]
    )


@transaction.atomic
def merge_people(*, keep: Person, merge: Person, reason: str, now=None) -> Person:
    """Moves `merge`'s incidents, detentions and referrals to `keep` and marks `merge` as
    merged into it. Never silent: a reason is required and history records who and why.
    Refused when both have a detention that has not ended (it would make consecutive
    detentions, C3)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": [ValidationError(_("Give the reason for the merge."), code="required")]}
        )
    if keep.pk == merge.pk:
        raise ValidationError(_("A record cannot be merged with itself."), code="merge_same")
    # Lock both rows in id order so that two merges cannot deadlock.
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update()
        .filter(pk__in=[keep.pk, merge.pk])
        .order_by("pk")
    }
    keep, merge = locked[keep.pk], locked[merge.pk]
    if keep.organisation_id != merge.organisation_id:
        raise ValidationError(
            _("Only records of the same force can be merged."), code="merge_other_force"
        )
    if keep.merged_into_id or merge.merged_into_id:
        raise ValidationError(
            _("One of these records has already been merged."), code="person_merged"
        )
    active = _detentions().filter(person__in=[keep, merge], ended_at__isnull=True)
    if len({d.person_id for d in active}) == 2:
        raise ValidationError(
            _(
                "Both records have a detention that has not ended. Merging them would make two "
                "detentions at once for one person, which the law does not allow: end or correct "
                "one detention first."
            ),
            code="merge_active_detentions",
        )
    _repoint_relations(keep, merge, _("Merged people: %(reason)s") % {"reason": reason})
    merge.merged_into = keep
    merge.merged_at = now
    merge.merged_by = _actor_label()
    merge.merge_reason = reason
    merge._change_reason = reason
    merge.save()
    # Keep's own history shows the merge too.
    keep._change_reason = _("Merged %(other)s (record %(id)s) into this record: %(reason)s") % {
        "other": merge.full_name,
        "id": merge.pk,
        "reason": reason,
    }
    keep.save()
    return keep


def merge_relations():
    """Every relation pointing at a person (`Person._meta.related_objects`: detentions, incidents,
    referrals and whatever is added later), but for `merged_into`, the merge's own link: people
    merged earlier into the merged-away record keep pointing at it (the chain is history)."""
    return [r for r in Person._meta.related_objects if r.related_model is not Person]


def _repoint_relations(keep: Person, merge: Person, change_reason: str) -> None:
    """Re-points every relation from `merge` to `keep`, locking the rows: foreign keys row by
    row through `save` (history with the reason), many-to-many through the relation's manager
    (its history rows too), never adding `keep` twice."""
    for relation in merge_relations():
        model, name = relation.related_model, relation.field.name
        rows = model._default_manager.filter(**{name: merge}).select_for_update(of=("self",))
        if relation.many_to_many:
            for row in rows:
                people = getattr(row, name)
                people.remove(merge)
                if not people.filter(pk=keep.pk).exists():
                    people.add(keep)
            continue
        fields = [name] + [f.name for f in model._meta.concrete_fields if f.name == "updated_at"]
        for row in rows:
            setattr(row, name, keep)
            row._change_reason = change_reason
            row.save(update_fields=fields)


# --- Repeat contact -----------------------------------------------------------------------------


def people_with_repeated_contact(
    organisation_id, *, window_days=None, min_incidents=None, now=None
):
    """People with `min_incidents` or more incidents in the last `window_days` days (for
    multi-agency care planning). One query; each row has `incident_count`,
    `last_incident_at` and `detention_count` (in the same window). Repeat demand as defined
    in `repeat_demand`."""
    demand = repeat_demand.of_people().overridden(window_days, min_incidents)
    now = now or timezone.now()
    since = demand.since(now)
    in_window = Q(incidents__occurred_at__gte=since, incidents__occurred_at__lte=now)
    detentions = (
        _detentions()
        .filter(person=OuterRef("pk"), detained_at__gte=since, detained_at__lte=now)
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        policy.people_of_organisation(organisation_id)
        .current()
        .annotate(
            incident_count=Count("incidents", filter=in_window, distinct=True),
            last_incident_at=Max("incidents__occurred_at", filter=in_window),
            detention_count=Coalesce(Subquery(detentions), 0),
        )
        .filter(incident_count__gte=demand.min_incidents)
        .order_by("-incident_count", "-last_incident_at", "family_name")
    )


# --- The person's timeline -------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # "incident", "detention", "referral"
    at: datetime
    obj: object


def person_timeline(person: Person) -> list[TimelineEntry]:
    """Every incident, detention and referral (and whatever else an app adds: people.related)
    of the person, newest first. One query for each kind."""
    entries = [
        TimelineEntry("incident", i.occurred_at, i)
        for i in person.incidents.select_related("npu").order_by()
    ]
    entries += [
        TimelineEntry("detention", d.detained_at, d)
        for d in person.detentions.select_related("current_place_of_safety", "incident").order_by()
    ]
    for kind, records, at in related.TIMELINE_SOURCES:  # referrals (partners)
        entries += [TimelineEntry(kind, at(r), r) for r in records(person)]
    entries.sort(key=lambda e: (e.at, e.kind), reverse=True)
    return entries


def age_on(person: Person, day: date) -> int | None:
    dob = person.date_of_birth
    if not dob:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
