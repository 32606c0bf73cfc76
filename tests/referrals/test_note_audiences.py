"""A note is offered only the audiences the consent in force lets read it; another audience
is refused when writing, with why, instead of stored for nobody.

The dataset: an accepted BAPA → CPAS referral for housing, whose consent shares identity and
situation with the CPAS, and case notes when the test says so.
"""

import pytest
from django_tenants.utils import schema_context

from referrals.models import CaseNote
from tests.factories import ReferralFactory

API = "/c/schaerbeek/api/v1"
WITH_NOTES = ["identity", "situation", "case_notes"]
WITHOUT_NOTES = ["identity", "situation"]


def _referral(categories):
    with schema_context("schaerbeek"):
        return ReferralFactory(status="accepted", consent__categories=categories)


def _note(referral, audience, **more):
    body = {"domain": "housing", "text": "Rendez-vous fixé mardi.", "audience": audience, **more}
    if audience == "referral":
        body["referral"] = str(referral.public_id)
    return body


def _stored(referral) -> int:
    with schema_context("schaerbeek"):
        return CaseNote.objects.filter(person=referral.person).count()


# --- API -----------------------------------------------------------------------------------


@pytest.mark.parametrize("audience", ["referral", "consented"])
def test_api_refuses_an_audience_the_consent_keeps_out_naming_the_organisation(tenant_db, token_client, audience):
    referral = _referral(WITHOUT_NOTES)
    api = token_client(tenant_db["bapa_worker"])
    response = api.post(f"{API}/persons/{referral.person.public_id}/notes/", _note(referral, audience), format="json")
    assert response.status_code == 400
    (reason,) = response.json()["fields"]["audience"]
    assert "consent" in reason
    if audience == "referral":
        assert "CPAS de Schaerbeek" in reason
    assert _stored(referral) == 0


@pytest.mark.parametrize("audience", ["organisation", "referral", "consented"])
def test_api_accepts_every_audience_the_consent_allows(tenant_db, token_client, audience):
    referral = _referral(WITH_NOTES)
    api = token_client(tenant_db["bapa_worker"])
    response = api.post(f"{API}/persons/{referral.person.public_id}/notes/", _note(referral, audience), format="json")
    assert response.status_code == 201
    assert _stored(referral) == 1


def test_api_the_file_keeper_may_always_keep_a_note_for_its_organisation(tenant_db, token_client):
    referral = _referral(WITHOUT_NOTES)
    api = token_client(tenant_db["bapa_worker"])
    body = _note(referral, "organisation")
    assert api.post(f"{API}/persons/{referral.person.public_id}/notes/", body, format="json").status_code == 201


def test_api_the_recipient_is_told_why_it_may_not_write_back(tenant_db, token_client):
    referral = _referral(WITHOUT_NOTES)
    api = token_client(tenant_db["cpas_referent"])
    response = api.post(f"{API}/persons/{referral.person.public_id}/notes/", _note(referral, "referral"), format="json")
    assert response.status_code == 400
    assert "CPAS de Schaerbeek" in response.json()["fields"]["audience"][0]


@pytest.mark.parametrize(
    ("categories", "available"),
    [
        (WITH_NOTES, {"organisation", "referral", "consented"}),
        (WITHOUT_NOTES, {"organisation"}),
    ],
)
def test_api_lists_the_audiences_and_why_the_others_are_not_offered(tenant_db, token_client, categories, available):
    referral = _referral(categories)
    api = token_client(tenant_db["bapa_worker"])
    response = api.get(
        f"{API}/persons/{referral.person.public_id}/notes/audiences/",
        {"domain": "housing", "referral": str(referral.public_id)},
    )
    assert response.status_code == 200
    body = {row["audience"]: row for row in response.json()["results"]}
    assert {name for name, row in body.items() if row["available"]} == available
    assert all(row["reason"] for row in body.values() if not row["available"])


def test_api_audiences_with_an_unknown_domain_is_400(tenant_db, token_client):
    referral = _referral(WITH_NOTES)
    api = token_client(tenant_db["bapa_worker"])
    response = api.get(f"{API}/persons/{referral.person.public_id}/notes/audiences/", {"domain": "nowhere"})
    assert response.status_code == 400
    assert "domain" in response.json()["fields"]


@pytest.mark.parametrize("persona", ["outsider", "foreigner"])
def test_api_audiences_of_a_file_out_of_scope_is_404(tenant_db, token_client, persona):
    referral = _referral(WITH_NOTES)
    api = token_client(tenant_db[persona])
    response = api.get(f"{API}/persons/{referral.person.public_id}/notes/audiences/", {"domain": "housing"})
    assert response.status_code == 404


def test_api_audiences_of_a_referral_waiting_for_an_answer_is_404_for_its_recipient(tenant_db, token_client):
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="sent", consent__categories=WITH_NOTES)
    api = token_client(tenant_db["cpas_referent"])
    response = api.get(f"{API}/persons/{referral.person.public_id}/notes/audiences/", {"domain": "housing"})
    assert response.status_code == 404


# --- The referral page ---------------------------------------------------------------------


def test_page_offers_only_my_organisation_and_says_why_when_the_consent_has_no_case_notes(tenant_db, login, client):
    referral = _referral(WITHOUT_NOTES)
    login(tenant_db["bapa_worker"])
    page = client.get(f"/c/schaerbeek/referrals/{referral.public_id}/").content.decode()
    assert 'name="audience" value="organisation"' in page
    assert 'name="audience" value="referral"' not in page
    assert 'name="audience" value="consented"' not in page
    assert "CPAS de Schaerbeek" in page.split('id="notes"', 1)[1]


def test_page_offers_every_audience_when_the_consent_shares_case_notes(tenant_db, login, client):
    referral = _referral(WITH_NOTES)
    login(tenant_db["bapa_worker"])
    page = client.get(f"/c/schaerbeek/referrals/{referral.public_id}/").content.decode()
    for audience in ("organisation", "referral", "consented"):
        assert f'name="audience" value="{audience}"' in page


def test_page_refuses_a_note_for_the_parties_with_the_reason(tenant_db, login, client):
    referral = _referral(WITHOUT_NOTES)
    login(tenant_db["bapa_worker"])
    path = f"/c/schaerbeek/referrals/{referral.public_id}/"
    response = client.post(path + "notes/", {"audience": "referral", "domain": "housing", "text": "x"}, follow=True)
    assert "CPAS de Schaerbeek" in response.content.decode()
    assert _stored(referral) == 0


def test_page_keeps_a_note_for_my_organisation_and_shows_it_on_the_referral(tenant_db, login, client):
    referral = _referral(WITHOUT_NOTES)
    login(tenant_db["bapa_worker"])
    path = f"/c/schaerbeek/referrals/{referral.public_id}/"
    client.post(path + "notes/", {"audience": "organisation", "domain": "housing", "text": "Interne au BAPA."})
    assert "Interne au BAPA." in client.get(path).content.decode()
    login(tenant_db["cpas_referent"])
    assert "Interne au BAPA." not in client.get(path).content.decode()


def test_page_gives_the_recipient_without_case_notes_no_form_but_the_reason(tenant_db, login, client):
    referral = _referral(WITHOUT_NOTES)
    login(tenant_db["cpas_referent"])
    page = client.get(f"/c/schaerbeek/referrals/{referral.public_id}/").content.decode()
    assert 'name="text"' not in page
    assert "CPAS de Schaerbeek" in page.split('id="notes"', 1)[1]
