"""The access log and the hash-chain seals over history and the access log.

Neither keeps simple-history: both are append-only and are themselves sealed (audit.sealing).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    """One successful (2xx) read of a person, a detention or a referral, by a page or the API."""

    class Channel(models.TextChoices):
        PAGE = "page", _("Page")
        API = "api", _("API")

    at = models.DateTimeField(_("viewed at"), default=timezone.now, db_index=True)
    # Who: a signed-in user or an API key (its name and id), and their organisation.
    actor_kind = models.CharField(_("actor kind"), max_length=20)
    actor_label = models.CharField(_("viewed by"), max_length=200, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    api_key_id = models.CharField(_("API key id"), max_length=150, blank=True)
    actor_organisation_id = models.BigIntegerField(_("viewer's organisation"), null=True)
    # What: the record viewed, its owning organisation and the person it concerns.
    record_model = models.CharField(_("record type"), max_length=100)
    record_id = models.CharField(_("record id"), max_length=64)
    record_organisation_id = models.BigIntegerField(_("record's organisation"), null=True)
    person_id = models.BigIntegerField(_("person"), null=True, db_index=True)
    # From where.
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    status_code = models.PositiveSmallIntegerField(_("status"))
    # Why: required when the viewer is outside the owning organisation's normal roles.
    outside_normal_roles = models.BooleanField(_("outside normal roles"), default=False)
    reason = models.TextField(_("reason for access"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["record_model", "record_id", "-at"], name="access_record_at"),
            models.Index(fields=["person_id", "-at"], name="access_person_at"),
        ]

    def __str__(self):
        return f"{self.actor_label} viewed {self.record_model} {self.record_id} at {self.at}"


class AuditSeal(models.Model):
    """One link of the hash chain: covers rows new since the previous seal.

    `rows` is {table: [[id, first 16 hex of the row's sha256], ...]}; `hash` is the sha256 of the
    canonical JSON of (sequence, previous hash, cutoff, every covered row's full sha256).
    `pending` carries ids skipped (rolled back or not yet committed) to look for next time.
    """

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    sealed_at = models.DateTimeField(_("sealed at"), default=timezone.now)
    cutoff = models.DateTimeField(_("covers rows written before"))
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)
    row_count = models.PositiveIntegerField(_("rows covered"))
    high_water = models.JSONField(_("highest id sealed per table"), default=dict)
    rows = models.JSONField(_("rows covered"), default=dict)
    pending = models.JSONField(_("ids skipped, still looked for"), default=dict)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")

    def __str__(self):
        return f"seal {self.sequence} ({self.row_count} rows) {self.hash[:12]}"
