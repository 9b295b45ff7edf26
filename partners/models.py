"""Referrals to partner organisations, and webhooks that tell partners' systems about them.

Decisions (documented here and in docs/webhooks.md):

- **Consent.** `given` needs nothing more. `refused` and `not_sought_lawful_basis` both need a
  `lawful_basis` (for example "vital interests: risk to life", "prevention of crime", "safeguarding
  an adult at risk"): sharing without consent is only lawful with a stated basis, and a refusal
  does not stop a lawful share, it makes the reason more important to record.
- **Due by** is when the receiving partner should have responded (acknowledged, accepted or
  declined), computed at creation from the urgency: `settings.HARBOUR["REFERRAL_DUE"]`
  (defaults: emergency 1 hour, urgent 4 hours, routine 5 days). The `referral_overdue` alert
  reads `due_by`, `status` and `acknowledged_at`.
- **Lifecycle** (`partners.services.change_status`): `sent -> acknowledged -> accepted | declined
  -> closed`. The receiving partner may also accept or decline straight from `sent` (accepting
  implies acknowledging; `acknowledged_at` is stamped on the first move out of `sent`). Only the
  receiving organisation moves a referral, except that the sending organisation may close (withdraw)
  a referral that is not yet closed, with a note. Anything else is refused with `invalid_transition`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core import events
from core.history import HarbourHistory
from detentions.models import Detention
from incidents.models import Incident
from people.models import Person


class Service(models.TextChoices):
    LIAISON_DIVERSION = "liaison_diversion", _("Liaison and diversion")
    COMMUNITY_MENTAL_HEALTH_TEAM = "community_mental_health_team", _("Community mental health team")
    CRISIS_TEAM = "crisis_team", _("Crisis team")
    SUBSTANCE_MISUSE = "substance_misuse", _("Drug and alcohol service")
    GP = "gp", _("GP")
    HOUSING = "housing", _("Housing")
    ADULT_SOCIAL_CARE = "adult_social_care", _("Adult social care")
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", _("Children's social care")
    CAMHS_OR_YOT = "camhs_or_yot", _("CAMHS or youth offending team")
    VOLUNTARY_SECTOR = "voluntary_sector", _("Voluntary sector")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class Consent(models.TextChoices):
    GIVEN = "given", _("Consent given")
    REFUSED = "refused", _("Consent refused (shared on a lawful basis)")
    NOT_SOUGHT_LAWFUL_BASIS = (
        "not_sought_lawful_basis",
        _("Consent not sought (shared on a lawful basis)"),
    )


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED)
# What `referrals/{id}/status/` accepts (a referral is never moved back to `sent`).
NEW_STATUS_CHOICES = [c for c in ReferralStatus.choices if c[0] != ReferralStatus.SENT]


class ReferralQuerySet(models.QuerySet):
    def visible_to_organisation(self, organisation_id):
        """A partner sees referrals sent to it; the sender sees what it sent."""
        return self.filter(
            Q(to_organisation_id=organisation_id) | Q(from_organisation_id=organisation_id)
        )


class Referral(models.Model):
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    from_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        verbose_name=_("from"),
    )
    to_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("to"),
    )
    service = models.CharField(_("service"), max_length=40, choices=Service.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    detention = models.ForeignKey(
        Detention, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    reason = models.TextField(_("reason for the referral"))
    contact_details = models.TextField(
        _("how to contact the person"),
        blank=True,
        help_text=_("Where and how the partner can reach the person, if known."),
    )
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices)
    consent = models.CharField(_("consent"), max_length=30, choices=Consent.choices)
    lawful_basis = models.TextField(
        _("lawful basis for sharing without consent"),
        blank=True,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReferralStatus.choices,
        default=ReferralStatus.SENT,
        db_index=True,
    )
    due_by = models.DateTimeField(_("response due by"), db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_label = models.CharField(
        _("sent by"), max_length=200, blank=True, help_text=_("User name or API key name.")
    )
    created_at = models.DateTimeField(_("sent at"), db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferralQuerySet.as_manager()
    history = HarbourHistory()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_organisation", "status", "due_by"]),
            models.Index(fields=["from_organisation", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(incident__isnull=False) | Q(detention__isnull=False),
                name="referral_from_incident_or_detention",
            ),
            models.CheckConstraint(
                condition=Q(consent="given") | ~Q(lawful_basis=""),
                name="referral_lawful_basis_without_consent",
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("referral-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReferralStatusChange(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(
        _("from status"), max_length=20, choices=ReferralStatus.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=ReferralStatus.choices)
    note = models.TextField(_("note"), blank=True)
    who = models.CharField(_("who"), max_length=200, help_text=_("User name or API key name."))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    history = HarbourHistory()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("referral status change")

    def __str__(self):
        return f"{self.referral_id}: {self.from_status or '-'} -> {self.to_status}"


# --- Webhooks ---------------------------------------------------------------------------------


TEST_EVENT = "webhook.test"  # sent by "Send a test event" to one subscription; not subscribed to

# What a subscription may choose: every domain event (`core.events.NAMES`), in that order.
SUBSCRIBABLE_EVENTS: tuple[str, ...] = tuple(events.NAMES)


def _member(name: str) -> str:
    return name.upper().replace(".", "_")


# Every event a delivery may carry: the domain events and the test event. Built from
# `core.events.NAMES`, so a new event is a new choice (and a migration of the choices).
WebhookEvent = models.TextChoices(
    "WebhookEvent",
    [
        *((_member(name), (name, label)) for name, label in events.NAMES.items()),
        (_member(TEST_EVENT), (TEST_EVENT, _("a test event (Send a test event)"))),
    ],
)


class WebhookSubscription(models.Model):
    """An organisation's HTTPS endpoint for events. The secret signs every delivery."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="webhook_subscriptions"
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("signing secret"), max_length=100, help_text=_("Shown once, when created.")
    )
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HarbourHistory(excluded_fields=["secret"])

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("webhook subscription")

    def __str__(self):
        return f"{self.organisation} {self.name}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """Outbox row: written in the same transaction as the change, sent after commit."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    event_id = models.UUIDField(_("event id"), unique=True)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    history = HarbourHistory()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.event} -> {self.subscription.url}"

    PLAIN_ERRORS = (
        "refused: ",
        "address not found",
        "connection failed",
        "timed out",
        "TLS error",
        "invalid response",
        "HTTP ",
    )

    @property
    def plain_error(self) -> str:
        """`last_error` as partners may see it: the plain category (partners/webhooks.send);
        an error stored before categories existed (raw socket text) shows as "connection
        failed", so no stored text is an oracle for probing ports."""
        if not self.last_error or self.last_error.startswith(self.PLAIN_ERRORS):
            return self.last_error
        return "connection failed"
