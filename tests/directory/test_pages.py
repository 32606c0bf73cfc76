"""Directory pages: coverage, printable list, forms that keep what they do not show."""

from datetime import time

from django_tenants.utils import schema_context

from directory.models import Offer
from directory.selectors import coverage
from directory.services import PlaceInput, Slot


def test_coverage_counts_open_offers_and_languages_and_shows_gaps(tenant_db, make_offer):
    make_offer("Logement", languages=["fr", "ar"])
    make_offer("Logement complet", capacity_status="full", languages=["ti"])
    make_offer("Juridique", primary_domain="legal_aid", secondary_domains=["housing"], languages=["nl"])
    with schema_context("schaerbeek"):
        rows = {row.domain.code: row for row in coverage(actor=tenant_db["coordinator"].actor())}
    assert rows["housing"].open_offers == 2
    assert rows["housing"].languages == ["ar", "fr", "nl"]
    assert rows["translation"].is_gap and rows["translation"].is_priority
    assert not rows["legal_aid"].is_gap


def test_coverage_page_is_for_coordinators(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    assert client.get("/c/schaerbeek/directory/coverage/").status_code == 403
    login(tenant_db["coordinator"])
    assert client.get("/c/schaerbeek/directory/coverage/").status_code == 200


def test_printed_list_uses_the_persons_language(tenant_db, make_offer, login, client):
    offer = make_offer("Permanence logement", languages=["ar"])
    login(tenant_db["bapa_worker"])
    page = client.get(f"/c/schaerbeek/directory/print/?offer={offer.public_id}&lang=nl").content.decode()
    assert '<html lang="nl">' in page
    assert "Openingsuren" in page or "Openingstijden" in page
    assert "Arabisch" in page


def test_printed_list_says_when_a_language_is_missing(tenant_db, make_offer, login, client):
    offer = make_offer()
    login(tenant_db["bapa_worker"])
    page = client.get(f"/c/schaerbeek/directory/print/?offer={offer.public_id}&lang=ti").content.decode()
    assert '<html lang="fr">' in page
    assert "tigrigna" in page.lower()


def test_editing_on_the_page_keeps_places_and_slots_it_does_not_show(tenant_db, make_offer, login, client):
    offer = make_offer(
        places=[PlaceInput("Rue A 1", "1030", "Schaerbeek"), PlaceInput("Rue B 2", "1030", "Schaerbeek")],
        opening_hours=[Slot(1, time(8), time(9)), Slot(1, time(10), time(11)), Slot(1, time(14), time(15))],
    )
    login(tenant_db["cpas_referent"])
    form = client.get(f"/c/schaerbeek/directory/offers/{offer.public_id}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, [], "")}
    data.update(
        title="Nouveau titre", day1_1_open="08:00", day1_1_close="09:00", day1_2_open="10:00", day1_2_close="11:00"
    )
    data = {k: (v.strftime("%H:%M") if isinstance(v, time) else v) for k, v in data.items()}
    response = client.post(f"/c/schaerbeek/directory/offers/{offer.public_id}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    with schema_context("schaerbeek"):
        saved = Offer.objects.get(pk=offer.pk)
        assert saved.title == "Nouveau titre"
        assert saved.locations.count() == 2
        assert saved.opening_hours.count() == 3


def test_new_offer_through_the_page(tenant_db, login, client):
    world = tenant_db
    login(world["cpas_referent"])
    response = client.post(
        f"/c/schaerbeek/directory/organisations/{world['cpas_referent'].organisation_public_id}/offers/new/",
        {
            "title": "Permanence RIS",
            "primary_domain": "social_rights",
            "capacity_status": "open",
            "cost": "free",
            "access": "drop_in",
            "languages": ["fr", "ar"],
            "day2_1_open": "09:00",
            "day2_1_close": "12:00",
            "street": "Rue Verte 1",
            "postcode": "1030",
            "city": "Schaerbeek",
        },
    )
    assert response.status_code == 302
    with schema_context("schaerbeek"):
        offer = Offer.objects.get(title="Permanence RIS")
        assert offer.languages == ["fr", "ar"]
        assert offer.opening_hours.get().weekday == 2


def test_coordinator_adds_a_local_term_on_the_coverage_page(tenant_db, login, client):
    login(tenant_db["coordinator"])
    response = client.post(
        "/c/schaerbeek/directory/coverage/",
        {"code": "digital_help", "label_fr": "Aide numérique", "label_nl": "Digitale hulp", "label_en": "Digital"},
    )
    assert response.status_code == 302
    assert "Aide numérique" in client.get("/c/schaerbeek/directory/coverage/").content.decode()
