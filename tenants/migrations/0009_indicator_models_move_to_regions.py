"""IndicatorValue and CommunePopulation now live in the regions app (its 0001), on the same
tables: drop them from tenants' state only, the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0008_seed_commune_population"),
        ("regions", "0001_indicator_models_from_tenants"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="IndicatorValue"),
                migrations.DeleteModel(name="CommunePopulation"),
            ],
        ),
    ]
