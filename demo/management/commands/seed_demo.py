"""Idempotent demo data for the fictional Midshire Police and its partners (domain.md)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Organisation
from accounts.otp import demo_base32_key, ensure_demo_device
from accounts.roles import OrganisationKind as K
from accounts.roles import Role
from accounts.services import ensure_organisation, ensure_user
from core.actor import acting_as, command_actor
from core.security import otp_required
from demo import (
    advisers,
    alerts,
    assessments,
    detentions,
    incidents,
    partners,
    plans,
    protocols,
    reporting,
    training,
    use_of_force,
)
from places_of_safety.models import PlaceKind, PlaceOfSafety

DEMO_PASSWORD = "harbour-demo-2026"  # noqa: S105 - printed on purpose: demo only

ORGANISATIONS = [
    (
        "midshire-police",
        "Midshire Police",
        K.POLICE_FORCE,
        [
            ("NPU-N", "Northbridge"),
            ("NPU-C", "Castleford Central"),
            ("NPU-S", "Southmere"),
            ("NPU-E", "Eastwold"),
        ],
    ),
    ("midshire-mh-trust", "Midshire Partnership NHS Foundation Trust", K.MENTAL_HEALTH_TRUST, []),
    ("midshire-hospitals", "Midshire Hospitals NHS Trust", K.ACUTE_TRUST, []),
    ("midshire-ambulance", "Midshire Ambulance Service", K.AMBULANCE_SERVICE, []),
    ("midshire-council", "Midshire County Council AMHP Service", K.LOCAL_AUTHORITY, []),
    ("midshire-liaison", "Midshire Liaison and Diversion", K.LIAISON_DIVERSION, []),
    ("harbourside-mind", "Harbourside Mind", K.VOLUNTARY_SECTOR, []),
]

PLACES = [
    (
        "Castleford Custody Suite",
        PlaceKind.POLICE_STATION,
        "midshire-police",
        1,
        False,
        "1 Bridge Street, Castleford",
    ),
    (
        "Northbridge s136 Suite, Ashdown Unit",
        PlaceKind.HEALTH_BASED,
        "midshire-mh-trust",
        2,
        False,
        "Ashdown Unit, Northbridge General Hospital",
    ),
    (
        "Southmere s136 Suite (all ages)",
        PlaceKind.HEALTH_BASED,
        "midshire-mh-trust",
        1,
        True,
        "The Willows, Southmere",
    ),
    (
        "Castleford General Emergency Department",
        PlaceKind.EMERGENCY_DEPARTMENT,
        "midshire-hospitals",
        4,
        True,
        "Castleford General Hospital",
    ),
]

# username, organisation, roles, display name, rank
USERS = [
    ("officer", "midshire-police", [Role.RESPONSE_OFFICER], "PC Sam Okafor", "constable"),
    ("sergeant", "midshire-police", [Role.CUSTODY_SERGEANT], "Sgt Priya Nair", "sergeant"),
    ("inspector", "midshire-police", [Role.INSPECTOR], "Insp Dan Hughes", "inspector"),
    (
        "superintendent",
        "midshire-police",
        [Role.SUPERINTENDENT],
        "Supt Alex Morgan",
        "superintendent",
    ),
    (
        "mhlead",
        "midshire-police",
        [Role.MH_TACTICAL_ADVISER],
        "Sgt Jo Reilly (MH tactical adviser)",
        "sergeant",
    ),
    ("npulead", "midshire-police", [Role.NPU_LEAD], "Insp Chris Lee (Castleford NPU)", "inspector"),
    ("amhp", "midshire-council", [Role.AMHP], "Ruth Evans (AMHP)", ""),
    ("doctor", "midshire-mh-trust", [Role.DOCTOR], "Dr Omar Farouk (s12)", ""),
    ("nurse", "midshire-mh-trust", [Role.PLACE_OF_SAFETY_STAFF], "Kate Jones RMN", ""),
    ("partner", "midshire-liaison", [Role.PARTNER_USER], "Lee Carter (Liaison and Diversion)", ""),
    ("auditor", "midshire-police", [Role.AUDITOR], "Pat Singh (Professional Standards)", ""),
    ("admin", "midshire-police", [Role.ADMINISTRATOR], "Harbour administrator", ""),
]

# Each app's demo records (demo/<app>.py, `seed(stdout)`), in this order.
DEMO_MODULES = [
    incidents,
    detentions,
    assessments,
    partners,
    plans,
    alerts,
    reporting,
    advisers,
    protocols,
    training,
    use_of_force,
]


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo force, its partners, places of safety and one user per role."

    def handle(self, *args, **options):
        with acting_as(command_actor("seed_demo")), transaction.atomic():
            for slug, name, kind, npus in ORGANISATIONS:
                ensure_organisation(slug, name, kind, npus)
            orgs = {
                o.slug: o
                for o in Organisation.objects.filter(slug__in=[o[0] for o in ORGANISATIONS])
            }
            for name, kind, org, capacity, under_18, address in PLACES:
                PlaceOfSafety.objects.get_or_create(
                    name=name,
                    defaults={
                        "kind": kind,
                        "organisation": orgs[org],
                        "capacity": capacity,
                        "accepts_under_18": under_18,
                        "address": address,
                    },
                )
            npu = orgs["midshire-police"].npus.get(code="NPU-C")
            for username, org, roles, display, rank in USERS:
                user = ensure_user(
                    username,
                    organisation=orgs[org],
                    roles=roles,
                    password=DEMO_PASSWORD,
                    display_name=display,
                    rank=rank,
                    npu=npu if orgs[org].kind == K.POLICE_FORCE else None,
                    is_staff=Role.ADMINISTRATOR in roles,
                    is_superuser=Role.ADMINISTRATOR in roles,
                )
                # Second factor (enforced for these roles): a device with the demo's fixed key.
                if otp_required(user):
                    ensure_demo_device(user)
            for module in DEMO_MODULES:
                module.seed(self.stdout)

        self.stdout.write(self.style.SUCCESS("Demo data is ready: Midshire Police and partners."))
        self.stdout.write(
            f"Sign in at http://127.0.0.1:8000/sign-in/ with password {DEMO_PASSWORD!r} as:"
        )
        enforced = set(settings.HARBOUR_SECURITY["OTP_REQUIRED_ROLES"])
        for username, _org, roles, display, _rank in USERS:
            self.stdout.write(
                f"  {username:<15} {', '.join(str(Role(r).label) for r in roles)} ({display})"
                + ("  [second factor]" if enforced & set(roles) else "")
            )
        self.stdout.write(
            "Second factor (enforced for administrators, auditors and the force MH lead): add the "
            f"key {demo_base32_key()} to an authenticator app (TOTP, 30 s, 6 digits), or print "
            "the current code with: python manage.py demo_otp <username>"
        )
