"""IndicatorValue and CommunePopulation move from tenants to regions. Their tables stay
where they are (tenants_indicatorvalue, tenants_communepopulation, with their index and
constraint names): only Django's state changes, so no statement reaches the database
(tenants 0009 drops them from tenants' state). tenants 0008 still seeds populations
through the historical tenants.CommunePopulation, which exists until 0009."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("tenants", "0008_seed_commune_population"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IndicatorValue",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("period", models.CharField(help_text="2026-11, 2026-Q4 or 2026", max_length=7)),
                        ("indicator", models.CharField(max_length=48)),
                        ("dimension", models.CharField(blank=True, max_length=48)),
                        ("value", models.FloatField()),
                        ("computed_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "coordination",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="indicator_values",
                                to="tenants.coordination",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "tenants_indicatorvalue",
                        "indexes": [models.Index(fields=["period", "indicator"], name="indicator_by_period")],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("coordination", "period", "indicator", "dimension"),
                                name="indicator_value_once",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="CommunePopulation",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "nis_code",
                            models.CharField(
                                max_length=5,
                                unique=True,
                                validators=[
                                    django.core.validators.RegexValidator("^\\d{5}$", "A NIS code has five digits.")
                                ],
                                verbose_name="NIS code",
                            ),
                        ),
                        ("name", models.CharField(max_length=120, verbose_name="commune")),
                        ("population", models.PositiveIntegerField(verbose_name="inhabitants")),
                        ("reference_date", models.DateField(verbose_name="reference date")),
                        ("source", models.CharField(max_length=200, verbose_name="source")),
                        ("is_provisional", models.BooleanField(default=False, verbose_name="provisional")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "db_table": "tenants_communepopulation",
                        "verbose_name": "commune population",
                        "ordering": ["nis_code"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("nis_code__regex", "^\\d{5}$")),
                                name="commune_population_nis_five_digits",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
