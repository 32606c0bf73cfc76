"""Cancelling a referral asks first and names the consequence."""

import html

import pytest
from django_tenants.utils import schema_context

from referrals.models import Referral
from tests.factories import ReferralFactory

BASE = "/c/schaerbeek"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _status(referral) -> str:
    with schema_context("schaerbeek"):
        return Referral.objects.get(pk=referral.pk).status


def _url(referral):
    return f"{BASE}/referrals/{referral.public_id}/cancel/"


def test_the_cancel_step_names_the_consequence_and_changes_nothing(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    login(tenant_db["bapa_worker"])
    response = client.get(_url(referral))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "The referral ends for good" in page and "the receiving organisation is told" in page
    assert 'name="confirmed" value="yes"' in page
    assert _status(referral) == "sent"


def test_a_cancel_post_without_confirmation_changes_nothing(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    login(tenant_db["bapa_worker"])
    response = client.post(_url(referral))
    assert response.status_code == 200
    assert "The referral ends for good" in html.unescape(response.content.decode())
    assert _status(referral) == "sent"


def test_the_confirmed_cancel_ends_the_referral(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    login(tenant_db["bapa_worker"])
    response = client.post(_url(referral), {"confirmed": "yes"})
    assert response.status_code == 302
    assert _status(referral) == "cancelled"


def test_the_receiving_side_gets_no_cancel_step(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    login(tenant_db["cpas_referent"])
    assert client.get(_url(referral)).status_code == 403
    assert _status(referral) == "sent"


@pytest.mark.parametrize("persona", ["outsider", "foreigner"])
def test_another_organisation_or_coordination_gets_404(tenant_db, login, client, persona):
    referral = ReferralFactory(status="sent")
    login(tenant_db[persona])
    assert client.get(_url(referral)).status_code == 404
    assert client.post(_url(referral), {"confirmed": "yes"}).status_code == 404
    assert _status(referral) == "sent"


def test_other_actions_still_refuse_a_get(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    login(tenant_db["cpas_referent"])
    assert client.get(f"{BASE}/referrals/{referral.public_id}/accept/").status_code == 405
    assert _status(referral) == "sent"
