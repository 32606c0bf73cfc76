"""An end date already past asks for confirmation, on the page and in the API (one rule,
in directory.services), and the offer then shows as ended in "Our offers"."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from directory.models import Offer
from directory.services import OfferInput, update_offer
from maillage.errors import Invalid
from tests.factories import OfferFactory

ASK = "This end date is past: the offer will be hidden from the directory. Confirm that it has ended."


@pytest.fixture(autouse=True)
def english(client):
    """The messages as written (the tests' language is otherwise French)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def _yesterday() -> str:
    return (timezone.localdate() - timedelta(days=1)).isoformat()


def _api_offer(world, **fields):
    return {
        "organisation": str(world["cpas_referent"].organisation_public_id),
        "title": "Permanence logement",
        "primary_domain": "housing",
        **fields,
    }


def test_the_api_asks_before_saving_a_past_end_date(tenant_db, token_client):
    api = token_client(tenant_db["cpas_referent"])
    response = api.post("/c/schaerbeek/api/v1/offers/", _api_offer(tenant_db, valid_until=_yesterday()), format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"confirm_ended"}
    with schema_context("schaerbeek"):
        assert not Offer.objects.filter(title="Permanence logement").exists()
    confirmed = _api_offer(tenant_db, valid_until=_yesterday(), confirm_ended=True)
    assert api.post("/c/schaerbeek/api/v1/offers/", confirmed, format="json").status_code == 201


def test_an_end_date_today_or_later_asks_nothing(tenant_db, token_client):
    body = _api_offer(tenant_db, valid_until=timezone.localdate().isoformat())
    response = token_client(tenant_db["cpas_referent"]).post("/c/schaerbeek/api/v1/offers/", body, format="json")
    assert response.status_code == 201


def test_an_ended_offer_edited_without_a_new_end_date_asks_nothing(tenant_db):
    with schema_context("schaerbeek"):
        offer = OfferFactory(valid_until=timezone.localdate() - timedelta(days=30))
        data = OfferInput(title="Aide au logement (archive)", primary_domain="housing", valid_until=offer.valid_until)
        assert update_offer(actor=tenant_db["coordinator"].actor(), offer=offer, data=data).title.endswith("(archive)")
        data.valid_until -= timedelta(days=1)
        with pytest.raises(Invalid) as error:
            update_offer(actor=tenant_db["coordinator"].actor(), offer=offer, data=data)
    assert set(error.value.fields) == {"confirm_ended"}


def _page_offer(**fields):
    return {
        "title": "Permanence RIS",
        "primary_domain": "social_rights",
        "capacity_status": "open",
        "cost": "free",
        "access": "drop_in",
        "valid_until": _yesterday(),
        **fields,
    }


def test_the_page_asks_with_a_checkbox_then_saves(tenant_db, login, client):
    login(tenant_db["cpas_referent"])
    url = f"/c/schaerbeek/directory/organisations/{tenant_db['cpas_referent'].organisation_public_id}/offers/new/"
    response = client.post(url, _page_offer())
    page = response.content.decode()
    assert response.status_code == 400
    assert ASK in page and 'name="confirm_ended"' in page and 'href="#id_confirm_ended"' in page
    assert client.post(url, _page_offer(confirm_ended="on")).status_code == 302
    with schema_context("schaerbeek"):
        assert Offer.objects.filter(title="Permanence RIS").exists()


def test_our_offers_shows_an_ended_offer_as_ended_not_up_to_date(tenant_db, login, client):
    ended = timezone.localdate() - timedelta(days=3)
    with schema_context("schaerbeek"):
        OfferFactory(title="Projet terminé", valid_until=ended)
    login(tenant_db["cpas_referent"])
    page = client.get("/c/schaerbeek/directory/mine/").content.decode()
    row = page.split("Projet terminé", 1)[1].split("</tr>", 1)[0]
    assert "Ended on" in row and "Up to date" not in row
    assert "Still accurate" not in row
