"""A region one may not see looks like any missing page: the project's own 404, even with
DEBUG on (Django's debug 404 lists the URL patterns)."""

from html import unescape

import pytest
from django.test import override_settings

PATHS = [
    "/region/wallonia/?period=2026-11",
    "/region/wallonia/export.csv?period=2026-11",
    "/region/wallonia/part/offers/?period=2026-11&fragment=1",
    "/region/wallonia/part/months/?period=2026-11",
    "/region/wallonia/export.xlsx?period=2026-11&per=1000",
    "/region/wallonia/?period=not-a-period",  # scope is checked before the period
]


def _is_the_projects_404(response) -> bool:
    body = response.content.decode()
    return response.status_code == 404 and "URLconf" not in body and "Page not found" in body


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("path", PATHS)
def test_another_region_is_the_projects_404_in_every_mode(tenant_db, login, client, path, debug):
    login(tenant_db["regional_admin"], verified=False)
    with override_settings(DEBUG=debug):
        assert _is_the_projects_404(client.get(path, HTTP_ACCEPT_LANGUAGE="en"))


@pytest.mark.parametrize("debug", [True, False])
def test_a_coordinator_gets_the_projects_404_on_the_dashboard(tenant_db, login, client, debug):
    login(tenant_db["coordinator"])
    with override_settings(DEBUG=debug):
        assert _is_the_projects_404(client.get("/region/brussels/?period=2026-11", HTTP_ACCEPT_LANGUAGE="en"))


def test_another_regions_computation_is_the_projects_404(tenant_db, login, client):
    login(tenant_db["regional_admin"], verified=False)
    with override_settings(DEBUG=True):
        assert _is_the_projects_404(client.post("/region/wallonia/compute/", HTTP_ACCEPT_LANGUAGE="en"))
        response = client.get("/region/wallonia/compute/forged-token/", HTTP_ACCEPT_LANGUAGE="en")
        assert _is_the_projects_404(response)


@pytest.mark.parametrize(
    ("query", "field_message"),
    [
        ("period=2026-13", "A month (2026-11), a quarter (2026-Q4) or a year (2026)."),
        ("period=2026-11&sort=nothing", "Choose one of the table's indicators to sort by."),
        ("period=2026-11&per=100", "Leave it out for counts, or give 1000 for figures per 1,000 inhabitants."),
    ],
)
@pytest.mark.parametrize("page", ["", "export.csv", "export.xlsx"])
def test_an_unknown_period_indicator_or_view_is_a_400_naming_it(tenant_db, login, client, page, query, field_message):
    login(tenant_db["regional_admin"], verified=False)
    with override_settings(DEBUG=True):
        response = client.get(f"/region/brussels/{page}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert field_message in unescape(response.content.decode())
