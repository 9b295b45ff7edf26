"""Joint protocols and memoranda agreed between a force and a partner organisation.

A new version supersedes the previous one (`supersedes`, one-to-one: a version is superseded at
most once). Documents are stored under MEDIA_ROOT/protocols/ with a random name and served only
through the download view (signed in, VIEW_PROTOCOLS, visible organisation), never from MEDIA_URL.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.history import HarbourHistory


class Topic(models.TextChoices):
    S136_PLACES_OF_SAFETY = "s136_places_of_safety", _("Section 136 and places of safety")
    MHA_ASSESSMENTS_S135 = (
        "mha_assessments_s135",
        _("MHA assessments on private premises and s135 warrants"),
    )
    AWOL_ABSCONDED = "awol_absconded", _("Absent without leave and absconded patients")
    CONVEYANCE = "conveyance", _("Conveyance")
    INVESTIGATION = "investigation", _("Investigation of offences, including on inpatient wards")
    RESTRAINT_ON_WARDS = (
        "restraint_on_wards",
        _("Police responses to requests for restraint on wards"),
    )
    MENTAL_CAPACITY_ACT = "mental_capacity_act", _("Mental Capacity Act")
    NO_BEDS = "no_beds", _("No mental health beds")


class Status(models.TextChoices):
    CURRENT = "current", _("Current")
    SUPERSEDED = "superseded", _("Superseded")


def document_path(instance, filename):
    """protocols/<random>.<ext>: the uploaded name is kept in `document_name` only."""
    ext = PurePath(filename).suffix.lower()
    return f"protocols/{uuid.uuid4().hex}{ext}"


class ProtocolQuerySet(models.QuerySet):
    def visible_to_organisation(self, organisation_id):
        """The force that keeps it and the partner it was agreed with."""
        return self.filter(Q(force_id=organisation_id) | Q(partner_id=organisation_id))

    def current(self):
        return self.filter(status=Status.CURRENT)


class Protocol(models.Model):
    force = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="protocols", verbose_name=_("force")
    )
    partner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="partner_protocols",
        verbose_name=_("partner organisation"),
    )
    topic = models.CharField(_("topic"), max_length=40, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=200)
    version = models.CharField(_("version"), max_length=20)
    owner = models.CharField(
        _("owner"), max_length=200, help_text=_("The person or role responsible for it.")
    )
    signed_on = models.DateField(_("signed on"))
    review_due_on = models.DateField(_("review due on"), db_index=True)
    document = models.FileField(_("document"), upload_to=document_path, max_length=200)
    document_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CURRENT
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProtocolQuerySet.as_manager()
    history = HarbourHistory()

    class Meta:
        ordering = ["partner__name", "topic", "title", "-created_at"]
        verbose_name = _("protocol")
        constraints = [
            models.CheckConstraint(
                condition=Q(review_due_on__gt=models.F("signed_on")),
                name="protocol_review_after_signing",
            ),
            models.CheckConstraint(
                condition=~Q(force=models.F("partner")), name="protocol_partner_not_force"
            ),
        ]
        indexes = [
            models.Index(
                fields=["review_due_on"],
                name="protocol_current_review",
                condition=Q(status="current"),
            ),
        ]

    def __str__(self):
        return f"{self.title} v{self.version} ({self.partner})"

    def get_absolute_url(self):
        return reverse("protocols:detail", args=[self.pk])

    @property
    def is_current(self) -> bool:
        return self.status == Status.CURRENT
