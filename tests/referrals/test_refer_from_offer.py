"""Referring a person from an offer: the search result and the offer's page lead to the
choice of a file, then to the refer form with the organisation, the offer and its need
domains filled in; the form's offers are grouped by organisation and can be filtered.

The dataset: the CPAS offers "Aide au logement" (housing, also administrative); the BAPA
worker keeps Samira Darwish's file, with a consent to share with the CPAS about housing and
administrative matters; SESO's worker (the outsider) keeps a file of its own."""

import html
import re

import pytest
from django_tenants.utils import schema_context

from referrals.models import Referral, ReferralStatus
from tests.factories import ConsentFactory, PersonFactory

BASE = "/c/schaerbeek"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def offer(make_offer):
    return make_offer("Aide au logement", secondary_domains=["administrative"])


@pytest.fixture
def file(tenant_db):
    with schema_context("schaerbeek"):
        person = PersonFactory()
        consent = ConsentFactory(person=person, domains=["housing", "administrative"])
    return person, consent


def test_a_search_result_offers_to_refer_a_person_to_it(offer, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    page = _page(client.get(f"{BASE}/directory/"))
    assert f'href="{BASE}/referrals/refer-to/{offer.public_id}/"' in page
    assert "Refer a person to this offer" in page


def test_the_offer_page_offers_to_refer_a_person_to_it(offer, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    page = _page(client.get(f"{BASE}/directory/offers/{offer.public_id}/"))
    assert f'href="{BASE}/referrals/refer-to/{offer.public_id}/"' in page


def test_who_keeps_no_files_is_not_offered_to_refer(offer, tenant_db, login, client):
    login(tenant_db["volunteer"])
    assert "refer-to" not in _page(client.get(f"{BASE}/directory/offers/{offer.public_id}/"))
    assert client.get(f"{BASE}/referrals/refer-to/{offer.public_id}/").status_code == 403


def test_choosing_the_person_lists_the_organisations_own_files_only(offer, file, tenant_db, login, client):
    person, _consent = file
    with schema_context("schaerbeek"):
        other = PersonFactory(actor=tenant_db["outsider"].actor(), given_name="Omar", family_name="Haddad")
    login(tenant_db["bapa_worker"])
    page = _page(client.get(f"{BASE}/referrals/refer-to/{offer.public_id}/"))
    assert f"{BASE}/persons/{person.public_id}/refer/?offer={offer.public_id}" in page
    assert str(other.public_id) not in page and "Haddad" not in page


def test_choosing_the_person_finds_them_by_name(offer, file, tenant_db, login, client):
    person, _consent = file
    with schema_context("schaerbeek"):
        PersonFactory(given_name="Yusuf", family_name="Karimi")
    login(tenant_db["bapa_worker"])
    page = _page(client.get(f"{BASE}/referrals/refer-to/{offer.public_id}/?q=Darwich"))
    assert str(person.public_id) in page and "Karimi" not in page


def test_an_offer_of_another_coordination_is_missing(make_offer, tenant_db, login, client):
    foreign = make_offer("Aide au logement", organisation_name="CPAS de Tournai", schema="tournai")
    login(tenant_db["bapa_worker"])
    assert client.get(f"{BASE}/referrals/refer-to/{foreign.public_id}/").status_code == 404


def test_the_refer_form_opens_with_the_offer_its_organisation_and_domains(offer, file, tenant_db, login, client):
    person, _consent = file
    login(tenant_db["bapa_worker"])
    form = client.get(f"{BASE}/persons/{person.public_id}/refer/?offer={offer.public_id}").context["form"]
    assert form.initial["to_organisation"] == str(tenant_db["cpas_referent"].organisation_public_id)
    assert form.initial["to_offer"] == str(offer.public_id)
    assert sorted(form.initial["domains"]) == ["administrative", "housing"]


def test_an_unknown_offer_leaves_the_refer_form_empty(offer, file, tenant_db, login, client):
    person, _consent = file
    login(tenant_db["bapa_worker"])
    for wanted in ("not-a-uuid", "8d3f5a60-0000-4000-8000-000000000000"):
        response = client.get(f"{BASE}/persons/{person.public_id}/refer/?offer={wanted}")
        assert response.status_code == 200
        assert "to_offer" not in response.context["form"].initial


def test_the_offers_are_grouped_by_organisation_and_filterable(offer, make_offer, file, tenant_db, login, client):
    make_offer("Permanence juridique", organisation_name="SESO")
    person, _consent = file
    login(tenant_db["bapa_worker"])
    page = _page(client.get(f"{BASE}/persons/{person.public_id}/refer/"))
    select = re.search(r'<select name="to_offer"[^>]*>.*?</select>', page, re.S).group(0)
    assert "data-offer-filter" in select and 'data-filter-label="Find an offer"' in select
    assert '<optgroup label="CPAS de Schaerbeek">' in select and '<optgroup label="SESO">' in select
    cpas = tenant_db["cpas_referent"].organisation_public_id
    assert f'data-organisation="{cpas}"' in select
    assert "referrals/offer-filter.js" in page


def test_the_prefilled_form_sends_the_referral_to_the_offer(offer, file, tenant_db, login, client):
    person, _consent = file
    login(tenant_db["bapa_worker"])
    form = client.get(f"{BASE}/persons/{person.public_id}/refer/?offer={offer.public_id}").context["form"]
    data = {
        **{name: form.initial[name] for name in ("to_organisation", "to_offer", "domains", "consent")},
        "reason": "Cherche un logement",
        "urgency": "normal",
        "send": "1",
    }
    assert client.post(f"{BASE}/persons/{person.public_id}/refer/", data).status_code == 302
    with schema_context("schaerbeek"):
        referral = Referral.objects.get(person=person)
        assert referral.status == ReferralStatus.SENT
        assert referral.to_offer_id == offer.pk
        assert sorted(d.code for d in referral.domains.all()) == ["administrative", "housing"]
