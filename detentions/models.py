"""s136 / s135(1) detentions and their events.

The deadline columns on `Detention` are derived: `incidents.detentions.services` recomputes them
from the rule engine (`incidents.law.evaluate`) in the same transaction as every change.
"""

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import law
from accounts.models import NPU, Organisation
from core.history import HarbourHistory
from core.references import MAX_LENGTH as REFERENCE_LENGTH
from core.references import validate_reference
from detentions.choices import (
    ConveyanceMode,
    ExtensionGround,
    LocationKind,
    Mode,
    Outcome,
    PoliceVehicleReason,
    Power,
    Profession,
    Rank,
    RuleSetId,
    Status,
)
from incidents.models import Incident
from people.models import Person
from places_of_safety.models import PlaceOfSafety

# Apps above detentions widen who may see one (assessments: the AMHP service that covers it or
# took the case), each with a `(organisation_id, arrivals, transfers) -> Q` registered from its
# AppConfig.ready; `arrivals` and `transfers` are the detention's, correlated on OuterRef("pk").
_VISIBILITY_EXTENSIONS: list = []


def widen_visibility(extension) -> None:
    if extension not in _VISIBILITY_EXTENSIONS:
        _VISIBILITY_EXTENSIONS.append(extension)


#: C8 for an ended detention: it ended strictly after its expiry (`breach_q` below; the
#: reporting summaries, which hold ended detentions only, count it alone).
ENDED_IN_BREACH = Q(expires_at__isnull=False, ended_at__isnull=False, ended_at__gt=F("expires_at"))


def breach_q(now) -> Q:
    """C8 in SQL, from the derived `expires_at` and `ended_at`: the engine's `law.is_breach`
    (the end, or `now` while running, strictly after expiry; no expiry, no breach)."""
    return ENDED_IN_BREACH | Q(expires_at__isnull=False, ended_at__isnull=True, expires_at__lt=now)


class DetentionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)

    def with_breach(self, now):
        """Each detention with `breach` (C8) as of `now`, computed in SQL (`breach_q`)."""
        return self.annotate(breach=ExpressionWrapper(breach_q(now), output_field=BooleanField()))

    def with_reference(self, reference: str):
        """Detentions whose Harbour reference, custody record number or CAD incident number is
        `reference` (exact, case ignored)."""
        value = (reference or "").strip()
        return self.filter(
            Q(reference__iexact=value)
            | Q(custody_record_number__iexact=value)
            | Q(cad_number__iexact=value)
        )

    def visible_to_organisation(self, organisation_id):
        """The force that recorded it, the operator of any place of safety it has been at, and
        whoever an installed extension adds (a local authority whose AMHP service covers one of
        those places or the detention's NPU, or took the case: assessments/visibility.py).
        EXISTS subqueries: no joins, no DISTINCT, one row per detention."""
        from django.db.models import Exists, OuterRef

        arrival = DetentionArrival.objects.filter(detention=OuterRef("pk"))
        transfer = Transfer.objects.filter(detention=OuterRef("pk"))
        visible = (
            Q(organisation_id=organisation_id)
            | Exists(arrival.filter(place__organisation_id=organisation_id))
            | Exists(transfer.filter(to_place__organisation_id=organisation_id))
        )
        for extension in _VISIBILITY_EXTENSIONS:
            visible |= extension(organisation_id, arrival, transfer)
        return self.filter(visible)


class Detention(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="detentions", verbose_name=_("force")
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="detentions")
    incident = models.ForeignKey(
        Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="detentions"
    )
    npu = models.ForeignKey(
        NPU, on_delete=models.SET_NULL, null=True, blank=True, related_name="detentions"
    )
    # References to other systems (core.references): optional, not unique, searchable.
    custody_record_number = models.CharField(
        _("custody record number"),
        max_length=REFERENCE_LENGTH,
        blank=True,
        validators=[validate_reference],
        help_text=_("When the person was taken into custody: the custody system's record number."),
    )
    cad_number = models.CharField(
        _("CAD incident number"),
        max_length=REFERENCE_LENGTH,
        blank=True,
        validators=[validate_reference],
        help_text=_("The incident's number in the force's command-and-control system."),
    )

    power = models.CharField(_("power"), max_length=10, choices=Power.choices, default=Power.S136)
    detained_at = models.DateTimeField(_("detained at"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.REMOVED)
    location_kind = models.CharField(
        _("kind of location"), max_length=40, choices=LocationKind.choices
    )
    location_description = models.CharField(_("where"), max_length=300, blank=True)

    consulted_at = models.DateTimeField(_("consulted at"), null=True, blank=True)
    consultation_profession = models.CharField(
        _("profession consulted"), max_length=30, choices=Profession.choices, blank=True
    )
    consultation_name = models.CharField(
        _("name of professional consulted"), max_length=200, blank=True
    )
    consultation_advice = models.TextField(_("advice given"), blank=True)
    consultation_not_practicable_reason = models.TextField(
        _("why consultation was not practicable"), blank=True
    )

    conveyance_mode = models.CharField(
        _("conveyance"), max_length=30, choices=ConveyanceMode.choices, blank=True
    )
    conveyance_reason = models.CharField(
        _("reason for a police vehicle"),
        max_length=40,
        choices=PoliceVehicleReason.choices,
        blank=True,
    )

    warrant_issued_at = models.DateTimeField(_("warrant issued at"), null=True, blank=True)
    premises_entered_at = models.DateTimeField(_("premises entered at"), null=True, blank=True)

    # --- Derived from the rule engine, recomputed in the same transaction as every change ---
    rule_set = models.CharField(_("rule set"), max_length=30, choices=RuleSetId.choices)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.IN_TRANSIT
    )
    clock_started_at = models.DateTimeField(_("clock started at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    extended_until = models.DateTimeField(_("extended until"), null=True, blank=True)
    current_place_of_safety = models.ForeignKey(
        PlaceOfSafety,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="current_detentions",
    )
    in_transfer_to = models.ForeignKey(
        PlaceOfSafety,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_detentions",
    )
    at_police_station = models.BooleanField(default=False)
    next_welfare_check_due_at = models.DateTimeField(null=True, blank=True)
    next_review_due_at = models.DateTimeField(null=True, blank=True)
    transfer_required = models.BooleanField(default=False)
    #: PS6: the review that made the transfer required (None unless `transfer_required`).
    transfer_required_since = models.DateTimeField(null=True, blank=True)
    retake_by = models.DateTimeField(null=True, blank=True)
    assessment_due_at = models.DateTimeField(null=True, blank=True)
    handover_due_at = models.DateTimeField(null=True, blank=True)

    outcome = models.CharField(_("outcome"), max_length=40, choices=Outcome.choices, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.CharField(_("recorded by"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DetentionQuerySet.as_manager()
    history = HarbourHistory(table_name="incidents_historicaldetention")

    class Meta:
        db_table = "incidents_detention"
        ordering = ["-detained_at"]
        verbose_name = _("detention")
        indexes = [
            models.Index(
                fields=["expires_at"], name="det_active_expires", condition=Q(ended_at__isnull=True)
            ),
            models.Index(
                fields=["next_welfare_check_due_at"],
                name="det_active_welfare",
                condition=Q(ended_at__isnull=True),
            ),
            models.Index(
                fields=["next_review_due_at"],
                name="det_active_review",
                condition=Q(ended_at__isnull=True),
            ),
            models.Index(
                fields=["assessment_due_at"],
                name="det_active_assess",
                condition=Q(ended_at__isnull=True),
            ),
            models.Index(
                fields=["handover_due_at"],
                name="det_active_handover",
                condition=Q(ended_at__isnull=True),
            ),
            models.Index(
                fields=["transfer_required_since"],
                name="det_active_transfer_req",
                condition=Q(ended_at__isnull=True, transfer_required_since__isnull=False),
            ),
            models.Index(fields=["organisation", "-detained_at"], name="det_org_detained"),
            models.Index(fields=["person", "ended_at"], name="det_person_ended"),
            models.Index(fields=["status"], name="det_status"),
            models.Index(
                fields=["organisation", "custody_record_number"],
                name="det_org_custody_record",
                condition=~Q(custody_record_number=""),
            ),
            models.Index(
                fields=["organisation", "cad_number"],
                name="det_org_cad",
                condition=~Q(cad_number=""),
            ),
        ]
        constraints = [
            # C3: consecutive detentions are unlawful; the service refuses first with `detention_active`.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_at__isnull=True),
                name="one_active_detention_per_person",
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("detention-detail", args=[self.pk])

    @property
    def is_ended(self) -> bool:
        return self.ended_at is not None

    def breach_at(self, now) -> bool:
        """C8 as of `now`: the engine's definition applied to the derived columns."""
        return law.is_breach(self.expires_at, self.ended_at, now)

    @property
    def is_breach(self) -> bool:
        """C8 now (`breach_at` for a given instant)."""
        return self.breach_at(timezone.now())


class _Event(models.Model):
    """Common to every event of a detention: who recorded it and when it was recorded."""

    recorded_by = models.CharField(_("recorded by"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # R2: the reason given when the event was added after the detention ended (blank: it was
    # recorded while the detention ran).
    late_entry_reason = models.TextField(_("entered late because"), blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"

    @property
    def entered_late(self) -> bool:
        return bool(self.late_entry_reason)


class PoliceStationDecision(_Event):
    """PS2/PS3: the decision to use a police station, and the inspector's authorisation."""

    imminent_risk = models.BooleanField(_("imminent risk of serious injury or death"), null=True)
    no_other_place = models.BooleanField(
        _("no other place of safety can reasonably detain them"), null=True
    )
    hcp_available = models.BooleanField(_("a healthcare professional will be present"), null=True)
    decision_maker_name = models.CharField(_("decision-maker"), max_length=200, blank=True)
    decision_maker_rank = models.CharField(
        _("decision-maker's rank"), max_length=40, choices=Rank.choices, blank=True
    )
    consulted_professional = models.CharField(
        _("professional consulted"), max_length=200, blank=True
    )
    consultation_not_practicable_reason = models.TextField(
        _("why consultation was not practicable"), blank=True
    )
    inspector_name = models.CharField(_("authorising inspector"), max_length=200, blank=True)
    inspector_rank = models.CharField(
        _("authorising officer's rank"), max_length=40, choices=Rank.choices, blank=True
    )
    authorised_at = models.DateTimeField(_("authorised at"), null=True, blank=True)

    history = HarbourHistory(table_name="incidents_historicalpolicestationdecision")

    class Meta:
        db_table = "incidents_policestationdecision"


class DetentionArrival(_Event):
    """Arrival at the first place of safety (C1: the clock starts here)."""

    detention = models.OneToOneField(Detention, on_delete=models.CASCADE, related_name="arrival")
    place = models.ForeignKey(PlaceOfSafety, on_delete=models.PROTECT, related_name="arrivals")
    arrived_at = models.DateTimeField(_("arrived at"))
    police_station_decision = models.OneToOneField(
        PoliceStationDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arrival",
    )
    place_status_at_arrival = models.CharField(
        max_length=10, blank=True, help_text=_("Effective status of the place when they arrived.")
    )

    history = HarbourHistory(table_name="incidents_historicaldetentionarrival")

    class Meta:
        db_table = "incidents_detentionarrival"


class Transfer(_Event):
    """C3: a move between places of safety; the clock neither restarts nor pauses."""

    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="transfers")
    from_place = models.ForeignKey(
        PlaceOfSafety, on_delete=models.PROTECT, null=True, blank=True, related_name="transfers_out"
    )
    to_place = models.ForeignKey(
        PlaceOfSafety, on_delete=models.PROTECT, related_name="transfers_in"
    )
    departed_at = models.DateTimeField(_("departed at"))
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    authorised_by = models.CharField(_("authorised by"), max_length=200, blank=True)
    police_station_decision = models.OneToOneField(
        PoliceStationDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfer",
    )
    place_status_at_arrival = models.CharField(
        max_length=10,
        blank=True,
        help_text=_("Effective status of the destination when they arrived."),
    )

    history = HarbourHistory(table_name="incidents_historicaltransfer")

    class Meta:
        db_table = "incidents_transfer"
        ordering = ["departed_at", "id"]


class WelfareCheck(_Event):
    """PS4: a healthcare professional's check at a police station (at least every 30 minutes)."""

    detention = models.ForeignKey(
        Detention, on_delete=models.CASCADE, related_name="welfare_checks"
    )
    checked_at = models.DateTimeField(_("checked at"))
    professional_name = models.CharField(_("professional"), max_length=200)
    profession = models.CharField(
        _("profession"), max_length=30, choices=Profession.choices, blank=True
    )
    risk_requires_waking = models.BooleanField(_("risk requires waking the person"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HarbourHistory(table_name="incidents_historicalwelfarecheck")

    class Meta:
        db_table = "incidents_welfarecheck"
        ordering = ["checked_at", "id"]


class Review(_Event):
    """PS5: the custody officer's review (at least hourly) of whether PS2 (a) and (b) still apply."""

    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="reviews")
    reviewed_at = models.DateTimeField(_("reviewed at"))
    conditions_met = models.BooleanField(_("conditions still met"))
    asleep = models.BooleanField(_("person asleep"), default=False)
    hcp_available = models.BooleanField(_("healthcare professional still available"), default=True)
    reviewer_name = models.CharField(_("reviewer"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HarbourHistory(table_name="incidents_historicalreview")

    class Meta:
        db_table = "incidents_review"
        ordering = ["reviewed_at", "id"]


class TransferException(_Event):
    """PS6: why a required transfer away from a police station is not being made."""

    detention = models.ForeignKey(
        Detention, on_delete=models.CASCADE, related_name="transfer_exceptions"
    )
    recorded_for = models.DateTimeField(_("decided at"))
    reason = models.TextField(_("reason"))

    history = HarbourHistory(table_name="incidents_historicaltransferexception")

    class Meta:
        db_table = "incidents_transferexception"


class Extension(_Event):
    """s136B: at most 12 hours, authorised by the responsible doctor before the 24 hours expire."""

    detention = models.OneToOneField(Detention, on_delete=models.CASCADE, related_name="extension")
    authorised_at = models.DateTimeField(_("authorised at"))
    # E3: hours (whole or fractional) and minutes; an over-long one is only ever stored when
    # recorded as it happened (R1), and then adds no time.
    hours = models.DecimalField(_("hours"), max_digits=10, decimal_places=4)
    minutes = models.PositiveIntegerField(_("minutes"), default=0)
    doctor_name = models.CharField(_("doctor"), max_length=200)
    doctor_gmc_number = models.CharField(_("GMC number"), max_length=20)
    ground = models.CharField(_("ground"), max_length=30, choices=ExtensionGround.choices)
    ground_detail = models.TextField(_("detail"), blank=True)
    superintendent_name = models.CharField(_("superintendent"), max_length=200, blank=True)
    superintendent_rank = models.CharField(
        _("superintendent's rank"), max_length=40, choices=Rank.choices, blank=True
    )
    superintendent_approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    history = HarbourHistory(table_name="incidents_historicalextension")

    class Meta:
        db_table = "incidents_extension"

    @property
    def length_text(self) -> str:
        """E3: the period as authorised, in hours and minutes ("12 hours", "2 hours 30 min")."""
        total = int(self.hours * 60 + self.minutes)
        hours, minutes = divmod(total, 60)
        text = _("%(h)d hours") % {"h": hours}
        return f"{text} {minutes} min" if minutes else text


class Assessment(_Event):
    """A1: the examination by a doctor and interview by an AMHP. The assessments issue extends it."""

    detention = models.OneToOneField(Detention, on_delete=models.CASCADE, related_name="assessment")
    amhp_requested_at = models.DateTimeField(null=True, blank=True)
    amhp_arrived_at = models.DateTimeField(null=True, blank=True)
    doctor_requested_at = models.DateTimeField(null=True, blank=True)
    doctor_arrived_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    amhp_name = models.CharField(_("AMHP"), max_length=200, blank=True)
    doctor_name = models.CharField(_("doctor"), max_length=200, blank=True)
    doctor_s12_approved = models.BooleanField(_("doctor is s12 approved"), null=True, blank=True)

    history = HarbourHistory(table_name="incidents_historicalassessment")

    class Meta:
        db_table = "incidents_assessment"


class Handover(_Event):
    """A4: police hand the person over to health staff."""

    detention = models.OneToOneField(Detention, on_delete=models.CASCADE, related_name="handover")
    handed_over_at = models.DateTimeField(_("handed over at"))
    received_by = models.CharField(_("received by"), max_length=200)
    # Accepted through a one-time link sent to the place's shared inbox (the name is as the
    # person who used it typed it), not from a signed-in account.
    via_link = models.BooleanField(_("accepted through a one-time link"), default=False)

    history = HarbourHistory(table_name="incidents_historicalhandover")

    class Meta:
        db_table = "incidents_handover"


class HandoverRequest(models.Model):
    """A4 as a request and its answer: the detaining force asks the health staff of the place
    to take over; they accept (with whether police must stay, and why) or decline (with why).
    An accepted request made the `Handover` (the legal A4 record). `detentions.handover` is the
    one door for every change."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Waiting for health staff")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    class Via(models.TextChoices):
        ACCOUNT = "account", _("Their own account")
        LINK = "link", _("One-time link")
        API = "api", _("API")

    detention = models.ForeignKey(
        Detention, on_delete=models.CASCADE, related_name="handover_requests"
    )
    place = models.ForeignKey(
        PlaceOfSafety, on_delete=models.PROTECT, related_name="handover_requests"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.REQUESTED
    )
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.CharField(_("requested by"), max_length=200, blank=True)
    requested_by_name = models.CharField(_("officer"), max_length=200, blank=True)
    note = models.TextField(_("note for health staff"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.CharField(_("answered by"), max_length=200, blank=True)
    answered_by_name = models.CharField(_("health staff member"), max_length=200, blank=True)
    answered_via = models.CharField(
        _("answered through"), max_length=10, choices=Via.choices, blank=True
    )
    # Asked on acceptance, never pre-selected: None until answered.
    police_must_stay = models.BooleanField(_("police must stay"), null=True, blank=True)
    stay_reason = models.TextField(_("why police must stay"), blank=True)
    decline_reason = models.TextField(_("why it was declined"), blank=True)
    # When the officers were free to leave: on acceptance when they need not stay, else when
    # health staff release them (or the detention ends).
    police_released_at = models.DateTimeField(_("police released at"), null=True, blank=True)
    handover = models.OneToOneField(
        Handover, on_delete=models.SET_NULL, null=True, blank=True, related_name="request"
    )

    history = HarbourHistory()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("handover request")
        constraints = [
            models.UniqueConstraint(
                fields=["detention"],
                condition=Q(state="requested"),
                name="one_open_handover_request",
            ),
        ]
        indexes = [
            models.Index(
                fields=["place", "requested_at"],
                name="handover_req_open",
                condition=Q(state="requested"),
            ),
        ]

    def __str__(self):
        return f"{self.detention} {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.REQUESTED

    def waiting_until(self, now):
        """The end of the officers' wait for an answer (the answer, else `now`)."""
        return self.answered_at or now

    def released_until(self, now):
        """The end of the officers' time at the place for this request: released, declined
        (they still have the person: counted to the answer), the detention's end, or `now`."""
        if self.police_released_at is not None:
            return self.police_released_at
        if self.state == self.State.DECLINED:
            return self.answered_at
        return self.detention.ended_at or now


class HandoverLink(models.Model):
    """A one-time link to answer one handover request, sent to the place's shared inbox for
    health staff without an account. The token is `detentions.handover.token_for(link)`: the
    link's id and `nonce`, signed with the deployment's secret key (so the outbox can write the
    email when it sends it; the database alone cannot make one). Single use (`used_at`),
    expiring (`expires_at`), refused once `refused_uses` reaches the limit."""

    request = models.ForeignKey(HandoverRequest, on_delete=models.CASCADE, related_name="links")
    nonce = models.CharField(max_length=64)
    sent_to = models.EmailField(_("sent to"))
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_by_name = models.CharField(_("used by"), max_length=200, blank=True)
    refused_uses = models.PositiveIntegerField(_("refused uses"), default=0)

    history = HarbourHistory()

    class Meta:
        verbose_name = _("one-time handover link")


class Escape(_Event):
    """X1 (s138): an escape and, once retaken, the return."""

    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="escapes")
    escaped_at = models.DateTimeField(_("escaped at"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    history = HarbourHistory(table_name="incidents_historicalescape")

    class Meta:
        db_table = "incidents_escape"
        ordering = ["escaped_at", "id"]


class Correction(_Event):
    """An audited correction of a detention or one of its events (the only way to change an ended one)."""

    class Kind(models.TextChoices):
        ENTERED_IN_ERROR = "entered_in_error", _("Entered in error")
        WRONG_TIME = "wrong_time", _("Wrong time")
        OTHER = "other", _("Other")
        LATE_ENTRY = "late_entry", _("Entered late (R2)")

    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    target = models.CharField(_("what was corrected"), max_length=100)
    changes = models.JSONField(_("changes"), default=dict)

    history = HarbourHistory(table_name="incidents_historicalcorrection")

    class Meta:
        db_table = "incidents_correction"
        ordering = ["recorded_at", "id"]


class UnlawfulAct(models.Model):
    """R1: an act that broke a rule but happened, recorded as it happened with the account of
    why. One row per rule broken by the recorded event (`target`: `detention`, `arrival:<id>`,
    `transfer:<id>`, ...). The force's mental health lead reviews it."""

    class Decision(models.TextChoices):
        REVIEWED = "reviewed", _("Reviewed")

    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="unlawful_acts")
    target = models.CharField(_("what was recorded"), max_length=100)
    rule = models.CharField(_("rule"), max_length=10)
    code = models.CharField(_("code"), max_length=60)
    account = models.TextField(_("account of why"))
    recorded_by = models.CharField(_("recorded by"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    # When the act happened (the event's own time; a correction's: when it was made). The
    # dashboards count acts by it, so an act entered late is counted in the period it happened.
    happened_at = models.DateTimeField(_("happened at"))
    review_decision = models.CharField(
        _("review decision"), max_length=20, choices=Decision.choices, blank=True
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.CharField(_("reviewed by"), max_length=200, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    history = HarbourHistory(table_name="incidents_historicalunlawfulact")

    class Meta:
        db_table = "incidents_unlawfulact"
        ordering = ["recorded_at", "id"]
        verbose_name = _("unlawful act recorded")
        indexes = [
            models.Index(
                fields=["recorded_at"],
                name="unlawful_unreviewed",
                condition=Q(review_decision=""),
            ),
            # The dashboards' count of acts in a period (reporting.queries.unlawful_acts).
            models.Index(fields=["happened_at", "detention"], name="unlawful_happened"),
        ]

    def __str__(self):
        return f"{self.rule} {self.code} ({self.target})"


class Approval(models.Model):
    """An approval a sergeant asks of a senior officer, given from the approver's own account
    (or, when the approver has no account or cannot be reached, typed by the sergeant on their
    word, and marked so):

    - `police_station` (PS3): an inspector or above authorises using a police station as the
      place of safety when the decision-maker is below inspector;
    - `extension` (E5): a superintendent or above approves an extension at a police station
      before the doctor authorises it.

    Written only through `detentions.approvals`. Once used, the legal record (the police
    station decision, the extension) carries the approver's name, rank and time, and the
    approval says which record it went into (`used_for`)."""

    class Kind(models.TextChoices):
        POLICE_STATION = "police_station", _("Authorisation to use a police station")
        EXTENSION = "extension", _("Approval of an extension at a police station")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("what is asked"), max_length=20, choices=Kind.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.REQUESTED
    )
    place = models.ForeignKey(
        PlaceOfSafety,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("police station"),
    )
    note = models.TextField(_("why it is asked"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    requested_by_name = models.CharField(_("asked by"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("asked at"))
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approver's account"),
    )
    approver_name = models.CharField(_("approver"), max_length=200, blank=True)
    approver_rank = models.CharField(
        _("approver's rank"), max_length=40, choices=Rank.choices, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.TextField(_("why it was refused"), blank=True)
    #: Typed by the sergeant on the approver's word (no account, or unreachable).
    on_word = models.BooleanField(_("recorded on the approver's word"), default=False)
    used_for = models.CharField(_("recorded in"), max_length=100, blank=True)
    recorded_by = models.CharField(_("recorded by"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HarbourHistory()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("approval")
        indexes = [
            models.Index(
                fields=["kind", "requested_at"],
                name="approval_waiting",
                condition=Q(state="requested"),
            )
        ]
        constraints = [
            # One request of a kind waits at a time per detention.
            models.UniqueConstraint(
                fields=["detention", "kind"],
                condition=Q(state="requested"),
                name="approval_one_waiting_per_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.detention})"

    @property
    def how_given(self) -> str:
        """How the approval came, in words, for the record and its history."""
        if self.on_word:
            return str(_("recorded by the sergeant on the approver's word"))
        if self.approver_id:
            return str(_("given from the approver's own account"))
        return ""
