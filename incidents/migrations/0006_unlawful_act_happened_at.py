"""R1 on the dashboards: when an unlawful act happened (the event's own time), indexed for the
count of acts in a period. Acts recorded before this migration take their recording time."""

from django.db import migrations, models

BACKFILL = """
UPDATE incidents_unlawfulact SET happened_at = recorded_at WHERE happened_at IS NULL;
UPDATE incidents_historicalunlawfulact SET happened_at = recorded_at WHERE happened_at IS NULL;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0005_truthful_record"),
    ]

    operations = [
        migrations.AddField(
            model_name="unlawfulact",
            name="happened_at",
            field=models.DateTimeField(null=True, verbose_name="happened at"),
        ),
        migrations.AddField(
            model_name="historicalunlawfulact",
            name="happened_at",
            field=models.DateTimeField(null=True, verbose_name="happened at"),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="unlawfulact",
            name="happened_at",
            field=models.DateTimeField(verbose_name="happened at"),
        ),
        migrations.AlterField(
            model_name="historicalunlawfulact",
            name="happened_at",
            field=models.DateTimeField(verbose_name="happened at"),
        ),
        migrations.AddIndex(
            model_name="unlawfulact",
            index=models.Index(fields=["happened_at", "detention"], name="unlawful_happened"),
        ),
    ]
