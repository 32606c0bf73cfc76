"""Transfers through the API: where a family may go, starting, answering; bad input is a
400 naming the field, a doubled acceptance a 409, out of scope a 404."""

from django_tenants.utils import schema_context

from persons.models import Person
from tests.factories import PersonFactory

TOURNAI = "/c/tournai/api/v1"
SCHAERBEEK = "/c/schaerbeek/api/v1"


def _files_of(transfer_id) -> int:
    with schema_context("schaerbeek"):
        return Person.objects.filter(arrived_by_transfer=transfer_id).count()


def test_coordinations_to_move_to_leave_out_this_one(tenant_db, token_client):
    response = token_client(tenant_db["foreigner"]).get(f"{TOURNAI}/transfers/coordinations/")
    assert response.status_code == 200
    slugs = [c["slug"] for c in response.json()["results"]]
    assert "schaerbeek" in slugs and "tournai" not in slugs


def test_another_coordinations_directory_shows_organisations_only(tenant_db, token_client):
    response = token_client(tenant_db["foreigner"]).get(f"{TOURNAI}/transfers/coordinations/schaerbeek/organisations/")
    assert response.status_code == 200
    via = next(o for o in response.json() if o["id"] == str(tenant_db["bapa_worker"].organisation_public_id))
    assert set(via) == {"id", "name", "kind"}


def test_this_coordinations_own_directory_is_not_a_destination(tenant_db, token_client):
    api = token_client(tenant_db["foreigner"])
    assert api.get(f"{TOURNAI}/transfers/coordinations/tournai/organisations/").status_code == 404
    assert api.get(f"{TOURNAI}/transfers/coordinations/atlantis/organisations/").status_code == 404


def test_a_consent_names_an_organisation_elsewhere_through_the_api(tenant_db, token_client):
    person = PersonFactory(actor="foreigner")
    named = f"schaerbeek/{tenant_db['bapa_worker'].organisation_public_id}"
    body = {
        "recipients": [],
        "recipients_elsewhere": [named],
        "domains": ["housing"],
        "categories": ["identity", "situation"],
        "purpose": "Déménagement",
        "method": "oral_witnessed",
        "witness_name": "Collègue",
        "explanation_language": "fr",
    }
    api = token_client(tenant_db["foreigner"])
    response = api.post(f"{TOURNAI}/persons/{person.public_id}/consents/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["recipients_elsewhere"] == [named]
    body["recipients_elsewhere"] = [f"tournai/{tenant_db['tournai_coordinator'].organisation_public_id}"]
    response = api.post(f"{TOURNAI}/persons/{person.public_id}/consents/", body, format="json")
    assert response.status_code == 400
    assert "recipients_elsewhere" in response.json()["fields"]


def test_a_transfer_to_the_same_coordination_is_400_naming_the_field(family, tenant_db, token_client):
    response = token_client(tenant_db["foreigner"]).post(
        f"{TOURNAI}/persons/{family['person'].public_id}/transfers/",
        {"coordination": "tournai", "organisation": str(tenant_db["tournai_coordinator"].organisation_public_id)},
        format="json",
    )
    assert response.status_code == 400
    assert "coordination" in response.json()["fields"]


def test_a_transfer_with_a_malformed_organisation_is_400(family, tenant_db, token_client):
    response = token_client(tenant_db["foreigner"]).post(
        f"{TOURNAI}/persons/{family['person'].public_id}/transfers/",
        {"coordination": "schaerbeek", "organisation": "not-an-id"},
        format="json",
    )
    assert response.status_code == 400
    assert "organisation" in response.json()["fields"]


def test_start_answer_and_the_journey_through_the_api(tenant_db, token_client):
    via = str(tenant_db["bapa_worker"].organisation_public_id)
    person = PersonFactory(actor="foreigner", given_name="Yusuf", family_name="Karimi")
    origin = token_client(tenant_db["foreigner"])
    consent = origin.post(
        f"{TOURNAI}/persons/{person.public_id}/consents/",
        {
            "recipients": [],
            "recipients_elsewhere": [f"schaerbeek/{via}"],
            "domains": ["housing"],
            "categories": ["identity"],
            "purpose": "Déménagement",
            "method": "oral_witnessed",
            "witness_name": "Collègue",
            "explanation_language": "fr",
        },
        format="json",
    )
    assert consent.status_code == 201
    started = origin.post(
        f"{TOURNAI}/persons/{person.public_id}/transfers/",
        {"coordination": "schaerbeek", "organisation": via},
        format="json",
    )
    assert started.status_code == 201, started.json()
    transfer_id = started.json()["id"]
    assert started.json()["state"] == "pending"

    receiving = token_client(tenant_db["bapa_worker"])
    listed = receiving.get(f"{SCHAERBEEK}/transfers/")
    assert [t["id"] for t in listed.json()["results"]] == [transfer_id]
    assert "Yusuf" not in listed.content.decode() and "Karimi" not in listed.content.decode()

    accepted = receiving.post(f"{SCHAERBEEK}/transfers/{transfer_id}/accept/", HTTP_IDEMPOTENCY_KEY="accept-1")
    assert accepted.status_code == 201, accepted.json()
    again = receiving.post(f"{SCHAERBEEK}/transfers/{transfer_id}/accept/", HTTP_IDEMPOTENCY_KEY="accept-1")
    assert again.status_code == 201 and again.json() == accepted.json()
    doubled = receiving.post(f"{SCHAERBEEK}/transfers/{transfer_id}/accept/")
    assert doubled.status_code == 409 and doubled.json()["error"] == "transfer_accepted"
    assert _files_of(transfer_id) == 1

    arrived = receiving.get(f"{SCHAERBEEK}/persons/{accepted.json()['person']}/")
    assert arrived.status_code == 200 and arrived.json()["given_name"] == "Yusuf"
    seen_from_origin = origin.get(f"{TOURNAI}/transfers/{transfer_id}/")
    assert seen_from_origin.json()["state"] == "accepted" and seen_from_origin.json()["arrived_person"] is None


def test_another_organisation_gets_404_on_a_transfer(family, tenant_db, token_client):
    transfer_id = family["transfer"].public_id
    other = token_client(tenant_db["cpas_referent"])
    assert other.get(f"{SCHAERBEEK}/transfers/{transfer_id}/").status_code == 404
    assert other.post(f"{SCHAERBEEK}/transfers/{transfer_id}/accept/").status_code == 404
    assert other.post(f"{SCHAERBEEK}/transfers/{transfer_id}/decline/").status_code == 404
    assert _files_of(transfer_id) == 0


def test_the_origin_cannot_answer_its_own_transfer(family, tenant_db, token_client):
    response = token_client(tenant_db["foreigner"]).post(f"{TOURNAI}/transfers/{family['transfer'].public_id}/accept/")
    assert response.status_code == 403


def test_declining_through_the_api(family, tenant_db, token_client):
    response = token_client(tenant_db["bapa_worker"]).post(
        f"{SCHAERBEEK}/transfers/{family['transfer'].public_id}/decline/"
    )
    assert response.status_code == 200 and response.json()["state"] == "declined"
