"""The dashboard's exports say what the page shows: the same view (counts or per 1,000
inhabitants), the same suppressed cells, the labels in the reader's language with the
codes beside them, and in Excel numbers a spreadsheet can add."""

import csv
import io
import re
from datetime import date
from html import unescape

import pytest
from django.utils import translation
from openpyxl import load_workbook

from regions.indicators import INDICATORS, REFERRAL_STATUS_LABELS
from regions.models import CommunePopulation
from regions.selectors import has_total

TERRITORY, INDICATOR, CODE, PART, PART_CODE, FIGURE, UNIT = 3, 4, 5, 6, 7, 8, 9


@pytest.fixture
def schaerbeek_population(tenant_db):
    CommunePopulation.objects.update_or_create(
        nis_code="21015",
        defaults={
            "name": "Schaerbeek",
            "population": 12_000,
            "reference_date": date(2024, 1, 1),
            "source": "Statbel 2024",
            "is_provisional": False,
        },
    )


def _page_cells(body: str, per: bool) -> dict[str, tuple[str, str]]:
    """Schaerbeek's row of the comparison table: indicator → (figure, small text)."""
    table = body[body.index('id="table-comparison"') :]
    table = table[: table.index("</table>")]
    cells = re.findall(r'<td data-label="[^"]*" class="figure">(.*?)</td>', table, re.S)
    if per:
        cells = cells[1:]  # the Inhabitants column
    result = {}
    for code, cell in zip(INDICATORS, cells, strict=True):
        small = re.search(r'<small class="breakdown">(.*?)</small>', cell, re.S)
        figure = re.sub(r"<small.*", "", cell, flags=re.S)
        figure = "" if "visually-hidden" in figure else unescape(figure).strip()
        result[code] = (figure, unescape(small[1]) if small else "")
    return result


def _csv(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]


def _as_on_page(row: list[str], kind: str) -> str:
    return f"{row[FIGURE]} %" if kind == "share" and row[FIGURE] not in ("", "<5", "—") else row[FIGURE]


@pytest.mark.parametrize("query", ["", "&per=1000"])
@pytest.mark.parametrize("referrals", [3, 7])
def test_the_csv_export_has_the_figures_of_the_page(
    tenant_db, schaerbeek_population, send_referrals, login, client, query, referrals
):
    label = send_referrals(referrals)
    login(tenant_db["regional_admin"], verified=False)
    page = _page_cells(client.get(f"/region/brussels/?period={label}{query}").content.decode(), bool(query))
    rows = _csv(client, f"/region/brussels/export.csv?period={label}{query}")
    for code, spec in INDICATORS.items():
        lines = [row for row in rows if row[CODE] == code]
        figure, small = page[code]
        if has_total(code):
            assert _as_on_page(lines[0], spec["kind"]) == figure, code
        parts = [row for row in lines if row[PART_CODE]]
        if parts:
            assert " · ".join(f"{row[PART]} {_as_on_page(row, spec['kind'])}" for row in parts) == small, code


def test_suppressed_cells_are_the_same_in_the_page_and_both_files(tenant_db, send_referrals, login, client):
    label = send_referrals(3)
    login(tenant_db["regional_admin"], verified=False)
    page = _page_cells(client.get(f"/region/brussels/?period={label}").content.decode(), False)
    rows = _csv(client, f"/region/brussels/export.csv?period={label}")
    sheet = load_workbook(io.BytesIO(client.get(f"/region/brussels/export.xlsx?period={label}").content)).worksheets[0]
    cells = list(sheet.iter_rows(values_only=True))[1:]
    assert page["referrals_sent"][0] == "<5"
    sent_csv = [row[FIGURE] for row in rows if row[CODE] == "referrals_sent"]
    sent_xlsx = [row[FIGURE] for row in cells if row[CODE] == "referrals_sent"]
    assert sent_csv == sent_xlsx == ["<5", "<5"]  # the total and its only part, "sent"
    assert all(str(value) != "3" for row in cells for value in row)


def test_per_thousand_exports_rates_not_counts(tenant_db, schaerbeek_population, send_referrals, login, client):
    label = send_referrals(6)
    login(tenant_db["regional_admin"], verified=False)
    counts = _csv(client, f"/region/brussels/export.csv?period={label}")
    rates = _csv(client, f"/region/brussels/export.csv?period={label}&per=1000")
    assert counts != rates
    sent = next(row for row in rates if row[CODE] == "referrals_sent")
    assert sent[FIGURE] == "0.5"  # 6 per 12,000 inhabitants
    inhabitants = next(row for row in rates if row[CODE] == "inhabitants")
    assert inhabitants[FIGURE] == "12000"
    assert next(row for row in counts if row[CODE] == "referrals_sent")[FIGURE] == "6"


def test_a_suppressed_count_has_no_rate_in_the_export(tenant_db, schaerbeek_population, send_referrals, login, client):
    label = send_referrals(3)
    login(tenant_db["regional_admin"], verified=False)
    rates = _csv(client, f"/region/brussels/export.csv?period={label}&per=1000")
    assert next(row for row in rates if row[CODE] == "referrals_sent")[FIGURE] == "<5"


def test_export_links_keep_the_view_and_the_order(tenant_db, send_referrals, login, client):
    label = send_referrals(6)
    login(tenant_db["regional_admin"], verified=False)
    body = client.get(f"/region/brussels/?period={label}&per=1000&sort=referrals_sent").content.decode()
    assert f'href="export.csv?period={label}&amp;per=1000&amp;sort=referrals_sent"' in body
    assert f'href="export.xlsx?period={label}&amp;per=1000&amp;sort=referrals_sent"' in body


@pytest.mark.parametrize(("query", "view"), [("", "counts"), ("&per=1000", "per-1000")])
def test_file_names_say_region_period_and_view(tenant_db, send_referrals, login, client, query, view):
    label = send_referrals(6)
    login(tenant_db["regional_admin"], verified=False)
    for extension in ("csv", "xlsx"):
        response = client.get(f"/region/brussels/export.{extension}?period={label}{query}")
        assert f'filename="maillage-brussels-{label}-{view}.{extension}"' in response["Content-Disposition"]


def test_the_excel_figures_are_numbers(tenant_db, schaerbeek_population, send_referrals, login, client):
    label = send_referrals(6)
    login(tenant_db["regional_admin"], verified=False)
    book = load_workbook(io.BytesIO(client.get(f"/region/brussels/export.xlsx?period={label}&per=1000").content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))[1:]
    sent = next(row for row in rows if row[CODE] == "referrals_sent")
    assert sent[FIGURE] == 0.5 and isinstance(sent[FIGURE], float)
    flag = next(row for row in rows if row[CODE] == "cpas_referent_designated")
    assert isinstance(flag[FIGURE], int)


def test_the_excel_file_defines_each_indicator_and_names_the_population_source(
    tenant_db, schaerbeek_population, send_referrals, login, client
):
    label = send_referrals(6)
    login(tenant_db["regional_admin"], verified=False)
    response = client.get(f"/region/brussels/export.xlsx?period={label}&per=1000", HTTP_ACCEPT_LANGUAGE="en")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Figures", "Definitions", "Population"]
    definitions = [row for row in book["Definitions"].iter_rows(values_only=True) if row and row[0]]
    assert {row[0] for row in definitions} >= set(INDICATORS)
    about = {row[0]: row[1] for row in definitions}
    assert about["Population source"] == "Statbel 2024"
    assert about["Population reference date"] == "2024-01-01"
    population = list(book["Population"].iter_rows(values_only=True))
    assert population[1][:2] == ("Schaerbeek", 12_000)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_labels_are_in_the_readers_language_with_codes_beside_them(tenant_db, send_referrals, login, client, language):
    label = send_referrals(6)
    login(tenant_db["regional_admin"], verified=False)
    with translation.override(language):
        sent_label = str(REFERRAL_STATUS_LABELS["sent"])
        short = str(INDICATORS["referrals_sent"]["short"])
    assert sent_label.lower() != "sent"
    for extension in ("csv", "xlsx"):
        response = client.get(f"/region/brussels/export.{extension}?period={label}", HTTP_ACCEPT_LANGUAGE=language)
        if extension == "csv":
            rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        else:
            rows = [list(row) for row in load_workbook(io.BytesIO(response.content)).worksheets[0].values]
        header, rows = rows[0], rows[1:]
        assert "Territory" not in header and "Figure" not in header
        part = next(row for row in rows if row[CODE] == "referrals_sent" and row[PART_CODE] == "sent")
        assert (part[INDICATOR], part[PART]) == (short, sent_label)


def test_each_line_says_when_its_snapshot_was_computed(tenant_db, send_referrals, login, client):
    label = send_referrals(6)
    login(tenant_db["regional_admin"], verified=False)
    response = client.get(f"/region/brussels/export.csv?period={label}", HTTP_ACCEPT_LANGUAGE="en")
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[-1] == "Snapshot computed at"
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", row[-1]) for row in rows)
