"""Figures over time: a territory's twelve months against its region's median, the change
over a year, and what changed most from one month to the next.

A change is taken between two figures as shown, never between hidden values: when either
figure is suppressed ("<5", "—"), the change is suppressed too ("—"), or a suppressed
count could be worked out as "this month minus the change". Medians are taken over the
figures shown (suppressed ones left out), like the coordinator's comparison; no region
total is ever shown, so no part can be worked out from it.
"""

import statistics
from dataclasses import dataclass

from django.utils.translation import gettext as _

from maillage.errors import Invalid, NotFound
from regions.indicators import INDICATORS, Cell, Period
from regions.selectors import NO_FIGURE, _median_shown, has_total, months_before, region_figures_by_month
from regions.table import number_of

SUPPRESSED_CHANGE = Cell(None, "—")


def month_of(period: Period) -> Period:
    """Trends run month by month: a quarter or a year is a 400 naming the field."""
    if len(period.label) != 7 or "Q" in period.label:
        raise Invalid(fields={"period": [_("Choose a month (2026-11): trends run month by month.")]})
    return period


def change_of(before: Cell, now: Cell, kind: str) -> Cell:
    """The change between two shown figures, as shown: "+3", "−1.5", "+4 pts"; "" when
    either has no figure, "—" when either is suppressed."""
    if not before.shown or not now.shown:
        return NO_FIGURE
    first, last = number_of(before), number_of(now)
    if first is None or last is None:
        return SUPPRESSED_CHANGE
    difference = last - first
    if kind == "share":
        return Cell(difference, _("%(change)s pts") % {"change": f"{difference:+.0f}"})
    if kind == "duration":
        return Cell(difference, f"{difference:+.1f}")
    return Cell(difference, f"{difference:+.0f}" if isinstance(difference, int) else f"{difference:+.1f}")


def _columns() -> list[tuple[str, str, str]]:
    """(code, short label, kind) of the indicators that have a figure of their own."""
    return [
        (code, str(spec.get("short") or spec["label"]), spec["kind"])
        for code, spec in INDICATORS.items()
        if has_total(code)
    ]


@dataclass(frozen=True)
class Change:
    territory: str
    slug: str
    code: str
    label: str
    before: Cell
    now: Cell
    change: Cell


def biggest_changes(*, region: str, period: Period, current=None, limit: int = 10) -> tuple[str, bool, list[Change]]:
    """The month before `period`, whether any territory has a snapshot of it, and the
    largest changes of counts from it to `period`, largest first (by how much, up or
    down). Pairs with a suppressed figure are left out: their change is not shown.
    `current`: the region's territories for `period` (`region_figures`), when the caller
    has them."""
    previous = months_before(month_of(period), 1)[0]
    if current is None:
        by_month = region_figures_by_month(region=region, labels=[previous, period.label])
        current = by_month[period.label]
    else:
        by_month = region_figures_by_month(region=region, labels=[previous], coordinations=current)
    changes = []
    for before_t, now_t in zip(by_month[previous], current, strict=True):
        for code, label, kind in _columns():
            if kind != "count":
                continue
            change = change_of(before_t.totals[code], now_t.totals[code], kind)
            if change.value:
                changes.append(
                    Change(now_t.name, now_t.slug, code, label, before_t.totals[code], now_t.totals[code], change)
                )
    changes.sort(key=lambda c: (-abs(c.change.value or 0), c.territory.casefold(), c.code))
    return previous, any(t.computed_at for t in by_month[previous]), changes[:limit]


@dataclass(frozen=True)
class Trend:
    code: str
    label: str
    kind: str
    own: list[Cell]  # one per month, oldest first
    median: list[str]  # the region's median as shown, "" without figures
    counted: list[int]  # territories in each month's median
    year_change: Cell  # the period against the same month a year before


@dataclass(frozen=True)
class TerritoryTrends:
    name: str
    slug: str
    months: list[str]
    year_before: str
    trends: list[Trend]
    territories: int


def territory_trends(*, region: str, slug: str, period: Period) -> TerritoryTrends:
    """A territory of the region over the twelve months ending with `period`, each
    indicator against the region's median; another region's territory is a NotFound."""
    period = month_of(period)
    labels = [*months_before(period, 12), period.label]  # the first: a year before
    by_month = region_figures_by_month(region=region, labels=labels)
    index = next((i for i, t in enumerate(by_month[period.label]) if t.slug == slug), None)
    if index is None:
        raise NotFound()
    months = labels[1:]
    trends = []
    for code, label, kind in _columns():
        own, medians, counted = [], [], []
        for month in months:
            territories = by_month[month]
            own.append(territories[index].totals[code])
            shown = [number_of(t.totals[code]) for t in territories]
            figures = [value for value in shown if value is not None]
            medians.append(_median_shown(statistics.median(figures), kind) if figures else "")
            counted.append(len(figures))
        before = by_month[labels[0]][index].totals[code]
        trends.append(Trend(code, label, kind, own, medians, counted, change_of(before, own[-1], kind)))
    territory = by_month[period.label][index]
    return TerritoryTrends(
        name=territory.name,
        slug=territory.slug,
        months=months,
        year_before=labels[0],
        trends=trends,
        territories=len(by_month[period.label]),
    )
