"""The network map page: the picture and the tables, for every member and nobody else,
without any person."""

import re
from datetime import date

import pytest
from django.db import connection

from network import views as network_views
from tests.network.conftest import PERIOD, PERSON_NAMES, TODAY

URL = "/c/schaerbeek/network/"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(network_views, "_today", lambda: TODAY)


def _page(client, login, persona, **params):
    login(persona)
    return client.get(URL, params)


def _svg(html: str) -> str:
    return re.search(r"<svg .*?</svg>", html, re.S).group(0)


def test_map_page_draws_an_accessible_svg(known, tenant_db, login, client):
    html = _page(client, login, tenant_db["bapa_worker"], period=PERIOD).content.decode()
    svg = _svg(html)
    assert 'role="img"' in svg
    assert 'aria-labelledby="network-map-title network-map-desc"' in svg
    assert '<title id="network-map-title">' in svg and '<desc id="network-map-desc">' in svg
    assert svg.count("<circle") >= 5  # one per organisation (and the legend)
    assert svg.count('marker-end="url(#network-map-arrow)"') == 3 + 1  # three flows, one in the legend
    assert "style=" not in svg and "<script" not in svg


def test_map_page_table_gives_the_same_counts(known, tenant_db, login, client):
    html = _page(client, login, tenant_db["bapa_worker"], period=PERIOD).content.decode()
    table = re.search(r'<table class="stack comparison" id="table-flows">.*?</table>', html, re.S).group(0)
    rows = [re.findall(r">(\d+)</td>", row) for row in re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", table, re.S)]
    assert rows == [["6", "2", "3", "3", "1"], ["3", "0", "0", "2", "2"], ["1", "1", "1", "0", "0"]]


def test_map_page_highlights_what_needs_attention(known, tenant_db, login, client):
    html = _page(client, login, tenant_db["bapa_worker"], period=PERIOD).content.decode()
    items = re.findall(r"<li[^>]*>(.*?)</li>", re.search(r'id="attention-heading".*?</ul>', html, re.S).group(0), re.S)
    seso = next(item for item in items if "SESO" in item)
    assert re.findall(r"\d+", seso) == ["2", "3", "67"]  # 2 of the 3 received, 67 %
    assert any("Exil" in item for item in items)
    assert any("Aide juridique" in item for item in items)  # an uncovered domain, by its label


@pytest.mark.parametrize(
    "persona", ["coordinator", "bapa_worker", "cpas_referent", "volunteer", "observer", "outsider"]
)
def test_every_member_sees_the_map(known, tenant_db, login, client, persona):
    assert _page(client, login, tenant_db[persona], period=PERIOD).status_code == 200


def test_map_page_carries_no_person_data(known, tenant_db, login, client):
    html = _page(client, login, tenant_db["coordinator"], period=PERIOD).content.decode()
    for name in PERSON_NAMES:
        assert name not in html
    for public_id in [*known.person_ids, *known.referral_ids]:
        assert str(public_id) not in html


def test_foreigner_gets_404(known, tenant_db, login, client):
    assert _page(client, login, tenant_db["foreigner"]).status_code == 404


def test_regional_administrator_gets_404(tenant_db, login, client):
    login(tenant_db["regional_admin"], verified=False)
    assert client.get(URL).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(tenant_db, client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "2026-13"}, "period"),
        ({"start": "2026-03-02", "end": "2026-03-01"}, "end"),
        ({"start": "x"}, "start"),
    ],
)
def test_bad_period_is_a_400_naming_the_field(tenant_db, login, client, params, field):
    response = _page(client, login, tenant_db["bapa_worker"], **params)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="{field}-error"' in html and 'aria-invalid="true"' in html
    assert "<svg" not in html


def test_default_period_is_the_last_twelve_months(tenant_db, login, client):
    html = _page(client, login, tenant_db["bapa_worker"]).content.decode()
    assert 'value="2025-04-02"' in html and f'value="{TODAY.isoformat()}"' in html


def test_map_page_query_count_does_not_grow_with_the_network(
    known, tenant_db, login, client, django_assert_max_num_queries
):
    from django.test.utils import CaptureQueriesContext
    from django_tenants.utils import schema_context

    from directory.services import create_organisation
    from maillage.actor import Actor

    login(tenant_db["bapa_worker"])
    client.get(URL, {"period": PERIOD})  # session and caches warm
    with CaptureQueriesContext(connection) as small:
        client.get(URL, {"period": PERIOD})
    with schema_context("schaerbeek"):
        for index in range(15):
            create_organisation(actor=Actor.system(tenant_db.schaerbeek), name=f"Asbl {index}", kind="association")
    connection.set_schema_to_public()
    # Six for the map; the rest is the page shell (session, account, membership, menu counts).
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(URL, {"period": PERIOD})
    assert response.content.decode().count("Asbl ") >= 15
    assert len(small.captured_queries) <= 25


def test_home_and_navigation_link_to_the_map(tenant_db, login, client):
    login(tenant_db["volunteer"])
    html = client.get("/c/schaerbeek/").content.decode()
    assert 'href="/c/schaerbeek/network/"' in html and 'href="/c/schaerbeek/digest/"' in html


def test_dates_in_the_form_follow_the_period(tenant_db, login, client):
    html = _page(client, login, tenant_db["bapa_worker"], period="2026-02").content.decode()
    assert f'value="{date(2026, 2, 1).isoformat()}"' in html and 'value="2026-02-28"' in html
