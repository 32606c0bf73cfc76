"""The regional comparison's figures, in the public schema: indicator values computed by
regions.indicators and the communes' populations they are divided by."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import nis_code_validator


class IndicatorValue(models.Model):
    """One figure of the regional comparison: a count or a duration, never a person.

    Computed by regions.indicators into the public schema; shown through the suppression
    rules of that module only.
    """

    coordination = models.ForeignKey("tenants.Coordination", on_delete=models.CASCADE, related_name="indicator_values")
    period = models.CharField(max_length=7, help_text="2026-11, 2026-Q4 or 2026")
    indicator = models.CharField(max_length=48)
    dimension = models.CharField(max_length=48, blank=True)
    value = models.FloatField()
    computed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "tenants_indicatorvalue"  # created when the model lived in tenants
        constraints = [
            models.UniqueConstraint(
                fields=["coordination", "period", "indicator", "dimension"], name="indicator_value_once"
            )
        ]
        indexes = [models.Index(fields=["period", "indicator"], name="indicator_by_period")]

    def __str__(self) -> str:
        return f"{self.coordination_id} {self.period} {self.indicator}[{self.dimension}] = {self.value}"


class CommunePopulation(models.Model):
    """Inhabitants of a commune on a reference date (Statbel, "Population par commune au
    1er janvier"), for the regional comparison's figures per 1,000 inhabitants. Loaded by
    `manage.py load_population`; seeded from regions/data/population.csv."""

    nis_code = models.CharField(_("NIS code"), max_length=5, unique=True, validators=[nis_code_validator])
    name = models.CharField(_("commune"), max_length=120)
    population = models.PositiveIntegerField(_("inhabitants"))
    reference_date = models.DateField(_("reference date"))
    source = models.CharField(_("source"), max_length=200)
    # Approximate figures from the seed file, until Statbel's file is loaded.
    is_provisional = models.BooleanField(_("provisional"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "tenants_communepopulation"  # created when the model lived in tenants
        ordering = ["nis_code"]
        verbose_name = _("commune population")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nis_code__regex=r"^\d{5}$"), name="commune_population_nis_five_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nis_code}): {self.population}"
