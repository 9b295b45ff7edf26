"""An index for describing a repeat location by its latest incident in a range: one probe per
location (reporting.queries._latest_at_locations). Built CONCURRENTLY (no write lock on a live
database), hence a non-atomic migration."""

from django.db import migrations


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("reporting", "0007_person_incident_links")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS rep_inc_org_location_at "
            "ON incidents_incident (organisation_id, location_key, occurred_at DESC)",
            "DROP INDEX CONCURRENTLY IF EXISTS rep_inc_org_location_at",
        )
    ]
