"""Before it accepts, a referral's recipient sees the referral's preview and nothing more of
the person, on every route; once it accepts, what the consent opens to it.

The dataset: the BAPA keeps Samira Darwish's file and refers her to the CPAS with a consent
that names the CPAS for housing, identity, situation and case notes; the BAPA wrote a note
for every organisation the consent covers. The referral is then in the state of the case
("sent", "received", "appointment_proposed", "accepted"), or accepted and its consent withdrawn, or accepted and
its consent expired.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from consent.models import Consent
from consent.services import withdraw_consent
from tests.factories import CaseNoteFactory, ConsentFactory, HouseholdFactory, PersonFactory, ReferralFactory, world

CATEGORIES = ["identity", "situation", "case_notes"]
PAGE = "/c/schaerbeek/"
API = "/c/schaerbeek/api/v1/"


def _refer(world, status: str, person=None):
    """A referral of `person` (Samira Darwish by default) to the CPAS, brought to `status`,
    with the BAPA's note for every organisation the consent covers; "withdrawn" and
    "expired": accepted, the note written, then its consent ended so."""
    reached = "accepted" if status in ("withdrawn", "expired") else status
    extra = {"person": person} if person is not None else {}
    referral = ReferralFactory(status=reached, consent__categories=CATEGORIES, **extra)
    note = CaseNoteFactory(person=referral.person, audience="consented")
    if status == "withdrawn":
        withdraw_consent(actor=world["bapa_worker"].actor(), consent=referral.consent, reason="La personne refuse")
    elif status == "expired":
        now = timezone.now()
        Consent.objects.filter(pk=referral.consent_id).update(
            given_at=now - timedelta(days=400), expires_at=now - timedelta(minutes=1)
        )
    return referral, note


@pytest.fixture(params=["sent", "received", "appointment_proposed", "accepted", "withdrawn", "expired"])
def case(request, tenant_db):
    with schema_context("schaerbeek"):
        referral, note = _refer(tenant_db, request.param)
    return request.param, referral, note


def _reads(routes, referral, note):
    ids = {"person": referral.person.public_id, "consent": referral.consent.public_id, "note": note.public_id}
    return [route.format(**ids) for route in routes]


# Every route that shows something of a person's file, as a page and through the API.
PAGE_ROUTES = (
    "persons/{person}/",
    "persons/{person}/edit/",
    "persons/{person}/access-report/",
    "persons/{person}/consent-form/",
    "consents/{consent}/receipt/",
    "persons/{person}/plan/",
)
PAGE_POSTS = ("persons/{person}/household/", "persons/{person}/close/")
API_ROUTES = (
    "persons/{person}/",
    "persons/{person}/timeline/",
    "persons/{person}/consents/",
    "persons/{person}/notes/",
    "consents/{consent}/",
    "notes/{note}/",
)
# What the accepted recipient gets on each route today: it reads the file, its consents
# and its notes; it does not edit, report on, or print the papers of another's file.
ACCEPTED_PAGES = {
    "persons/{person}/": 200,
    "persons/{person}/edit/": 403,
    "persons/{person}/access-report/": 403,
    "persons/{person}/consent-form/": 403,
    "consents/{consent}/receipt/": 403,
    "persons/{person}/plan/": 200,  # no plan yet: the page offers none
}


def _expected(state: str, accepted: int) -> int:
    return accepted if state == "accepted" else 404


@pytest.mark.parametrize("route", API_ROUTES)
def test_api_routes_open_only_to_the_accepted_recipient(case, token_client, route):
    state, referral, note = case
    (path,) = _reads([route], referral, note)
    api = token_client(_world()["cpas_referent"])
    assert api.get(API + path).status_code == _expected(state, 200)


@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_pages_open_only_to_the_accepted_recipient(case, login, client, route):
    state, referral, note = case
    (path,) = _reads([route], referral, note)
    login(_world()["cpas_referent"])
    assert client.get(PAGE + path).status_code == _expected(state, ACCEPTED_PAGES[route])


@pytest.mark.parametrize("route", PAGE_POSTS)
def test_writes_on_the_file_are_missing_before_acceptance(case, login, client, route):
    state, referral, note = case
    (path,) = _reads([route], referral, note)
    login(_world()["cpas_referent"])
    response = client.post(PAGE + path, {"relation": "head", "new_name": "Famille D."})
    if state == "accepted":
        assert response.status_code in (302, 403)
    else:
        assert response.status_code == 404


def test_person_lists_hold_the_file_only_once_accepted(case, token_client, login, client):
    state, referral, _ = case
    cpas = _world()["cpas_referent"]
    body = token_client(cpas).get(API + "persons/").json()
    ids = {p["id"] for p in body["results"]}
    assert (str(referral.person.public_id) in ids) == (state == "accepted")
    login(cpas)
    page = client.get(PAGE + "persons/").content.decode()
    assert ("Darwish" in page) == (state == "accepted")


def test_the_referral_itself_still_shows_the_preview_before_acceptance(case, token_client):
    state, referral, _ = case
    body = token_client(_world()["cpas_referent"]).get(f"{API}referrals/{referral.public_id}/").json()
    expected = {
        "sent": "preview",
        "received": "preview",
        "appointment_proposed": "preview",
        "accepted": "full",
        "withdrawn": "none",
        "expired": "none",
    }
    assert body["view"] == expected[state]


@pytest.mark.parametrize("persona", ["outsider", "volunteer", "observer"])
def test_other_organisations_get_404_on_every_route(case, token_client, login, client, persona):
    _, referral, note = case
    api = token_client(_world()[persona])
    for path in _reads(API_ROUTES, referral, note):
        assert api.get(API + path).status_code == 404, path
    login(_world()[persona])
    for path in _reads(PAGE_ROUTES, referral, note):
        assert client.get(PAGE + path).status_code == 404, path


def test_other_coordination_gets_404_on_every_route(case, token_client):
    _, referral, note = case
    api = token_client(_world()["foreigner"])
    for path in _reads(API_ROUTES, referral, note):
        assert api.get(API + path).status_code == 404, path
        assert api.get("/c/tournai/api/v1/" + path).status_code == 404, path


def test_a_household_member_waiting_for_an_answer_is_not_named_on_a_relatives_file(tenant_db, login, client):
    with schema_context("schaerbeek"):
        mother = PersonFactory(given_name="Samira", family_name="Darwish")
        son = PersonFactory(given_name="Yusuf", family_name="Haddad")
        HouseholdFactory(name="Foyer D.", members=[(mother, "head"), (son, "child")])
        _refer(tenant_db, "accepted", person=mother)
        _refer(tenant_db, "sent", person=son)
    login(tenant_db["cpas_referent"])
    page = client.get(f"{PAGE}persons/{mother.public_id}/").content.decode()
    assert "Foyer D." in page and "Haddad" not in page and str(son.public_id) not in page


def test_an_organisation_that_took_the_person_on_keeps_the_file_while_a_new_referral_waits(tenant_db, token_client):
    with schema_context("schaerbeek"):
        first, _ = _refer(tenant_db, "completed")
        ReferralFactory(status="sent", person=first.person, consent=first.consent)
    api = token_client(tenant_db["cpas_referent"])
    assert api.get(f"{API}persons/{first.person.public_id}/").status_code == 200


def test_a_consent_of_its_own_still_opens_the_file_while_a_referral_waits(tenant_db, token_client):
    """The referral is not the recipient's only link: another consent, which no referral
    relies on, names the CPAS."""
    with schema_context("schaerbeek"):
        referral, _ = _refer(tenant_db, "sent")
        ConsentFactory(person=referral.person, purpose="Suivi social")
    api = token_client(tenant_db["cpas_referent"])
    assert api.get(f"{API}persons/{referral.person.public_id}/").status_code == 200


def _world():
    return world()


def test_the_referral_page_and_its_slip_name_the_person_by_first_name_until_accepted(case, login, client):
    state, referral, _ = case
    login(_world()["cpas_referent"])
    page = client.get(f"{PAGE}referrals/{referral.public_id}/").content.decode()
    slip = client.get(f"{PAGE}referrals/{referral.public_id}/slip/")
    if state in ("sent", "received", "appointment_proposed"):
        assert "Samira" in page and "Darwish" not in page
        assert slip.status_code == 200
        assert "Samira" in slip.content.decode() and "Darwish" not in slip.content.decode()
    elif state == "accepted":
        assert "Darwish" in page and "Darwish" in slip.content.decode()
    else:
        assert "Darwish" not in page and slip.status_code == 403
