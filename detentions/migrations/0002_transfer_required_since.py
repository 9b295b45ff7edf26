"""PS6: `Detention.transfer_required_since`, the review that made a transfer from the police
station required (a derived column, recomputed with the others), so that the alert sweep compares
columns only. Backfilled for running detentions with the instant the sweep derived from the
reviews until now (the latest review that found the conditions no longer met, else the last
change), so an alert already raised keeps its `due_at` and is not raised again."""

from django.db import migrations, models

BACKFILL = """
UPDATE incidents_detention d
   SET transfer_required_since = COALESCE(
         (SELECT max(r.reviewed_at) FROM incidents_review r
           WHERE r.detention_id = d.id AND (NOT r.conditions_met OR NOT r.hcp_available)),
         d.updated_at)
 WHERE d.transfer_required AND d.ended_at IS NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("detentions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="detention",
            name="transfer_required_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicaldetention",
            name="transfer_required_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="detention",
            index=models.Index(
                condition=models.Q(
                    ("ended_at__isnull", True), ("transfer_required_since__isnull", False)
                ),
                fields=["transfer_required_since"],
                name="det_active_transfer_req",
            ),
        ),
    ]
