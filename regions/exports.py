"""The comparison table as files: CSV and Excel, rendered from `regions.table` only.

One line per figure shown on the page, in the page's view (counts, or per 1,000
inhabitants) and with its suppression: a cell shown "<5" or "—" is exported as that mark,
never as a number. Labels are in the reader's language, with the codes in their own
columns for anyone who joins files. In Excel, figures are numbers (a spreadsheet can add
and chart them) and two more sheets say what each indicator means and where the
populations come from.
"""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.exports import spreadsheet_safe
from regions.indicators import SMALL
from regions.selectors import has_total
from regions.table import POPULATION_SOURCE, ComparisonTable, number_of
from tenants.models import Region

INHABITANTS = "inhabitants"  # the code of the population's lines, per 1,000 inhabitants


def file_name(table: ComparisonTable, extension: str) -> str:
    """maillage-brussels-2026-11-per-1000.xlsx: the region, the period and the view."""
    return f"maillage-{table.region}-{table.period.label}-{table.view}.{extension}"


def _header() -> list[str]:
    return [
        _("Region"),
        _("Period"),
        _("View"),
        _("Territory"),
        _("Indicator"),
        _("Indicator code"),
        _("Breakdown"),
        _("Breakdown code"),
        _("Figure"),
        _("Unit"),
        _("Note"),
        _("Snapshot computed at"),
    ]


def view_label(table: ComparisonTable) -> str:
    return _("per 1,000 inhabitants") if table.per else _("counts")


def _population_note(population) -> str:
    if population.inhabitants:
        return _("provisional") if population.provisional else ""
    if population.missing:
        return f"{_('Population unknown for')} {', '.join(population.missing)}"
    return _("No commune recorded for this coordination.")


def lines(table: ComparisonTable) -> list[tuple[list[str], int | float | None]]:
    """Each line of the file as text cells, with the figure as a number (None when the
    figure is a mark or missing). The figure's text is the page's, without " %"."""
    region, view = str(Region(table.region).label), view_label(table)
    result = []
    for row in table.rows:
        lead = [region, table.period.label, view, row.name]
        at = timezone.localtime(row.computed_at).strftime("%Y-%m-%d %H:%M") if row.computed_at else ""
        if table.per:
            inhabitants = row.population.inhabitants
            result.append(
                (
                    [
                        *lead,
                        _("Inhabitants"),
                        INHABITANTS,
                        "",
                        "",
                        str(inhabitants or ""),
                        _("inhabitants"),
                        _population_note(row.population),
                        at,
                    ],
                    inhabitants,
                )
            )
        for cell in row.cells:
            column = cell.column
            if has_total(column.code):
                number = number_of(cell.total)
                shown = cell.total.shown if number is None else str(number)
                result.append(
                    (
                        [*lead, column.short, column.code, "", "", shown, column.unit, cell.note, at],
                        number,
                    )
                )
            for part in cell.parts:
                number = number_of(part.cell)
                shown = part.cell.shown if number is None else str(number)
                unit = column.unit if column.kind == "count" else ""
                result.append(([*lead, column.short, column.code, part.label, part.code, shown, unit, "", at], number))
    return result


def csv_bytes(table: ComparisonTable) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_header())
    for cells, _number in lines(table):
        writer.writerow([spreadsheet_safe(value) for value in cells])
    # With a byte order mark, spreadsheets open the file as UTF-8 (accents in labels).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _about(table: ComparisonTable) -> list[list[str]]:
    rows = [
        [_("Region"), str(Region(table.region).label)],
        [_("Period"), table.period.label],
        [_("View"), view_label(table)],
        [_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")],
        [
            _("Figures"),
            _(
                "From the nightly snapshot of the period (or a computation started from the dashboard), "
                "not live. Counts from 1 to %(small)s show as “<5”; “—” hides a figure that would let "
                "someone work a suppressed one out."
            )
            % {"small": SMALL - 1},
        ],
    ]
    if table.per:
        note = table.population_note()
        rows += [
            [_("Population source"), "; ".join(note["sources"]) or str(POPULATION_SOURCE)],
            [_("Population reference date"), ", ".join(d.isoformat() for d in note["dates"])],
        ]
        if note["provisional"]:
            rows.append(
                [
                    _("Provisional"),
                    _("Some populations are provisional approximations, until Statbel's file is loaded."),
                ]
            )
    return rows


def xlsx_bytes(table: ComparisonTable) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    figures = workbook.create_sheet(_("Figures"))
    # Set before the first row (a write-only sheet): the header stays in view, and the
    # columns people read are wide enough for their labels.
    figures.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKL", (18, 10, 20, 24, 30, 26, 26, 20, 10, 20, 24, 18), strict=False):
        figures.column_dimensions[letter].width = width
    figures.append(_header())
    figure_at = _header().index(_("Figure"))
    for cells, number in lines(table):
        values = [spreadsheet_safe(value) for value in cells]
        if number is not None:
            cell = WriteOnlyCell(figures, value=number)
            cell.number_format = "0.0" if isinstance(number, float) else "0"
            values[figure_at] = cell
        figures.append(values)

    definitions = workbook.create_sheet(_("Definitions"))
    definitions.append([_("Indicator code"), _("Indicator"), _("What is counted"), _("Definition"), _("Unit")])
    for column in table.columns:
        definitions.append(
            [spreadsheet_safe(v) for v in (column.code, column.short, column.label, column.definition, column.unit)]
        )
    definitions.append([])
    for about in _about(table):
        definitions.append([spreadsheet_safe(v) for v in about])

    if table.per:
        sheet = workbook.create_sheet(_("Population"))
        sheet.append([_("Territory"), _("Inhabitants"), _("Reference date"), _("Provisional"), _("Source"), _("Note")])
        for row in table.rows:
            population = row.population
            sheet.append(
                [
                    spreadsheet_safe(row.name),
                    population.inhabitants,
                    population.reference_date,
                    _("yes") if population.provisional else _("no"),
                    spreadsheet_safe("; ".join(population.sources)),
                    spreadsheet_safe(_population_note(population)),
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
