"""Reads of the stored indicator snapshots for the regional dashboard, already suppressed.

Only `regions.indicators` reads across schemas; this module reads the snapshots it stored
in the public schema and passes every figure through `indicators.present()`, so nothing
that leaves here is a raw small count. Breakdown totals are themselves presented as one
count (a total of 1 to 4 shows as "<5"). A rate per 1,000 inhabitants is only derived
from a count that is shown: a suppressed count has no rate.

Every function reads a region's coordinations in a fixed number of queries, whatever
their number.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from django.db import connection
from django.db.models import Max, Q, Sum

from regions.indicators import INDICATORS, Cell, Period, _coordinations, present, sub_periods
from regions.models import CommunePopulation, IndicatorValue
from tenants.models import Coordination, CoordinationCommune

NO_FIGURE = Cell(None, "")  # not computed for this period, or too few answers for a duration
NO_RATE = "—"  # population unknown
SUPPRESSED = Cell(None, "—")  # hidden so that no suppressed figure can be worked out


def has_total(name: str) -> bool:
    """Count breakdowns whose parts overlap (an offer in two languages counts under both,
    a referral accepted then completed counts as two steps) say `"additive": False`: their
    sum means nothing, so they have no total, only their breakdown."""
    spec = INDICATORS[name]
    return spec["kind"] != "count" or spec.get("additive", True)


@dataclass
class Territory:
    pk: int
    slug: str
    name: str
    totals: dict[str, Cell] = field(default_factory=dict)  # indicator → presented total
    breakdowns: dict[str, dict[str, Cell]] = field(default_factory=dict)  # indicator → dimension → cell
    computed_at: datetime | None = None  # when its figures were computed (a snapshot, not live)


def _raw(coordination_ids, labels, computed: dict | None = None) -> dict[tuple[int, str, str], dict[str, float]]:
    """(coordination, period, indicator) → dimension → value; `computed` gets the latest
    computation time of each (coordination, period)."""
    rows = IndicatorValue.objects.filter(period__in=labels, coordination_id__in=coordination_ids)
    raw: dict[tuple[int, str, str], dict[str, float]] = {}
    computed = {} if computed is None else computed
    for coordination_id, period, indicator, dimension, value, at in rows.values_list(
        "coordination_id", "period", "indicator", "dimension", "value", "computed_at"
    ):
        raw.setdefault((coordination_id, period, indicator), {})[dimension] = value
        key = (coordination_id, period)
        if key not in computed or at > computed[key]:
            computed[key] = at
    return raw


@lru_cache(maxsize=8192)
def _one(value: float, kind: str) -> Cell:
    """One figure as `present()` shows it (remembered: the same values come back often)."""
    return present({"": value}, kind)[""]


def _total(values: dict[str, float] | None, kind: str, computed: bool) -> Cell:
    if not computed:
        return NO_FIGURE
    if kind == "count":
        return _one(sum((values or {}).values()), "count")
    if not values:
        return NO_FIGURE
    return _one(values.get("", next(iter(values.values()))), kind)


def _computed_keys(raw) -> set[tuple[int, str]]:
    return {(key[0], key[1]) for key in raw}


def _hidden_in(raw, pk: int, children: list[str], name: str) -> tuple[set[str], bool]:
    """The parts, and whether the total, of a count that some stored sub-period hides."""
    parts: set[str] = set()
    total = False
    for child in children:
        values = raw.get((pk, child, name))
        if not values:
            continue
        parts |= {key for key, cell in present(values, "count").items() if cell.value is None}
        total = total or _one(sum(values.values()), "count").value is None
    return parts, total


def _nested(cells: dict[str, Cell], values: dict[str, float], hidden: set[str]) -> dict[str, Cell]:
    """A quarter's or a year's breakdown with the parts its months hide hidden too, and
    never one hidden part alone (the total would give it away)."""
    cells = {key: (SUPPRESSED if key in hidden and cell.value is not None else cell) for key, cell in cells.items()}
    if sum(cell.value is None for cell in cells.values()) == 1:
        shown = sorted((values[key], key) for key, cell in cells.items() if cell.value is not None and values[key] > 0)
        if shown:
            cells[shown[0][1]] = SUPPRESSED
    return cells


def _build(coordinations, label: str, raw, computed_at: dict, children: list[str] = ()) -> list[Territory]:
    """`children`: the stored sub-periods of a quarter or a year; a flow count that one of
    them hides is hidden in the whole period too (a difference attack otherwise: the
    quarter minus the months shown)."""
    computed_keys = _computed_keys(raw)
    specs = [(name, spec["kind"], has_total(name), spec.get("flow", False)) for name, spec in INDICATORS.items()]
    territories = []
    for coordination in coordinations:
        pk = coordination.pk
        territory = Territory(pk, coordination.slug, coordination.name, computed_at=computed_at.get((pk, label)))
        computed = (pk, label) in computed_keys
        for name, kind, totalled, flow in specs:
            values = raw.get((pk, label, name))
            total = _total(values, kind, computed) if totalled else NO_FIGURE
            breakdown = dict(sorted(present(values, kind).items())) if values else {}
            if flow and children and values:
                parts, total_hidden = _hidden_in(raw, pk, children, name)
                breakdown = _nested(breakdown, values, parts)
                if total_hidden and total.value is not None:
                    total = SUPPRESSED
            territory.totals[name] = total
            territory.breakdowns[name] = breakdown
        territories.append(territory)
    return territories


def _territories(coordinations: list[Coordination], period: Period) -> list[Territory]:
    computed_at: dict[tuple[int, str], datetime] = {}
    children = sub_periods(period)
    raw = _raw([c.pk for c in coordinations], [period.label, *children], computed_at)
    return _build(coordinations, period.label, raw, computed_at, children)


def region_figures_by_month(*, region: str, labels: list[str], coordinations=None) -> dict[str, list[Territory]]:
    """`region_figures` for several periods at once (one query): label → territories.
    `coordinations`: the region's, when the caller has them (anything with pk, slug and
    name: the territories of `region_figures`)."""
    coordinations = _coordinations(region) if coordinations is None else coordinations
    computed_at: dict[tuple[int, str], datetime] = {}
    raw = _raw([c.pk for c in coordinations], labels, computed_at)
    return {label: _build(coordinations, label, raw, computed_at) for label in labels}


def region_figures(*, region: str, period: Period) -> list[Territory]:
    """Each active coordination of the region with every indicator's total and breakdown."""
    return _territories(_coordinations(region), period)


def coordination_figures(*, coordination: Coordination, period: Period) -> Territory:
    """One coordination's presented figures (its own pages: the action plan)."""
    return _territories([coordination], period)[0]


def months_before(period: Period, count: int = 12) -> list[str]:
    """The `count` month labels before the period starts, oldest first."""
    labels = []
    year, month = period.start.year, period.start.month
    for _ in range(count):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        labels.append(f"{year}-{month:02d}")
    return list(reversed(labels))


# Indicators whose SQL always returns a row (an aggregate without GROUP BY): a month where
# none of them is stored was not computed. Reading them is far cheaper than looking for
# any row of every indicator.
ALWAYS_STORED = ("active_accounts", "cpas_referent_designated")


def monthly_series(
    *, region: str, period: Period, indicators: list[str], count: int = 12, coordinations=None
) -> tuple[list[str], dict[str, dict[int, list[Cell | None]]]]:
    """For each indicator, per coordination, its presented total in each of the `count`
    months before the period: None for a month never computed (a gap); NO_FIGURE for a
    computed month without a figure (a duration from fewer than 5 answers). One query:
    a row per coordination and month, a column per indicator, added up in the database.
    `coordinations`: the region's, when the caller has them already (anything with a pk:
    the territories of `region_figures`)."""
    coordinations = _coordinations(region) if coordinations is None else coordinations
    labels = months_before(period, count)
    wanted = [name for name in indicators if has_total(name)]
    markers = [name for name in ALWAYS_STORED if name in INDICATORS]
    figures = {}  # one column per indicator, one row per coordination and month
    for i, name in enumerate(wanted):
        if INDICATORS[name]["kind"] == "count":
            figures[f"total_{i}"] = Sum("value", filter=Q(indicator=name))
        else:
            figures[f"total_{i}"] = Max("value", filter=Q(indicator=name, dimension=""))
            figures[f"any_{i}"] = Max("value", filter=Q(indicator=name))
    rows = (
        IndicatorValue.objects.filter(
            period__in=labels, indicator__in={*wanted, *markers}, coordination_id__in=[c.pk for c in coordinations]
        )
        .order_by()
        .values("coordination_id", "period")
        .annotate(**figures)
    )
    stored = {}
    computed = set()
    for row in rows:
        key = (row["coordination_id"], row["period"])
        computed.add(key)
        for i, name in enumerate(wanted):
            value = row[f"total_{i}"]
            if value is None and f"any_{i}" in row:
                value = row[f"any_{i}"]
            stored[(*key, name)] = value
    ids = [c.pk for c in coordinations]
    series: dict[str, dict[int, list[Cell | None]]] = {}
    for name in indicators:
        kind = INDICATORS[name]["kind"]
        has_figures = name in wanted
        per_coordination = {}
        for pk in ids:
            points: list[Cell | None] = []
            for label in labels:
                if (pk, label) not in computed:
                    points.append(None)
                elif not has_figures:
                    points.append(NO_FIGURE)
                elif kind == "count":
                    points.append(_one(stored.get((pk, label, name)) or 0.0, "count"))
                else:
                    value = stored.get((pk, label, name))
                    points.append(NO_FIGURE if value is None else _one(value, kind))
            per_coordination[pk] = points
        series[name] = per_coordination
    return labels, series


# --- Per 1,000 inhabitants ----------------------------------------------------------


@dataclass(frozen=True)
class Population:
    """Inhabitants of a coordination's communes, or None with the communes that have no
    figure (or no commune recorded at all)."""

    inhabitants: int | None
    reference_date: date | None = None
    provisional: bool = False
    missing: tuple[str, ...] = ()  # "Commune (NIS)" without a figure
    sources: tuple[str, ...] = ()  # where the communes' figures come from


UNKNOWN_POPULATION = Population(None)


def populations(coordination_ids: list[int]) -> dict[int, Population]:
    """Each coordination's population: the sum of its communes' (Statbel) figures. When a
    commune has none, the coordination has none either (a part would understate it)."""
    communes = list(
        CoordinationCommune.objects.filter(coordination_id__in=coordination_ids).values_list(
            "coordination_id", "name", "nis_code"
        )
    )
    figures = {
        row[0]: row[1:]
        for row in CommunePopulation.objects.filter(nis_code__in={c[2] for c in communes}).values_list(
            "nis_code", "population", "reference_date", "is_provisional", "source"
        )
    }
    grouped: dict[int, list[tuple[str, str]]] = {}
    for coordination_id, name, nis_code in communes:
        grouped.setdefault(coordination_id, []).append((name, nis_code))
    result = {}
    for coordination_id in coordination_ids:
        own = grouped.get(coordination_id, [])
        missing = tuple(f"{name} ({nis})" for name, nis in own if nis not in figures)
        if not own or missing:
            result[coordination_id] = Population(None, missing=missing)
            continue
        known = [figures[nis] for _name, nis in own]
        inhabitants = sum(figure[0] for figure in known)
        result[coordination_id] = Population(
            inhabitants or None,
            reference_date=max(figure[1] for figure in known),
            provisional=any(figure[2] for figure in known),
            sources=tuple(sorted({figure[3] for figure in known if figure[3]})),
        )
    return result


def per_thousand(cell: Cell, kind: str, population: Population) -> Cell:
    """A shown count per 1,000 inhabitants, one decimal. A suppressed count stays as it is
    shown ("<5", "—"): its rate would give it away. Other kinds are not divided."""
    if kind != "count" or not cell.shown:
        return cell
    if cell.value is None:
        return cell
    if not population.inhabitants:
        return Cell(None, NO_RATE)
    rate = round(cell.value * 1000 / population.inhabitants, 1)
    return Cell(rate, f"{rate:.1f}")


# --- A coordination against its region ----------------------------------------------


@dataclass(frozen=True)
class Comparison:
    code: str
    own: Cell
    breakdown: dict[str, Cell]
    median: float | None
    median_shown: str
    counted: int  # territories in the median


def _median_shown(value: float, kind: str) -> str:
    if kind in ("duration", "share"):
        return present({"": value}, kind)[""].shown
    return f"{value:.1f}".removesuffix(".0")


def compare_with_region(*, coordination: Coordination, period: Period) -> tuple[list[Comparison], int]:
    """The coordination's figures and, per indicator, the median of the region's
    coordinations over the figures as shown (suppressed ones are left out). Returns the
    comparisons and the number of coordinations in the region."""
    territories = region_figures(region=coordination.region, period=period) if coordination.region else []
    own = next((t for t in territories if t.pk == coordination.pk), None)
    comparisons = []
    for code, spec in INDICATORS.items():
        counted = [t.totals[code].value for t in territories if t.totals[code].value is not None]
        median = statistics.median(counted) if counted else None
        comparisons.append(
            Comparison(
                code=code,
                own=own.totals[code] if own else NO_FIGURE,
                breakdown=own.breakdowns[code] if own else {},
                median=median,
                median_shown="" if median is None else _median_shown(median, spec["kind"]),
                counted=len(counted),
            )
        )
    return comparisons, len(territories)


SNAPSHOT_VERSION = """
SELECT (SELECT id || '@' || computed_at FROM tenants_indicatorvalue ORDER BY id DESC LIMIT 1),
       (SELECT max(updated_at) || '/' || max(id) FROM tenants_coordination),
       (SELECT max(updated_at) || '/' || max(id) FROM tenants_coordinationcommune),
       (SELECT max(updated_at) FROM tenants_communepopulation)
"""


def snapshot_version() -> str:
    """What the regional pages are computed from, in one short string: the newest indicator
    row (a snapshot replaces its rows by new ones, so a new snapshot changes it) and the last
    change to a coordination, a commune or a population. A page kept under this version is
    fresh until the next snapshot or the next such change. One statement, on the primary key
    and three small tables (the public schema's)."""
    with connection.cursor() as cursor:
        cursor.execute(SNAPSHOT_VERSION)
        return "|".join(str(part) for part in cursor.fetchone())
