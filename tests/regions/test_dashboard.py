"""The regional dashboard, its exports and the coordinator's view against the region's median."""

import csv
import gzip
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from regions.charts import bar_chart
from regions.indicators import INDICATORS, Cell, compute, parse_period
from regions.table import _sort_key
from tenants.models import Coordination
from tests.regions.conftest import dashboard_with_parts

PERIOD = "2026-11"


def _this_month() -> str:
    now = timezone.now()
    return f"{now.year}-{now.month:02d}"


CODE, FIGURE = 5, 8  # the columns of the indicator's code and of the figure in the exports


def _sent_cells(rows):
    return [row for row in rows if row[CODE] == "referrals_sent"]


def test_regional_administrator_sees_their_region(tenant_db, login, client):
    compute(parse_period(PERIOD))
    login(tenant_db["regional_admin"], verified=False)
    response = client.get(f"/region/brussels/?period={PERIOD}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Schaerbeek" in body and "Tournai" not in body


def test_regional_administrator_of_brussels_gets_404_for_wallonia(tenant_db, login, client):
    login(tenant_db["regional_admin"], verified=False)
    assert client.get(f"/region/wallonia/?period={PERIOD}").status_code == 404
    assert client.get(f"/region/wallonia/export.csv?period={PERIOD}").status_code == 404
    assert client.get(f"/region/wallonia/export.xlsx?period={PERIOD}").status_code == 404


def test_a_coordinator_gets_404_on_the_regional_dashboard(tenant_db, login, client):
    login(tenant_db["coordinator"])
    assert client.get(f"/region/brussels/?period={PERIOD}").status_code == 404
    assert client.get(f"/region/brussels/export.csv?period={PERIOD}").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(tenant_db, client):
    response = client.get(f"/region/brussels/?period={PERIOD}")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/region/atlantis/", "Choose brussels, wallonia or flanders."),
        ("/region/brussels/?period=november", "A month (2026-11), a quarter (2026-Q4) or a year (2026)."),
        ("/region/brussels/export.csv?period=2026-13", "A month (2026-11)"),
    ],
)
def test_unknown_region_or_period_is_a_400_page_naming_it(tenant_db, login, client, path, problem):
    login(tenant_db["regional_admin"], verified=False)
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert problem in response.content.decode()


def test_navigation_links_a_regional_administrator_to_their_region(tenant_db, login, client):
    login(tenant_db["regional_admin"], verified=False)
    assert 'href="/region/brussels/"' in client.get("/accounts/").content.decode()


def test_the_table_shows_no_count_below_five(tenant_db, send_referrals, login, client):
    label = send_referrals(3)
    login(tenant_db["regional_admin"], verified=False)
    body = client.get(f"/region/brussels/?period={label}").content.decode()
    table = body[body.index('id="table-comparison"') : body.index("</table>", body.index('id="table-comparison"'))]
    assert "&lt;5" in table
    sent_column = list(INDICATORS).index("referrals_sent")
    cells = re.findall(r'<td data-label="[^"]*" class="figure">(.*?)</td>', table, re.S)
    assert cells[sent_column].startswith("&lt;5")
    assert ">3<" not in cells[sent_column] and " 3<" not in cells[sent_column]


def test_the_csv_export_shows_no_count_below_five(tenant_db, send_referrals, login, client):
    label = send_referrals(3)
    login(tenant_db["regional_admin"], verified=False)
    response = client.get(f"/region/brussels/export.csv?period={label}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sent = _sent_cells(rows[1:])
    assert sent and {row[FIGURE] for row in sent} == {"<5"}
    assert all(row[FIGURE] != "3" for row in sent)


def test_the_xlsx_export_shows_no_count_below_five(tenant_db, send_referrals, login, client):
    label = send_referrals(3)
    login(tenant_db["regional_admin"], verified=False)
    response = client.get(f"/region/brussels/export.xlsx?period={label}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[str(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    sent = _sent_cells(rows[1:])
    assert sent and {row[FIGURE] for row in sent} == {"<5"}
    assert all(row[FIGURE] != "3" for row in sent)


def test_csv_cells_cannot_start_a_formula(tenant_db, login, client):
    compute(parse_period(PERIOD))
    Coordination.objects.filter(pk=tenant_db.schaerbeek.pk).update(name="=HYPERLINK(1)")
    login(tenant_db["regional_admin"], verified=False)
    response = client.get(f"/region/brussels/export.csv?period={PERIOD}")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row[3] for row in rows[1:]} == {"'=HYPERLINK(1)"}


def test_sorting_by_an_indicator_changes_the_order(tenant_db, login, client):
    # Tournai joins Brussels for this test only (rolled back), under a name sorted first.
    Coordination.objects.filter(pk=tenant_db.tournai.pk).update(region="brussels", name="Anderlecht")
    compute(parse_period(PERIOD))
    login(tenant_db["regional_admin"], verified=False)

    def order(query):
        body = client.get(f"/region/brussels/?period={PERIOD}{query}").content.decode()
        table = body[body.index('id="table-comparison"') :]
        return re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a></th>', table[: table.index("</table>")])

    assert order("") == ["Anderlecht", "Schaerbeek"]
    assert order("&sort=active_accounts") == ["Schaerbeek", "Anderlecht"]


def test_suppressed_figures_sort_as_one_block_below_five():
    cells = [Cell(12.0, "12"), Cell(5.0, "5"), Cell(None, "<5"), Cell(0.0, "0"), Cell(None, "")]
    shuffled = [cells[2], cells[4], cells[0], cells[3], cells[1]]
    assert sorted(shuffled, key=_sort_key, reverse=True) == cells


def test_sort_link_sets_aria_sort_on_the_column(tenant_db, login, client):
    compute(parse_period(PERIOD))
    login(tenant_db["regional_admin"], verified=False)
    body = client.get(f"/region/brussels/?period={PERIOD}&sort=active_accounts").content.decode()
    assert re.search(
        r'<th scope="col" id="col-active_accounts" aria-sort="descending">'
        r'<a href="\?period=2026-11&amp;sort=active_accounts">',
        body,
    )
    default = client.get(f"/region/brussels/?period={PERIOD}").content.decode()
    assert '<th scope="col" aria-sort="ascending">' in default


def test_charts_are_svg_with_a_title_and_a_described_table(tenant_db, login, client):
    compute(parse_period("2026-10"))  # a month of the series before PERIOD
    compute(parse_period(PERIOD))
    login(tenant_db["regional_admin"], verified=False)
    body = dashboard_with_parts(client, f"/region/brussels/?period={PERIOD}")
    assert body.count("<svg") == 3  # no month has 5 answers: the durations say "no data" instead
    assert body.count("<title id=") == 3
    for table_id in ("table-comparison", "table-offers", "table-months"):
        assert f'aria-describedby="{table_id}"' in body and f'id="{table_id}"' in body
    assert "style=" not in body
    assert re.findall(r"<script[^>]*>", body) == [
        '<script src="/static/maillage/menu.js" defer>',
        '<script src="/static/maillage/region-parts.js" defer>',
    ]


def test_a_chart_without_figures_says_there_is_no_data(tenant_db, login, client):
    login(tenant_db["regional_admin"], verified=False)
    body = dashboard_with_parts(client, f"/region/brussels/?period={PERIOD}", HTTP_ACCEPT_LANGUAGE="en")
    assert "<svg" not in body  # nothing computed for the period nor the year before it
    assert body.count('class="message no-data"') == 5  # four charts, and what changed most
    assert "No snapshot has been computed for this period yet" in body


def test_chart_text_is_escaped():
    svg = bar_chart(
        [("<b>Evil</b>", (7.0, "7")), ("Tiny", (None, "<5"))],
        chart_id="c",
        title="T & <x>",
        described_by="t",
        empty_text="none",
    )
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "&lt;5" in svg and "T &amp; &lt;x&gt;" in svg


def test_the_coordinator_sees_their_figure_and_the_region_median(tenant_db, send_referrals, login, client):
    label = send_referrals(6)
    login(tenant_db["coordinator"])
    response = client.get(f"/c/schaerbeek/indicators/?period={label}")
    assert response.status_code == 200
    body = response.content.decode()
    row = body[body.index('id="row-referrals_sent"') :]
    row = row[: row.index("</tr>")]
    figures = re.findall(r'class="figure">([^<]*)<', row)
    assert figures == ["6", "6"]  # own total, and the median of Brussels (Schaerbeek alone)
    assert 'id="median-note"' in body  # says suppressed figures are left out of the median


def test_the_region_median_leaves_suppressed_figures_out(tenant_db, send_referrals, login, client):
    label = send_referrals(3)
    login(tenant_db["coordinator"])
    body = client.get(f"/c/schaerbeek/indicators/?period={label}").content.decode()
    row = body[body.index('id="row-referrals_sent"') :]
    row = row[: row.index("</tr>")]
    assert re.findall(r'class="figure">([^<]*)<', row) == ["&lt;5", "–"]


def test_a_worker_gets_403_on_the_coordinator_view(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    assert client.get(f"/c/schaerbeek/indicators/?period={PERIOD}").status_code == 403


def test_someone_from_another_coordination_gets_404(tenant_db, login, client):
    login(tenant_db["foreigner"])
    assert client.get(f"/c/schaerbeek/indicators/?period={PERIOD}").status_code == 404


def test_a_bad_period_on_the_coordinator_view_is_400(tenant_db, login, client):
    login(tenant_db["coordinator"])
    assert client.get("/c/schaerbeek/indicators/?period=2026-Q9").status_code == 400


def test_the_dashboard_is_sent_compressed_and_its_heavy_parts_wait_to_be_opened(tenant_db, login, client):
    compute(parse_period(PERIOD))
    login(tenant_db["regional_admin"], verified=False)
    response = client.get(f"/region/brussels/?period={PERIOD}", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    page = gzip.decompress(response.content).decode()
    assert "<svg" not in page and 'id="table-offers"' not in page
    assert page.count('<details class="lazy-part"') == 4
    assert f'href="part/offers/?period={PERIOD}"' in page  # without script: a page of its own
    alone = client.get(f"/region/brussels/part/offers/?period={PERIOD}")
    assert 'id="table-offers"' in alone.content.decode() and "<html" in alone.content.decode()


def test_an_unknown_part_is_a_missing_page(tenant_db, login, client):
    login(tenant_db["regional_admin"], verified=False)
    assert client.get(f"/region/brussels/part/secrets/?period={PERIOD}").status_code == 404
