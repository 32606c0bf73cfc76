"""Consents through the API: bad input, immutability, withdrawal at once."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from consent.models import Consent
from tests.factories import PersonFactory


@pytest.fixture
def person(tenant_db):
    return PersonFactory(given_name="Amina", family_name="Haddad")


def _body(world, **overrides):
    body = {
        "recipients": [str(world["cpas_referent"].organisation_public_id)],
        "domains": ["housing"],
        "categories": ["identity", "situation"],
        "purpose": "Recherche de logement",
        "method": "oral_witnessed",
        "witness_name": "Collègue",
        "explanation_language": "ar",
        "interpreter_used": True,
        "interpreter_name": "Sétis",
    }
    body.update(overrides)
    return body


def _post(world, person, api, **overrides):
    return api.post(
        f"/c/schaerbeek/api/v1/persons/{person.public_id}/consents/", _body(world, **overrides), format="json"
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"recipients": []}, "recipients"),
        ({"domains": []}, "domains"),
        ({"categories": []}, "categories"),
        ({"expires_on": (date.today() - timedelta(days=1)).isoformat()}, "expires_at"),
        ({"expires_on": (date.today() + timedelta(days=365 * 6)).isoformat()}, "expires_at"),
        ({"recipients": ["3f1c9c1e-0000-4000-8000-000000000000"]}, "recipients"),
        ({"method": "oral_witnessed", "witness_name": ""}, "witness_name"),
        ({"explanation_language": "zz"}, "explanation_language"),
    ],
)
def test_bad_consent_is_400_naming_the_field(tenant_db, token_client, person, overrides, field):
    response = _post(tenant_db, person, token_client(tenant_db["bapa_worker"]), **overrides)
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]


def test_recipient_of_another_coordination_is_400(tenant_db, token_client, person):
    foreign = str(tenant_db["foreigner"].organisation_public_id)
    response = _post(tenant_db, person, token_client(tenant_db["bapa_worker"]), recipients=[foreign])
    assert response.status_code == 400
    assert "recipients" in response.json()["fields"]


def test_editing_a_given_consent_is_409(tenant_db, token_client, person):
    api = token_client(tenant_db["bapa_worker"])
    consent = _post(tenant_db, person, api).json()
    response = api.patch(f"/c/schaerbeek/api/v1/consents/{consent['id']}/", {"purpose": "Autre"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"] == "consent_immutable"
    assert "new version" in response.json()["detail"]


def test_default_validity_is_twelve_months(tenant_db, token_client, person):
    consent = _post(tenant_db, person, token_client(tenant_db["bapa_worker"])).json()
    assert consent["expires_at"][:4] == str(int(consent["given_at"][:4]) + 1)


def test_recipient_reads_then_withdrawal_hides_at_once(tenant_db, token_client, person):
    owner, cpas = token_client(tenant_db["bapa_worker"]), token_client(tenant_db["cpas_referent"])
    consent = _post(tenant_db, person, owner).json()
    path = f"/c/schaerbeek/api/v1/persons/{person.public_id}/"
    body = cpas.get(path).json()
    assert body["family_name"] == "Haddad" and "situation" in body
    response = owner.post(
        f"/c/schaerbeek/api/v1/consents/{consent['id']}/withdraw/", {"reason": "Demande"}, format="json"
    )
    assert response.status_code == 200 and response.json()["withdrawn"]["state"] == "withdrawn"
    assert cpas.get(path).status_code == 404


def test_recipient_without_situation_category_sees_identity_only(tenant_db, token_client, person):
    owner, cpas = token_client(tenant_db["bapa_worker"]), token_client(tenant_db["cpas_referent"])
    _post(tenant_db, person, owner, categories=["identity"])
    body = cpas.get(f"/c/schaerbeek/api/v1/persons/{person.public_id}/").json()
    assert body["family_name"] == "Haddad" and "situation" not in body


def test_recipient_cannot_withdraw_or_record(tenant_db, token_client, person):
    owner, cpas = token_client(tenant_db["bapa_worker"]), token_client(tenant_db["cpas_referent"])
    consent = _post(tenant_db, person, owner).json()
    assert (
        cpas.post(
            f"/c/schaerbeek/api/v1/consents/{consent['id']}/withdraw/", {"reason": "x"}, format="json"
        ).status_code
        == 403
    )
    assert _post(tenant_db, person, cpas).status_code == 403


def test_outsider_gets_404_on_consent(tenant_db, token_client, person):
    consent = _post(tenant_db, person, token_client(tenant_db["bapa_worker"])).json()
    assert token_client(tenant_db["outsider"]).get(f"/c/schaerbeek/api/v1/consents/{consent['id']}/").status_code == 404
    assert token_client(tenant_db["foreigner"]).get(f"/c/tournai/api/v1/consents/{consent['id']}/").status_code == 404


def test_web_consent_page_records_an_oral_consent(tenant_db, login, client, person):
    login(tenant_db["bapa_worker"])
    response = client.post(
        f"/c/schaerbeek/persons/{person.public_id}/consents/new/",
        {
            "recipients": [str(tenant_db["cpas_referent"].organisation_public_id)],
            "domains": ["housing"],
            "categories": ["identity"],
            "purpose": "Logement",
            "method": "oral_witnessed",
            "witness_name": "Collègue",
            "explanation_language": "ar",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/c/schaerbeek/persons/{person.public_id}/").content.decode()
    assert "CPAS de Schaerbeek" in page


def test_web_withdraw_page_withdraws_the_consent_for_the_file_keeper_only(
    tenant_db, login, client, token_client, person
):
    consent = _post(tenant_db, person, token_client(tenant_db["bapa_worker"])).json()
    url = f"/c/schaerbeek/consents/{consent['id']}/withdraw/"
    login(tenant_db["cpas_referent"])
    assert client.get(url).status_code == 403
    login(tenant_db["bapa_worker"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "La personne le demande."}).status_code == 302
    with schema_context("schaerbeek"):
        assert Consent.objects.get(public_id=consent["id"]).state == "withdrawn"


def test_recording_page_prints_the_form_with_its_own_field_names(tenant_db, login, client, person):
    login(tenant_db["bapa_worker"])
    response = client.get(
        f"/c/schaerbeek/persons/{person.public_id}/consent-form/",
        {
            "recipients": [str(tenant_db["cpas_referent"].organisation_public_id)],
            "domains": ["housing"],
            "categories": ["identity"],
            "purpose": "Logement",
            "explanation_language": "ar",
        },
    )
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


def test_recording_page_posts_its_fields_to_print_the_form(tenant_db, login, client, person):
    login(tenant_db["bapa_worker"])
    response = client.post(
        f"/c/schaerbeek/persons/{person.public_id}/consent-form/",
        {
            "recipients": [str(tenant_db["cpas_referent"].organisation_public_id)],
            "domains": ["housing"],
            "categories": ["identity"],
            "purpose": "Logement",
            "explanation_language": "ar",
            "method": "paper_signed",
        },
    )
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


# --- A consent record is read by its recipients while in force, by its keeper always ---


def _detail(consent_id):
    return f"/c/schaerbeek/api/v1/consents/{consent_id}/"


def test_recipient_reads_the_consent_while_in_force(tenant_db, token_client, person):
    consent = _post(tenant_db, person, token_client(tenant_db["bapa_worker"])).json()
    response = token_client(tenant_db["cpas_referent"]).get(_detail(consent["id"]))
    assert response.status_code == 200 and response.json()["purpose"] == "Recherche de logement"


def test_recipient_no_longer_reads_a_withdrawn_consent(tenant_db, token_client, person):
    owner, cpas = token_client(tenant_db["bapa_worker"]), token_client(tenant_db["cpas_referent"])
    consent = _post(tenant_db, person, owner).json()
    owner.post(f"{_detail(consent['id'])}withdraw/", {"reason": "Demande"}, format="json")
    response = cpas.get(_detail(consent["id"]))
    assert response.status_code == 404
    assert response.json() == token_client(tenant_db["outsider"]).get(_detail(consent["id"])).json()
    assert owner.get(_detail(consent["id"])).json()["withdrawal_reason"] == "Demande"


def test_recipient_no_longer_reads_a_superseded_version(tenant_db, token_client, person):
    owner, cpas = token_client(tenant_db["bapa_worker"]), token_client(tenant_db["cpas_referent"])
    first = _post(tenant_db, person, owner).json()
    second = _post(tenant_db, person, owner, supersedes=first["id"], purpose="Logement et emploi").json()
    assert cpas.get(_detail(first["id"])).status_code == 404
    assert cpas.get(_detail(second["id"])).status_code == 200
    listed = cpas.get(f"/c/schaerbeek/api/v1/persons/{person.public_id}/consents/").json()["results"]
    assert [c["id"] for c in listed] == [second["id"]]
    kept = owner.get(f"/c/schaerbeek/api/v1/persons/{person.public_id}/consents/").json()["results"]
    assert {c["id"] for c in kept} == {first["id"], second["id"]}
    assert owner.get(_detail(first["id"])).status_code == 200


def test_recipient_no_longer_reads_an_expired_consent(tenant_db, token_client, person):
    owner, cpas = token_client(tenant_db["bapa_worker"]), token_client(tenant_db["cpas_referent"])
    consent = _post(tenant_db, person, owner).json()
    with schema_context("schaerbeek"):
        Consent.objects.filter(public_id=consent["id"]).update(
            given_at=timezone.now() - timedelta(days=400), expires_at=timezone.now() - timedelta(days=1)
        )
    assert cpas.get(_detail(consent["id"])).status_code == 404
    assert owner.get(_detail(consent["id"])).status_code == 200


def test_consent_pages_follow_the_same_rule(tenant_db, login, client, token_client, person):
    owner = token_client(tenant_db["bapa_worker"])
    consent = _post(tenant_db, person, owner).json()
    owner.post(f"{_detail(consent['id'])}withdraw/", {"reason": "Demande"}, format="json")
    login(tenant_db["cpas_referent"])
    for page in ("withdraw", "receipt"):
        assert client.get(f"/c/schaerbeek/consents/{consent['id']}/{page}/").status_code == 404
