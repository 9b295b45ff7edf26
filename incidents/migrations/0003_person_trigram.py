import django.contrib.postgres.indexes
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def backfill(apps, schema_editor):
    """Fill the normalised search name and location key of rows made before 0002."""
    from incidents.models import location_key
    from people.models import normalise_name

    Person = apps.get_model("incidents", "Person")
    for person in Person.objects.filter(search_name="").only("given_name", "family_name"):
        person.search_name = normalise_name(f"{person.given_name} {person.family_name}")
        person.save(update_fields=["search_name"])
    Incident = apps.get_model("incidents", "Incident")
    for incident in Incident.objects.filter(location_key=""):
        incident.location_key = location_key(
            healthcare_place_id=incident.healthcare_place_id,
            postcode=incident.location_postcode,
            description=incident.location_description,
        )
        incident.save(update_fields=["location_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("incidents", "0002_incident_detail_people_merge"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddIndex(
            model_name="person",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_name"], name="person_search_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
