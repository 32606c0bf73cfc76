"""The main menu: grouped by task, each link only for a role whose page would open, the
API on the account page, and a disclosure button for narrow screens."""

import re

import pytest
from django.utils import translation
from django_tenants.utils import schema_context

from tenants.models import Coordination
from work.navigation import menu

BASE = "/c/schaerbeek/"
COORDINATOR_ONLY = [
    "referrals/triage/",
    "directory/coverage/",
    "directory/import/",
    "directory/harvesting/",
    "indicators/",
    "audit/",
]


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def _paths(persona) -> dict[str, list[str]]:
    with schema_context("schaerbeek"):
        coordination = Coordination.objects.get(slug="schaerbeek")
        return {group.key: [link.path for link in group.links] for group in menu(persona.actor(), coordination)}


def _nav(page: str) -> str:
    return re.search(r'<nav class="main-nav".*?</nav>', page, re.S).group(0)


def test_the_menu_is_grouped_by_task_in_the_order_of_a_day(tenant_db):
    assert list(_paths(tenant_db["coordinator"])) == ["work", "persons", "referrals", "directory", "coordination"]


@pytest.mark.parametrize("name", ["bapa_worker", "cpas_referent", "volunteer", "observer"])
def test_coordinator_pages_are_listed_for_coordinators_only(tenant_db, name):
    listed = [path for paths in _paths(tenant_db[name]).values() for path in paths]
    assert not set(COORDINATOR_ONLY) & set(listed)


def test_the_coordinator_sees_its_pages(tenant_db):
    listed = [path for paths in _paths(tenant_db["coordinator"]).values() for path in paths]
    assert {"indicators/", "audit/", "directory/coverage/", "directory/import/"} <= set(listed)


def test_an_observer_has_no_persons_or_referrals_group(tenant_db):
    assert set(_paths(tenant_db["observer"])) == {"work", "directory", "coordination"}
    assert "directory/mine/" not in _paths(tenant_db["observer"])["directory"]


def test_a_volunteer_keeps_no_files_so_sends_no_referral(tenant_db):
    assert _paths(tenant_db["volunteer"])["referrals"] == ["referrals/inbox/"]


def test_every_listed_page_opens_for_its_reader(tenant_db, login, client):
    for name in ("bapa_worker", "volunteer", "observer", "coordinator"):
        login(tenant_db[name])
        for paths in _paths(tenant_db[name]).values():
            for path in paths:
                assert client.get(BASE + path).status_code == 200, (name, path)


def test_the_api_is_on_the_account_page_not_in_the_menu(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    page = client.get(f"{BASE}work/").content.decode()
    assert "api/v1/docs/" not in page
    account = client.get("/accounts/").content.decode()
    assert f'href="{BASE}api/v1/docs/"' in account


def test_the_menu_folds_behind_a_disclosure_button(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    page = client.get(f"{BASE}work/").content.decode()
    assert re.search(
        r'<button type="button" class="menu-toggle" aria-expanded="false" aria-controls="site-menu" hidden>', page
    )
    assert 'id="site-menu"' in page and "menu.js" in page
    assert f'<a href="{BASE}work/" aria-current="page">My work</a>' in _nav(page)


def test_the_group_labels_name_their_lists(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    nav = _nav(client.get(f"{BASE}work/").content.decode())
    for key in ("work", "persons", "referrals", "directory", "coordination"):
        assert f'id="menu-{key}"' in nav and f'aria-labelledby="menu-{key}"' in nav


def test_the_menu_costs_no_query_of_its_own(tenant_db, django_assert_num_queries):
    with schema_context("schaerbeek"):
        coordination = Coordination.objects.get(slug="schaerbeek")
        actor = tenant_db["coordinator"].actor()
        with django_assert_num_queries(0):
            menu(actor, coordination)
