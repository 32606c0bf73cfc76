"""Closing a file asks first and names the consequence; its organisation reopens it
(audited); a closed file refers no one, on the page as through the API."""

import html

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from maillage.errors import Conflict, Forbidden, Invalid
from persons.models import Person
from persons.services import close_file, reopen_file
from referrals.models import Referral
from referrals.services import ReferralInput, create_referral, send_referral
from tests.factories import ConsentFactory, PersonFactory, ReferralFactory, organisation_of

BASE = "/c/schaerbeek"
API = "/c/schaerbeek/api/v1"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _closed_at(person):
    with schema_context("schaerbeek"):
        return Person.objects.get(pk=person.pk).closed_at


def _events(person, action) -> int:
    with schema_context("schaerbeek"):
        return AuditEvent.objects.filter(action=action, person_public_id=person.public_id).count()


def test_the_close_step_names_the_consequence_and_changes_nothing(tenant_db, login, client):
    person = PersonFactory()
    login(tenant_db["bapa_worker"])
    response = client.get(f"{BASE}/persons/{person.public_id}/close/")
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "No new referral can be made" in page and "anonymised for good 24 months" in page
    assert 'name="confirmed" value="yes"' in page
    assert _closed_at(person) is None


def test_a_post_without_the_confirmation_shows_the_step_and_changes_nothing(tenant_db, login, client):
    person = PersonFactory()
    login(tenant_db["bapa_worker"])
    response = client.post(f"{BASE}/persons/{person.public_id}/close/")
    assert response.status_code == 200
    assert "No new referral can be made" in html.unescape(response.content.decode())
    assert _closed_at(person) is None
    assert _events(person, "person.closed") == 0


def test_the_confirmed_post_closes_the_file(tenant_db, login, client):
    person = PersonFactory()
    login(tenant_db["bapa_worker"])
    response = client.post(f"{BASE}/persons/{person.public_id}/close/", {"confirmed": "yes"})
    assert response.status_code == 302
    assert _closed_at(person) is not None
    assert _events(person, "person.closed") == 1


def test_the_file_page_links_to_the_close_step_instead_of_posting(tenant_db, login, client):
    person = PersonFactory()
    login(tenant_db["bapa_worker"])
    page = client.get(f"{BASE}/persons/{person.public_id}/").content.decode()
    assert f'href="{BASE}/persons/{person.public_id}/close/"' in page
    assert f'action="{BASE}/persons/{person.public_id}/close/"' not in page


def test_a_closed_file_offers_reopening_and_no_referral(tenant_db, login, client):
    person = _closed(tenant_db)
    login(tenant_db["bapa_worker"])
    page = client.get(f"{BASE}/persons/{person.public_id}/").content.decode()
    assert f"{BASE}/persons/{person.public_id}/refer/" not in page
    assert f'action="{BASE}/persons/{person.public_id}/reopen/"' in page
    assert f"{BASE}/persons/{person.public_id}/close/" not in page


def _closed(tenant_db):
    return _close(tenant_db, PersonFactory())


def test_reopening_clears_the_closing_and_is_audited(tenant_db, login, client):
    person = _closed(tenant_db)
    login(tenant_db["bapa_worker"])
    response = client.post(f"{BASE}/persons/{person.public_id}/reopen/")
    assert response.status_code == 302
    assert _closed_at(person) is None
    assert _events(person, "person.reopened") == 1


def test_reopening_an_open_file_is_a_conflict(tenant_db):
    person = PersonFactory()
    with schema_context("schaerbeek"), pytest.raises(Conflict):
        reopen_file(actor=tenant_db["bapa_worker"].actor(), person=person)


def test_an_anonymised_file_is_not_reopened(tenant_db):
    person = _closed(tenant_db)
    with schema_context("schaerbeek"):
        Person.objects.filter(pk=person.pk).update(anonymised_at=timezone.now())
        person.refresh_from_db()
        with pytest.raises(Conflict):
            reopen_file(actor=tenant_db["bapa_worker"].actor(), person=person)


def test_a_referral_recipient_may_not_reopen(tenant_db):
    person = _closed(tenant_db)
    with schema_context("schaerbeek"), pytest.raises(Forbidden):
        reopen_file(actor=tenant_db["cpas_referent"].actor(), person=person)


@pytest.mark.parametrize("persona", ["outsider", "foreigner"])
def test_another_organisation_or_coordination_gets_404_on_close_and_reopen(tenant_db, login, client, persona):
    person = _closed(tenant_db)
    login(tenant_db[persona])
    assert client.post(f"{BASE}/persons/{person.public_id}/reopen/").status_code == 404
    assert client.get(f"{BASE}/persons/{person.public_id}/close/").status_code == 404
    assert _closed_at(person) is not None


def test_api_reopen_is_audited_and_idempotent(tenant_db, token_client):
    person = _closed(tenant_db)
    api = token_client(tenant_db["bapa_worker"])
    key = "6a0c8c0e-3f0c-4b7a-9a57-1d4c2f3b9e11"
    first = api.post(f"{API}/persons/{person.public_id}/reopen/", HTTP_IDEMPOTENCY_KEY=key)
    again = api.post(f"{API}/persons/{person.public_id}/reopen/", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == again.status_code == 200
    assert first.json()["id"] == str(person.public_id)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _closed_at(person) is None
    assert _events(person, "person.reopened") == 1


def test_api_reopen_of_an_open_file_is_409(tenant_db, token_client):
    person = PersonFactory()
    response = token_client(tenant_db["bapa_worker"]).post(f"{API}/persons/{person.public_id}/reopen/")
    assert response.status_code == 409


@pytest.mark.parametrize("persona", ["outsider", "foreigner"])
def test_api_reopen_by_another_organisation_or_coordination_is_404(tenant_db, token_client, persona):
    person = _closed(tenant_db)
    response = token_client(tenant_db[persona]).post(f"{API}/persons/{person.public_id}/reopen/")
    assert response.status_code == 404
    assert _closed_at(person) is not None


# --- A closed file refers no one -----------------------------------------------------------


def _covered_closed_file(tenant_db):
    person = PersonFactory()
    with schema_context("schaerbeek"):
        consent = ConsentFactory(person=person)
    person = _close(tenant_db, person)
    return person, consent


def _close(tenant_db, person):
    with schema_context("schaerbeek"):
        return close_file(actor=tenant_db["bapa_worker"].actor(), person=person)


def test_the_refer_service_refuses_a_closed_file(tenant_db):
    person, consent = _covered_closed_file(tenant_db)
    with schema_context("schaerbeek"):
        with pytest.raises(Invalid) as raised:
            create_referral(
                actor=tenant_db["bapa_worker"].actor(),
                data=ReferralInput(
                    person=person,
                    to_organisation=organisation_of("cpas_referent"),
                    domains=["housing"],
                    reason="Logement",
                    consent=consent,
                ),
            )
        assert not Referral.objects.filter(person=person).exists()
    assert raised.value.code == "file_closed"


def test_a_draft_of_a_file_closed_since_is_not_sent(tenant_db):
    referral = ReferralFactory(status="draft")
    _close(tenant_db, referral.person)
    with schema_context("schaerbeek"):
        with pytest.raises(Invalid):
            send_referral(actor=tenant_db["bapa_worker"].actor(), referral=referral)
        assert Referral.objects.get(pk=referral.pk).status == "draft"


def test_the_refer_page_of_a_closed_file_says_so(tenant_db, login, client):
    person, _ = _covered_closed_file(tenant_db)
    login(tenant_db["bapa_worker"])
    response = client.get(f"{BASE}/persons/{person.public_id}/refer/", follow=True)
    assert "This file is closed: reopen it before referring the person." in html.unescape(response.content.decode())


def test_the_api_refuses_to_refer_a_closed_file_with_400(tenant_db, token_client):
    person, _ = _covered_closed_file(tenant_db)
    body = {
        "person": str(person.public_id),
        "to_organisation": str(tenant_db["cpas_referent"].organisation_public_id),
        "domains": ["housing"],
        "reason": "Logement",
        "send": True,
    }
    response = token_client(tenant_db["bapa_worker"]).post(f"{API}/referrals/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "file_closed"
    with schema_context("schaerbeek"):
        assert not Referral.objects.filter(person=person).exists()


# --- The file's form: every problem in one round --------------------------------------------


def test_the_file_form_shows_a_missing_name_and_a_rule_of_the_service_at_once(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    response = client.post(
        f"{BASE}/persons/new/", {"given_name": "Samira", "family_name": "", "interpreter_needed": "on"}
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert 'id="id_family_name_error"' in page
    assert "Say for which language an interpreter is needed." in page
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#id_family_name"' in summary and 'href="#id_interpreter_language"' in summary
    assert 'value="Samira"' in page
