"""Demo referrals from Midshire Police to Midshire Liaison and Diversion and Harbourside Mind
(called by `manage.py seed_demo` after the demo incidents and detentions).

Idempotent: does nothing once the demo force has sent any referral."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from core.actor import acting_as, command_actor
from detentions.models import Detention
from incidents.models import Incident
from partners import services
from partners.models import Referral

# (to, service, urgency, consent, reason, statuses after sending, sent this long ago)
PLAN = [
    (
        "midshire-liaison",
        "liaison_diversion",
        "emergency",
        "given",
        "Detained under s136 after a third crisis call this month; agreed to see the L&D team.",
        [],
        timedelta(minutes=20),
    ),
    (
        "midshire-liaison",
        "liaison_diversion",
        "urgent",
        "not_sought_lawful_basis",
        "Frequent contact; not able to discuss consent at the time. Assessment of needs requested.",
        ["acknowledged"],
        timedelta(hours=3),
    ),
    (
        "harbourside-mind",
        "voluntary_sector",
        "routine",
        "given",
        "Lives alone since bereavement; would welcome peer support and a befriending service.",
        ["acknowledged", "accepted"],
        timedelta(days=2),
    ),
    (
        "harbourside-mind",
        "voluntary_sector",
        "routine",
        "given",
        "Asked for help with housing worries that triggered the crisis.",
        ["declined"],
        timedelta(days=4),
    ),
    (
        "midshire-liaison",
        "liaison_diversion",
        "urgent",
        "refused",
        "Serious risk of harm to self; shared without consent to protect life.",
        ["acknowledged", "accepted", "closed"],
        timedelta(days=9),
    ),
    (
        "midshire-liaison",
        "liaison_diversion",
        "emergency",
        "given",
        "Released from the suite in the early hours; follow-up needed today.",
        [],
        timedelta(hours=2),  # overdue: shows the referral_overdue alert
    ),
]

LAWFUL_BASIS = "Vital interests (UK GDPR Art. 6(1)(d), 9(2)(c)): risk to life."
NOTES = {
    "acknowledged": "Received; allocated to the duty worker.",
    "accepted": "Contact made; first appointment booked.",
    "declined": "Outside our service: signposted to the council housing team.",
    "closed": "Support completed.",
}


def seed(stdout) -> None:
    force = Organisation.objects.filter(slug="midshire-police").first()
    partners = {o.slug: o for o in Organisation.objects.filter(slug__in=[p[0] for p in PLAN])}
    if force is None or len(partners) < 2:
        stdout.write("Demo partners are missing: no demo referrals made.")
        return
    if Referral.objects.filter(from_organisation=force).exists():
        return
    sources = list(
        Detention.objects.filter(organisation=force)
        .select_related("person")
        .order_by("-detained_at")[:4]
    )
    incidents = list(
        Incident.objects.filter(organisation=force, people__isnull=False)
        .distinct()
        .order_by("-occurred_at")[:4]
    )
    made = 0
    now = timezone.now()
    with acting_as(command_actor("seed_demo")), transaction.atomic():
        for i, (to, service, urgency, consent, reason, steps, ago) in enumerate(PLAN):
            detention = sources[i] if i < len(sources) else None
            incident = None if detention else (incidents[i % len(incidents)] if incidents else None)
            if detention is None and incident is None:
                continue
            person = detention.person if detention else incident.people.first()
            sent_at = now - ago
            referral = services.send_referral(
                from_organisation=force,
                to_organisation=partners[to],
                service=service,
                person=person,
                detention=detention,
                incident=incident,
                reason=reason,
                urgency=urgency,
                consent=consent,
                lawful_basis="" if consent == "given" else LAWFUL_BASIS,
                now=sent_at,
            )
            for n, status in enumerate(steps, start=1):
                services.change_status(
                    referral,
                    to_status=status,
                    organisation=partners[to],
                    note=NOTES[status],
                    now=sent_at + (ago / (len(steps) + 1)) * n,
                )
            made += 1
    stdout.write(
        f"Demo referrals: {made} sent to Midshire Liaison and Diversion and Harbourside Mind."
    )
