"""Reporting: population figures (for rates per 1,000 by ethnic group) and CSV exports."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.history import HarbourHistory
from detentions.choices import ConveyanceMode, ExtensionGround, Outcome, PoliceVehicleReason
from incidents.choices import RcrpAgency, RcrpThreshold
from places_of_safety.models import PlaceKind


class EthnicGroup(models.TextChoices):
    """The report groups of the police 18+1 codes (domain.md)."""

    WHITE = "white", _("White")
    MIXED = "mixed", _("Mixed")
    ASIAN = "asian", _("Asian")
    BLACK = "black", _("Black")
    OTHER = "other", _("Other")
    NOT_STATED = "not_stated", _("Not stated")


# Groups that have a population (people who did not state an ethnicity have none).
POPULATION_GROUPS = [g for g in EthnicGroup if g != EthnicGroup.NOT_STATED]


class PopulationFigure(models.Model):
    """The resident population of a force's area in one ethnic group (for example from the
    2021 Census), used for detention rates per 1,000 and the relative rate against White."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="population_figures",
        verbose_name=_("force"),
        limit_choices_to={"kind": "police_force"},
    )
    group = models.CharField(
        _("ethnic group"),
        max_length=20,
        choices=[(g.value, g.label) for g in POPULATION_GROUPS],
    )
    population = models.PositiveIntegerField(_("population"), validators=[MinValueValidator(1)])
    source_year = models.PositiveSmallIntegerField(
        _("source year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    history = HarbourHistory()

    class Meta:
        ordering = ["organisation", "group"]
        verbose_name = _("population figure")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "group"], name="population_one_figure_per_group"
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.get_group_display()} {self.population}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportKind(models.TextChoices):
    INCIDENTS = "incidents", _("Incidents (one row each)")
    DETENTIONS = "detentions", _("s136 detentions (one row each)")


class Export(models.Model):
    """A long CSV export, built by a Celery task (reporting.tasks.run_export). Only the requester
    and reporting users of their organisation may download it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="exports")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    kind = models.CharField(_("what"), max_length=20, choices=ExportKind.choices)
    params = models.JSONField(_("filters"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    history = HarbourHistory(excluded_fields=["rows_written"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def progress(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(100 * self.rows_written / self.total_rows))


# --------------------------------------------------------------------------- summaries
# Derived data, not records: rebuilt from the incidents at any time (reporting/summary.py), so
# they keep no history (tests/test_history_coverage.py lists them with this reason).

HOURS = range(24)


def hour_column(hour: int) -> str:
    return f"h{hour:02d}"


def rcrp_column(threshold: str) -> str:
    return f"rcrp_{threshold or 'blank'}"


def passed_column(agency: str) -> str:
    return f"passed_{agency or 'blank'}"


class StaleDay(models.Model):
    """A UK day of a force whose incident summary may not match its incidents. Database
    triggers on incidents and officer deployments insert one in the same transaction as any
    change (migration 0003); `summary.refresh` rebuilds the day and removes it. Until then the
    dashboards count that day from the incidents themselves, so figures are always exact."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    marked_at = models.DateTimeField()

    class Meta:
        verbose_name = _("stale summary day")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "day"], name="staleday_org_day")
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.day}"


class _SummaryCounts(models.Model):
    """The force, NPU, category and counts of an incident summary row (the count columns are
    added below)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # Not cascaded: deleting an NPU must not take summary rows that unfolded deltas still
    # count against (a summary row holds whatever its NPU's incidents were, folded or not).
    npu = models.ForeignKey(
        "accounts.NPU",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    category = models.CharField(max_length=40)
    incidents = models.PositiveIntegerField(default=0)
    deployments = models.PositiveIntegerField(default=0)
    officer_minutes = models.PositiveBigIntegerField(default=0)

    class Meta:
        abstract = True


class IncidentDay(_SummaryCounts):
    """Incidents of one force on one UK day in one NPU and category: how many, by UK hour of
    day (h00..h23), by Right Care Right Person decision (rcrp_*), by agency passed to when the
    threshold was not met (passed_*), and officers' deployments and minutes. The columns for
    each decision and agency are made from their choices (below), so a new choice shows up in
    `makemigrations --check` and needs a migration that marks every day stale."""

    day = models.DateField()

    class Meta:
        verbose_name = _("incident day summary")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day", "npu", "category"],
                name="incidentday_grain",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.day} {self.npu_id} {self.category}: {self.incidents}"


HOUR_COLUMNS = [hour_column(h) for h in HOURS]
RCRP_COLUMNS = [rcrp_column(v) for v in [*RcrpThreshold.values, ""]]
PASSED_COLUMNS = [passed_column(v) for v in [*RcrpAgency.values, ""]]


class IncidentMonth(_SummaryCounts):
    """The same counts for a whole calendar month (UK dates) and ISO day of the week (1 =
    Monday), summed from `IncidentDay` when any of the month's days is rebuilt: ranges of years
    read about a thirtieth of the rows. Used only for months none of whose days is stale."""

    # i18n-ignore: a summary table's column, never shown
    month = models.DateField(help_text="The first day of the month.")
    dow = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("incident month summary")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "dow", "npu", "category"],
                name="incidentmonth_grain",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.month} {self.dow} {self.category}: {self.incidents}"


class _SignedCounts(models.Model):
    """The key and counts of a summary row that may take away as well as add (a delta, or a
    summary row read with its deltas); the count columns are added below."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    npu = models.ForeignKey(
        "accounts.NPU",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    category = models.CharField(max_length=40)
    incidents = models.IntegerField(default=0)
    deployments = models.IntegerField(default=0)
    officer_minutes = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class IncidentDelta(_SignedCounts):
    """A change to the incident summaries not yet folded into them: what one statement on the
    incidents or officer deployments added to (positive) or took from (negative) one force's
    UK day, NPU and category, in the same columns as `IncidentDay`. Written by database
    triggers (migration 0012) in the writer's own transaction, insert-only (a writer never waits
    on a summary row); folded into `IncidentDay` and `IncidentMonth` by `summary.fold` (the
    beat refresh, or a read that finds many). The dashboards read the summaries with their
    deltas (`CurrentIncidentDay`, `CurrentIncidentMonth`), so a change costs the figures one
    delta row, never a day counted again from the incidents."""

    day = models.DateField()

    class Meta:
        verbose_name = _("incident summary change")
        indexes = [models.Index(fields=["organisation", "day"], name="incidentdelta_org_day")]

    def __str__(self):
        return f"{self.organisation_id} {self.day} {self.npu_id} {self.category}: {self.incidents}"


class CurrentIncidentDay(_SignedCounts):
    """`IncidentDay` with the changes not yet folded in (a database view, migration 0012: the
    summary rows and the delta rows, read in one statement, so a fold committing meanwhile is
    seen either wholly or not at all). Sums over it are exact for every day that is not stale."""

    id = models.BigIntegerField(primary_key=True)
    day = models.DateField()

    class Meta:
        managed = False
        db_table = "reporting_incidentday_current"
        verbose_name = _("incident day summary")


class CurrentIncidentMonth(_SignedCounts):
    """`IncidentMonth` with the changes not yet folded in, by UK month and ISO day of the week
    (a database view, migration 0012)."""

    id = models.BigIntegerField(primary_key=True)
    # i18n-ignore: a summary view's column, never shown
    month = models.DateField(help_text="The first day of the month.")
    dow = models.PositiveSmallIntegerField()

    class Meta:
        managed = False
        db_table = "reporting_incidentmonth_current"
        verbose_name = _("incident month summary")


COUNT_COLUMNS = [*HOUR_COLUMNS, *RCRP_COLUMNS, *PASSED_COLUMNS]
for _model in (IncidentDay, IncidentMonth):
    for _name in COUNT_COLUMNS:
        _model.add_to_class(_name, models.PositiveIntegerField(default=0))
# Signed: a delta takes away as well as adds.
for _model in (IncidentDelta, CurrentIncidentDay, CurrentIncidentMonth):
    for _name in COUNT_COLUMNS:
        _model.add_to_class(_name, models.IntegerField(default=0))


class StaleDetention(models.Model):
    """A detention whose `DetentionFact` may not match its records: inserted by database
    triggers (migration 0004) on any change to the detention, its arrival, transfers,
    extension, assessment, handover, person, incident or a place of safety it went to; removed
    by `summary.refresh` once the fact is rebuilt. Meanwhile `DetentionFigures` computes that
    detention live."""

    detention_id = models.BigIntegerField(unique=True)
    marked_at = models.DateTimeField()

    class Meta:
        verbose_name = _("stale detention fact")

    def __str__(self):
        return str(self.detention_id)


class DetentionFactFields(models.Model):
    """One detention with everything the detention figures count, already worked out: age group
    and ethnic group at detention, first place of safety, whether held at a police station, the
    instants the durations are measured between (definitions: reporting/queries.py)."""

    detention_id = models.BigIntegerField(primary_key=True)
    # No index of their own: every read starts from the force and the instant of detention
    # (`detfact_org_at` and the bucket indexes), and each index is written again for every
    # fact a refresh rewrites.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    npu = models.ForeignKey(
        "accounts.NPU",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    power = models.CharField(max_length=10)
    category = models.CharField(max_length=40, null=True)
    detained_at = models.DateTimeField()
    clock_started_at = models.DateTimeField(null=True)
    expires_at = models.DateTimeField(null=True)
    ended_at = models.DateTimeField(null=True)
    age_group = models.CharField(max_length=20)
    ethnic_group = models.CharField(max_length=20)
    gender = models.CharField(max_length=30, null=True)
    first_place = models.CharField(max_length=30, null=True)
    held_at_station = models.BooleanField()
    conveyance_mode = models.CharField(max_length=40)
    conveyance_reason = models.CharField(max_length=40)
    extension_ground = models.CharField(max_length=40, null=True)
    outcome = models.CharField(max_length=40)
    arrived_at = models.DateTimeField(null=True)
    assessment_started_at = models.DateTimeField(null=True)
    handed_over_at = models.DateTimeField(null=True)
    # The durations the figures measure, in minutes (`end - start`, null without both ends).
    length_minutes = models.FloatField(null=True)  # detained_at to ended_at
    assessment_minutes = models.FloatField(null=True)  # clock_started_at to assessment start
    handover_minutes = models.FloatField(null=True)  # arrived_at to handed_over_at
    # How many transfers took the detention to each kind of place (`tr_<kind>`, added below).

    class Meta:
        abstract = True


# Transfers counted by destination kind: a count of transfers, not of detentions (a detention
# may be transferred more than once). Summed, not counted, in the monthly summary.
TRANSFER_COLUMNS = [f"tr_{k}" for k in PlaceKind.values]
for _name in TRANSFER_COLUMNS:
    DetentionFactFields.add_to_class(_name, models.PositiveIntegerField(default=0))


class DetentionFact(DetentionFactFields):
    """The stored facts (a cache of `reporting_detentionlive`, rebuilt by `summary.refresh`)."""

    class Meta:
        verbose_name = _("detention fact")
        indexes = [
            models.Index(fields=["organisation", "detained_at"], name="detfact_org_at"),
            # The detentions still running, counted live beside the monthly summary.
            models.Index(
                fields=["organisation", "detained_at"],
                condition=models.Q(ended_at__isnull=True),
                name="detfact_running",
            ),
        ]


class DetentionFigures(DetentionFactFields):
    """What the detention figures read: a database view (migration 0004) of the stored facts of
    current detentions and the live facts of stale ones, so it is always exact."""

    class Meta:
        managed = False
        db_table = "reporting_detentioncurrent"
        verbose_name = _("detention figures")


def _key(value: str) -> str:
    return value or "blank"


# The counts a `DetentionMonth` holds, one column each (what each counts: reporting/
# detention_months.py). Made from the choices, so a new choice shows in `makemigrations --check`.
DETENTION_COUNT_COLUMNS = [
    "detentions",
    "breaches",
    "at_station",
    "under_18_at_station",
    *(f"fp_{k}" for k in [*PlaceKind.values, "none"]),
    *(f"conv_{_key(k)}" for k in [*ConveyanceMode.values, ""]),
    *(f"pvr_{_key(k)}" for k in [*PoliceVehicleReason.values, ""]),
    *(f"ext_{k}" for k in ExtensionGround.values),
    *(f"out_{_key(k)}" for k in [*Outcome.values, ""]),
    *(f"eth_{k}" for k in EthnicGroup.values),
    *TRANSFER_COLUMNS,
]


class DetentionMonthGrain(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # i18n-ignore: a summary table's column, never shown
    month = models.DateField(help_text="The first day of the UK month of detention.")
    power = models.CharField(max_length=10)
    npu = models.ForeignKey(
        "accounts.NPU",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    category = models.CharField(max_length=40, null=True)

    class Meta:
        abstract = True


class DetentionMonth(DetentionMonthGrain):
    """The stored `DetentionFact`s of ended detentions of one force, UK month of detention,
    power, NPU and incident category, counted (reporting/detention_months.py): always equal to
    the facts it sums, because `summary.refresh` rebuilds a month in the same transaction as
    any fact of it. Ranges of whole months read these instead of one row per detention."""

    class Meta:
        verbose_name = _("detention month summary")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "power", "npu", "category"],
                name="detentionmonth_grain",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.month} {self.power}: {self.detentions}"


for _name in DETENTION_COUNT_COLUMNS:
    DetentionMonth.add_to_class(_name, models.PositiveIntegerField(default=0))


class DetentionMinutes(DetentionMonthGrain):
    """A histogram of the same facts' durations (`measure`: `assessment`, `handover` or
    `length`), in buckets of `detention_months.BUCKET_MINUTES` minutes (`bucket` = floor of
    minutes / bucket width): medians and percentiles are found by bucket here, then read
    exactly from the few facts in the one bucket that holds them."""

    measure = models.CharField(max_length=10)
    bucket = models.IntegerField()
    detentions = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("detention duration histogram")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "power", "npu", "category", "measure", "bucket"],
                name="detentionminutes_grain",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.month} {self.measure} {self.bucket}"


class PersonIncident(models.Model):
    """A person on an incident with the incident's force, time, NPU and category copied beside
    the link, so repeat contact is counted from one index without joining the incidents. Kept
    in step by database triggers in the same transaction as any change to the links or the
    incident (migration 0007), so it is always exact."""

    incident_id = models.BigIntegerField()
    person_id = models.BigIntegerField()
    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    occurred_at = models.DateTimeField()
    npu = models.ForeignKey(
        "accounts.NPU",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    category = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("person on an incident")
        constraints = [
            models.UniqueConstraint(fields=["incident_id", "person_id"], name="personincident_link")
        ]
        indexes = [
            models.Index(
                fields=["organisation", "occurred_at"],
                include=["person_id", "npu", "category"],
                name="personincident_org_at",
            ),
            models.Index(
                fields=["person_id", "occurred_at"],
                include=["organisation", "npu", "category"],
                name="personincident_person_at",
            ),
        ]

    def __str__(self):
        return f"{self.person_id} on {self.incident_id}"


class PersonTotal(models.Model):
    """How many incidents of a force a person has been on, all time: kept by a trigger on
    `PersonIncident` in the same transaction. An upper bound on their count in any date range,
    NPU or category, which lets the repeat-contact ranking stop early (reporting.queries)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    person_id = models.BigIntegerField()
    incidents = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("person's incident total")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person_id"], name="persontotal_person")
        ]
        indexes = [
            models.Index(
                fields=["organisation", "-incidents", "person_id"], name="persontotal_ranked"
            )
        ]

    def __str__(self):
        return f"{self.person_id}: {self.incidents}"


class LocationTotal(models.Model):
    """How many incidents of a force have been at a location (`Incident.location_key`), all time,
    and how many of them in a healthcare setting: kept by a trigger on the incidents in the same
    transaction. Upper bounds for the repeat-location ranking's early stop (reporting.queries)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    location_key = models.CharField(max_length=320)
    incidents = models.IntegerField(default=0)
    healthcare = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("location's incident total")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "location_key"], name="locationtotal_location"
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "-healthcare", "-incidents", "location_key"],
                name="locationtotal_ranked",
            )
        ]

    def __str__(self):
        return f"{self.location_key}: {self.incidents}"


class LocationNpuTotal(models.Model):
    """The same totals per NPU of the force (`Incident.npu`): the bounds for ranking the
    locations of one NPU (an NPU lead's dashboard), where the force's totals would mostly be
    other NPUs' locations. Kept by a trigger on the incidents in the same transaction."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    npu = models.ForeignKey(
        "accounts.NPU", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    location_key = models.CharField(max_length=320)
    incidents = models.IntegerField(default=0)
    healthcare = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("location's incident total in an NPU")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "npu", "location_key"], name="locationnputotal_location"
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "npu", "-healthcare", "-incidents", "location_key"],
                name="locationnputotal_ranked",
            )
        ]

    def __str__(self):
        return f"{self.npu_id} {self.location_key}: {self.incidents}"
