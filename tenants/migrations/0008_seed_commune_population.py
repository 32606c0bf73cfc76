"""Seeds the provisional populations of regions/data/population.csv (the demo's and the
tests' communes), for communes that have no figure yet. `manage.py load_population`
replaces them with Statbel's file."""

from django.db import migrations


def seed(apps, schema_editor):
    if getattr(schema_editor.connection, "schema_name", "public") != "public":
        return
    from regions.population import load_seed

    load_seed(apps.get_model("tenants", "CommunePopulation"))


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0007_commune_population"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
