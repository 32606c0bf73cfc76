"""Searching the directory: full text in French and Dutch, every filter, relevance, bounds."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from directory.selectors import OfferFilters, search_offers
from directory.services import Slot

BRUSSELS = ZoneInfo("Europe/Brussels")


def _titles(world, now=None, **filters):
    with schema_context("schaerbeek"):
        actor = world["bapa_worker"].actor()
        return [o.title for o in search_offers(actor=actor, filters=OfferFilters(**filters), now=now)]


def test_french_text_ignores_accents_and_inflection(tenant_db, make_offer):
    make_offer("Équivalence des diplômes étrangers", primary_domain="employment_training")
    make_offer("Cours de néerlandais", primary_domain="language")
    assert _titles(tenant_db, query="equivalence diplome") == ["Équivalence des diplômes étrangers"]


def test_dutch_text_is_found(tenant_db, make_offer):
    make_offer("Hulp bij het zoeken naar huisvesting", primary_domain="housing")
    make_offer("Cours de français", primary_domain="language")
    assert _titles(tenant_db, query="huisvesting") == ["Hulp bij het zoeken naar huisvesting"]


def test_title_match_ranks_above_description_match(tenant_db, make_offer):
    make_offer("Permanence juridique", description="Questions de logement aussi", primary_domain="legal_aid")
    make_offer("Recherche de logement", primary_domain="housing")
    assert _titles(tenant_db, query="logement") == ["Recherche de logement", "Permanence juridique"]


def test_domain_filter_matches_main_and_other_domains(tenant_db, make_offer):
    make_offer("A", primary_domain="housing")
    make_offer("B", primary_domain="legal_aid", secondary_domains=["housing"])
    make_offer("C", primary_domain="language")
    assert _titles(tenant_db, domain="housing") == ["A", "B"]


def test_language_filter(tenant_db, make_offer):
    make_offer("Dari", languages=["prs", "fr"])
    make_offer("Arabe", languages=["ar"])
    assert _titles(tenant_db, language="prs") == ["Dari"]


def test_status_filter_keeps_offers_open_to_everyone(tenant_db, make_offer):
    make_offer("Réfugiés", target_statuses=["refugee"])
    make_offer("Tous")
    make_offer("Ukraine", target_statuses=["temporary_protection"])
    assert _titles(tenant_db, status="refugee") == ["Réfugiés", "Tous"]


def test_open_now_filter_uses_brussels_time(tenant_db, make_offer):
    make_offer("Lundi matin", opening_hours=[Slot(1, time(9), time(12))])
    make_offer("Lundi après-midi", opening_hours=[Slot(1, time(13), time(17))])
    monday_10 = datetime(2026, 11, 23, 10, 0, tzinfo=BRUSSELS)
    assert _titles(tenant_db, now=monday_10, open_now=True) == ["Lundi matin"]
    monday_noon = datetime(2026, 11, 23, 12, 0, tzinfo=BRUSSELS)
    assert _titles(tenant_db, now=monday_noon, open_now=True) == []


def test_no_appointment_filter(tenant_db, make_offer):
    make_offer("Permanence", access="drop_in")
    make_offer("Rendez-vous", access="appointment")
    assert _titles(tenant_db, no_appointment=True) == ["Permanence"]


def test_capacity_filter(tenant_db, make_offer):
    make_offer("Complet", capacity_status="full")
    make_offer("Ouvert", capacity_status="open")
    assert _titles(tenant_db, capacity="full") == ["Complet"]


def test_organisation_kind_filter(tenant_db, make_offer):
    make_offer("Du CPAS")
    make_offer("Du BAPA", organisation_name="VIA — BAPA Schaerbeek")
    assert _titles(tenant_db, organisation_kind="bapa") == ["Du BAPA"]


def test_offers_past_their_end_date_are_hidden_but_kept(tenant_db, make_offer):
    yesterday = date.today() - timedelta(days=1)
    make_offer("Projet terminé", valid_from=yesterday - timedelta(days=300), valid_until=yesterday)
    make_offer("En cours")
    assert _titles(tenant_db) == ["En cours"]
    assert _titles(tenant_db, include_ended=True) == ["En cours", "Projet terminé"]


def test_offers_of_another_coordination_are_not_found(tenant_db, make_offer):
    make_offer("Logement à Tournai", organisation_name="CPAS de Tournai", schema="tournai")
    assert _titles(tenant_db, query="logement") == []


def test_search_query_count_does_not_grow_with_results(tenant_db, make_offer):
    def count(n_offers):
        with schema_context("schaerbeek"):
            actor = tenant_db["bapa_worker"].actor()
            with CaptureQueriesContext(connection) as queries:
                for offer in search_offers(actor=actor, filters=OfferFilters(query="logement")):
                    list(offer.secondary_domains.all()), list(offer.opening_hours.all()), list(offer.locations.all())
                    offer.organisation.name, offer.primary_domain.code
        return len(queries.captured_queries)

    make_offer("Logement 1", secondary_domains=["legal_aid"])
    few = count(1)
    for i in range(2, 12):
        make_offer(f"Logement {i}", secondary_domains=["legal_aid", "social_rights"])
    assert count(11) == few


@pytest.mark.parametrize(
    "params",
    [
        "capacity=overflowing",
        "status=martian",
        "domain=nope",
        "language=zz-zz",
        "organisation_kind=bank",
        "open_now=perhaps",
    ],
)
def test_bad_search_parameters_are_400_with_field(tenant_db, token_client, params):
    response = token_client(tenant_db["bapa_worker"]).get(f"/c/schaerbeek/api/v1/offers/?{params}")
    assert response.status_code == 400
    assert params.split("=")[0] in response.json()["fields"]


def test_search_page_lists_results_and_print_form(tenant_db, login, client, make_offer):
    make_offer("Recherche de logement")
    login(tenant_db["volunteer"])
    page = client.get("/c/schaerbeek/directory/?q=logement").content.decode()
    assert "Recherche de logement" in page
    assert 'name="offer"' in page and 'name="lang"' in page
