"""Inhabitants per commune, for the regional comparison's figures per 1,000 inhabitants.

Source: Statbel, "Population par commune au 1er janvier" (open data), from
https://statbel.fgov.be/fr/open-data/population-par-lieu-de-residence-nationalite-etat-civil-age-et-sexe

Two file formats are read, validated whole before anything is written:

- Statbel's: columns CD_REFNIS, TX_DESCR_FR and/or TX_DESCR_NL, MS_POPULATION, separated
  by "|" (the .txt of the page above), ";", "," or a tab, or an .xlsx sheet. The detailed
  file has one row per commune, sex, nationality, civil status and age: the rows of a
  commune are added up. The per-commune totals file has one row per commune. Rows for a
  region, province or arrondissement (codes ending in 000, and 20001/20002) are skipped.
  The reference date comes from a DT_REFDATE or CD_YEAR column, else from the year in the
  file name (TF_SOC_POP_STRUCT_2024.txt: 1 January 2024), else from the caller.
- Ours (regions/data/population.csv, the seed): nis_code, commune, population,
  reference_date, after "#" comment lines. Its figures are provisional.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

SEED = Path(__file__).resolve().parent / "data" / "population.csv"
STATBEL_URL = "https://statbel.fgov.be/fr/open-data/population-par-lieu-de-residence-nationalite-etat-civil-age-et-sexe"
# Levels above the commune in Statbel's REFNIS codes: regions, provinces, arrondissements.
_NOT_COMMUNES = {"20001", "20002"}
_MAX_PROBLEMS = 20


@dataclass(frozen=True)
class CommuneFigure:
    nis_code: str
    name: str
    population: int
    reference_date: date


@dataclass(frozen=True)
class ParsedFile:
    figures: list[CommuneFigure]
    provisional: bool  # our seed format; Statbel's file is not
    skipped: int  # rows of a region, province or arrondissement


class PopulationFileError(Exception):
    """The file cannot be loaded; `problems` says why, line by line. Nothing was written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _problems(found: list[str]) -> PopulationFileError:
    if len(found) > _MAX_PROBLEMS:
        found = [*found[:_MAX_PROBLEMS], f"… and {len(found) - _MAX_PROBLEMS} more problems."]
    return PopulationFileError(found)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PopulationFileError(["The file is neither UTF-8 nor Windows-1252 text."])


def _text_rows(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of the lines that are not comments or blank."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    lines = [(n, line) for n, line in lines if not line.lstrip().startswith("#")]
    if not lines:
        raise PopulationFileError(["The file is empty."])
    header = lines[0][1]
    delimiter = max(["|", ";", "\t", ","], key=header.count)
    reader = csv.reader([line for _n, line in lines], delimiter=delimiter)
    return [(n, cells) for (n, _line), cells in zip(lines, reader, strict=True)]


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise PopulationFileError([f"The Excel file cannot be read ({type(error).__name__})."])
    rows = []
    for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = ["" if value is None else str(value).removesuffix(".0") for value in values]
        if any(cell.strip() for cell in cells):
            rows.append((n, cells))
    if not rows:
        raise PopulationFileError(["The file is empty."])
    return rows


def _date_from(value: str) -> date | None:
    value = value.strip()
    if re.fullmatch(r"\d{4}", value):
        return date(int(value), 1, 1)
    for pattern, order in ((r"(\d{4})-(\d{2})-(\d{2})", "ymd"), (r"(\d{2})/(\d{2})/(\d{4})", "dmy")):
        if m := re.fullmatch(pattern, value[:10]):
            parts = [int(p) for p in m.groups()]
            year, month, day = parts if order == "ymd" else parts[::-1]
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


def _integer(value: str) -> int | None:
    value = value.strip().replace(" ", "").replace("\u202f", "")
    return int(value) if re.fullmatch(r"\d+", value) else None


def _nis(value: str) -> str | None:
    value = value.strip()
    if re.fullmatch(r"\d{4}", value):  # a spreadsheet drops the leading zero (01000 …)
        value = "0" + value
    return value if re.fullmatch(r"\d{5}", value) else None


def _is_commune(nis_code: str) -> bool:
    return not nis_code.endswith("000") and nis_code not in _NOT_COMMUNES


def _columns(header: list[str]) -> dict[str, int]:
    return {name.strip().upper(): index for index, name in enumerate(header)}


def _parse_seed(rows, columns) -> ParsedFile:
    problems, figures, seen = [], [], set()
    for line, cells in rows[1:]:
        cell = {name: (cells[i] if i < len(cells) else "") for name, i in columns.items()}
        nis_code, population = _nis(cell["NIS_CODE"]), _integer(cell["POPULATION"])
        reference_date = _date_from(cell["REFERENCE_DATE"])
        if nis_code is None:
            problems.append(f"Line {line}: the NIS code {cell['NIS_CODE']!r} does not have five digits.")
        elif nis_code in seen:
            problems.append(f"Line {line}: the NIS code {nis_code} comes twice.")
        if population is None:
            problems.append(f"Line {line}: the population {cell['POPULATION']!r} is not a whole number.")
        if reference_date is None:
            problems.append(f"Line {line}: the reference date {cell['REFERENCE_DATE']!r} is not a date (2024-01-01).")
        if not cell["COMMUNE"].strip():
            problems.append(f"Line {line}: the commune has no name.")
        if nis_code and population is not None and reference_date and cell["COMMUNE"].strip():
            seen.add(nis_code)
            figures.append(CommuneFigure(nis_code, cell["COMMUNE"].strip(), population, reference_date))
    if problems:
        raise _problems(problems)
    return ParsedFile(figures, provisional=True, skipped=0)


def _parse_statbel(rows, columns, reference_date: date | None, file_name: str) -> ParsedFile:
    name_column = "TX_DESCR_FR" if "TX_DESCR_FR" in columns else "TX_DESCR_NL"
    date_column = next((c for c in ("DT_REFDATE", "DT_REF_DATE", "CD_YEAR") if c in columns), None)
    if reference_date is None and date_column is None:
        if m := re.search(r"(?<!\d)(19|20)(\d{2})(?!\d)", file_name):
            reference_date = date(int(m[1] + m[2]), 1, 1)
        else:
            raise PopulationFileError(
                [
                    "The file has no reference date (no DT_REFDATE or CD_YEAR column, no year in its name): "
                    "give it with --reference-date 2024-01-01."
                ]
            )
    problems: list[str] = []
    totals: dict[str, int] = {}
    names: dict[str, str] = {}
    dates: dict[str, date] = {}
    skipped = 0
    for line, cells in rows[1:]:
        cell = {name: (cells[i] if i < len(cells) else "") for name, i in columns.items()}
        nis_code, population = _nis(cell["CD_REFNIS"]), _integer(cell["MS_POPULATION"])
        if nis_code is None:
            problems.append(f"Line {line}: CD_REFNIS {cell['CD_REFNIS']!r} is not a five-digit NIS code.")
            continue
        if population is None:
            problems.append(f"Line {line}: MS_POPULATION {cell['MS_POPULATION']!r} is not a whole number.")
            continue
        if not _is_commune(nis_code):
            skipped += 1
            continue
        row_date = reference_date
        if row_date is None:
            row_date = _date_from(cell[date_column])
            if row_date is None:
                problems.append(f"Line {line}: {date_column} {cell[date_column]!r} is not a date or a year.")
                continue
        if dates.setdefault(nis_code, row_date) != row_date:
            problems.append(f"Line {line}: commune {nis_code} has rows for two reference dates.")
            continue
        name = cell[name_column].strip()
        if not name:
            problems.append(f"Line {line}: {name_column} is empty for commune {nis_code}.")
            continue
        names.setdefault(nis_code, name)
        totals[nis_code] = totals.get(nis_code, 0) + population
    if problems:
        raise _problems(problems)
    if not totals:
        raise PopulationFileError(["The file has no commune row (only regions, provinces or arrondissements)."])
    figures = [CommuneFigure(code, names[code], totals[code], dates[code]) for code in sorted(totals)]
    return ParsedFile(figures, provisional=False, skipped=skipped)


def parse_population_file(data: bytes, *, file_name: str = "", reference_date: date | None = None) -> ParsedFile:
    """The figures of a Statbel file or of our seed, or PopulationFileError naming every
    problem. A given `reference_date` overrides the file's."""
    rows = _xlsx_rows(data) if file_name.lower().endswith(".xlsx") else _text_rows(_decode(data))
    columns = _columns(rows[0][1])
    if {"NIS_CODE", "COMMUNE", "POPULATION", "REFERENCE_DATE"} <= columns.keys():
        parsed = _parse_seed(rows, columns)
        if reference_date:
            parsed = ParsedFile(
                [CommuneFigure(f.nis_code, f.name, f.population, reference_date) for f in parsed.figures],
                parsed.provisional,
                parsed.skipped,
            )
        return parsed
    missing = [c for c in ("CD_REFNIS", "MS_POPULATION") if c not in columns]
    if "TX_DESCR_FR" not in columns and "TX_DESCR_NL" not in columns:
        missing.append("TX_DESCR_FR or TX_DESCR_NL")
    if missing:
        found = ", ".join(name for name in columns if name) or "none"
        raise PopulationFileError(
            [
                f"Missing columns: {', '.join(missing)} (found: {found}). Expected Statbel's file "
                "(CD_REFNIS, TX_DESCR_FR, MS_POPULATION) or nis_code, commune, population, reference_date."
            ]
        )
    return _parse_statbel(rows, columns, reference_date, Path(file_name).name)


def store_populations(parsed: ParsedFile, *, model, source: str) -> tuple[int, int]:
    """Writes the figures in one transaction, replacing those of the same communes (other
    communes are kept). `model` is regions.CommunePopulation, or a historical version in a
    data migration (tenants 0008 seeds through tenants.CommunePopulation, its home then).
    Returns (created, updated)."""
    codes = [figure.nis_code for figure in parsed.figures]
    with transaction.atomic():
        existing = set(model.objects.filter(nis_code__in=codes).values_list("nis_code", flat=True))
        now = timezone.now()
        model.objects.bulk_create(
            [
                model(
                    nis_code=figure.nis_code,
                    name=figure.name[:120],
                    population=figure.population,
                    reference_date=figure.reference_date,
                    source=source[:200],
                    is_provisional=parsed.provisional,
                    created_at=now,
                    updated_at=now,
                )
                for figure in parsed.figures
            ],
            update_conflicts=True,
            unique_fields=["nis_code"],
            update_fields=["name", "population", "reference_date", "source", "is_provisional", "updated_at"],
            batch_size=1000,
        )
    return len(codes) - len(existing), len(existing)
