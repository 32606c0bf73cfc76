"""Figures per 1,000 inhabitants: populations of the communes, rates on the dashboard and
in the regional API, and never a rate where the count is suppressed."""

import re
from datetime import date
from unittest import mock

import pytest
from django.core.cache.backends.dummy import DummyCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from regions.indicators import INDICATORS, Cell, compute, parse_period
from regions.models import CommunePopulation, IndicatorValue
from regions.selectors import Population, per_thousand, populations
from tenants.models import Coordination, CoordinationCommune
from tests.regions.conftest import dashboard_with_parts

PERIOD = "2026-10"


def _this_month() -> str:
    now = timezone.now()
    return f"{now.year}-{now.month:02d}"


def _inhabitants(nis_code: str, name: str, population: int) -> None:
    CommunePopulation.objects.update_or_create(
        nis_code=nis_code,
        defaults={
            "name": name,
            "population": population,
            "reference_date": date(2024, 1, 1),
            "source": "test",
            "is_provisional": False,
        },
    )


def _cell(body: str, indicator: str) -> str:
    """The comparison table's cell of one indicator for the only territory (Schaerbeek)."""
    table = body[body.index('id="table-comparison"') :]
    table = table[: table.index("</table>")]
    cells = re.findall(r'<td data-label="[^"]*" class="figure">(.*?)</td>', table, re.S)
    return cells[1 + list(INDICATORS).index(indicator)]  # after the Inhabitants column


def test_a_coordination_has_the_population_of_its_communes(tenant_db):
    _inhabitants("21015", "Schaerbeek", 12_000)
    _inhabitants("21009", "Ixelles", 8_000)
    CoordinationCommune.objects.create(coordination=tenant_db.schaerbeek, name="Ixelles", nis_code="21009")
    known = populations([tenant_db.schaerbeek.pk])[tenant_db.schaerbeek.pk]
    assert known.inhabitants == 20_000
    assert known.reference_date == date(2024, 1, 1)


def test_one_commune_without_a_figure_leaves_the_coordination_without_one(tenant_db):
    _inhabitants("21015", "Schaerbeek", 12_000)
    CommunePopulation.objects.filter(nis_code="21003").delete()
    CoordinationCommune.objects.create(coordination=tenant_db.schaerbeek, name="Berchem", nis_code="21003")
    known = populations([tenant_db.schaerbeek.pk])[tenant_db.schaerbeek.pk]
    assert known.inhabitants is None
    assert known.missing == ("Berchem (21003)",)


def test_a_rate_is_the_count_per_thousand_inhabitants_with_one_decimal():
    assert per_thousand(Cell(6.0, "6"), "count", Population(12_000)) == Cell(0.5, "0.5")
    assert per_thousand(Cell(25.0, "25"), "count", Population(133_000)) == Cell(0.2, "0.2")  # 0.188
    assert per_thousand(Cell(0.0, "0"), "count", Population(12_000)) == Cell(0.0, "0.0")


@pytest.mark.parametrize("suppressed", [Cell(None, "<5"), Cell(None, "—")])
def test_a_suppressed_count_has_no_rate(suppressed):
    assert per_thousand(suppressed, "count", Population(12_000)) == suppressed


def test_durations_flags_and_shares_are_not_divided():
    for kind, cell in (("duration", Cell(3.5, "3.5")), ("flag", Cell(1.0, "1")), ("share", Cell(83.0, "83 %"))):
        assert per_thousand(cell, kind, Population(12_000)) == cell


def test_an_unknown_population_gives_a_dash():
    assert per_thousand(Cell(6.0, "6"), "count", Population(None, missing=("Schaerbeek (21015)",))).shown == "—"


def test_the_dashboard_shows_referrals_per_thousand_inhabitants(tenant_db, send_referrals, login, client):
    _inhabitants("21015", "Schaerbeek", 12_000)
    label = send_referrals(6)
    login(tenant_db["regional_admin"], verified=False)
    body = client.get(f"/region/brussels/?period={label}&per=1000").content.decode()
    assert _cell(body, "referrals_sent") == "0.5"  # 6 × 1,000 / 12,000
    assert 'id="per-note"' in body
    assert re.search(r'<td data-label="[^"]*" class="figure">12000</td>', body)


def test_no_rate_where_the_count_is_suppressed(tenant_db, send_referrals, login, client):
    _inhabitants("21015", "Schaerbeek", 12_000)
    label = send_referrals(3)
    login(tenant_db["regional_admin"], verified=False)
    body = dashboard_with_parts(client, f"/region/brussels/?period={label}&per=1000", HTTP_ACCEPT_LANGUAGE="en")
    cell = _cell(body, "referrals_sent")
    assert cell.startswith("&lt;5")
    assert "no rate for a suppressed count" in cell
    assert "0.2" not in cell and "0.3" not in cell  # 3 × 1,000 / 12,000 = 0.25
    bars = body[body.index('id="chart-sent"') :]
    assert "0.2" not in bars[: bars.index("</svg>")] and "0.3" not in bars[: bars.index("</svg>")]


def test_an_unknown_population_shows_a_dash_and_says_why(tenant_db, send_referrals, login, client):
    CommunePopulation.objects.filter(nis_code="21015").delete()
    label = send_referrals(6)
    login(tenant_db["regional_admin"], verified=False)
    body = client.get(f"/region/brussels/?period={label}&per=1000", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _cell(body, "referrals_sent") == "—"
    assert "Population unknown for Schaerbeek (21015)" in body


def test_the_default_view_shows_counts_and_a_switch_to_rates(tenant_db, send_referrals, login, client):
    _inhabitants("21015", "Schaerbeek", 12_000)
    label = send_referrals(6)
    login(tenant_db["regional_admin"], verified=False)
    body = client.get(f"/region/brussels/?period={label}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="?period={label}&amp;per=1000"' in body
    assert 'id="per-note"' not in body
    assert '<input id="per-input" name="per" type="checkbox" value="1000"' in body


def test_sorting_per_thousand_orders_by_the_rate(tenant_db, send_referrals, login, client):
    # Tournai joins Brussels for this test only: more referrals in Schaerbeek, but far
    # more inhabitants, so Tournai comes first per 1,000.
    Coordination.objects.filter(pk=tenant_db.tournai.pk).update(region="brussels")
    _inhabitants("21015", "Schaerbeek", 120_000)
    _inhabitants("57081", "Tournai", 5_000)
    label = send_referrals(6)
    IndicatorValue.objects.filter(coordination=tenant_db.tournai, period=label, indicator="referrals_sent").delete()
    IndicatorValue.objects.create(
        coordination=tenant_db.tournai, period=label, indicator="referrals_sent", dimension="sent", value=5
    )
    login(tenant_db["regional_admin"], verified=False)

    def order(query):
        body = client.get(f"/region/brussels/?period={label}{query}").content.decode()
        table = body[body.index('id="table-comparison"') :]
        return re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a></th>', table[: table.index("</table>")])

    assert order("&sort=referrals_sent") == ["Schaerbeek", "Tournai"]
    assert order("&sort=referrals_sent&per=1000") == ["Tournai", "Schaerbeek"]  # 1.0 against 0.05


def test_a_bad_per_is_a_400_naming_it(tenant_db, login, client):
    login(tenant_db["regional_admin"], verified=False)
    response = client.get(f"/region/brussels/?period={PERIOD}&per=100", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "give 1000 for figures per 1,000 inhabitants" in response.content.decode()


def _fake_territories(count: int) -> None:
    """Coordinations of Brussels with snapshots but no schema: the dashboard only reads the
    public tables, so they stand in for more territories."""
    created = Coordination.objects.bulk_create(
        Coordination(schema_name=f"extra_{i}", slug=f"extra-{i}", name=f"Extra {i}", region="brussels")
        for i in range(count)
    )
    CoordinationCommune.objects.bulk_create(
        CoordinationCommune(coordination=c, name=c.name, nis_code=f"{21100 + i}") for i, c in enumerate(created)
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(coordination=c, period=PERIOD, indicator=name, dimension="", value=7)
        for c in created
        for name in INDICATORS
    )


def _queries(client, query: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/region/brussels/?period={PERIOD}{query}").status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("query", ["", "&per=1000"])
def test_the_dashboard_reads_a_fixed_number_of_queries_whatever_the_territories(tenant_db, login, client, query):
    # A page computed afresh each time (a new snapshot or territory makes a new one anyway).
    no_cache = DummyCache("none", {})
    with mock.patch("regions.views.cache", no_cache):
        _fixed_queries(tenant_db, login, client, query)


def test_a_kept_dashboard_reads_only_what_it_was_computed_from(tenant_db, login, client):
    compute(parse_period(PERIOD))
    login(tenant_db["regional_admin"], verified=False)
    _queries(client, "")  # the first request of a session reads a few things once
    computed = _queries(client, "&sort=referrals_sent")
    kept = _queries(client, "&sort=referrals_sent")
    assert kept < computed  # the table, the populations, the month before: kept
    _fake_territories(1)  # a new territory: the page is computed again, with it
    with CaptureQueriesContext(connection) as captured:
        body = client.get(f"/region/brussels/?period={PERIOD}&sort=referrals_sent").content.decode()
    assert len(captured.captured_queries) >= computed
    assert body.count('<th scope="row">') >= 2


def _fixed_queries(tenant_db, login, client, query):
    compute(parse_period(PERIOD))
    login(tenant_db["regional_admin"], verified=False)
    _queries(client, query)  # the first request of a session reads a few things once
    alone = _queries(client, query)
    _fake_territories(12)
    assert _queries(client, query) == alone


def test_the_dashboard_stays_within_its_query_budget(tenant_db, login, client, django_assert_max_num_queries):
    compute(parse_period(PERIOD))
    _fake_territories(12)
    login(tenant_db["regional_admin"], verified=False)
    with django_assert_max_num_queries(16):  # one for the month before: what changed most
        client.get(f"/region/brussels/?period={PERIOD}&per=1000&sort=referrals_sent")


# --- The regional API ----------------------------------------------------------------


def test_the_api_adds_rates_per_thousand_on_request(tenant_db, send_referrals, login, client):
    _inhabitants("21015", "Schaerbeek", 12_000)
    label = send_referrals(6)
    login(tenant_db["regional_admin"], verified=False)
    body = client.get(f"/api/v1/regions/brussels/indicators/?period={label}&per=1000").json()
    sent = next(t for t in body["indicators"] if t["code"] == "referrals_sent")
    assert sent["coordinations"][0]["per_1000"] == "0.5"
    assert body["populations"] == [
        {
            "slug": "schaerbeek",
            "inhabitants": 12_000,
            "reference_date": "2024-01-01",
            "provisional": False,
            "missing_communes": [],
        }
    ]
    plain = client.get(f"/api/v1/regions/brussels/indicators/?period={label}").json()
    assert "populations" not in plain
    assert all("per_1000" not in row for t in plain["indicators"] for row in t["coordinations"])


def test_the_api_gives_no_rate_for_a_suppressed_count(tenant_db, send_referrals, login, client):
    _inhabitants("21015", "Schaerbeek", 12_000)
    label = send_referrals(3)
    login(tenant_db["regional_admin"], verified=False)
    body = client.get(f"/api/v1/regions/brussels/indicators/?period={label}&per=1000").json()
    sent = next(t for t in body["indicators"] if t["code"] == "referrals_sent")
    assert sent["coordinations"][0]["values"] == {"sent": "<5"}
    assert sent["coordinations"][0]["per_1000"] is None


def test_the_api_refuses_another_per(tenant_db, login, client):
    login(tenant_db["regional_admin"], verified=False)
    response = client.get(f"/api/v1/regions/brussels/indicators/?period={PERIOD}&per=10")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["per"]


def test_the_api_per_thousand_stays_within_its_region(tenant_db, login, client):
    login(tenant_db["regional_admin"], verified=False)
    assert client.get(f"/api/v1/regions/wallonia/indicators/?period={PERIOD}&per=1000").status_code == 404
