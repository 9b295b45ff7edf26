"""Covering indexes for the dashboards' aggregates over ten years of incidents: the figures read
only these columns, so PostgreSQL answers them with index-only scans (no heap visits).
Built CONCURRENTLY (no write lock on a live database), hence a non-atomic migration."""

from django.db import migrations

INDEXES = [
    (
        "rep_inc_org_occurred_cover",
        "incidents_incident (organisation_id, occurred_at) INCLUDE (id, npu_id, category, "
        "rcrp_threshold, rcrp_passed_to, healthcare_setting, location_key)",
    ),
    ("rep_officer_incident_minutes", "incidents_officerdeployment (incident_id) INCLUDE (minutes)"),
    ("rep_incident_people_incident", "incidents_incident_people (incident_id) INCLUDE (person_id)"),
]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("reporting", "0001_initial"),
        ("incidents", "0002_incident_detail_people_merge"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {definition}",
            f"DROP INDEX CONCURRENTLY IF EXISTS {name}",
        )
        for name, definition in INDEXES
    ]
