"""An offer in French, Dutch and English: the services keep the versions, the pages show the
reader's language first and say when they fall back, the API and the HSDS export carry every
version and the import reads them back; organisations and the coordination have their Dutch
names where Brussels has two.

The dataset: "CPAS de Schaerbeek" (OCMW Schaarbeek in Dutch, set by the tests that need it)
offers "Aide au logement" in French only, or in the three languages, or in Dutch only."""

import html

import pytest
from django.db import IntegrityError
from django.utils import translation
from django_tenants.utils import schema_context

from directory.interop.csv import import_csv
from directory.interop.hsds import export_hsds, import_hsds
from directory.interop.hsds_objects import FACTS_TAXONOMY, term_id
from directory.models import Offer, Organisation
from directory.selectors import OfferFilters, search_offers
from directory.services import OfferInput, OrganisationInput, update_offer, update_organisation
from maillage.actor import Actor
from maillage.errors import Invalid

BASE = "/c/schaerbeek"
THREE = {
    "title": "Aide au logement",
    "description": "Recherche d'un logement.",
    "title_nl": "Hulp bij huisvesting",
    "description_nl": "Een woning zoeken.",
    "title_en": "Housing help",
    "description_en": "Finding a home.",
}


def _page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def dutch_only(make_offer):
    return make_offer("", title_nl="Nederlands leren", description_nl="Een cursus Nederlands vinden.")


def test_an_offer_keeps_its_three_versions_and_lists_under_the_french_title(make_offer):
    offer = make_offer(**THREE)
    assert offer.titles() == {"fr": "Aide au logement", "nl": "Hulp bij huisvesting", "en": "Housing help"}
    assert (offer.title, offer.description) == ("Aide au logement", "Recherche d'un logement.")


def test_an_offer_in_dutch_only_lists_under_its_dutch_title(dutch_only):
    assert (dutch_only.title_fr, dutch_only.title, dutch_only.description) == (
        "",
        "Nederlands leren",
        "Een cursus Nederlands vinden.",
    )


def test_an_offer_needs_a_title_in_one_language(tenant_db, make_offer):
    with pytest.raises(Invalid) as error:
        make_offer("", description_nl="Zonder titel")
    assert set(error.value.fields) == {"title", "title_nl"}


def test_the_database_refuses_an_offer_without_any_title(make_offer):
    offer = make_offer()
    with schema_context("schaerbeek"), pytest.raises(IntegrityError):
        Offer.objects.filter(pk=offer.pk).update(title_fr="")


@pytest.mark.parametrize(
    ("language", "shown", "fell_back"),
    [("fr", "Aide au logement", False), ("nl", "Hulp bij huisvesting", False), ("en", "Housing help", False)],
)
def test_the_reader_sees_their_language_first(make_offer, language, shown, fell_back):
    offer = make_offer(**THREE)
    title = offer.shown_title(language)
    assert (title.text, title.language, title.fell_back) == (shown, language, fell_back)


def test_a_missing_language_falls_back_to_french_then_dutch_and_says_so(make_offer, dutch_only):
    french_only = make_offer("Aide au logement")
    with translation.override("nl"):
        title = french_only.shown_title()
        assert (title.text, title.fell_back) == ("Aide au logement", True)
        assert title.notice == "Getoond in het Frans: er is geen Nederlandse versie."
    with translation.override("en"):
        title = dutch_only.shown_title()
        assert (title.text, title.language) == ("Nederlands leren", "nl")
        assert title.notice == "Shown in Dutch: there is no English version."


def test_the_offer_page_shows_the_readers_version_with_its_language(make_offer, tenant_db, login, client):
    offer = make_offer(**THREE)
    login(tenant_db["bapa_worker"])
    page = _page(client.get(f"{BASE}/directory/offers/{offer.public_id}/", HTTP_ACCEPT_LANGUAGE="nl"))
    assert '<h1 lang="nl">Hulp bij huisvesting</h1>' in page
    assert '<p lang="nl">Een woning zoeken.</p>' in page
    assert "language-fallback" not in page
    assert '<section lang="fr">' in page and '<section lang="en">' in page


def test_the_offer_page_says_when_it_falls_back(dutch_only, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    page = _page(client.get(f"{BASE}/directory/offers/{dutch_only.public_id}/", HTTP_ACCEPT_LANGUAGE="fr"))
    assert '<h1 lang="nl">Nederlands leren</h1>' in page
    assert "Affiché en néerlandais : il n'y a pas de version française." in page


def test_search_results_show_the_readers_version_and_the_fallback(make_offer, dutch_only, tenant_db, login, client):
    make_offer(**THREE)
    login(tenant_db["bapa_worker"])
    page = _page(client.get(f"{BASE}/directory/", HTTP_ACCEPT_LANGUAGE="en"))
    assert ">Housing help</a>" in page
    assert ">Nederlands leren</a>" in page and "Shown in Dutch: there is no English version." in page


def test_the_dutch_and_english_versions_are_searched(make_offer, tenant_db):
    make_offer("Permanence juridique", title_nl="Juridische permanentie", title_en="Legal advice desk")
    with schema_context("schaerbeek"):
        actor = tenant_db["bapa_worker"].actor()
        found = [o.title for o in search_offers(actor=actor, filters=OfferFilters(query="juridische"))]
    assert found == ["Permanence juridique"]


def test_the_offer_form_edits_each_version(make_offer, tenant_db, login, client):
    offer = make_offer("Aide au logement", organisation_name="VIA — BAPA Schaerbeek")
    login(tenant_db["bapa_worker"])
    form = client.get(f"{BASE}/directory/offers/{offer.public_id}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, [], "")}
    data.update(capacity_status="open", cost="free", access="appointment", primary_domain="housing")
    data.update(title="", title_nl="Hulp bij huisvesting", title_en="Housing help")
    response = client.post(f"{BASE}/directory/offers/{offer.public_id}/edit/", data)
    assert response.status_code == 302
    with schema_context("schaerbeek"):
        offer.refresh_from_db()
    assert (offer.title_fr, offer.title_nl, offer.title_en, offer.title) == (
        "",
        "Hulp bij huisvesting",
        "Housing help",
        "Hulp bij huisvesting",
    )


def test_the_offer_form_refuses_an_offer_without_a_title(make_offer, tenant_db, login, client):
    offer = make_offer("Aide au logement", organisation_name="VIA — BAPA Schaerbeek")
    login(tenant_db["bapa_worker"])
    data = {"title": "", "primary_domain": "housing", "capacity_status": "open", "cost": "free"}
    data["access"] = "appointment"
    response = client.post(f"{BASE}/directory/offers/{offer.public_id}/edit/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "An offer needs a title, in French, Dutch or English." in _page(response)


# --- Dutch names ---------------------------------------------------------------------------


@pytest.fixture
def ocmw(tenant_db):
    with schema_context("schaerbeek"):
        organisation = Organisation.objects.get(name="CPAS de Schaerbeek")
        data = OrganisationInput.of(organisation)
        data.name_nl = "OCMW Schaarbeek"
        return update_organisation(actor=Actor.system(tenant_db.schaerbeek), organisation=organisation, data=data)


def test_an_organisation_is_named_in_dutch_to_a_dutch_reader(ocmw, make_offer, tenant_db, login, client):
    offer = make_offer()
    login(tenant_db["bapa_worker"])
    assert ">OCMW Schaarbeek</a>" in _page(
        client.get(f"{BASE}/directory/offers/{offer.public_id}/", HTTP_ACCEPT_LANGUAGE="nl")
    )
    assert ">CPAS de Schaerbeek</a>" in _page(
        client.get(f"{BASE}/directory/offers/{offer.public_id}/", HTTP_ACCEPT_LANGUAGE="fr")
    )


def test_the_coordination_and_its_commune_have_their_dutch_names(tenant_db):
    coordination = tenant_db.schaerbeek
    coordination.name_nl = "Schaarbeek"
    commune = coordination.communes.get()
    commune.name_nl = "Schaarbeek"
    assert (coordination.shown_name("nl"), coordination.shown_name("fr"), coordination.shown_name("en")) == (
        "Schaarbeek",
        "Schaerbeek",
        "Schaerbeek",
    )
    assert commune.shown_name("nl") == "Schaarbeek"


def test_the_dutch_name_is_searched(ocmw, make_offer, tenant_db):
    make_offer("Aide au logement")
    with schema_context("schaerbeek"):
        actor = tenant_db["bapa_worker"].actor()
        assert [o.title for o in search_offers(actor=actor, filters=OfferFilters(query="OCMW"))] == ["Aide au logement"]


# --- API ----------------------------------------------------------------------------------


def test_the_api_takes_and_returns_every_version(tenant_db, token_client):
    api = token_client(tenant_db["cpas_referent"])
    body = {
        "organisation": str(tenant_db["cpas_referent"].organisation_public_id),
        "title_nl": "Hulp bij huisvesting",
        "title_en": "Housing help",
        "primary_domain": "housing",
    }
    response = api.post(f"{BASE}/api/v1/offers/", body, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 201, response.json()
    offer = response.json()
    assert (offer["title"], offer["title_fr"], offer["title_nl"], offer["title_en"]) == (
        "Hulp bij huisvesting",
        "",
        "Hulp bij huisvesting",
        "Housing help",
    )
    assert offer["shown"]["title"] == "Hulp bij huisvesting" and offer["shown"]["fell_back"] is True
    english = api.get(f"{BASE}/api/v1/offers/{offer['id']}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["shown"] == {
        "title": "Housing help",
        "language": "en",
        "fell_back": False,
        "description": "",
        "description_language": "en",
    }


def test_an_api_partial_update_keeps_the_other_versions(make_offer, tenant_db, token_client):
    offer = make_offer("", title_nl="Hulp bij huisvesting")
    api = token_client(tenant_db["cpas_referent"])
    response = api.patch(f"{BASE}/api/v1/offers/{offer.public_id}/", {"title_en": "Housing help"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["title_fr"], response.json()["title_nl"], response.json()["title_en"]) == (
        "",
        "Hulp bij huisvesting",
        "Housing help",
    )


def test_the_api_refuses_an_offer_without_a_title(tenant_db, token_client):
    api = token_client(tenant_db["cpas_referent"])
    body = {"organisation": str(tenant_db["cpas_referent"].organisation_public_id), "primary_domain": "housing"}
    response = api.post(f"{BASE}/api/v1/offers/", body, format="json")
    assert response.status_code == 400
    assert "title" in response.json()["fields"]


# --- HSDS -------------------------------------------------------------------------------


def _versions_in(document: dict, service_id: str) -> dict:
    names = {term_id(FACTS_TAXONOMY, name): name for name in ("title_fr", "title_nl", "title_en", "description_nl")}
    return {
        names[row["taxonomy_term_id"]]: row["value"]
        for row in document["attributes"]
        if row["link_id"] == service_id and row["taxonomy_term_id"] in names
    }


def test_the_hsds_export_carries_each_version_as_an_attribute(make_offer, dutch_only, tenant_db):
    offer = make_offer(**THREE)
    with schema_context("schaerbeek"):
        document = export_hsds(actor=tenant_db["coordinator"].actor())
    service = next(s for s in document["services"] if s["id"] == str(offer.public_id))
    assert service["name"] == "Aide au logement"
    assert _versions_in(document, str(offer.public_id)) == {
        "title_fr": "Aide au logement",
        "title_nl": "Hulp bij huisvesting",
        "title_en": "Housing help",
        "description_nl": "Een woning zoeken.",
    }
    # Blank versions are left out.
    assert _versions_in(document, str(dutch_only.public_id)) == {
        "title_nl": "Nederlands leren",
        "description_nl": "Een cursus Nederlands vinden.",
    }


def test_the_hsds_import_reads_the_versions_back(make_offer, dutch_only, ocmw, tenant_db):
    offer = make_offer(**THREE)
    with schema_context("schaerbeek"):
        actor = tenant_db["coordinator"].actor()
        document = export_hsds(actor=actor)
        data = OfferInput("Aide", "housing")
        update_offer(actor=actor, offer=offer, data=data)
        update_offer(actor=actor, offer=dutch_only, data=data)
        report = import_hsds(actor=actor, document=document)
        assert report.ok, report.errors
        offer.refresh_from_db()
        dutch_only.refresh_from_db()
        assert offer.titles() == {"fr": "Aide au logement", "nl": "Hulp bij huisvesting", "en": "Housing help"}
        assert offer.descriptions()["en"] == "Finding a home."
        assert dutch_only.titles() == {"fr": "", "nl": "Nederlands leren", "en": ""}
        assert Organisation.objects.get(name="CPAS de Schaerbeek").name_nl == "OCMW Schaarbeek"
        assert export_hsds(actor=actor) == document


def test_another_publishers_service_is_read_as_french(make_offer, tenant_db):
    offer = make_offer(**THREE)
    with schema_context("schaerbeek"):
        actor = tenant_db["coordinator"].actor()
        document = export_hsds(actor=actor)
        versions = {term_id(FACTS_TAXONOMY, name) for name in ("title_fr", "title_nl", "title_en")}
        versions |= {term_id(FACTS_TAXONOMY, name) for name in ("description_fr", "description_nl", "description_en")}
        document["attributes"] = [a for a in document["attributes"] if a["taxonomy_term_id"] not in versions]
        document["services"][0]["name"] = "Aide au logement (autre éditeur)"
        assert import_hsds(actor=actor, document=document).ok
        offer.refresh_from_db()
    assert offer.titles() == {"fr": "Aide au logement (autre éditeur)", "nl": "", "en": ""}


def test_the_printed_list_uses_the_offers_version_in_the_papers_language(ocmw, make_offer, tenant_db, login, client):
    offer = make_offer(**THREE)
    login(tenant_db["bapa_worker"])
    page = _page(client.get(f"{BASE}/directory/print/?offer={offer.public_id}&lang=nl"))
    assert "<bdi>Hulp bij huisvesting</bdi>" in page and "<bdi>OCMW Schaarbeek</bdi>" in page
    page = _page(client.get(f"{BASE}/directory/print/?offer={offer.public_id}&lang=ar"))
    assert "<bdi>Aide au logement</bdi>" in page and "<bdi>CPAS de Schaerbeek</bdi>" in page


def test_the_csv_import_takes_the_versions_in_their_columns(tenant_db):
    text = (
        "organisation_name;title;title_nl;description_nl;title_en;primary_domain\n"
        "CPAS de Schaerbeek;;Juridische permanentie;Gratis juridisch advies.;Legal advice desk;legal_aid\n"
    )
    with schema_context("schaerbeek"):
        report = import_csv(actor=tenant_db["coordinator"].actor(), text=text, dry_run=False)
        assert report.ok, report.errors
        offer = Offer.objects.get(title="Juridische permanentie")
    assert offer.titles() == {"fr": "", "nl": "Juridische permanentie", "en": "Legal advice desk"}
    assert offer.description_nl == "Gratis juridisch advies."
