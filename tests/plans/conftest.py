"""The Schaerbeek family of the plan tests, with its facts written out.

- The BAPA (bapa_worker) keeps Samira Darwish's file; she registered in the commune 160 days
  ago and is not registered in the integration programme yet (Brussels: 6 months).
- The BAPA recorded a consent that names the CPAS for identity, situation and the plan, in
  social rights, the integration programme and language learning.
- The BAPA's bilan social has two items: integration programme and housing (housing is not
  in the consent: the CPAS does not read that item).
- The CPAS (cpas_referent) signed a PIIS that includes the integration programme.
- The BAPA wrote the citizenship training (integration programme, Monday and Wednesday
  09:00–12:00, from 10 days ahead); the association "Lire et Écrire" (not named in the
  consent) carries out a French A1 course (language, Monday and Wednesday 09:30–12:30).
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from directory.services import create_organisation
from maillage.actor import Actor
from plans import services
from tests.factories import ConsentFactory, PersonFactory, organisation_of

CONSENTED_DOMAINS = ["social_rights", "integration_programme", "language"]


@dataclass
class Family:
    person: object
    consent: object
    plan: object
    bilan: object
    piis: object
    training: object
    course: object
    association: object


def build_family(world) -> Family:
    bapa = world["bapa_worker"].actor()
    cpas = world["cpas_referent"].actor()
    today = timezone.localdate()
    person = PersonFactory(
        actor=bapa, arabic=True, commune_registration_date=today - timedelta(days=160), birth_year=1991
    )
    consent = ConsentFactory(
        actor=bapa, person=person, domains=CONSENTED_DOMAINS, categories=["identity", "situation", "plan"]
    )
    association = create_organisation(actor=Actor.system(world.schaerbeek), name="Lire et Écrire", kind="association")
    plan = services.start_plan(actor=bapa, person=person)
    bilan = services.add_assessment(
        actor=bapa,
        plan=plan,
        data=services.AssessmentInput(
            kind="social_review",
            assessed_on=today - timedelta(days=20),
            items=[
                services.ItemInput("integration_programme", "Pas encore inscrite", "Suivre le parcours", "Inscription"),
                services.ItemInput("housing", "Logement trop petit", "Un logement social", "Demande à faire"),
            ],
        ),
    )
    piis = services.record_piis(
        actor=cpas,
        plan=plan,
        data=services.PiisInput(
            signed_on=today - timedelta(days=5),
            objectives="Parcours d'intégration, puis formation",
            includes_programme=True,
            next_review_on=today + timedelta(days=85),
        ),
    )
    start = today + timedelta(days=10)
    training = services.add_commitment(
        actor=bapa,
        plan=plan,
        data=services.CommitmentInput(
            owner=organisation_of("bapa_worker"),
            domain="integration_programme",
            what="Formation à la citoyenneté",
            starts_on=start,
            weekdays=[1, 3],
            starts_at=time(9, 0),
            ends_at=time(12, 0),
        ),
    )
    course = services.add_commitment(
        actor=bapa,
        plan=plan,
        data=services.CommitmentInput(
            owner=association,
            domain="language",
            what="Cours de français A1",
            starts_on=start,
            weekdays=[1, 3],
            starts_at=time(9, 30),
            ends_at=time(12, 30),
        ),
    )
    return Family(person, consent, plan, bilan, piis, training, course, association)


@pytest.fixture
def family(tenant_db):
    with schema_context("schaerbeek"):
        yield build_family(tenant_db)


def today() -> date:
    return timezone.localdate()
