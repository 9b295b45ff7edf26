"""Only the indexes a query reads, on the tables a catch-up sweep writes thousands of rows into
(alerts/models.py says which query reads each one kept):

- alerts_alert: the GIN of `organisations` (no query used it: the inbox and the header's count
  test it in one branch of an OR, over the open alerts of `alert_unacked`);
- alerts_delivery: the index of `alert_id` (the unique `delivery_once_per_level` starts with it);
- the history tables of both: the two indexes of `changed_by` (the audit search matches it with
  `icontains`, which no b-tree serves), the historical delivery's `user_id` (nothing reads
  history by it), and partial indexes (`IS NOT NULL`) in place of full ones for the subjects
  other than the detention and for `history_user_id` (NULL in every row a system task writes).

The foreign keys whose own index goes (`alerts_delivery.alert_id`, the `history_user_id` of
both history tables) keep their constraints: their index is dropped by name, not by altering the
field (which would drop and re-add the constraint, re-validating every row under lock).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _drop_index(name: str, table: str, column: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"',
        reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")',
    )


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0011_subject_indexes_hold_their_rows"),
        ("detentions", "0004_merge_20261207_0646"),
        ("partners", "0004_h21hooks_webhook_event_choices"),
        ("protocols", "0001_initial"),
        ("training", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="alert",
            name="alert_orgs_gin",
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="delivery",
                    name="alert",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="alerts.alert",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalalert",
                    name="history_user",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="historicaldelivery",
                    name="history_user",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                _drop_index("alerts_delivery_alert_id_527311ab", "alerts_delivery", "alert_id"),
                _drop_index(
                    "alerts_historicalalert_history_user_id_53580bb3",
                    "alerts_historicalalert",
                    "history_user_id",
                ),
                _drop_index(
                    "alerts_historicaldelivery_history_user_id_3eea6931",
                    "alerts_historicaldelivery",
                    "history_user_id",
                ),
            ],
        ),
        migrations.AlterField(
            model_name="historicalalert",
            name="changed_by",
            field=models.CharField(blank=True, max_length=200, verbose_name="changed by"),
        ),
        migrations.AlterField(
            model_name="historicalalert",
            name="protocol",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="protocols.protocol",
            ),
        ),
        migrations.AlterField(
            model_name="historicalalert",
            name="referral",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="partners.referral",
            ),
        ),
        migrations.AlterField(
            model_name="historicalalert",
            name="training_record",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="training.trainingrecord",
            ),
        ),
        migrations.AlterField(
            model_name="historicaldelivery",
            name="changed_by",
            field=models.CharField(blank=True, max_length=200, verbose_name="changed by"),
        ),
        migrations.AlterField(
            model_name="historicaldelivery",
            name="user",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="historicalalert",
            index=models.Index(
                condition=models.Q(("referral__isnull", False)),
                fields=["referral"],
                name="halert_referral",
            ),
        ),
        migrations.AddIndex(
            model_name="historicalalert",
            index=models.Index(
                condition=models.Q(("protocol__isnull", False)),
                fields=["protocol"],
                name="halert_protocol",
            ),
        ),
        migrations.AddIndex(
            model_name="historicalalert",
            index=models.Index(
                condition=models.Q(("training_record__isnull", False)),
                fields=["training_record"],
                name="halert_training_record",
            ),
        ),
        migrations.AddIndex(
            model_name="historicalalert",
            index=models.Index(
                condition=models.Q(("history_user__isnull", False)),
                fields=["history_user"],
                name="halert_history_user",
            ),
        ),
        migrations.AddIndex(
            model_name="historicaldelivery",
            index=models.Index(
                condition=models.Q(("history_user__isnull", False)),
                fields=["history_user"],
                name="hdelivery_history_user",
            ),
        ),
    ]
