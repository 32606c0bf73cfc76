"""The inbox and the outbox: open and closed apart, what needs an answer first, filters and
the tab in the URL, and a count that says what it counts (the menu's is the default view's)."""

import html
import re
from datetime import timedelta

import pytest

from referrals.deadlines import belgian_today
from tests.factories import ReferralFactory

BASE = "/c/schaerbeek"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def _rows(page: str) -> list[str]:
    """The persons' names of the table's rows, in order."""
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', page)


@pytest.fixture
def inbox(tenant_db):
    """Five referrals to the CPAS: three open (one urgent, one due sooner), two closed."""
    today = belgian_today()
    ReferralFactory(status="sent", person__given_name="Later", row={"response_due": today + timedelta(days=8)})
    ReferralFactory(status="received", person__given_name="Sooner", row={"response_due": today + timedelta(days=1)})
    ReferralFactory(status="sent", urgency="urgent", person__given_name="Urgent")
    ReferralFactory(status="accepted", person__given_name="Taken")
    ReferralFactory(status="declined", person__given_name="Refused")
    ReferralFactory(status="completed", person__given_name="Done")
    return tenant_db


def test_the_default_view_lists_open_referrals_urgent_first_then_by_due_date(inbox, login, client):
    login(inbox["cpas_referent"])
    rows = _rows(_page(client.get(f"{BASE}/referrals/inbox/")))
    assert rows == ["Urgent", "Sooner", "Later", "Taken Darwish"]


def test_the_closed_tab_lists_closed_referrals_without_a_due_date(inbox, login, client):
    login(inbox["cpas_referent"])
    page = _page(client.get(f"{BASE}/referrals/inbox/?state=closed"))
    assert sorted(_rows(page)) == ["Done Darwish", "Refused Darwish"]
    assert "Answer expected by" not in page


def test_the_count_says_what_it_counts(inbox, login, client):
    login(inbox["cpas_referent"])
    page = _page(client.get(f"{BASE}/referrals/inbox/"))
    assert "3 to answer · 4 open in total" in page
    assert "Open (4)" in page and "Closed (2)" in page


def test_the_menu_count_is_what_the_default_view_lists(inbox, login, client):
    login(inbox["cpas_referent"])
    page = _page(client.get(f"{BASE}/referrals/inbox/"))
    assert f"Inbox ({len(_rows(page))})" in page


def test_the_menu_count_follows_a_referral_closing(inbox, login, client):
    ReferralFactory(status="cancelled", person__given_name="Withdrawn")
    login(inbox["cpas_referent"])
    page = _page(client.get(f"{BASE}/referrals/inbox/"))
    assert "Inbox (4)" in page and len(_rows(page)) == 4


def test_filters_stay_in_the_tabs_and_the_tab_in_the_filters(inbox, login, client):
    login(inbox["cpas_referent"])
    page = _page(client.get(f"{BASE}/referrals/inbox/?state=closed&domain=housing"))
    assert 'href="?state=open&domain=housing' in page
    assert '<input type="hidden" name="state" value="closed"' in page


def test_a_status_filter_applies_within_the_tab(inbox, login, client):
    login(inbox["cpas_referent"])
    page = _page(client.get(f"{BASE}/referrals/inbox/?state=closed&status=declined"))
    assert _rows(page) == ["Refused Darwish"]
    assert "1 shown with these filters" not in page  # said of the open tab only


def test_an_unknown_status_is_refused_with_its_field_message(inbox, login, client):
    login(inbox["cpas_referent"])
    response = client.get(f"{BASE}/referrals/inbox/?status=bogus")
    assert response.status_code == 400
    assert "Select a valid choice" in html.unescape(response.content.decode())


def test_the_outbox_keeps_drafts_with_the_open_ones(inbox, login, client):
    ReferralFactory(status="draft", person__given_name="Draft")
    login(inbox["bapa_worker"])
    open_rows = _rows(_page(client.get(f"{BASE}/referrals/outbox/")))
    assert "Draft Darwish" in open_rows and "Refused Darwish" not in open_rows
    assert "Refused Darwish" in _rows(_page(client.get(f"{BASE}/referrals/outbox/?state=closed")))


def _api_names(client, query: str) -> list[str]:
    response = client.get(f"{BASE}/api/v1/referrals/inbox/{query}")
    assert response.status_code == 200, response.content
    return [row["person"]["given_name"] for row in response.json()["results"]]


def test_the_api_lists_each_tab_in_the_order_of_the_page(inbox, login, client):
    login(inbox["cpas_referent"])
    page_open = [name.split()[0] for name in _rows(_page(client.get(f"{BASE}/referrals/inbox/")))]
    page_closed = [name.split()[0] for name in _rows(_page(client.get(f"{BASE}/referrals/inbox/?state=closed")))]
    assert _api_names(client, "?state=open") == page_open
    assert _api_names(client, "?state=closed") == page_closed
    assert sorted(_api_names(client, "")) == sorted(page_open + page_closed)


def test_the_api_refuses_an_unknown_tab_by_its_field(inbox, login, client):
    login(inbox["cpas_referent"])
    response = client.get(f"{BASE}/api/v1/referrals/inbox/?state=archived")
    assert response.status_code == 400
    assert "state" in response.json()["fields"]
