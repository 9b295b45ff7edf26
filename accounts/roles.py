"""Roles (domain.md) and organisation kinds (api-contract.md): plain data, no Django models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    POLICE_FORCE = "police_force", _("Police force")
    MENTAL_HEALTH_TRUST = "mental_health_trust", _("Mental health trust")
    ACUTE_TRUST = "acute_trust", _("Acute trust")
    AMBULANCE_SERVICE = "ambulance_service", _("Ambulance service")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    LIAISON_DIVERSION = "liaison_diversion", _("Liaison and diversion service")
    SUBSTANCE_MISUSE_SERVICE = "substance_misuse_service", _("Substance misuse service")
    VOLUNTARY_SECTOR = "voluntary_sector", _("Voluntary sector")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    RESPONSE_OFFICER = "response_officer", _("Response officer")
    CUSTODY_SERGEANT = "custody_sergeant", _("Custody sergeant")
    INSPECTOR = "inspector", _("Inspector")
    SUPERINTENDENT = "superintendent", _("Superintendent")
    MH_TACTICAL_ADVISER = "mh_tactical_adviser", _("Mental health tactical adviser / force lead")
    AMHP = "amhp", _("Approved mental health professional (AMHP)")
    DOCTOR = "doctor", _("Doctor")
    PLACE_OF_SAFETY_STAFF = "place_of_safety_staff", _("Place of safety staff")
    NPU_LEAD = "npu_lead", _("NPU lead")
    PARTNER_USER = "partner_user", _("Partner agency user")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


# Which organisation kinds a role makes sense in (checked when a membership is saved).
POLICE_ROLES = {
    Role.RESPONSE_OFFICER,
    Role.CUSTODY_SERGEANT,
    Role.INSPECTOR,
    Role.SUPERINTENDENT,
    Role.MH_TACTICAL_ADVISER,
    Role.NPU_LEAD,
}
HEALTH_KINDS = {
    OrganisationKind.MENTAL_HEALTH_TRUST,
    OrganisationKind.ACUTE_TRUST,
    OrganisationKind.AMBULANCE_SERVICE,
}
ROLE_ORGANISATION_KINDS = {
    **{role: {OrganisationKind.POLICE_FORCE} for role in POLICE_ROLES},
    Role.AMHP: {OrganisationKind.LOCAL_AUTHORITY},
    Role.DOCTOR: HEALTH_KINDS | {OrganisationKind.LOCAL_AUTHORITY, OrganisationKind.OTHER},
    Role.PLACE_OF_SAFETY_STAFF: HEALTH_KINDS
    | {OrganisationKind.POLICE_FORCE, OrganisationKind.OTHER},
    Role.PARTNER_USER: set(OrganisationKind) - {OrganisationKind.POLICE_FORCE},
    Role.AUDITOR: set(OrganisationKind),
    Role.ADMINISTRATOR: set(OrganisationKind),
}


class Rank(models.TextChoices):
    CONSTABLE = "constable", _("Constable")
    SERGEANT = "sergeant", _("Sergeant")
    INSPECTOR = "inspector", _("Inspector")
    CHIEF_INSPECTOR = "chief_inspector", _("Chief inspector")
    SUPERINTENDENT = "superintendent", _("Superintendent")
    CHIEF_SUPERINTENDENT = "chief_superintendent", _("Chief superintendent")
    ASSISTANT_CHIEF_CONSTABLE = "assistant_chief_constable", _("Assistant chief constable")
    DEPUTY_CHIEF_CONSTABLE = "deputy_chief_constable", _("Deputy chief constable")
    CHIEF_CONSTABLE = "chief_constable", _("Chief constable")


SCOPES = (
    "incidents:read",
    "incidents:write",
    "detentions:read",
    "detentions:write",
    "places:read",
    "places:write",
    "referrals:read",
    "referrals:write",
    "alerts:read",
    "alerts:write",
    "reports:read",
    "audit:read",
    "webhooks:write",  # send a test event to a webhook subscription
    "plans:read",  # response plans and warning markers addressed to the key's organisation
    "plans:write",  # write them and submit them for approval (approval needs a person)
)
