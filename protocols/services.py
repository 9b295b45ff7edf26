"""The one door for protocol changes: upload a protocol, or a new version that supersedes one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import documents
from .models import Protocol, Status, Topic


def _check(*, force, partner, topic, signed_on, review_due_on, today):
    errors: dict[str, list[str]] = {}
    if not force.is_police_force:
        errors.setdefault("__all__", []).append(_("Protocols are kept by a police force"))
    if partner is None or partner.pk == force.pk:
        errors.setdefault("partner", []).append(_("Choose the partner organisation"))
    if topic not in Topic.values:
        errors.setdefault("topic", []).append(_("Choose a topic"))
    if signed_on > today:
        errors.setdefault("signed_on", []).append(_("The date signed must be today or in the past"))
    if review_due_on <= signed_on:
        errors.setdefault("review_due_on", []).append(
            _("The review date must be after the date signed")
        )
    return errors


def upload_protocol(
    *,
    force,
    partner,
    topic,
    title,
    version,
    owner,
    signed_on,
    review_due_on,
    upload,
    by=None,
    supersedes: Protocol | None = None,
    now=None,
) -> Protocol:
    """Stores a protocol (or a new version of `supersedes`, which becomes superseded)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if supersedes is not None:
        partner, topic = supersedes.partner, supersedes.topic
    errors = _check(
        force=force,
        partner=partner,
        topic=topic,
        signed_on=signed_on,
        review_due_on=review_due_on,
        today=today,
    )
    try:
        content_type, ext = documents.check(upload)
    except ValidationError as exc:
        errors.setdefault("document", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    display_name = documents.safe_display_name(upload.name)
    digest = documents.sha256(upload)
    upload.name = f"document{ext}"
    protocol = None
    try:
        with transaction.atomic():
            if supersedes is not None:
                previous = Protocol.objects.select_for_update().get(pk=supersedes.pk)
                if previous.force_id != force.pk or previous.status != Status.CURRENT:
                    raise ValidationError(
                        {"__all__": [_("Only the current version of a protocol can be replaced")]}
                    )
                previous.status = Status.SUPERSEDED
                previous.save(update_fields=["status", "updated_at"])
            protocol = Protocol(
                force=force,
                partner=partner,
                topic=topic,
                title=title.strip(),
                version=version.strip(),
                owner=owner.strip(),
                signed_on=signed_on,
                review_due_on=review_due_on,
                document_name=display_name,
                content_type=content_type,
                size=upload.size,
                sha256=digest,
                supersedes=supersedes,
                uploaded_by=by,
            )
            protocol.document.save(upload.name, upload, save=False)
            protocol.save()
    except Exception:
        if protocol is not None and protocol.document.name:
            protocol.document.storage.delete(protocol.document.name)
        raise
    return protocol
