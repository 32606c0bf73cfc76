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

from directory.models import Organisation
from tests.factories import ConsentFactory, PersonFactory, ReferralFactory, organisation_of

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


@pytest.fixture
def known(tenant_db, make_offer):
    world = tenant_db
    with schema_context("schaerbeek"):
        b, c, p, e, s = (
            organisation_of(name) for name in ("bapa_worker", "cpas_referent", "volunteer", "observer", "outsider")
        )
        worker = world["bapa_worker"].actor()
        referent = world["cpas_referent"].actor()
        samira = PersonFactory(actor=worker)
        yonas = PersonFactory(actor=referent, given_name="Yonas", family_name="Tesfaye")
        consent_b = ConsentFactory(actor=worker, person=samira, recipients=[o.public_id for o in (c, s, e)])
        consent_c = ConsentFactory(actor=referent, person=yonas, recipients=[b.public_id])
        accepted = {"status": "accepted", "answered_at": at(5), "response_due": date(2026, 2, 9)}
        by_b = {"actor": worker, "person": samira, "consent": consent_b}  # created as drafts, then dated
        made = [
            ReferralFactory(**by_b, to_organisation=c, row={"sent_at": at(2), **accepted}),
            ReferralFactory(**by_b, to_organisation=c, row={"sent_at": at(3), **accepted, "status": "completed"}),
            ReferralFactory(
                **by_b,
                to_organisation=c,
                row={"sent_at": at(4), "status": "declined", "answered_at": at(6), "decline_reason": "other"},
            ),
            ReferralFactory(
                **by_b,
                to_organisation=c,
                row={"sent_at": at(13, 3), "status": "sent", "response_due": date(2026, 3, 20)},
            ),
            ReferralFactory(
                **by_b,
                to_organisation=c,
                row={"sent_at": at(31, 3), "status": "received", "response_due": date(2026, 4, 10)},
            ),
            ReferralFactory(
                **by_b, to_organisation=c, row={"sent_at": at(30, 3), "status": "sent", "awaiting_triage": True}
            ),
            ReferralFactory(
                actor=referent,
                person=yonas,
                consent=consent_c,
                to_organisation=b,
                row={"sent_at": at(10, 1), "status": "accepted", "answered_at": at(11, 1)},
            ),
            ReferralFactory(
                **by_b,
                to_organisation=s,
                row={"sent_at": at(20, 2), "status": "sent", "response_due": date(2026, 3, 1)},
            ),
            ReferralFactory(
                **by_b,
                to_organisation=s,
                row={"sent_at": at(21, 2), "status": "sent", "response_due": date(2026, 3, 1)},
            ),
            ReferralFactory(
                **by_b, to_organisation=s, row={"sent_at": at(22, 2), "status": "cancelled", "closed_at": at(23, 2)}
            ),
            ReferralFactory(**by_b, to_organisation=e, row={"sent_at": at(31, 12, 2025, 23, 30), "status": "sent"}),
            ReferralFactory(**by_b, to_organisation=e, row={"sent_at": at(1, 4, 2026, 0, 0), "status": "sent"}),
            ReferralFactory(**by_b, to_organisation=c),  # a draft
        ]
        person_ids = [samira.public_id, yonas.public_id]
    make_offer("Aide au logement", "CPAS de Schaerbeek", secondary_domains=["social_rights"])
    make_offer("Table de conversation", "Plate-forme citoyenne", primary_domain="language")
    make_offer("Colis alimentaires", "Exil", primary_domain="material_aid", capacity_status="full")
    make_offer("Permanence juridique", "Exil", primary_domain="legal_aid", valid_until=date(2026, 3, 31))
    return Known(b, c, p, e, s, person_ids, [r.public_id for r in made])
