"""Known data for the network map, in Schaerbeek, over the first quarter of 2026.

Organisations of the session world: VIA — BAPA Schaerbeek (B), CPAS de Schaerbeek (C,
with an active reference person), Plate-forme citoyenne (P), Exil (E), SESO (S).

Referrals, all sent in 2026-Q1 unless said otherwise ("today" is 1 April 2026):

  B → C  6 sent: 2 accepted (one of them since completed), 1 declined, 1 still sent and
         past its deadline (20 March), 1 received and not yet due (10 April), 1 waiting
         for triage (no deadline yet)
         => sent 6, accepted 2, answered 3, unanswered 3, overdue 1
         C received 5 (triage not passed: not counted), left unanswered 1: not "mostly"
  C → B  1 sent, accepted
  B → S  3 sent: 2 still sent past their deadline (1 March), 1 cancelled before an answer
         => sent 3, accepted 0, answered 0, unanswered 2, overdue 2
         S received 3, left unanswered 2: 2 of 3 > 50 %: "mostly unanswered"
  B → E  sent 31 December 2025 23:30 and 1 April 2026 00:00 (Brussels): outside the period
  B → C  one draft, never sent: not counted

Offers (open unless said): C "Aide au logement" (housing; social_rights), P "Table de
conversation" (language), E one full offer and one ended yesterday (neither counts).
So E has no activity in the period; P has an open offer; every other domain is uncovered.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django_tenants.utils import schema_context

from consent.services import ConsentInput, record_consent
from directory.models import Organisation
from persons.services import PersonInput, create_person
from referrals.models import Referral
from referrals.services import ReferralInput, create_referral

BRUSSELS = ZoneInfo("Europe/Brussels")
TODAY = date(2026, 4, 1)
PERIOD = "2026-Q1"
PERSON_NAMES = ("Samira", "Darwish", "Yonas", "Tesfaye")


def at(day: int, month: int = 2, year: int = 2026, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


@dataclass
class Known:
    bapa: Organisation
    cpas: Organisation
    platform: Organisation
    exil: Organisation
    seso: Organisation
    person_ids: list
    referral_ids: list


def _organisation(world, persona) -> Organisation:
    return Organisation.objects.get(public_id=world[persona].organisation_public_id)


def _consent(actor, person, recipients):
    return record_consent(
        actor=actor,
        person=person,
        data=ConsentInput(
            recipients=[o.public_id for o in recipients],
            domains=["housing"],
            categories=["identity", "situation"],
            purpose="Logement",
            method="oral_witnessed",
            witness_name="Collègue",
            explanation_language="ar",
        ),
    )


def _referral(actor, person, consent, to, **fields) -> Referral:
    referral = create_referral(
        actor=actor,
        data=ReferralInput(
            person=person, to_organisation=to, domains=["housing"], reason="Bail qui se termine", consent=consent
        ),
    )
    Referral.objects.filter(pk=referral.pk).update(**fields)
    return referral


@pytest.fixture
def known(tenant_db, make_offer):
    world = tenant_db
    with schema_context("schaerbeek"):
        b, c, p, e, s = (
            _organisation(world, name) for name in ("bapa_worker", "cpas_referent", "volunteer", "observer", "outsider")
        )
        worker = world["bapa_worker"].actor()
        referent = world["cpas_referent"].actor()
        samira = create_person(actor=worker, data=PersonInput("Samira", "Darwish"))
        yonas = create_person(actor=referent, data=PersonInput("Yonas", "Tesfaye"))
        consent_b = _consent(worker, samira, [c, s, e])
        consent_c = _consent(referent, yonas, [b])
        accepted = {"status": "accepted", "answered_at": at(5), "response_due": date(2026, 2, 9)}
        made = [
            _referral(worker, samira, consent_b, c, sent_at=at(2), **accepted),
            _referral(worker, samira, consent_b, c, sent_at=at(3), **{**accepted, "status": "completed"}),
            _referral(
                worker,
                samira,
                consent_b,
                c,
                sent_at=at(4),
                status="declined",
                answered_at=at(6),
                decline_reason="other",
            ),
            _referral(worker, samira, consent_b, c, sent_at=at(13, 3), status="sent", response_due=date(2026, 3, 20)),
            _referral(
                worker, samira, consent_b, c, sent_at=at(31, 3), status="received", response_due=date(2026, 4, 10)
            ),
            _referral(worker, samira, consent_b, c, sent_at=at(30, 3), status="sent", awaiting_triage=True),
            _referral(referent, yonas, consent_c, b, sent_at=at(10, 1), status="accepted", answered_at=at(11, 1)),
            _referral(worker, samira, consent_b, s, sent_at=at(20, 2), status="sent", response_due=date(2026, 3, 1)),
            _referral(worker, samira, consent_b, s, sent_at=at(21, 2), status="sent", response_due=date(2026, 3, 1)),
            _referral(worker, samira, consent_b, s, sent_at=at(22, 2), status="cancelled", closed_at=at(23, 2)),
            _referral(worker, samira, consent_b, e, sent_at=at(31, 12, 2025, 23, 30), status="sent"),
            _referral(worker, samira, consent_b, e, sent_at=at(1, 4, 2026, 0, 0), status="sent"),
            _referral(worker, samira, consent_b, c),  # a draft
        ]
        person_ids = [samira.public_id, yonas.public_id]
    make_offer("Aide au logement", "CPAS de Schaerbeek", secondary_domains=["social_rights"])
    make_offer("Table de conversation", "Plate-forme citoyenne", primary_domain="language")
    make_offer("Colis alimentaires", "Exil", primary_domain="material_aid", capacity_status="full")
    make_offer("Permanence juridique", "Exil", primary_domain="legal_aid", valid_until=date(2026, 3, 31))
    return Known(b, c, p, e, s, person_ids, [r.public_id for r in made])
