"""The support plan's part of a transfer: what the consent names of the plan crosses to the
new file, marked with where it came from; nothing else does.

The family of tests/transfers/conftest.py moves from Tournai to Schaerbeek. Here its file in
Tournai also has a plan, written by the CPAS de Tournai that keeps it:
- a social enquiry with two items, integration programme and housing;
- a commitment in the integration programme, carried out by a training centre of Tournai,
  and one in housing;
- a PIIS in social rights that includes the integration programme;
- a review with a decision.
The consent of each test shares identity, and the plan (or not) for some need domains.
"""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from directory.services import create_organisation
from maillage.actor import Actor
from maillage.errors import Conflict
from persons.models import Person
from plans import services as plan_services
from plans.models import Assessment, AssessmentItem, Commitment, Decision, Piis, Plan, PlanReview
from tests.factories import ConsentFactory, PersonFactory, organisation_of
from transfers import services
from transfers.models import Transfer


def _plan_in_tournai(world, person):
    today = timezone.localdate()
    with schema_context("tournai"):
        cpas = world["foreigner"].actor()
        centre = create_organisation(actor=Actor.system(world.tournai), name="Centre de formation", kind="association")
        plan = plan_services.start_plan(actor=cpas, person=person)
        plan_services.add_assessment(
            actor=cpas,
            plan=plan,
            data=plan_services.AssessmentInput(
                kind="social_enquiry",
                assessed_on=today - timedelta(days=30),
                items=[
                    plan_services.ItemInput("integration_programme", "Pas encore inscrite", "Suivre le parcours", ""),
                    plan_services.ItemInput("housing", "Logement insalubre", "Déménager", "Aide au déménagement"),
                ],
            ),
        )
        for owner, domain, what in [
            (centre, "integration_programme", "Formation à la citoyenneté"),
            (organisation_of("foreigner"), "housing", "Recherche de logement"),
        ]:
            plan_services.add_commitment(
                actor=cpas,
                plan=plan,
                data=plan_services.CommitmentInput(
                    owner=owner,
                    domain=domain,
                    what=what,
                    starts_on=today,
                    weekdays=[2],
                    starts_at=time(9, 0),
                    ends_at=time(12, 0),
                ),
            )
        plan_services.record_piis(
            actor=cpas,
            plan=plan,
            data=plan_services.PiisInput(
                signed_on=today - timedelta(days=20), objectives="Parcours puis emploi", includes_programme=True
            ),
        )
        review = plan_services.hold_review(
            actor=cpas,
            plan=plan,
            data=plan_services.ReviewInput(
                held_on=today - timedelta(days=2), participants=[organisation_of("foreigner")]
            ),
        )
        plan_services.add_decision(actor=cpas, review=review, text="Décision privée de la réunion")


def _moving_family(world, *, categories, domains):
    via = world["bapa_worker"].organisation_public_id
    person = PersonFactory(actor="foreigner", complete=True)
    ConsentFactory(
        actor="foreigner",
        person=person,
        recipients=[],
        recipients_elsewhere=[f"schaerbeek/{via}"],
        categories=categories,
        domains=domains,
    )
    _plan_in_tournai(world, person)
    with schema_context("tournai"):
        transfer = services.start_transfer(
            actor=world["foreigner"].actor(), person=person, coordination_slug="schaerbeek", organisation_public_id=via
        )
    return transfer


def _accept(world, transfer):
    with schema_context("schaerbeek"):
        return services.accept_transfer(actor=world["bapa_worker"].actor(), transfer=transfer)


def test_the_plan_parts_the_consent_names_arrive_marked_with_their_origin(tenant_db):
    transfer = _moving_family(
        tenant_db, categories=["identity", "plan"], domains=["integration_programme", "social_rights"]
    )
    arrived = _accept(tenant_db, transfer)
    with schema_context("schaerbeek"):
        plan = Plan.objects.get(person=arrived)
        assert plan.organisation.public_id == tenant_db["bapa_worker"].organisation_public_id
        items = AssessmentItem.objects.filter(assessment__plan=plan)
        assert [item.domain.code for item in items] == ["integration_programme"]
        assessment = Assessment.objects.get(plan=plan)
        assert assessment.arrived_from == "CPAS de Tournai (Tournai)"
        commitment = Commitment.objects.get(plan=plan)
        assert (commitment.what, commitment.domain.code) == ("Formation à la citoyenneté", "integration_programme")
        assert commitment.owner.public_id == tenant_db["bapa_worker"].organisation_public_id
        assert (commitment.arrived_from, commitment.arrived_owner) == (
            "CPAS de Tournai (Tournai)",
            "Centre de formation",
        )
        piis = Piis.objects.get(plan=plan)
        assert piis.includes_programme and piis.arrived_from == "CPAS de Tournai (Tournai)"
        # Reviews speak for the organisations that met: their decisions stay behind.
        assert not PlanReview.objects.filter(plan=plan).exists()
        assert not Decision.objects.filter(review__plan=plan).exists()
        assert AuditEvent.objects.filter(action="plan.arrived", person_public_id=arrived.public_id).exists()
    with schema_context("tournai"):
        assert AuditEvent.objects.filter(action="plan.handed_over").count() == 1
    assert Transfer.objects.get(pk=transfer.pk).parts[-1] == "plan"


def test_parts_in_another_domain_do_not_cross(tenant_db):
    transfer = _moving_family(tenant_db, categories=["identity", "plan"], domains=["housing"])
    arrived = _accept(tenant_db, transfer)
    with schema_context("schaerbeek"):
        plan = Plan.objects.get(person=arrived)
        assert [i.domain.code for i in AssessmentItem.objects.filter(assessment__plan=plan)] == ["housing"]
        assert [c.what for c in Commitment.objects.filter(plan=plan)] == ["Recherche de logement"]
        assert not Piis.objects.filter(plan=plan).exists()
        texts = " ".join(AssessmentItem.objects.filter(assessment__plan=plan).values_list("situation", flat=True))
        assert "Pas encore inscrite" not in texts


def test_a_consent_without_the_plan_category_hands_no_plan_over(tenant_db):
    transfer = _moving_family(
        tenant_db, categories=["identity", "situation"], domains=["integration_programme", "housing", "social_rights"]
    )
    arrived = _accept(tenant_db, transfer)
    with schema_context("schaerbeek"):
        assert not Plan.objects.filter(person=arrived).exists()
        assert not AuditEvent.objects.filter(action="plan.arrived").exists()
    with schema_context("tournai"):
        assert not AuditEvent.objects.filter(action="plan.handed_over").exists()
    assert "plan" not in Transfer.objects.get(pk=transfer.pk).parts


def test_a_doubled_acceptance_still_makes_one_plan(tenant_db):
    transfer = _moving_family(tenant_db, categories=["identity", "plan"], domains=["integration_programme"])
    _accept(tenant_db, transfer)
    with pytest.raises(Conflict):
        _accept(tenant_db, transfer)
    with schema_context("schaerbeek"):
        arrived = Person.objects.filter(arrived_by_transfer=transfer.public_id)
        assert Plan.objects.filter(person__in=arrived).count() == 1
        assert Commitment.objects.filter(plan__person__in=arrived).count() == 1


def test_the_plan_page_says_where_the_arrived_parts_came_from(tenant_db, login, client):
    transfer = _moving_family(tenant_db, categories=["identity", "plan"], domains=["integration_programme"])
    arrived = _accept(tenant_db, transfer)
    login(tenant_db["bapa_worker"])
    page = client.get(f"/c/schaerbeek/persons/{arrived.public_id}/plan/").content.decode()
    assert "Formation à la citoyenneté" in page
    assert "arrivé de CPAS de Tournai (Tournai)" in page and "Centre de formation" in page
    assert "Logement insalubre" not in page and "Décision privée" not in page
