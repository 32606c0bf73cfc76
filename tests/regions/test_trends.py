"""Trends: a territory's twelve months against its region's median, the change over a year,
what changed most this month, and no suppressed figure worked out from a difference
(two periods, a total and its parts)."""

import itertools
from html import unescape

import pytest
from django.test import override_settings

from regions.indicators import Cell, compute, parse_period, present
from regions.models import IndicatorValue
from regions.selectors import region_figures
from regions.trends import SUPPRESSED_CHANGE, biggest_changes, change_of, territory_trends
from tenants.models import Coordination

PERIOD = "2026-11"


def _store(coordination, period: str, indicator: str, values: dict[str, float]) -> None:
    for dimension, value in values.items():
        IndicatorValue.objects.create(
            coordination=coordination, period=period, indicator=indicator, dimension=dimension, value=value
        )


@pytest.fixture
def two_territories(tenant_db):
    """Schaerbeek and Tournai (moved to Brussels for the test, rolled back), with referrals
    sent in October and November 2026 and November 2025."""
    Coordination.objects.filter(pk=tenant_db.tournai.pk).update(region="brussels")
    schaerbeek, tournai = tenant_db.schaerbeek, tenant_db.tournai
    _store(schaerbeek, "2025-11", "referrals_sent", {"sent": 6})
    _store(schaerbeek, "2026-10", "referrals_sent", {"sent": 10})
    _store(schaerbeek, "2026-11", "referrals_sent", {"sent": 3})  # shown "<5"
    _store(tournai, "2026-10", "referrals_sent", {"sent": 5})
    _store(tournai, "2026-11", "referrals_sent", {"sent": 25})
    for coordination in (schaerbeek, tournai):
        for month in ("2025-11", "2026-10", "2026-11"):
            _store(coordination, month, "active_accounts", {"": 8})
    return tenant_db


def test_a_change_with_a_suppressed_figure_in_either_period_is_suppressed():
    shown, hidden, other = Cell(10.0, "10"), Cell(None, "<5"), Cell(None, "—")
    assert change_of(shown, hidden, "count") == SUPPRESSED_CHANGE
    assert change_of(hidden, shown, "count") == SUPPRESSED_CHANGE
    assert change_of(other, shown, "count") == SUPPRESSED_CHANGE
    assert change_of(Cell(5.0, "5"), Cell(12.0, "12"), "count").shown == "+7"
    assert change_of(Cell(None, ""), shown, "count").shown == ""


def test_a_change_of_a_share_is_taken_between_the_figures_shown():
    # 83.3 % shown "83 %" and 80.4 % shown "80 %": the change is of the figures shown.
    assert change_of(Cell(83.3, "83 %"), Cell(80.4, "80 %"), "share").shown == "-3 pts"


def test_what_changed_most_leaves_out_changes_of_suppressed_figures(two_territories):
    previous, computed, changes = biggest_changes(region="brussels", period=parse_period(PERIOD))
    assert (previous, computed) == ("2026-10", True)
    found = [(c.territory, c.code, c.change.shown) for c in changes]
    assert found == [("Tournai", "referrals_sent", "+20")]  # Schaerbeek's 10 → "<5" is not listed


def test_the_dashboard_lists_the_changes_without_the_suppressed_one(two_territories, login, client):
    login(two_territories["regional_admin"], verified=False)
    body = client.get(f"/region/brussels/?period={PERIOD}").content.decode()
    table = body[body.index('id="table-changes"') : body.index("</table>", body.index('id="table-changes"'))]
    assert "+20" in table and "Schaerbeek" not in table and "-7" not in table


def test_a_territory_page_shows_its_months_against_the_region_median(two_territories, login, client):
    login(two_territories["regional_admin"], verified=False)
    response = client.get(f"/region/brussels/territory/tournai/?period={PERIOD}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    trends = territory_trends(region="brussels", slug="tournai", period=parse_period(PERIOD))
    sent = next(t for t in trends.trends if t.code == "referrals_sent")
    assert trends.months[0] == "2025-12" and trends.months[-1] == PERIOD
    assert [c.shown for c in sent.own[-2:]] == ["5", "25"]
    # October: 10 and 5 shown, median 7.5; November: Schaerbeek's "<5" is left out.
    assert sent.median[-2:] == ["7.5", "25"] and sent.counted[-2:] == [2, 1]
    assert "Median of the region" in response.content.decode()


def test_the_change_over_a_year_is_suppressed_when_this_month_is(two_territories):
    trends = territory_trends(region="brussels", slug="schaerbeek", period=parse_period(PERIOD))
    sent = next(t for t in trends.trends if t.code == "referrals_sent")
    assert trends.year_before == "2025-11"
    assert sent.own[-1].shown == "<5" and sent.year_change == SUPPRESSED_CHANGE
    accounts = next(t for t in trends.trends if t.code == "active_accounts")
    assert accounts.year_change.shown == "+0"


@pytest.mark.parametrize("debug", [True, False])
def test_a_territory_of_another_region_is_the_projects_404(tenant_db, login, client, debug):
    login(tenant_db["regional_admin"], verified=False)
    with override_settings(DEBUG=debug):
        for path in (
            f"/region/brussels/territory/tournai/?period={PERIOD}",  # Tournai is in Wallonia
            f"/region/brussels/territory/nowhere/?period={PERIOD}",
            f"/region/wallonia/territory/tournai/?period={PERIOD}",
        ):
            response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code == 404 and "URLconf" not in response.content.decode()


def test_trends_need_a_month(tenant_db, login, client):
    login(tenant_db["regional_admin"], verified=False)
    response = client.get("/region/brussels/territory/schaerbeek/?period=2026-Q4", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Choose a month (2026-11): trends run month by month." in unescape(response.content.decode())


@pytest.mark.parametrize("values", list(itertools.product([0, 1, 3, 4, 5, 9], repeat=3)))
def test_no_suppressed_part_can_be_worked_out_from_the_total_and_the_other_parts(values):
    """A breakdown's total is shown whenever it is not itself small, so a single hidden part
    would be the total minus the others: a second part is always hidden with it."""
    parts = present(dict(zip("abc", map(float, values), strict=True)), "count")
    total = present({"": float(sum(values))}, "count")[""]
    hidden = [key for key, cell in parts.items() if cell.value is None]
    if total.value is not None:
        assert len(hidden) != 1, (values, parts)


def test_a_quarter_hides_a_count_that_one_of_its_months_hides(two_territories, login, client):
    """October 10, November 3 ("<5"), December 10: the quarter's 23 would give November away."""
    _store(two_territories.schaerbeek, "2026-12", "referrals_sent", {"sent": 10})
    _store(two_territories.schaerbeek, "2026-Q4", "referrals_sent", {"sent": 23})
    _store(two_territories.tournai, "2026-Q4", "referrals_sent", {"sent": 30})
    quarter = {t.slug: t for t in region_figures(region="brussels", period=parse_period("2026-Q4"))}
    assert quarter["schaerbeek"].totals["referrals_sent"].shown == "—"
    assert quarter["schaerbeek"].breakdowns["referrals_sent"]["sent"].shown == "—"
    assert quarter["tournai"].totals["referrals_sent"].shown == "30"  # none of its months is hidden
    login(two_territories["regional_admin"], verified=False)
    rows = client.get("/region/brussels/export.csv?period=2026-Q4").content.decode("utf-8-sig")
    assert "23" not in rows


def test_a_part_hidden_in_a_month_is_hidden_in_its_quarter_never_alone(tenant_db):
    schaerbeek = tenant_db.schaerbeek
    _store(schaerbeek, "2026-10", "referrals_by_domain", {"housing": 3, "health": 9, "language": 20})
    _store(schaerbeek, "2026-11", "referrals_by_domain", {"housing": 6, "health": 6, "language": 6})
    _store(schaerbeek, "2026-Q4", "referrals_by_domain", {"housing": 9, "health": 15, "language": 26})
    quarter = region_figures(region="brussels", period=parse_period("2026-Q4"))[0]
    shown = {key: cell.shown for key, cell in quarter.breakdowns["referrals_by_domain"].items()}
    # Housing is hidden in October, so in the quarter too, and with it the next smallest.
    assert shown == {"health": "—", "housing": "—", "language": "26"}


def test_computing_a_quarter_computes_its_missing_months(tenant_db):
    compute(parse_period("2026-Q3"))
    stored = set(IndicatorValue.objects.values_list("period", flat=True))
    assert {"2026-07", "2026-08", "2026-09", "2026-Q3"} <= stored
