"""Seeds the provisional populations of regions/data/population.csv (the demo's and the
tests' communes), for communes that have no figure yet. `manage.py load_population`
replaces them with Statbel's file.

The figures are frozen here as they stood when this migration was written, so that it
imports no application code: a later change to the file or to its reader cannot change
what this migration did."""

from datetime import date

from django.db import migrations
from django.utils import timezone

SOURCE = "regions/data/population.csv (provisional, to be replaced by Statbel's file)"
SEED = [
    ("21001", "Anderlecht", 127900),
    ("21007", "Forest", 56600),
    ("21009", "Ixelles", 87000),
    ("21012", "Molenbeek-Saint-Jean", 98200),
    ("21015", "Schaerbeek", 133000),
    ("53053", "Mons", 96000),
    ("57081", "Tournai", 69000),
    ("62063", "Liège", 197000),
    ("92094", "Namur", 113300),
]
REFERENCE_DATE = date(2024, 1, 1)


def seed(apps, schema_editor):
    if getattr(schema_editor.connection, "schema_name", "public") != "public":
        return
    model = apps.get_model("tenants", "CommunePopulation")
    known = set(model.objects.values_list("nis_code", flat=True))
    now = timezone.now()
    model.objects.bulk_create(
        model(
            nis_code=nis_code,
            name=name,
            population=population,
            reference_date=REFERENCE_DATE,
            source=SOURCE,
            is_provisional=True,
            created_at=now,
            updated_at=now,
        )
        for nis_code, name, population in SEED
        if nis_code not in known
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0007_commune_population"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
