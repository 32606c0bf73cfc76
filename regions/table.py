"""The regional comparison table, computed once for everything that shows it.

The dashboard, its CSV and Excel exports all render `comparison_table()`: the same view
(counts, or per 1,000 inhabitants), the same territories in the same order, the same
suppressed cells, the same labels in the reader's language. A file can therefore never
say more, or something else, than the page it was exported from.

Figures come from `regions.selectors`, already suppressed; a rate is only derived from a
count that is shown (`per_thousand`). Nothing here reads a raw figure.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.errors import Invalid
from regions import indicators
from regions.indicators import Cell, Period
from regions.labels import DimensionLabels, definition_of
from regions.selectors import (
    UNKNOWN_POPULATION,
    Population,
    Territory,
    has_total,
    per_thousand,
    populations,
    region_figures,
)

# What a figure is measured in, per kind of indicator (a rate replaces "count").
UNITS = {
    "count": gettext_lazy("count"),
    "rate": gettext_lazy("per 1,000 inhabitants"),
    "flag": gettext_lazy("1 = yes, 0 = no"),
    "duration": gettext_lazy("days"),
    "share": gettext_lazy("%"),
}
POPULATION_SOURCE = gettext_lazy("Statbel, “Population par commune au 1er janvier” (open data)")


@dataclass(frozen=True)
class Column:
    code: str
    short: str  # the column's heading
    label: str  # what is counted, in full
    definition: str
    kind: str
    divided: bool  # shown per 1,000 inhabitants in this view
    unit: str


@dataclass(frozen=True)
class Part:
    """One figure of a breakdown, as shown."""

    code: str
    label: str
    cell: Cell


@dataclass(frozen=True)
class TableCell:
    column: Column
    total: Cell  # the figure shown (a rate when the column is divided); "" when none
    parts: tuple[Part, ...] = ()  # the breakdown shown with it (counts; none when divided)
    note: str = ""  # why a shown count has no rate

    @property
    def breakdown(self) -> str:
        return " · ".join(f"{part.label} {part.cell.shown}" for part in self.parts)


@dataclass(frozen=True)
class Row:
    slug: str
    name: str
    population: Population
    cells: tuple[TableCell, ...]
    computed_at: datetime | None = None  # when its snapshot was computed: figures are not live


@dataclass
class ComparisonTable:
    region: str
    period: Period
    per: bool
    sort: str
    columns: list[Column]
    rows: list[Row]
    territories: list[Territory] = field(default_factory=list)  # in the rows' order, with every breakdown

    @property
    def view(self) -> str:
        """The view's name in file names: counts or per-1000."""
        return "per-1000" if self.per else "counts"

    def population_note(self) -> dict:
        figures = [row.population for row in self.rows if row.population.inhabitants]
        return {
            "known": len(figures),
            "unknown": len(self.rows) - len(figures),
            "dates": sorted({p.reference_date for p in figures if p.reference_date}),
            "provisional": any(p.provisional for p in figures),
            "sources": sorted({source for p in figures for source in p.sources}),
        }


def number_of(cell: Cell) -> int | float | None:
    """The figure of a shown cell as a number, exactly as shown ("83 %" is 83, "3.5" is
    3.5); None for a suppressed ("<5", "—") or missing figure."""
    if cell.value is None:
        return None
    text = cell.shown.removesuffix("%").strip()
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() and "." not in text else value


def _sort_key(cell: Cell) -> float:
    """Suppressed counts sort as one block between 0 and 5, never by their hidden value."""
    if cell.value is not None:
        return cell.value
    return 2.5 if cell.shown == "<5" else -1.0


def _rate_sort_key(cell: Cell) -> float:
    """Per 1,000 inhabitants: figures without a rate (suppressed, population unknown) last."""
    return cell.value if cell.value is not None else -1.0


def parse_sort(value: str) -> str:
    """An indicator's code, or "" for the territories' names; anything else is a 400."""
    if value and value not in indicators.INDICATORS:
        raise Invalid(fields={"sort": [_("Choose one of the table's indicators to sort by.")]})
    return value


def columns(per: bool) -> list[Column]:
    result = []
    for code, spec in indicators.INDICATORS.items():
        divided = per and spec["kind"] == "count" and has_total(code)
        result.append(
            Column(
                code=code,
                short=str(spec.get("short") or spec["label"]),
                label=str(spec["label"]),
                definition=definition_of(code),
                kind=spec["kind"],
                divided=divided,
                unit=str(UNITS["rate" if divided else spec["kind"]]),
            )
        )
    return result


def _cell(column: Column, territory: Territory, population: Population, names: DimensionLabels) -> TableCell:
    total = territory.totals[column.code]
    if column.divided:
        note = _("no rate for a suppressed count") if total.shown and total.value is None else ""
        return TableCell(column, per_thousand(total, column.kind, population), note=note)
    parts = tuple(
        Part(code, names.label(column.code, code), cell)
        for code, cell in territory.breakdowns[column.code].items()
        if code
    )
    return TableCell(column, total, parts)


def comparison_table(*, region: str, period: Period, per: bool = False, sort: str = "") -> ComparisonTable:
    """The region's territories and every indicator, as the dashboard shows them: names
    in the reader's language, counts or rates per 1,000 inhabitants, sorted by name or by
    one indicator (largest first)."""
    sort = parse_sort(sort)
    territories = sorted(region_figures(region=region, period=period), key=lambda t: t.name.casefold())
    known = populations([t.pk for t in territories]) if per else {}
    names = DimensionLabels()
    table_columns = columns(per)
    rows = {
        t.pk: Row(
            slug=t.slug,
            name=t.name,
            population=known.get(t.pk, UNKNOWN_POPULATION),
            cells=tuple(_cell(c, t, known.get(t.pk, UNKNOWN_POPULATION), names) for c in table_columns),
            computed_at=t.computed_at,
        )
        for t in territories
    }
    if sort:
        index = list(indicators.INDICATORS).index(sort)
        key = _rate_sort_key if table_columns[index].divided else _sort_key
        territories.sort(key=lambda t: key(rows[t.pk].cells[index].total), reverse=True)
    return ComparisonTable(
        region=region,
        period=period,
        per=per,
        sort=sort,
        columns=table_columns,
        rows=[rows[t.pk] for t in territories],
        territories=territories,
    )
