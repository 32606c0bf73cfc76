"""Directory pages: coverage, printable list, forms that keep what they do not show."""

from datetime import time

import pytest
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from directory import print_texts
from directory.models import Access, Cost, Offer
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
    assert '<html lang="nl" dir="ltr">' in page
    assert "Nuttige adressen" in page and "Openingsuren" in page
    assert "maandag" in page and "09:00–12:00" in page
    assert "Arabisch" in page
    assert '<bdi lang="fr">Permanence logement</bdi>' in page and "<bdi>CPAS de Schaerbeek</bdi>" in page
    assert 'class="notice"' not in page


@pytest.mark.parametrize(
    ("lang", "direction", "labels"),
    [
        ("ar", "rtl", ["عناوين مفيدة", "ساعات العمل", "الاثنين", "السكن", "العربية"]),
        ("uk", "ltr", ["Корисні адреси", "Години роботи", "понеділок", "Житло", "арабська"]),
        ("prs", "rtl", ["آدرس‌های مفید", "ساعات کاری", "دوشنبه"]),
    ],
)
def test_printed_list_in_a_language_the_site_does_not_speak(
    tenant_db, make_offer, login, client, lang, direction, labels
):
    offer = make_offer("Permanence logement", languages=["ar"])
    login(tenant_db["bapa_worker"])
    page = client.get(f"/c/schaerbeek/directory/print/?offer={offer.public_id}&lang={lang}").content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in page
    for label in labels:
        assert label in page, label
    assert "<bdi>Permanence logement</bdi>" in page  # titles are data, never translated
    assert 'class="notice"' not in page


def test_printed_list_says_when_a_language_is_missing(tenant_db, make_offer, login, client):
    offer = make_offer()
    login(tenant_db["bapa_worker"])
    page = client.get(f"/c/schaerbeek/directory/print/?offer={offer.public_id}&lang=so").content.decode()
    assert '<html lang="fr" dir="ltr">' in page
    assert 'class="notice"' in page and "somali" in page.lower()
    assert "Adresses utiles" in page and "lundi" in page


def test_printing_the_list_is_recorded_with_its_language(tenant_db, make_offer, login, client):
    offer = make_offer()
    login(tenant_db["bapa_worker"])
    client.get(f"/c/schaerbeek/directory/print/?offer={offer.public_id}&lang=so")
    with schema_context("schaerbeek"):
        event = AuditEvent.objects.filter(action="directory.list_printed").latest("id")
    assert event.detail == {"offers": [str(offer.public_id)], "language": "fr", "fell_back": True}


def test_an_empty_printed_list_says_so_in_the_persons_language(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    page = client.get("/c/schaerbeek/directory/print/?lang=tr").content.decode()
    assert "Hiçbir hizmet seçilmedi." in page


def test_the_search_page_offers_the_printed_languages(tenant_db, make_offer, login, client):
    make_offer()
    login(tenant_db["bapa_worker"])
    page = client.get("/c/schaerbeek/directory/").content.decode()
    for code, name in print_texts.languages():
        assert f'<option value="{code}" lang="{code}">{name}</option>' in page


def test_the_printed_list_names_every_access_and_cost():
    keys = set(print_texts.MESSAGES)
    assert {f"access_{value}" for value in Access.values} <= keys
    assert {f"cost_{value}" for value in Cost.values} <= keys


def test_the_printed_list_speaks_the_eleven_languages():
    codes = [code for code, _ in print_texts.languages()]
    assert codes == ["fr", "nl", "en", "ar", "prs", "ps", "ti", "uk", "ru", "es", "tr"]


@pytest.mark.parametrize("lang", ["ar", "prs", "ps"])
def test_the_printed_list_reads_right_to_left_in_arabic_dari_and_pashto(tenant_db, login, client, lang):
    login(tenant_db["bapa_worker"])
    page = client.get(f"/c/schaerbeek/directory/print/?lang={lang}").content.decode()
    assert f'<html lang="{lang}" dir="rtl">' in page


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
