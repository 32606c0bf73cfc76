"""Who may change the directory: an organisation its own offers, coordinators all of it."""

import pytest
from django_tenants.utils import schema_context

from directory.models import Offer, Organisation
from directory.services import OfferInput, OrganisationInput, confirm_offer_accurate, update_offer, update_organisation
from maillage.errors import Forbidden


def _payload(world, **overrides):
    payload = {
        "organisation": str(world["cpas_referent"].organisation_public_id),
        "title": "Permanence sociale",
        "primary_domain": "social_rights",
        "languages": ["fr", "ar"],
        "opening_hours": [{"weekday": 2, "opens_at": "09:00", "closes_at": "12:00"}],
        "places": [{"street": "Rue Verte 1", "postcode": "1030", "city": "Schaerbeek"}],
    }
    payload.update(overrides)
    return payload


@pytest.mark.parametrize("persona", ["cpas_referent", "coordinator"])
def test_member_or_coordinator_posts_an_offer(tenant_db, token_client, persona):
    response = token_client(tenant_db[persona]).post("/c/schaerbeek/api/v1/offers/", _payload(tenant_db), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["opening_hours"] == [{"weekday": 2, "opens_at": "09:00", "closes_at": "12:00"}]


@pytest.mark.parametrize("persona", ["outsider", "volunteer", "observer", "bapa_worker"])
def test_others_cannot_post_for_the_cpas(tenant_db, token_client, persona):
    response = token_client(tenant_db[persona]).post("/c/schaerbeek/api/v1/offers/", _payload(tenant_db), format="json")
    assert response.status_code == 403


def test_another_organisation_cannot_edit_an_offer(tenant_db, make_offer, token_client):
    offer = make_offer()
    response = token_client(tenant_db["outsider"]).patch(
        f"/c/schaerbeek/api/v1/offers/{offer.public_id}/", {"title": "Changed"}, format="json"
    )
    assert response.status_code == 403
    with schema_context("schaerbeek"):
        assert Offer.objects.get(pk=offer.pk).title == "Aide au logement"


def test_own_organisation_edits_with_a_partial_update(tenant_db, make_offer, token_client):
    offer = make_offer(languages=["fr"])
    response = token_client(tenant_db["cpas_referent"]).patch(
        f"/c/schaerbeek/api/v1/offers/{offer.public_id}/", {"capacity_status": "full"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["capacity_status"] == "full"
    assert body["languages"] == ["fr"] and body["title"] == "Aide au logement"
    assert len(body["places"]) == 1 and len(body["opening_hours"]) == 1


def test_another_coordination_cannot_see_an_offer(tenant_db, make_offer, token_client):
    offer = make_offer()
    response = token_client(tenant_db["foreigner"]).get(f"/c/tournai/api/v1/offers/{offer.public_id}/")
    assert response.status_code == 404


def test_volunteer_cannot_confirm_an_offer(tenant_db, make_offer):
    offer = make_offer()
    with schema_context("schaerbeek"), pytest.raises(Forbidden):
        confirm_offer_accurate(actor=tenant_db["volunteer"].actor(), offer=offer)


def test_service_refuses_an_edit_by_another_organisation(tenant_db, make_offer):
    offer = make_offer()
    with schema_context("schaerbeek"), pytest.raises(Forbidden):
        update_offer(actor=tenant_db["outsider"].actor(), offer=offer, data=OfferInput("X", "housing"))


def test_member_cannot_change_membership_of_own_organisation(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        organisation = Organisation.objects.get(public_id=world["cpas_referent"].organisation_public_id)
        with pytest.raises(Forbidden):
            update_organisation(
                actor=world["cpas_referent"].actor(),
                organisation=organisation,
                data=OrganisationInput(name=organisation.name, kind="cpas", is_member=False),
            )


def test_coordinator_adds_an_organisation_and_a_worker_cannot(tenant_db, token_client):
    body = {"name": "Maison médicale du Nord", "kind": "association", "is_member": False}
    assert (
        token_client(tenant_db["bapa_worker"])
        .post("/c/schaerbeek/api/v1/organisations/", body, format="json")
        .status_code
        == 403
    )
    response = token_client(tenant_db["coordinator"]).post("/c/schaerbeek/api/v1/organisations/", body, format="json")
    assert response.status_code == 201


def test_coordinator_adds_a_local_need_domain(tenant_db, token_client):
    body = {
        "code": "digital_help",
        "label_fr": "Aide numérique",
        "label_nl": "Digitale hulp",
        "label_en": "Digital help",
    }
    assert (
        token_client(tenant_db["bapa_worker"])
        .post("/c/schaerbeek/api/v1/need-domains/", body, format="json")
        .status_code
        == 403
    )
    response = token_client(tenant_db["coordinator"]).post("/c/schaerbeek/api/v1/need-domains/", body, format="json")
    assert response.status_code == 201
    assert response.json()["is_local"] is True
