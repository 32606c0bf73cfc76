"""Reads of the stored indicator snapshots for the regional dashboard, already suppressed.

Only `tenants.indicators` reads across schemas; this module reads the snapshots it stored
in the public schema and passes every figure through `indicators.present()`, so nothing
that leaves here is a raw small count. Breakdown totals are themselves presented as one
count (a total of 1 to 4 shows as "<5").
"""

from dataclasses import dataclass, field

from tenants.indicators import INDICATORS, Cell, Period, _coordinations, present
from tenants.models import IndicatorValue

NO_FIGURE = Cell(None, "")  # not computed for this period, or too few answers for a duration


@dataclass
class Territory:
    pk: int
    slug: str
    name: str
    totals: dict[str, Cell] = field(default_factory=dict)  # indicator → presented total
    breakdowns: dict[str, dict[str, Cell]] = field(default_factory=dict)  # indicator → dimension → cell


def _raw(coordination_ids, labels) -> dict[tuple[int, str, str], dict[str, float]]:
    rows = IndicatorValue.objects.filter(period__in=labels, coordination_id__in=coordination_ids)
    raw: dict[tuple[int, str, str], dict[str, float]] = {}
    for row in rows.values("coordination_id", "period", "indicator", "dimension", "value"):
        key = (row["coordination_id"], row["period"], row["indicator"])
        raw.setdefault(key, {})[row["dimension"]] = row["value"]
    return raw


def _total(values: dict[str, float] | None, kind: str, computed: bool) -> Cell:
    if not computed:
        return NO_FIGURE
    if kind == "count":
        return present({"": sum((values or {}).values())}, "count")[""]
    if not values:
        return NO_FIGURE
    return present({"": values.get("", next(iter(values.values())))}, kind)[""]


def _computed_keys(raw) -> set[tuple[int, str]]:
    return {(key[0], key[1]) for key in raw}


def region_figures(*, region: str, period: Period) -> list[Territory]:
    """Each active coordination of the region with every indicator's total and breakdown."""
    coordinations = _coordinations(region)
    raw = _raw([c.pk for c in coordinations], [period.label])
    computed_keys = _computed_keys(raw)
    territories = []
    for coordination in coordinations:
        territory = Territory(coordination.pk, coordination.slug, coordination.name)
        computed = (coordination.pk, period.label) in computed_keys
        for name, spec in INDICATORS.items():
            values = raw.get((coordination.pk, period.label, name))
            territory.totals[name] = _total(values, spec["kind"], computed)
            territory.breakdowns[name] = dict(sorted(present(values or {}, spec["kind"]).items()))
        territories.append(territory)
    return territories


def months_before(period: Period, count: int = 12) -> list[str]:
    """The `count` month labels before the period starts, oldest first."""
    labels = []
    year, month = period.start.year, period.start.month
    for _ in range(count):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        labels.append(f"{year}-{month:02d}")
    return list(reversed(labels))


def monthly_totals(*, region: str, period: Period, indicator: str, count: int = 12) -> tuple[list[str], dict]:
    """Per coordination, the presented total of one count indicator for each of the
    `count` months before the period. A month never computed is None (a gap)."""
    coordinations = _coordinations(region)
    labels = months_before(period, count)
    raw = _raw([c.pk for c in coordinations], labels)
    computed_keys = _computed_keys(raw)
    series = {}
    for coordination in coordinations:
        series[coordination.pk] = [
            _total(raw.get((coordination.pk, label, indicator)), "count", True)
            if (coordination.pk, label) in computed_keys
            else None
            for label in labels
        ]
    return labels, series
