"""Deadline alerts and their deliveries.

An alert is raised once per (subject, kind, threshold, due instant): the unique constraint
`alert_once_per_deadline` makes a second row impossible, so two workers and two beats sweeping
at the same moment still raise it exactly once (the sweep inserts with ON CONFLICT DO NOTHING).
A welfare check that falls overdue again after a later check is a new deadline (a new `due_at`),
so it is a new alert; the same deadline is never alerted twice.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.history import ActorFields, HarbourHistory


class _ActorFieldsUnindexed(ActorFields):
    """`core.history.ActorFields` without the index on `changed_by`: the audit search matches it
    with `icontains` (no b-tree serves that) and nothing else filters on it, while every history
    row a catch-up sweep writes paid for two indexes of it (the plain one and `_like`)."""

    changed_by = models.CharField(_("changed by"), max_length=200, blank=True)

    class Meta:
        abstract = True


def _history(*, unindexed=(), indexes=()):
    """`HarbourHistory` whose historical table carries only the indexes a query reads.

    simple-history indexes every foreign key of the historical model (and `history_user`, and
    `changed_by` through `ActorFields`): a sweep raising 19,000 alerts wrote each of their
    history rows into ten indexes. Here the foreign keys of `unindexed` get none, and
    `indexes` (partial ones: `... WHERE column IS NOT NULL`, which the timelines' `column = pk`
    still use) are added to the historical model's Meta. `history_user` (NULL in every row a
    system task writes; read only when a user is deleted) gets no index of its own: pass a
    partial one in `indexes`. (It wraps two methods of simple-history's HistoricalRecords;
    tests/alerts/test_indexes.py pins the indexes that result.)"""
    records = HarbourHistory(bases=[_ActorFieldsUnindexed], no_db_index=list(unindexed))
    meta_options = records.get_meta_options
    user_fields = records._get_history_user_fields

    def get_meta_options(model):
        meta = meta_options(model)
        meta["indexes"] = [*meta.get("indexes", ()), *indexes]
        return meta

    def get_history_user_fields():
        fields = user_fields()
        fields["history_user"].db_index = False  # the partial index in `indexes`
        return fields

    records.get_meta_options = get_meta_options
    records._get_history_user_fields = get_history_user_fields
    return records


def _not_null(field: str, name: str) -> models.Index:
    return models.Index(fields=[field], name=name, condition=Q(**{f"{field}__isnull": False}))


class AlertKind(models.TextChoices):
    EXPIRY_WARNING = "expiry_warning", _("Detention expiring soon")
    EXPIRED = "expired", _("Permitted period expired (breach)")
    WELFARE_CHECK_OVERDUE = "welfare_check_overdue", _("Welfare check overdue")
    REVIEW_OVERDUE = "review_overdue", _("Custody review overdue")
    TRANSFER_REQUIRED = "transfer_required", _("Transfer from police station required")
    ASSESSMENT_TARGET_MISSED = "assessment_target_missed", _("Assessment target missed")
    HANDOVER_TARGET_MISSED = "handover_target_missed", _("Handover target missed")
    REFERRAL_OVERDUE = "referral_overdue", _("Referral overdue")
    PROTOCOL_REVIEW_DUE = "protocol_review_due", _("Protocol review due")
    TRAINING_REFRESHER_DUE = "training_refresher_due", _("Training refresher due")
    UNLAWFUL_ACT_RECORDED = "unlawful_act_recorded", _("Unlawful act recorded as it happened")
    # A4 as a request and its answer (alerts/handover.py).
    HANDOVER_REQUESTED = "handover_requested", _("Handover requested")
    HANDOVER_ACCEPTED = "handover_accepted", _("Handover accepted")
    HANDOVER_DECLINED = "handover_declined", _("Handover declined")

    # Approvals asked of the approver's own account (alerts/approvals.py): PS3 and E5.
    AUTHORISATION_REQUESTED = (
        "authorisation_requested",
        _("Police station use: your authorisation is asked"),
    )
    EXTENSION_APPROVAL_REQUESTED = (
        "extension_approval_requested",
        _("Extension at a police station: your approval is asked"),
    )


# Legal deadlines: the kinds whose deadline the law sets (s136-rules.md): the permitted period
# (C1-C6: warnings before it ends and the breach once it has), the welfare check every 30 min
# at a police station (PS4), the custody review (PS5) and the duty to transfer (PS6). They repeat
# every ALERTS["REPEAT_EVERY"] until someone acknowledges them (or they close). The others are
# good-practice targets (A2 assessment, A4 handover), partners' deadlines (referrals), reminders
# and recorded facts (R1 unlawful act): told once, then escalated as before.
LEGAL_DEADLINE_KINDS = frozenset(
    {
        AlertKind.EXPIRY_WARNING,
        AlertKind.EXPIRED,
        AlertKind.WELFARE_CHECK_OVERDUE,
        AlertKind.REVIEW_OVERDUE,
        AlertKind.TRANSFER_REQUIRED,
    }
)


class CloseReason(models.TextChoices):
    DETENTION_ENDED = "detention_ended", _("The detention ended")
    ENDED_WITHIN_PERIOD = (
        "ended_within_period",
        _("The detention ended within the permitted period (C8)"),
    )
    EXPIRY_CHANGED = "expiry_changed", _("The expiry time changed (extension or correction)")
    WELFARE_CHECK_RECORDED = "welfare_check_recorded", _("A welfare check was recorded")
    REVIEW_RECORDED = "review_recorded", _("A review was recorded")
    LEFT_POLICE_STATION = "left_police_station", _("The person is no longer at a police station")
    TRANSFER_NO_LONGER_REQUIRED = (
        "transfer_no_longer_required",
        _("Transfer made, exception recorded or a later review"),
    )
    ASSESSMENT_STARTED = "assessment_started", _("The assessment started")
    HANDED_OVER = "handed_over", _("The person was handed over")
    HANDOVER_ANSWERED = "handover_answered", _("Health staff answered the handover request")
    DEADLINE_CHANGED = "deadline_changed", _("The deadline changed (correction)")
    REFERRAL_ACKNOWLEDGED = "referral_acknowledged", _("The referral was acknowledged")
    REFERRAL_ANSWERED = "referral_answered", _("The referral was accepted, declined or closed")
    PROTOCOL_SUPERSEDED = "protocol_superseded", _("A new version superseded the protocol")
    TRAINING_REFRESHED = "training_refreshed", _("A newer completion of the course was recorded")
    APPROVAL_DECIDED = "approval_decided", _("The approval was given or refused")
    SATISFIED_LATE = (
        "satisfied_late",
        _("Done late, while no sweep ran: raised after the fact and closed at once"),
    )


class AlertQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True, acknowledged_at__isnull=True)

    def addressed_to(self, organisation_id, roles):
        """Alerts addressed to these roles of this organisation (the inbox)."""
        if organisation_id is None or not roles:
            return self.none()
        return self.filter(organisations__contains=[organisation_id], roles__overlap=list(roles))

    def visible_to_organisation(self, organisation_id):
        """A force sees alerts about its detentions, a place's operator those about detentions
        at its places, a partner those about referrals sent to or by it, and an organisation
        sees any alert addressed to it."""
        from django.db.models import Exists, OuterRef

        from detentions.models import Detention

        # EXISTS per alert, not `detention IN (visible detentions)`: the IN form made the planner
        # build the whole set of detentions the organisation sees (every one of years of them,
        # each with its own EXISTS) for the header's open count on every page.
        detention = Exists(
            Detention.objects.visible_to_organisation(organisation_id).filter(
                pk=OuterRef("detention_id")
            )
        )
        q = detention | Q(organisations__contains=[organisation_id])
        q |= Q(referral__to_organisation_id=organisation_id) | Q(
            referral__from_organisation_id=organisation_id
        )
        return self.filter(q)


SUBJECTS = ("detention", "referral", "protocol", "training_record")


def _exactly_one(fields) -> Q:
    """Q: exactly one of `fields` is set."""
    out = Q()
    for chosen in fields:
        out |= Q(**{f"{f}__isnull": f != chosen for f in fields})
    return out


class Alert(models.Model):
    kind = models.CharField(_("kind"), max_length=40, choices=AlertKind.choices)
    detention = models.ForeignKey(
        "detentions.Detention",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        db_index=False,  # see Meta.indexes
    )
    referral = models.ForeignKey(
        "partners.Referral",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        db_index=False,  # see Meta.indexes
    )
    # Reminders (day-grained; threshold_minutes = threshold days x 1440).
    protocol = models.ForeignKey(
        "protocols.Protocol",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        db_index=False,  # see Meta.indexes
    )
    training_record = models.ForeignKey(
        "training.TrainingRecord",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        db_index=False,  # see Meta.indexes
    )
    threshold_minutes = models.PositiveIntegerField(
        _("minutes before expiry"), null=True, blank=True
    )
    due_at = models.DateTimeField(_("fell due at"))
    raised_at = models.DateTimeField(_("raised at"))
    # Addressing: the organisations and roles it is for (grows with each escalation level).
    organisations = ArrayField(models.BigIntegerField(), default=list, blank=True)
    roles = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.CharField(_("acknowledged by"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_reason = models.CharField(
        _("why it closed"), max_length=40, choices=CloseReason.choices, blank=True
    )
    # `satisfied_late`: when the overdue check or review was made (the lateness is this minus
    # `due_at`).
    satisfied_at = models.DateTimeField(_("done at"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()
    # Read by: the record's own timeline (`id`), its subject's timeline and the audit search's
    # record and organisation scopes (`detention_id = ...`, `referral_id = ...`...), the audit
    # search's date range and order and the seal (`history_date`). Three subjects of four are
    # NULL in every row: their indexes hold only the rows that have them.
    history = _history(
        unindexed=["referral", "protocol", "training_record"],
        indexes=[
            _not_null("referral", "halert_referral"),
            _not_null("protocol", "halert_protocol"),
            _not_null("training_record", "halert_training_record"),
            _not_null("history_user", "halert_history_user"),
        ],
    )

    class Meta:
        ordering = ["-due_at", "-id"]
        verbose_name = _("alert")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "detention",
                    "referral",
                    "protocol",
                    "training_record",
                    "kind",
                    "threshold_minutes",
                    "due_at",
                ],
                name="alert_once_per_deadline",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=_exactly_one(SUBJECTS),
                name="alert_has_one_subject",
            ),
        ]
        # No index on `organisations`: the inbox and the header's count select open alerts
        # (`alert_unacked`) and test it as one branch of an OR, which no index serves; a GIN
        # of it was read by no query and cost the catch-up sweep an entry per organisation.
        indexes = [
            models.Index(
                fields=["kind", "detention"],
                name="alert_open_kind_det",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["raised_at"],
                name="alert_unacked",
                condition=Q(closed_at__isnull=True, acknowledged_at__isnull=True),
            ),
            # The subjects' own indexes (deletes cascade through them) hold only the rows that
            # have the subject: each alert has one, and a catch-up sweep inserting thousands of
            # alerts paid for three indexes of NULLs. The detention's is the unique constraint's
            # index (detention first).
            models.Index(
                fields=["referral"], name="alert_referral", condition=Q(referral__isnull=False)
            ),
            models.Index(
                fields=["protocol"], name="alert_protocol", condition=Q(protocol__isnull=False)
            ),
            models.Index(
                fields=["training_record"],
                name="alert_training_record",
                condition=Q(training_record__isnull=False),
            ),
            # The sweep's close step for reminders reads only open reminder alerts.
            models.Index(
                fields=["protocol"],
                name="alert_open_protocol",
                condition=Q(closed_at__isnull=True, protocol__isnull=False),
            ),
            models.Index(
                fields=["training_record"],
                name="alert_open_training",
                condition=Q(closed_at__isnull=True, training_record__isnull=False),
            ),
        ]

    def __str__(self):
        subject = (
            self.detention_id or self.referral_id or self.protocol_id or self.training_record_id
        )
        return f"{self.get_kind_display()} #{subject} ({self.due_at:%Y-%m-%d %H:%M}Z)"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.acknowledged_at is None

    @property
    def is_escalated(self) -> bool:
        return self.escalation_level > 0


class AlertRepeat(models.Model):
    """One repeat of a legal deadline alert nobody has acknowledged: repeat `number` falls due
    at `raised_at + number x ALERTS["REPEAT_EVERY"]`. The unique constraint makes a second row for
    the same repeat impossible, so two sweeps (or a sweep retried) send each repeat once."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="repeats")
    number = models.PositiveIntegerField(_("repeat number"))
    due_at = models.DateTimeField(_("fell due at"))
    raised_at = models.DateTimeField(_("sent at"))

    history = HarbourHistory()

    class Meta:
        ordering = ["alert", "number"]
        verbose_name = _("alert repeat")
        constraints = [
            models.UniqueConstraint(fields=["alert", "number"], name="alert_repeat_once"),
        ]

    def __str__(self):
        return f"{self.alert_id} repeat {self.number}"


class Channel(models.TextChoices):
    """How a person is told: email through Harbour's own mail relay (EMAIL_BACKEND, as ever), or
    GOV.UK Notify (email or text message)."""

    EMAIL = "email", _("Email")
    NOTIFY_EMAIL = "notify_email", _("Email through GOV.UK Notify")
    NOTIFY_SMS = "notify_sms", _("Text message through GOV.UK Notify")


# With no preference recorded, a person is told as before: by email.
DEFAULT_CHANNELS = (Channel.EMAIL,)
NOTIFY_CHANNELS = frozenset({Channel.NOTIFY_EMAIL, Channel.NOTIFY_SMS})


class ChannelPreference(models.Model):
    """How one person wants to be told about alerts (alerts.services.set_channels)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_channels"
    )
    channels = ArrayField(
        models.CharField(max_length=20, choices=Channel.choices), verbose_name=_("channels")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HarbourHistory()

    class Meta:
        verbose_name = _("alert channel preference")

    def __str__(self):
        return f"{self.user}: {', '.join(self.channels)}"


class Delivery(models.Model):
    """One attempt-tracked delivery of an alert to one person by one channel. Written (pending)
    before anything is sent, in the transaction that raised, escalated or repeated the alert; a
    separate task sends it and records the outcome; GOV.UK Notify's callbacks record what
    became of a message Notify accepted (delivered or one of its failures)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed (will be tried again)")
        # GOV.UK Notify's final statuses (its callbacks), and a refusal by Notify (4xx).
        DELIVERED = "delivered", _("Delivered")
        PERMANENT_FAILURE = "permanent-failure", _("Permanent failure")
        TEMPORARY_FAILURE = "temporary-failure", _("Temporary failure")
        TECHNICAL_FAILURE = "technical-failure", _("Technical failure")
        # A repeat not sent because the alert was acknowledged (or closed) first.
        CANCELLED = "cancelled", _("Not sent: acknowledged first")

    Channel = Channel

    alert = models.ForeignKey(
        Alert,
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,  # `delivery_once_per_level` starts with it
    )
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.EMAIL)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    address = models.CharField(_("address"), max_length=254)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    # 0: the first message; n: the alert's n-th repeat (AlertRepeat).
    repeat = models.PositiveIntegerField(_("repeat number"), default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # GOV.UK Notify: the notification's id (its answer) and when its callback reported the
    # final status.
    notify_id = models.UUIDField(_("GOV.UK Notify notification id"), null=True, blank=True)
    status_reported_at = models.DateTimeField(_("status reported at"), null=True, blank=True)

    # Read by: the record's timeline (`id`), its alert's timeline (`alert_id = ...`), the audit
    # search's dates and the seal (`history_date`). Nothing reads the history by `user_id`.
    history = _history(
        unindexed=["user"],
        indexes=[_not_null("history_user", "hdelivery_history_user")],
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "channel", "address", "escalation_level", "repeat"],
                name="delivery_once_per_level",
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="delivery_unsent",
                condition=Q(status__in=["pending", "sending", "failed"]),
            ),
            models.Index(
                fields=["notify_id"],
                name="delivery_notify_id",
                condition=Q(notify_id__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.channel} to {self.address} ({self.status})"
