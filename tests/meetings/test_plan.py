"""The local action plan: objectives per need domain, their actions, and the
coordination's own figures from the regional comparison (or "no figure yet")."""

import pytest
from django_tenants.utils import schema_context

from maillage.errors import Forbidden, Invalid
from meetings.selectors import plan_figures
from meetings.services import ObjectiveInput, create_objective
from regions.models import IndicatorValue
from tests.factories import ObjectiveFactory


def _store(world, period, indicator, values):
    for dimension, value in values.items():
        IndicatorValue.objects.create(
            coordination=world.schaerbeek, period=period, indicator=indicator, dimension=dimension, value=value
        )


def test_objective_needs_a_known_need_domain_and_a_title(tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Invalid) as error:
        create_objective(actor=tenant_db["coordinator"].actor(), data=ObjectiveInput(need_domain="astrology", title=""))
    assert set(error.value.fields) == {"need_domain", "title"}


def test_only_coordinators_write_the_plan(tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Forbidden):
        create_objective(
            actor=tenant_db["bapa_worker"].actor(), data=ObjectiveInput(need_domain="housing", title="Objectif")
        )


def test_plan_says_no_figure_yet_before_the_comparison_is_computed(tenant_db, login, client):
    ObjectiveFactory()
    assert plan_figures(tenant_db.schaerbeek).period == ""
    login(tenant_db["observer"])
    page = client.get("/c/schaerbeek/meetings/plan/").content.decode()
    assert "Un logement en trois mois pour les familles" in page
    assert "no figure yet" in page.lower() or "pas encore de chiffre" in page.lower()


def test_plan_shows_the_latest_computed_month_suppressed(tenant_db):
    _store(tenant_db, "2026-09", "open_offers", {"housing": 12})
    _store(tenant_db, "2026-10", "open_offers", {"housing": 7, "legal_aid": 3, "health": 2})
    _store(tenant_db, "2026-10", "referrals_sent", {"sent": 6, "accepted": 5})
    _store(tenant_db, "2026-10", "referrals_by_domain", {"housing": 9, "health": 2, "legal_aid": 3})
    figures = plan_figures(tenant_db.schaerbeek)
    assert figures.period == "2026-10"
    assert figures.open_offers_in("housing") == "7"
    assert figures.open_offers_in("legal_aid") == "<5"
    assert figures.open_offers_in("language") == "0"
    assert figures.referrals_sent == "11"
    assert figures.referrals_in("housing") == "9"
    assert figures.referrals_in("health") == "<5"
    assert figures.referrals_in("language") == "0"


def test_figures_of_another_coordination_are_not_shown(tenant_db):
    IndicatorValue.objects.create(
        coordination=tenant_db.tournai, period="2026-10", indicator="open_offers", dimension="housing", value=9
    )
    assert plan_figures(tenant_db.schaerbeek).period == ""


def test_plan_page_shows_objectives_with_actions_and_figures(tenant_db, make_action, login, client):
    objective = ObjectiveFactory()
    make_action(owner="CPAS de Schaerbeek", objective=objective.public_id, what="Garantie locative accélérée")
    _store(tenant_db, "2026-10", "open_offers", {"housing": 8})
    login(tenant_db["coordinator"])
    page = client.get("/c/schaerbeek/meetings/plan/").content.decode()
    assert "Garantie locative accélérée" in page and "CPAS de Schaerbeek" in page
    assert '<dd class="figure">8</dd>' in page
    assert f"/meetings/plan/{objective.public_id}/edit/" in page


def test_plan_page_is_query_bounded(tenant_db, make_action, login, client, django_assert_max_num_queries):
    for code in ("housing", "language", "employment_training"):
        objective = ObjectiveFactory(need_domain=code, title=f"Objectif {code}")
        make_action(owner="Exil", objective=objective.public_id)
        make_action(owner="CPAS de Schaerbeek", objective=objective.public_id)
    login(tenant_db["bapa_worker"])
    client.get("/c/schaerbeek/meetings/plan/")
    with django_assert_max_num_queries(20):
        assert client.get("/c/schaerbeek/meetings/plan/").status_code == 200


def test_non_coordinator_gets_403_on_the_objective_form(tenant_db, login, client):
    login(tenant_db["cpas_referent"])
    assert client.get("/c/schaerbeek/meetings/plan/new/").status_code == 403


def test_tournai_member_cannot_read_the_schaerbeek_plan(tenant_db, login, client):
    objective = ObjectiveFactory()
    login(tenant_db["foreigner"])
    assert client.get("/c/schaerbeek/meetings/plan/").status_code == 404
    login(tenant_db["tournai_coordinator"])
    assert client.get(f"/c/tournai/meetings/plan/{objective.public_id}/edit/").status_code == 404
    assert "Un logement en trois mois" not in client.get("/c/tournai/meetings/plan/").content.decode()


def test_plan_figures_say_they_are_a_snapshot_and_link_the_live_map_of_the_same_month(tenant_db, login, client):
    _store(tenant_db, "2026-10", "referrals_by_domain", {"housing": 6})
    login(tenant_db["coordinator"])
    page = client.get("/c/schaerbeek/meetings/plan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "from the snapshot computed on" in page and "not live" in page
    assert 'href="/c/schaerbeek/network/?period=2026-10"' in page
