"""Demo: Midshire County Council's AMHP service covers the demo places of safety and NPUs, and
the demo's past detentions get the council's assessment details and the delays their recorded
times show (a long wait for the AMHP, the doctor or a bed), so the delays report is not empty.
Idempotent. Runs after `demo.detentions` (seed_demo's DEMO_MODULES order)."""

from datetime import timedelta

from accounts.models import NPU, Organisation
from assessments.models import (
    ADMISSION_OUTCOMES,
    AmhpServiceArea,
    AssessmentDelay,
    AssessmentDetail,
    AssessmentOutcome,
    DelayReason,
)
from detentions.models import Assessment
from places_of_safety.models import PlaceOfSafety

COUNCIL = "midshire-council"
FORCE = "midshire-police"
AREA_NAME = "Midshire (all places of safety)"
LONG_WAIT = timedelta(minutes=60)
BED_WAIT = timedelta(minutes=30)


def seed(stdout):
    council = Organisation.objects.filter(slug=COUNCIL).first()
    if council is None:
        return
    area, created = AmhpServiceArea.objects.get_or_create(organisation=council, name=AREA_NAME)
    places = PlaceOfSafety.objects.filter(active=True)
    area.places.add(*places)
    area.npus.add(*NPU.objects.filter(force__slug=FORCE))
    stdout.write(
        f"AMHP service area {'created' if created else 'up to date'}: {council} covers "
        f"{places.count()} places of safety."
    )
    details, delays = _past_assessments(council)
    if details:
        stdout.write(f"Assessment details for {details} past detentions, {delays} delays.")


def _past_assessments(council) -> tuple[int, int]:
    """Details and delays derived from ended demo detentions' recorded times (all within each
    detention's span, so the record stays lawful). Ended detentions take no new events through
    the services (C7), so this demo history is written directly, once."""
    assessments = (
        Assessment.objects.filter(
            detention__organisation__slug=FORCE,
            detention__ended_at__isnull=False,
            detention__assessment_detail__isnull=True,
        )
        .select_related("detention")
        .order_by("detention__detained_at")
    )
    n_details = n_delays = 0
    for a in assessments:
        d = a.detention
        outcome = d.outcome if d.outcome in AssessmentOutcome.values else ""
        decided = a.completed_at or d.ended_at
        detail = AssessmentDetail(
            detention=d,
            amhp_organisation=council,
            taken_at=a.amhp_requested_at,
            responsible_doctor_name=a.doctor_name,
            outcome=outcome,
            outcome_decided_at=decided if outcome else None,
            recorded_by="seed_demo",
        )
        waits = []
        if outcome in ADMISSION_OUTCOMES:
            detail.bed_requested_at = decided
            detail.bed_found_at = d.ended_at
            detail.bed_location = "Ashdown Ward, Northbridge General Hospital"
            waits.append((DelayReason.NO_BED, decided, d.ended_at, BED_WAIT))
        waits.append((DelayReason.NO_AMHP, a.amhp_requested_at, a.amhp_arrived_at, LONG_WAIT))
        waits.append((DelayReason.NO_DOCTOR, a.doctor_requested_at, a.doctor_arrived_at, LONG_WAIT))
        detail.save()
        n_details += 1
        for reason, start, end, threshold in waits:
            if start is None or end is None or end - start <= threshold:
                continue
            AssessmentDelay.objects.create(
                detention=d,
                reason=reason,
                started_at=start,
                ended_at=end,
                note="Demo data",
                recorded_by="seed_demo",
            )
            n_delays += 1
    return n_details, n_delays
