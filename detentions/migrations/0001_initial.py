# Moves Detention and its events from incidents (state only: the tables keep their incidents_ names).

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import simple_history.models


def _content_types(app_label, models):
    """The moved models keep their content types (and so their permissions)."""
    names = ", ".join(f"'{m}'" for m in models)
    forward = (
        f"UPDATE django_content_type SET app_label = '{app_label}' "
        f"WHERE app_label = 'incidents' AND model IN ({names}) AND NOT EXISTS ("
        f"SELECT 1 FROM django_content_type t WHERE t.app_label = '{app_label}' "
        "AND t.model = django_content_type.model)"
    )
    backward = (
        f"UPDATE django_content_type SET app_label = 'incidents' "
        f"WHERE app_label = '{app_label}' AND model IN ({names})"
    )
    return migrations.RunSQL(forward, backward)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_identity_providers"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("incidents", "0006_unlawful_act_happened_at"),
        ("people", "0001_initial"),
        ("places_of_safety", "0002_place_status_changes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Assessment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="recorded at"),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        ("amhp_requested_at", models.DateTimeField(blank=True, null=True)),
                        ("amhp_arrived_at", models.DateTimeField(blank=True, null=True)),
                        ("doctor_requested_at", models.DateTimeField(blank=True, null=True)),
                        ("doctor_arrived_at", models.DateTimeField(blank=True, null=True)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("completed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "amhp_name",
                            models.CharField(blank=True, max_length=200, verbose_name="AMHP"),
                        ),
                        (
                            "doctor_name",
                            models.CharField(blank=True, max_length=200, verbose_name="doctor"),
                        ),
                        (
                            "doctor_s12_approved",
                            models.BooleanField(
                                blank=True, null=True, verbose_name="doctor is s12 approved"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "incidents_assessment",
                    },
                ),
                migrations.CreateModel(
                    name="Correction",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="recorded at"),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("entered_in_error", "Entered in error"),
                                    ("wrong_time", "Wrong time"),
                                    ("other", "Other"),
                                    ("late_entry", "Entered late (R2)"),
                                ],
                                max_length=30,
                                verbose_name="kind",
                            ),
                        ),
                        ("reason", models.TextField(verbose_name="reason")),
                        (
                            "target",
                            models.CharField(max_length=100, verbose_name="what was corrected"),
                        ),
                        ("changes", models.JSONField(default=dict, verbose_name="changes")),
                    ],
                    options={
                        "db_table": "incidents_correction",
                        "ordering": ["recorded_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="DetentionArrival",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="recorded at"),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        ("arrived_at", models.DateTimeField(verbose_name="arrived at")),
                        (
                            "place_status_at_arrival",
                            models.CharField(
                                blank=True,
                                help_text="Effective status of the place when they arrived.",
                                max_length=10,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "incidents_detentionarrival",
                    },
                ),
                migrations.CreateModel(
                    name="Escape",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="recorded at"),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        ("escaped_at", models.DateTimeField(verbose_name="escaped at")),
                        (
                            "returned_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="returned at"),
                        ),
                    ],
                    options={
                        "db_table": "incidents_escape",
                        "ordering": ["escaped_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Extension",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="recorded at"),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        ("authorised_at", models.DateTimeField(verbose_name="authorised at")),
                        (
                            "hours",
                            models.DecimalField(
                                decimal_places=4, max_digits=10, verbose_name="hours"
                            ),
                        ),
                        ("minutes", models.PositiveIntegerField(default=0, verbose_name="minutes")),
                        ("doctor_name", models.CharField(max_length=200, verbose_name="doctor")),
                        (
                            "doctor_gmc_number",
                            models.CharField(max_length=20, verbose_name="GMC number"),
                        ),
                        (
                            "ground",
                            models.CharField(
                                choices=[
                                    ("intoxication", "Intoxication"),
                                    ("physical_treatment", "Physical treatment needed"),
                                    ("other_condition", "Other aspect of the person's condition"),
                                    ("bed_unavailable", "No bed available (not a lawful ground)"),
                                    (
                                        "staff_unavailable",
                                        "No AMHP or doctor available (not a lawful ground)",
                                    ),
                                ],
                                max_length=30,
                                verbose_name="ground",
                            ),
                        ),
                        ("ground_detail", models.TextField(blank=True, verbose_name="detail")),
                        (
                            "superintendent_name",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="superintendent"
                            ),
                        ),
                        (
                            "superintendent_rank",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("constable", "Constable"),
                                    ("sergeant", "Sergeant"),
                                    ("inspector", "Inspector"),
                                    ("chief_inspector", "Chief inspector"),
                                    ("superintendent", "Superintendent"),
                                    ("chief_superintendent", "Chief superintendent"),
                                    ("assistant_chief_constable", "Assistant chief constable"),
                                    ("deputy_chief_constable", "Deputy chief constable"),
                                    ("chief_constable", "Chief constable"),
                                    ("amhp", "AMHP (arranging a transfer)"),
                                ],
                                max_length=40,
                                verbose_name="superintendent's rank",
                            ),
                        ),
                        (
                            "superintendent_approved_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="approved at"),
                        ),
                    ],
                    options={
                        "db_table": "incidents_extension",
                    },
                ),
                migrations.CreateModel(
                    name="Handover",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="recorded at"),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        ("handed_over_at", models.DateTimeField(verbose_name="handed over at")),
                        (
                            "received_by",
                            models.CharField(max_length=200, verbose_name="received by"),
                        ),
                    ],
                    options={
                        "db_table": "incidents_handover",
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalAssessment",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "changed_by",
                            models.CharField(
                                blank=True, db_index=True, max_length=200, verbose_name="changed by"
                            ),
                        ),
                        (
                            "actor_kind",
                            models.CharField(blank=True, max_length=20, verbose_name="actor kind"),
                        ),
                        (
                            "api_key_id",
                            models.CharField(blank=True, max_length=150, verbose_name="API key id"),
                        ),
                        (
                            "triggered_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="triggered by"
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="recorded at"
                            ),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        ("amhp_requested_at", models.DateTimeField(blank=True, null=True)),
                        ("amhp_arrived_at", models.DateTimeField(blank=True, null=True)),
                        ("doctor_requested_at", models.DateTimeField(blank=True, null=True)),
                        ("doctor_arrived_at", models.DateTimeField(blank=True, null=True)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("completed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "amhp_name",
                            models.CharField(blank=True, max_length=200, verbose_name="AMHP"),
                        ),
                        (
                            "doctor_name",
                            models.CharField(blank=True, max_length=200, verbose_name="doctor"),
                        ),
                        (
                            "doctor_s12_approved",
                            models.BooleanField(
                                blank=True, null=True, verbose_name="doctor is s12 approved"
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical assessment",
                        "verbose_name_plural": "historical assessments",
                        "db_table": "incidents_historicalassessment",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalCorrection",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "changed_by",
                            models.CharField(
                                blank=True, db_index=True, max_length=200, verbose_name="changed by"
                            ),
                        ),
                        (
                            "actor_kind",
                            models.CharField(blank=True, max_length=20, verbose_name="actor kind"),
                        ),
                        (
                            "api_key_id",
                            models.CharField(blank=True, max_length=150, verbose_name="API key id"),
                        ),
                        (
                            "triggered_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="triggered by"
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="recorded at"
                            ),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("entered_in_error", "Entered in error"),
                                    ("wrong_time", "Wrong time"),
                                    ("other", "Other"),
                                    ("late_entry", "Entered late (R2)"),
                                ],
                                max_length=30,
                                verbose_name="kind",
                            ),
                        ),
                        ("reason", models.TextField(verbose_name="reason")),
                        (
                            "target",
                            models.CharField(max_length=100, verbose_name="what was corrected"),
                        ),
                        ("changes", models.JSONField(default=dict, verbose_name="changes")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical correction",
                        "verbose_name_plural": "historical corrections",
                        "db_table": "incidents_historicalcorrection",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalDetention",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "changed_by",
                            models.CharField(
                                blank=True, db_index=True, max_length=200, verbose_name="changed by"
                            ),
                        ),
                        (
                            "actor_kind",
                            models.CharField(blank=True, max_length=20, verbose_name="actor kind"),
                        ),
                        (
                            "api_key_id",
                            models.CharField(blank=True, max_length=150, verbose_name="API key id"),
                        ),
                        (
                            "triggered_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="triggered by"
                            ),
                        ),
                        (
                            "reference",
                            models.CharField(
                                db_index=True, max_length=40, verbose_name="reference"
                            ),
                        ),
                        (
                            "power",
                            models.CharField(
                                choices=[
                                    ("s136", "Section 136 (removal from a public place)"),
                                    ("s135_1", "Section 135(1) warrant"),
                                ],
                                default="s136",
                                max_length=10,
                                verbose_name="power",
                            ),
                        ),
                        ("detained_at", models.DateTimeField(verbose_name="detained at")),
                        (
                            "mode",
                            models.CharField(
                                choices=[
                                    ("removed", "Removed to a place of safety"),
                                    ("kept", "Kept at the place of safety where they already were"),
                                ],
                                default="removed",
                                max_length=10,
                                verbose_name="mode",
                            ),
                        ),
                        (
                            "location_kind",
                            models.CharField(
                                choices=[
                                    ("public_place", "Public place"),
                                    (
                                        "private_dwelling",
                                        "Private dwelling (house, flat or room where someone lives)",
                                    ),
                                    (
                                        "dwelling_garden_or_outbuilding",
                                        "Garden, yard, garage or outbuilding of a dwelling",
                                    ),
                                    ("shared_communal_area", "Shared communal area"),
                                    (
                                        "health_setting",
                                        "Health setting (for example an emergency department)",
                                    ),
                                    ("other", "Other"),
                                ],
                                max_length=40,
                                verbose_name="kind of location",
                            ),
                        ),
                        (
                            "location_description",
                            models.CharField(blank=True, max_length=300, verbose_name="where"),
                        ),
                        (
                            "consulted_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="consulted at"
                            ),
                        ),
                        (
                            "consultation_profession",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("doctor", "Registered medical practitioner"),
                                    ("nurse", "Registered nurse"),
                                    ("amhp", "AMHP"),
                                    ("occupational_therapist", "Occupational therapist"),
                                    ("paramedic", "Paramedic"),
                                ],
                                max_length=30,
                                verbose_name="profession consulted",
                            ),
                        ),
                        (
                            "consultation_name",
                            models.CharField(
                                blank=True,
                                max_length=200,
                                verbose_name="name of professional consulted",
                            ),
                        ),
                        (
                            "consultation_advice",
                            models.TextField(blank=True, verbose_name="advice given"),
                        ),
                        (
                            "consultation_not_practicable_reason",
                            models.TextField(
                                blank=True, verbose_name="why consultation was not practicable"
                            ),
                        ),
                        (
                            "conveyance_mode",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("ambulance", "Ambulance"),
                                    ("police_vehicle", "Police vehicle"),
                                    ("other_health_vehicle", "Other health vehicle"),
                                    ("other", "Other"),
                                    ("none", "None (already at the place of safety)"),
                                ],
                                max_length=30,
                                verbose_name="conveyance",
                            ),
                        ),
                        (
                            "conveyance_reason",
                            models.CharField(
                                blank=True,
                                choices=[
                                    (
                                        "ambulance_not_available_30min",
                                        "Ambulance not available within 30 minutes",
                                    ),
                                    ("ambulance_not_requested", "Ambulance not requested"),
                                    ("ambulance_diverted", "Ambulance diverted"),
                                    ("crew_declined", "Ambulance crew declined"),
                                    ("risk_of_violence", "Risk of violence"),
                                    ("arrested_for_offence", "Arrested for an offence"),
                                    ("other", "Other"),
                                ],
                                max_length=40,
                                verbose_name="reason for a police vehicle",
                            ),
                        ),
                        (
                            "warrant_issued_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="warrant issued at"
                            ),
                        ),
                        (
                            "premises_entered_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="premises entered at"
                            ),
                        ),
                        (
                            "rule_set",
                            models.CharField(
                                choices=[
                                    (
                                        "pca2017",
                                        "MHA 1983 as amended by the Policing and Crime Act 2017",
                                    ),
                                    ("mha1983-original", "MHA 1983 before 11 December 2017"),
                                    (
                                        "mha2025",
                                        "MHA 1983 as amended by the Mental Health Act 2025",
                                    ),
                                ],
                                max_length=30,
                                verbose_name="rule set",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("in_transit", "In transit"),
                                    ("at_place_of_safety", "At a place of safety"),
                                    ("absent", "Absent (escaped)"),
                                    ("ended", "Ended"),
                                ],
                                default="in_transit",
                                max_length=30,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "clock_started_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="clock started at"
                            ),
                        ),
                        (
                            "expires_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="expires at"),
                        ),
                        (
                            "extended_until",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="extended until"
                            ),
                        ),
                        ("at_police_station", models.BooleanField(default=False)),
                        ("next_welfare_check_due_at", models.DateTimeField(blank=True, null=True)),
                        ("next_review_due_at", models.DateTimeField(blank=True, null=True)),
                        ("transfer_required", models.BooleanField(default=False)),
                        ("retake_by", models.DateTimeField(blank=True, null=True)),
                        ("assessment_due_at", models.DateTimeField(blank=True, null=True)),
                        ("handover_due_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "outcome",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("admitted_informal", "Admitted informally"),
                                    ("detained_s2", "Detained under section 2"),
                                    ("detained_s3", "Detained under section 3"),
                                    ("discharged_no_follow_up", "Discharged, no follow-up"),
                                    ("discharged_with_referral", "Discharged with a referral"),
                                    ("no_mental_disorder", "No mental disorder found (released)"),
                                    ("arrested_for_offence", "Arrested for an offence"),
                                    ("transferred_physical_care", "Transferred for physical care"),
                                    ("absconded", "Absconded (not retaken)"),
                                    ("other", "Other"),
                                ],
                                max_length=40,
                                verbose_name="outcome",
                            ),
                        ),
                        (
                            "ended_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="ended at"),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        ("created_at", models.DateTimeField(blank=True, editable=False)),
                        ("updated_at", models.DateTimeField(blank=True, editable=False)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical detention",
                        "verbose_name_plural": "historical detentions",
                        "db_table": "incidents_historicaldetention",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalDetentionArrival",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "changed_by",
                            models.CharField(
                                blank=True, db_index=True, max_length=200, verbose_name="changed by"
                            ),
                        ),
                        (
                            "actor_kind",
                            models.CharField(blank=True, max_length=20, verbose_name="actor kind"),
                        ),
                        (
                            "api_key_id",
                            models.CharField(blank=True, max_length=150, verbose_name="API key id"),
                        ),
                        (
                            "triggered_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="triggered by"
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="recorded at"
                            ),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        ("arrived_at", models.DateTimeField(verbose_name="arrived at")),
                        (
                            "place_status_at_arrival",
                            models.CharField(
                                blank=True,
                                help_text="Effective status of the place when they arrived.",
                                max_length=10,
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical detention arrival",
                        "verbose_name_plural": "historical detention arrivals",
                        "db_table": "incidents_historicaldetentionarrival",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalEscape",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "changed_by",
                            models.CharField(
                                blank=True, db_index=True, max_length=200, verbose_name="changed by"
                            ),
                        ),
                        (
                            "actor_kind",
                            models.CharField(blank=True, max_length=20, verbose_name="actor kind"),
                        ),
                        (
                            "api_key_id",
                            models.CharField(blank=True, max_length=150, verbose_name="API key id"),
                        ),
                        (
                            "triggered_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="triggered by"
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="recorded at"
                            ),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        ("escaped_at", models.DateTimeField(verbose_name="escaped at")),
                        (
                            "returned_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="returned at"),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical escape",
                        "verbose_name_plural": "historical escapes",
                        "db_table": "incidents_historicalescape",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalExtension",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "changed_by",
                            models.CharField(
                                blank=True, db_index=True, max_length=200, verbose_name="changed by"
                            ),
                        ),
                        (
                            "actor_kind",
                            models.CharField(blank=True, max_length=20, verbose_name="actor kind"),
                        ),
                        (
                            "api_key_id",
                            models.CharField(blank=True, max_length=150, verbose_name="API key id"),
                        ),
                        (
                            "triggered_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="triggered by"
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="recorded at"
                            ),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        ("authorised_at", models.DateTimeField(verbose_name="authorised at")),
                        (
                            "hours",
                            models.DecimalField(
                                decimal_places=4, max_digits=10, verbose_name="hours"
                            ),
                        ),
                        ("minutes", models.PositiveIntegerField(default=0, verbose_name="minutes")),
                        ("doctor_name", models.CharField(max_length=200, verbose_name="doctor")),
                        (
                            "doctor_gmc_number",
                            models.CharField(max_length=20, verbose_name="GMC number"),
                        ),
                        (
                            "ground",
                            models.CharField(
                                choices=[
                                    ("intoxication", "Intoxication"),
                                    ("physical_treatment", "Physical treatment needed"),
                                    ("other_condition", "Other aspect of the person's condition"),
                                    ("bed_unavailable", "No bed available (not a lawful ground)"),
                                    (
                                        "staff_unavailable",
                                        "No AMHP or doctor available (not a lawful ground)",
                                    ),
                                ],
                                max_length=30,
                                verbose_name="ground",
                            ),
                        ),
                        ("ground_detail", models.TextField(blank=True, verbose_name="detail")),
                        (
                            "superintendent_name",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="superintendent"
                            ),
                        ),
                        (
                            "superintendent_rank",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("constable", "Constable"),
                                    ("sergeant", "Sergeant"),
                                    ("inspector", "Inspector"),
                                    ("chief_inspector", "Chief inspector"),
                                    ("superintendent", "Superintendent"),
                                    ("chief_superintendent", "Chief superintendent"),
                                    ("assistant_chief_constable", "Assistant chief constable"),
                                    ("deputy_chief_constable", "Deputy chief constable"),
                                    ("chief_constable", "Chief constable"),
                                    ("amhp", "AMHP (arranging a transfer)"),
                                ],
                                max_length=40,
                                verbose_name="superintendent's rank",
                            ),
                        ),
                        (
                            "superintendent_approved_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="approved at"),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical extension",
                        "verbose_name_plural": "historical extensions",
                        "db_table": "incidents_historicalextension",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalHandover",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "changed_by",
                            models.CharField(
                                blank=True, db_index=True, max_length=200, verbose_name="changed by"
                            ),
                        ),
                        (
                            "actor_kind",
                            models.CharField(blank=True, max_length=20, verbose_name="actor kind"),
                        ),
                        (
                            "api_key_id",
                            models.CharField(blank=True, max_length=150, verbose_name="API key id"),
                        ),
                        (
                            "triggered_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="triggered by"
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="recorded at"
                            ),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        ("handed_over_at", models.DateTimeField(verbose_name="handed over at")),
                        (
                            "received_by",
                            models.CharField(max_length=200, verbose_name="received by"),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical handover",
                        "verbose_name_plural": "historical handovers",
                        "db_table": "incidents_historicalhandover",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalPoliceStationDecision",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "changed_by",
                            models.CharField(
                                blank=True, db_index=True, max_length=200, verbose_name="changed by"
                            ),
                        ),
                        (
                            "actor_kind",
                            models.CharField(blank=True, max_length=20, verbose_name="actor kind"),
                        ),
                        (
                            "api_key_id",
                            models.CharField(blank=True, max_length=150, verbose_name="API key id"),
                        ),
                        (
                            "triggered_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="triggered by"
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="recorded at"
                            ),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        (
                            "imminent_risk",
                            models.BooleanField(
                                null=True, verbose_name="imminent risk of serious injury or death"
                            ),
                        ),
                        (
                            "no_other_place",
                            models.BooleanField(
                                null=True,
                                verbose_name="no other place of safety can reasonably detain them",
                            ),
                        ),
                        (
                            "hcp_available",
                            models.BooleanField(
                                null=True, verbose_name="a healthcare professional will be present"
                            ),
                        ),
                        (
                            "decision_maker_name",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="decision-maker"
                            ),
                        ),
                        (
                            "decision_maker_rank",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("constable", "Constable"),
                                    ("sergeant", "Sergeant"),
                                    ("inspector", "Inspector"),
                                    ("chief_inspector", "Chief inspector"),
                                    ("superintendent", "Superintendent"),
                                    ("chief_superintendent", "Chief superintendent"),
                                    ("assistant_chief_constable", "Assistant chief constable"),
                                    ("deputy_chief_constable", "Deputy chief constable"),
                                    ("chief_constable", "Chief constable"),
                                    ("amhp", "AMHP (arranging a transfer)"),
                                ],
                                max_length=40,
                                verbose_name="decision-maker's rank",
                            ),
                        ),
                        (
                            "consulted_professional",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="professional consulted"
                            ),
                        ),
                        (
                            "consultation_not_practicable_reason",
                            models.TextField(
                                blank=True, verbose_name="why consultation was not practicable"
                            ),
                        ),
                        (
                            "inspector_name",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="authorising inspector"
                            ),
                        ),
                        (
                            "inspector_rank",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("constable", "Constable"),
                                    ("sergeant", "Sergeant"),
                                    ("inspector", "Inspector"),
                                    ("chief_inspector", "Chief inspector"),
                                    ("superintendent", "Superintendent"),
                                    ("chief_superintendent", "Chief superintendent"),
                                    ("assistant_chief_constable", "Assistant chief constable"),
                                    ("deputy_chief_constable", "Deputy chief constable"),
                                    ("chief_constable", "Chief constable"),
                                    ("amhp", "AMHP (arranging a transfer)"),
                                ],
                                max_length=40,
                                verbose_name="authorising officer's rank",
                            ),
                        ),
                        (
                            "authorised_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="authorised at"
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical police station decision",
                        "verbose_name_plural": "historical police station decisions",
                        "db_table": "incidents_historicalpolicestationdecision",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalReview",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "changed_by",
                            models.CharField(
                                blank=True, db_index=True, max_length=200, verbose_name="changed by"
                            ),
                        ),
                        (
                            "actor_kind",
                            models.CharField(blank=True, max_length=20, verbose_name="actor kind"),
                        ),
                        (
                            "api_key_id",
                            models.CharField(blank=True, max_length=150, verbose_name="API key id"),
                        ),
                        (
                            "triggered_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="triggered by"
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="recorded at"
                            ),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        ("reviewed_at", models.DateTimeField(verbose_name="reviewed at")),
                        (
                            "conditions_met",
                            models.BooleanField(verbose_name="conditions still met"),
                        ),
                        (
                            "asleep",
                            models.BooleanField(default=False, verbose_name="person asleep"),
                        ),
                        (
                            "hcp_available",
                            models.BooleanField(
                                default=True, verbose_name="healthcare professional still available"
                            ),
                        ),
                        (
                            "reviewer_name",
                            models.CharField(blank=True, max_length=200, verbose_name="reviewer"),
                        ),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical review",
                        "verbose_name_plural": "historical reviews",
                        "db_table": "incidents_historicalreview",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalTransfer",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "changed_by",
                            models.CharField(
                                blank=True, db_index=True, max_length=200, verbose_name="changed by"
                            ),
                        ),
                        (
                            "actor_kind",
                            models.CharField(blank=True, max_length=20, verbose_name="actor kind"),
                        ),
                        (
                            "api_key_id",
                            models.CharField(blank=True, max_length=150, verbose_name="API key id"),
                        ),
                        (
                            "triggered_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="triggered by"
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="recorded at"
                            ),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        ("departed_at", models.DateTimeField(verbose_name="departed at")),
                        (
                            "arrived_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="arrived at"),
                        ),
                        ("reason", models.TextField(blank=True, verbose_name="reason")),
                        (
                            "authorised_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="authorised by"
                            ),
                        ),
                        (
                            "place_status_at_arrival",
                            models.CharField(
                                blank=True,
                                help_text="Effective status of the destination when they arrived.",
                                max_length=10,
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical transfer",
                        "verbose_name_plural": "historical transfers",
                        "db_table": "incidents_historicaltransfer",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalTransferException",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "changed_by",
                            models.CharField(
                                blank=True, db_index=True, max_length=200, verbose_name="changed by"
                            ),
                        ),
                        (
                            "actor_kind",
                            models.CharField(blank=True, max_length=20, verbose_name="actor kind"),
                        ),
                        (
                            "api_key_id",
                            models.CharField(blank=True, max_length=150, verbose_name="API key id"),
                        ),
                        (
                            "triggered_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="triggered by"
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="recorded at"
                            ),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        ("recorded_for", models.DateTimeField(verbose_name="decided at")),
                        ("reason", models.TextField(verbose_name="reason")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical transfer exception",
                        "verbose_name_plural": "historical transfer exceptions",
                        "db_table": "incidents_historicaltransferexception",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalUnlawfulAct",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "changed_by",
                            models.CharField(
                                blank=True, db_index=True, max_length=200, verbose_name="changed by"
                            ),
                        ),
                        (
                            "actor_kind",
                            models.CharField(blank=True, max_length=20, verbose_name="actor kind"),
                        ),
                        (
                            "api_key_id",
                            models.CharField(blank=True, max_length=150, verbose_name="API key id"),
                        ),
                        (
                            "triggered_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="triggered by"
                            ),
                        ),
                        (
                            "target",
                            models.CharField(max_length=100, verbose_name="what was recorded"),
                        ),
                        ("rule", models.CharField(max_length=10, verbose_name="rule")),
                        ("code", models.CharField(max_length=60, verbose_name="code")),
                        ("account", models.TextField(verbose_name="account of why")),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        ("recorded_at", models.DateTimeField(verbose_name="recorded at")),
                        ("happened_at", models.DateTimeField(verbose_name="happened at")),
                        (
                            "review_decision",
                            models.CharField(
                                blank=True,
                                choices=[("reviewed", "Reviewed")],
                                max_length=20,
                                verbose_name="review decision",
                            ),
                        ),
                        ("review_note", models.TextField(blank=True, verbose_name="review note")),
                        (
                            "reviewed_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="reviewed by"
                            ),
                        ),
                        (
                            "reviewed_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="reviewed at"),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical unlawful act recorded",
                        "verbose_name_plural": "historical unlawful act recordeds",
                        "db_table": "incidents_historicalunlawfulact",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalWelfareCheck",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "changed_by",
                            models.CharField(
                                blank=True, db_index=True, max_length=200, verbose_name="changed by"
                            ),
                        ),
                        (
                            "actor_kind",
                            models.CharField(blank=True, max_length=20, verbose_name="actor kind"),
                        ),
                        (
                            "api_key_id",
                            models.CharField(blank=True, max_length=150, verbose_name="API key id"),
                        ),
                        (
                            "triggered_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="triggered by"
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="recorded at"
                            ),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        ("checked_at", models.DateTimeField(verbose_name="checked at")),
                        (
                            "professional_name",
                            models.CharField(max_length=200, verbose_name="professional"),
                        ),
                        (
                            "profession",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("doctor", "Registered medical practitioner"),
                                    ("nurse", "Registered nurse"),
                                    ("amhp", "AMHP"),
                                    ("occupational_therapist", "Occupational therapist"),
                                    ("paramedic", "Paramedic"),
                                ],
                                max_length=30,
                                verbose_name="profession",
                            ),
                        ),
                        (
                            "risk_requires_waking",
                            models.BooleanField(
                                default=True, verbose_name="risk requires waking the person"
                            ),
                        ),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical welfare check",
                        "verbose_name_plural": "historical welfare checks",
                        "db_table": "incidents_historicalwelfarecheck",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="PoliceStationDecision",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="recorded at"),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        (
                            "imminent_risk",
                            models.BooleanField(
                                null=True, verbose_name="imminent risk of serious injury or death"
                            ),
                        ),
                        (
                            "no_other_place",
                            models.BooleanField(
                                null=True,
                                verbose_name="no other place of safety can reasonably detain them",
                            ),
                        ),
                        (
                            "hcp_available",
                            models.BooleanField(
                                null=True, verbose_name="a healthcare professional will be present"
                            ),
                        ),
                        (
                            "decision_maker_name",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="decision-maker"
                            ),
                        ),
                        (
                            "decision_maker_rank",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("constable", "Constable"),
                                    ("sergeant", "Sergeant"),
                                    ("inspector", "Inspector"),
                                    ("chief_inspector", "Chief inspector"),
                                    ("superintendent", "Superintendent"),
                                    ("chief_superintendent", "Chief superintendent"),
                                    ("assistant_chief_constable", "Assistant chief constable"),
                                    ("deputy_chief_constable", "Deputy chief constable"),
                                    ("chief_constable", "Chief constable"),
                                    ("amhp", "AMHP (arranging a transfer)"),
                                ],
                                max_length=40,
                                verbose_name="decision-maker's rank",
                            ),
                        ),
                        (
                            "consulted_professional",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="professional consulted"
                            ),
                        ),
                        (
                            "consultation_not_practicable_reason",
                            models.TextField(
                                blank=True, verbose_name="why consultation was not practicable"
                            ),
                        ),
                        (
                            "inspector_name",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="authorising inspector"
                            ),
                        ),
                        (
                            "inspector_rank",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("constable", "Constable"),
                                    ("sergeant", "Sergeant"),
                                    ("inspector", "Inspector"),
                                    ("chief_inspector", "Chief inspector"),
                                    ("superintendent", "Superintendent"),
                                    ("chief_superintendent", "Chief superintendent"),
                                    ("assistant_chief_constable", "Assistant chief constable"),
                                    ("deputy_chief_constable", "Deputy chief constable"),
                                    ("chief_constable", "Chief constable"),
                                    ("amhp", "AMHP (arranging a transfer)"),
                                ],
                                max_length=40,
                                verbose_name="authorising officer's rank",
                            ),
                        ),
                        (
                            "authorised_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="authorised at"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "incidents_policestationdecision",
                    },
                ),
                migrations.CreateModel(
                    name="Review",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="recorded at"),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        ("reviewed_at", models.DateTimeField(verbose_name="reviewed at")),
                        (
                            "conditions_met",
                            models.BooleanField(verbose_name="conditions still met"),
                        ),
                        (
                            "asleep",
                            models.BooleanField(default=False, verbose_name="person asleep"),
                        ),
                        (
                            "hcp_available",
                            models.BooleanField(
                                default=True, verbose_name="healthcare professional still available"
                            ),
                        ),
                        (
                            "reviewer_name",
                            models.CharField(blank=True, max_length=200, verbose_name="reviewer"),
                        ),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                    ],
                    options={
                        "db_table": "incidents_review",
                        "ordering": ["reviewed_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Transfer",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="recorded at"),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        ("departed_at", models.DateTimeField(verbose_name="departed at")),
                        (
                            "arrived_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="arrived at"),
                        ),
                        ("reason", models.TextField(blank=True, verbose_name="reason")),
                        (
                            "authorised_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="authorised by"
                            ),
                        ),
                        (
                            "place_status_at_arrival",
                            models.CharField(
                                blank=True,
                                help_text="Effective status of the destination when they arrived.",
                                max_length=10,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "incidents_transfer",
                        "ordering": ["departed_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="TransferException",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="recorded at"),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        ("recorded_for", models.DateTimeField(verbose_name="decided at")),
                        ("reason", models.TextField(verbose_name="reason")),
                    ],
                    options={
                        "db_table": "incidents_transferexception",
                    },
                ),
                migrations.CreateModel(
                    name="UnlawfulAct",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "target",
                            models.CharField(max_length=100, verbose_name="what was recorded"),
                        ),
                        ("rule", models.CharField(max_length=10, verbose_name="rule")),
                        ("code", models.CharField(max_length=60, verbose_name="code")),
                        ("account", models.TextField(verbose_name="account of why")),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        ("recorded_at", models.DateTimeField(verbose_name="recorded at")),
                        ("happened_at", models.DateTimeField(verbose_name="happened at")),
                        (
                            "review_decision",
                            models.CharField(
                                blank=True,
                                choices=[("reviewed", "Reviewed")],
                                max_length=20,
                                verbose_name="review decision",
                            ),
                        ),
                        ("review_note", models.TextField(blank=True, verbose_name="review note")),
                        (
                            "reviewed_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="reviewed by"
                            ),
                        ),
                        (
                            "reviewed_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="reviewed at"),
                        ),
                    ],
                    options={
                        "verbose_name": "unlawful act recorded",
                        "db_table": "incidents_unlawfulact",
                        "ordering": ["recorded_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="WelfareCheck",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="recorded at"),
                        ),
                        (
                            "late_entry_reason",
                            models.TextField(blank=True, verbose_name="entered late because"),
                        ),
                        ("checked_at", models.DateTimeField(verbose_name="checked at")),
                        (
                            "professional_name",
                            models.CharField(max_length=200, verbose_name="professional"),
                        ),
                        (
                            "profession",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("doctor", "Registered medical practitioner"),
                                    ("nurse", "Registered nurse"),
                                    ("amhp", "AMHP"),
                                    ("occupational_therapist", "Occupational therapist"),
                                    ("paramedic", "Paramedic"),
                                ],
                                max_length=30,
                                verbose_name="profession",
                            ),
                        ),
                        (
                            "risk_requires_waking",
                            models.BooleanField(
                                default=True, verbose_name="risk requires waking the person"
                            ),
                        ),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                    ],
                    options={
                        "db_table": "incidents_welfarecheck",
                        "ordering": ["checked_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Detention",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "reference",
                            models.CharField(max_length=40, unique=True, verbose_name="reference"),
                        ),
                        (
                            "power",
                            models.CharField(
                                choices=[
                                    ("s136", "Section 136 (removal from a public place)"),
                                    ("s135_1", "Section 135(1) warrant"),
                                ],
                                default="s136",
                                max_length=10,
                                verbose_name="power",
                            ),
                        ),
                        ("detained_at", models.DateTimeField(verbose_name="detained at")),
                        (
                            "mode",
                            models.CharField(
                                choices=[
                                    ("removed", "Removed to a place of safety"),
                                    ("kept", "Kept at the place of safety where they already were"),
                                ],
                                default="removed",
                                max_length=10,
                                verbose_name="mode",
                            ),
                        ),
                        (
                            "location_kind",
                            models.CharField(
                                choices=[
                                    ("public_place", "Public place"),
                                    (
                                        "private_dwelling",
                                        "Private dwelling (house, flat or room where someone lives)",
                                    ),
                                    (
                                        "dwelling_garden_or_outbuilding",
                                        "Garden, yard, garage or outbuilding of a dwelling",
                                    ),
                                    ("shared_communal_area", "Shared communal area"),
                                    (
                                        "health_setting",
                                        "Health setting (for example an emergency department)",
                                    ),
                                    ("other", "Other"),
                                ],
                                max_length=40,
                                verbose_name="kind of location",
                            ),
                        ),
                        (
                            "location_description",
                            models.CharField(blank=True, max_length=300, verbose_name="where"),
                        ),
                        (
                            "consulted_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="consulted at"
                            ),
                        ),
                        (
                            "consultation_profession",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("doctor", "Registered medical practitioner"),
                                    ("nurse", "Registered nurse"),
                                    ("amhp", "AMHP"),
                                    ("occupational_therapist", "Occupational therapist"),
                                    ("paramedic", "Paramedic"),
                                ],
                                max_length=30,
                                verbose_name="profession consulted",
                            ),
                        ),
                        (
                            "consultation_name",
                            models.CharField(
                                blank=True,
                                max_length=200,
                                verbose_name="name of professional consulted",
                            ),
                        ),
                        (
                            "consultation_advice",
                            models.TextField(blank=True, verbose_name="advice given"),
                        ),
                        (
                            "consultation_not_practicable_reason",
                            models.TextField(
                                blank=True, verbose_name="why consultation was not practicable"
                            ),
                        ),
                        (
                            "conveyance_mode",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("ambulance", "Ambulance"),
                                    ("police_vehicle", "Police vehicle"),
                                    ("other_health_vehicle", "Other health vehicle"),
                                    ("other", "Other"),
                                    ("none", "None (already at the place of safety)"),
                                ],
                                max_length=30,
                                verbose_name="conveyance",
                            ),
                        ),
                        (
                            "conveyance_reason",
                            models.CharField(
                                blank=True,
                                choices=[
                                    (
                                        "ambulance_not_available_30min",
                                        "Ambulance not available within 30 minutes",
                                    ),
                                    ("ambulance_not_requested", "Ambulance not requested"),
                                    ("ambulance_diverted", "Ambulance diverted"),
                                    ("crew_declined", "Ambulance crew declined"),
                                    ("risk_of_violence", "Risk of violence"),
                                    ("arrested_for_offence", "Arrested for an offence"),
                                    ("other", "Other"),
                                ],
                                max_length=40,
                                verbose_name="reason for a police vehicle",
                            ),
                        ),
                        (
                            "warrant_issued_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="warrant issued at"
                            ),
                        ),
                        (
                            "premises_entered_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="premises entered at"
                            ),
                        ),
                        (
                            "rule_set",
                            models.CharField(
                                choices=[
                                    (
                                        "pca2017",
                                        "MHA 1983 as amended by the Policing and Crime Act 2017",
                                    ),
                                    ("mha1983-original", "MHA 1983 before 11 December 2017"),
                                    (
                                        "mha2025",
                                        "MHA 1983 as amended by the Mental Health Act 2025",
                                    ),
                                ],
                                max_length=30,
                                verbose_name="rule set",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("in_transit", "In transit"),
                                    ("at_place_of_safety", "At a place of safety"),
                                    ("absent", "Absent (escaped)"),
                                    ("ended", "Ended"),
                                ],
                                default="in_transit",
                                max_length=30,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "clock_started_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="clock started at"
                            ),
                        ),
                        (
                            "expires_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="expires at"),
                        ),
                        (
                            "extended_until",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="extended until"
                            ),
                        ),
                        ("at_police_station", models.BooleanField(default=False)),
                        ("next_welfare_check_due_at", models.DateTimeField(blank=True, null=True)),
                        ("next_review_due_at", models.DateTimeField(blank=True, null=True)),
                        ("transfer_required", models.BooleanField(default=False)),
                        ("retake_by", models.DateTimeField(blank=True, null=True)),
                        ("assessment_due_at", models.DateTimeField(blank=True, null=True)),
                        ("handover_due_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "outcome",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("admitted_informal", "Admitted informally"),
                                    ("detained_s2", "Detained under section 2"),
                                    ("detained_s3", "Detained under section 3"),
                                    ("discharged_no_follow_up", "Discharged, no follow-up"),
                                    ("discharged_with_referral", "Discharged with a referral"),
                                    ("no_mental_disorder", "No mental disorder found (released)"),
                                    ("arrested_for_offence", "Arrested for an offence"),
                                    ("transferred_physical_care", "Transferred for physical care"),
                                    ("absconded", "Absconded (not retaken)"),
                                    ("other", "Other"),
                                ],
                                max_length=40,
                                verbose_name="outcome",
                            ),
                        ),
                        (
                            "ended_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="ended at"),
                        ),
                        (
                            "recorded_by",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="recorded by"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "current_place_of_safety",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="current_detentions",
                                to="places_of_safety.placeofsafety",
                            ),
                        ),
                        (
                            "in_transfer_to",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="incoming_detentions",
                                to="places_of_safety.placeofsafety",
                            ),
                        ),
                        (
                            "incident",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="detentions",
                                to="incidents.incident",
                            ),
                        ),
                        (
                            "npu",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="detentions",
                                to="accounts.npu",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="detentions",
                                to="accounts.organisation",
                                verbose_name="force",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "detention",
                        "db_table": "incidents_detention",
                        "ordering": ["-detained_at"],
                    },
                ),
                migrations.AddField(
                    model_name="detention",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="detentions",
                        to="people.person",
                    ),
                ),
                migrations.AddField(
                    model_name="correction",
                    name="detention",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="corrections",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="assessment",
                    name="detention",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="assessment",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="detentionarrival",
                    name="detention",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="arrival",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="detentionarrival",
                    name="place",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="arrivals",
                        to="places_of_safety.placeofsafety",
                    ),
                ),
                migrations.AddField(
                    model_name="escape",
                    name="detention",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="escapes",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="extension",
                    name="detention",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="extension",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="handover",
                    name="detention",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="handover",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="historicalassessment",
                    name="detention",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="historicalassessment",
                    name="history_user",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="historicalcorrection",
                    name="detention",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="historicalcorrection",
                    name="history_user",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="historicaldetention",
                    name="created_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="historicaldetention",
                    name="current_place_of_safety",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="places_of_safety.placeofsafety",
                    ),
                ),
                migrations.AddField(
                    model_name="historicaldetention",
                    name="history_user",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="historicaldetention",
                    name="in_transfer_to",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="places_of_safety.placeofsafety",
                    ),
                ),
                migrations.AddField(
                    model_name="historicaldetention",
                    name="incident",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="incidents.incident",
                    ),
                ),
                migrations.AddField(
                    model_name="historicaldetention",
                    name="npu",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="accounts.npu",
                    ),
                ),
                migrations.AddField(
                    model_name="historicaldetention",
                    name="organisation",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="force",
                    ),
                ),
                migrations.AddField(
                    model_name="historicaldetention",
                    name="person",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="people.person",
                    ),
                ),
                migrations.AddField(
                    model_name="historicaldetentionarrival",
                    name="detention",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="historicaldetentionarrival",
                    name="history_user",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="historicaldetentionarrival",
                    name="place",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="places_of_safety.placeofsafety",
                    ),
                ),
                migrations.AddField(
                    model_name="historicalescape",
                    name="detention",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="historicalescape",
                    name="history_user",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="historicalextension",
                    name="detention",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="historicalextension",
                    name="history_user",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="historicalhandover",
                    name="detention",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="historicalhandover",
                    name="history_user",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="historicalpolicestationdecision",
                    name="history_user",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="historicalreview",
                    name="detention",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="historicalreview",
                    name="history_user",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="historicaltransfer",
                    name="detention",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="historicaltransfer",
                    name="from_place",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="places_of_safety.placeofsafety",
                    ),
                ),
                migrations.AddField(
                    model_name="historicaltransfer",
                    name="history_user",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="historicaltransfer",
                    name="to_place",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="places_of_safety.placeofsafety",
                    ),
                ),
                migrations.AddField(
                    model_name="historicaltransferexception",
                    name="detention",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="historicaltransferexception",
                    name="history_user",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="historicalunlawfulact",
                    name="detention",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="historicalunlawfulact",
                    name="history_user",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="historicalwelfarecheck",
                    name="detention",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="historicalwelfarecheck",
                    name="history_user",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="historicaltransfer",
                    name="police_station_decision",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="detentions.policestationdecision",
                    ),
                ),
                migrations.AddField(
                    model_name="historicaldetentionarrival",
                    name="police_station_decision",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="detentions.policestationdecision",
                    ),
                ),
                migrations.AddField(
                    model_name="detentionarrival",
                    name="police_station_decision",
                    field=models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="arrival",
                        to="detentions.policestationdecision",
                    ),
                ),
                migrations.AddField(
                    model_name="review",
                    name="detention",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reviews",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="transfer",
                    name="detention",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="transfers",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="transfer",
                    name="from_place",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="transfers_out",
                        to="places_of_safety.placeofsafety",
                    ),
                ),
                migrations.AddField(
                    model_name="transfer",
                    name="police_station_decision",
                    field=models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="transfer",
                        to="detentions.policestationdecision",
                    ),
                ),
                migrations.AddField(
                    model_name="transfer",
                    name="to_place",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="transfers_in",
                        to="places_of_safety.placeofsafety",
                    ),
                ),
                migrations.AddField(
                    model_name="transferexception",
                    name="detention",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="transfer_exceptions",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="unlawfulact",
                    name="detention",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="unlawful_acts",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddField(
                    model_name="welfarecheck",
                    name="detention",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="welfare_checks",
                        to="detentions.detention",
                    ),
                ),
                migrations.AddIndex(
                    model_name="detention",
                    index=models.Index(
                        condition=models.Q(("ended_at__isnull", True)),
                        fields=["expires_at"],
                        name="det_active_expires",
                    ),
                ),
                migrations.AddIndex(
                    model_name="detention",
                    index=models.Index(
                        condition=models.Q(("ended_at__isnull", True)),
                        fields=["next_welfare_check_due_at"],
                        name="det_active_welfare",
                    ),
                ),
                migrations.AddIndex(
                    model_name="detention",
                    index=models.Index(
                        condition=models.Q(("ended_at__isnull", True)),
                        fields=["next_review_due_at"],
                        name="det_active_review",
                    ),
                ),
                migrations.AddIndex(
                    model_name="detention",
                    index=models.Index(
                        condition=models.Q(("ended_at__isnull", True)),
                        fields=["assessment_due_at"],
                        name="det_active_assess",
                    ),
                ),
                migrations.AddIndex(
                    model_name="detention",
                    index=models.Index(
                        condition=models.Q(("ended_at__isnull", True)),
                        fields=["handover_due_at"],
                        name="det_active_handover",
                    ),
                ),
                migrations.AddIndex(
                    model_name="detention",
                    index=models.Index(
                        fields=["organisation", "-detained_at"], name="det_org_detained"
                    ),
                ),
                migrations.AddIndex(
                    model_name="detention",
                    index=models.Index(fields=["person", "ended_at"], name="det_person_ended"),
                ),
                migrations.AddIndex(
                    model_name="detention",
                    index=models.Index(fields=["status"], name="det_status"),
                ),
                migrations.AddConstraint(
                    model_name="detention",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("ended_at__isnull", True)),
                        fields=("person",),
                        name="one_active_detention_per_person",
                    ),
                ),
                migrations.AddIndex(
                    model_name="unlawfulact",
                    index=models.Index(
                        condition=models.Q(("review_decision", "")),
                        fields=["recorded_at"],
                        name="unlawful_unreviewed",
                    ),
                ),
                migrations.AddIndex(
                    model_name="unlawfulact",
                    index=models.Index(
                        fields=["happened_at", "detention"], name="unlawful_happened"
                    ),
                ),
            ],
        ),
        _content_types(
            "detentions",
            [
                "assessment",
                "correction",
                "detention",
                "detentionarrival",
                "escape",
                "extension",
                "handover",
                "historicalassessment",
                "historicalcorrection",
                "historicaldetention",
                "historicaldetentionarrival",
                "historicalescape",
                "historicalextension",
                "historicalhandover",
                "historicalpolicestationdecision",
                "historicalreview",
                "historicaltransfer",
                "historicaltransferexception",
                "historicalunlawfulact",
                "historicalwelfarecheck",
                "policestationdecision",
                "review",
                "transfer",
                "transferexception",
                "unlawfulact",
                "welfarecheck",
            ],
        ),
    ]
