"""Deciding with enough: a reference read aloud (SCH-2026-0042), the reason in the preview when
the person shared their situation, and another appointment the recipient may propose.

The dataset: the BAPA (Sarah) refers Samira to the CPAS of Schaerbeek (Marc) for housing, with
a consent that names the CPAS for identity and situation; the referral proposes no appointment
unless a test says so. SESO (the outsider) works in the same coordination, the CPAS of Tournai
(the foreigner) in another.
"""

import html
import importlib
import re
import threading
from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection, connections, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from consent.models import DataCategory
from maillage.errors import Conflict, Forbidden, Invalid
from notifications.models import Notification
from referrals import notices, policies, references, services
from referrals.models import AppointmentProposal, ReferenceCounter, Referral, ReferralEvent
from tests.factories import ReferralFactory

BASE = "/c/schaerbeek"
API = "/c/schaerbeek/api/v1"
BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _page(response) -> str:
    return html.unescape(response.content.decode())


def _fresh(referral) -> Referral:
    with schema_context("schaerbeek"):
        return Referral.objects.get(pk=referral.pk)


def _number(reference: str) -> int:
    return int(reference.rsplit("-", 1)[1])


# --- The reference --------------------------------------------------------------------------


def test_a_referral_has_a_reference_read_aloud(tenant_db):
    with schema_context("schaerbeek"):
        referral = ReferralFactory()
    year = timezone.localdate().year
    assert re.fullmatch(rf"SCH-{year}-\d{{4}}", referral.reference)
    assert references.PATTERN.fullmatch(referral.reference)


def test_references_follow_each_other_without_a_gap(tenant_db):
    with schema_context("schaerbeek"):
        first, second = ReferralFactory(), ReferralFactory()
    assert _number(second.reference) == _number(first.reference) + 1


def test_the_sequence_starts_again_each_year_in_belgian_time(tenant_db):
    with schema_context("schaerbeek"):
        # 23:30 UTC on 31 December is already New Year in Brussels.
        new_year = datetime(2040, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
        assert references.new_reference(datetime(2040, 6, 1, 12, tzinfo=BRUSSELS)) == "SCH-2040-0001"
        assert references.new_reference(datetime(2040, 7, 1, 12, tzinfo=BRUSSELS)) == "SCH-2040-0002"
        assert references.new_reference(new_year) == "SCH-2041-0001"
        assert references.new_reference(datetime(2040, 8, 1, 12, tzinfo=BRUSSELS)) == "SCH-2040-0003"


def test_each_coordination_has_its_letters_and_its_own_counter(tenant_db):
    moment = datetime(2042, 3, 1, 12, tzinfo=BRUSSELS)
    with schema_context("schaerbeek"):
        assert references.new_reference(moment) == "SCH-2042-0001"
    with schema_context("tournai"):
        assert references.new_reference(moment) == "TOU-2042-0001"
    assert references.coordination_code("sint_gillis") == "SIN"
    assert references.coordination_code("ab") == "ABX"


def test_a_rolled_back_referral_gives_its_number_back(tenant_db):
    moment = datetime(2043, 3, 1, 12, tzinfo=BRUSSELS)
    with schema_context("schaerbeek"):
        with pytest.raises(RuntimeError), transaction.atomic():
            references.new_reference(moment)
            raise RuntimeError("the referral is refused")
        assert references.new_reference(moment) == "SCH-2043-0001"


def test_two_referrals_created_at_once_get_two_numbers(world, django_db_blocker):
    """Two database connections, committed: the second waits for the first's counter row and
    takes the next number (no duplicate, no gap)."""
    year = 2044
    barrier = threading.Barrier(2)
    numbers = []

    def create():
        try:
            with schema_context("schaerbeek"), transaction.atomic():
                barrier.wait()
                numbers.append(references.next_number(year))
                # Hold the row a moment, so that the other connection meets the lock.
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_sleep(0.2)")
        finally:
            connections.close_all()

    with django_db_blocker.unblock():
        threads = [threading.Thread(target=create) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with schema_context("schaerbeek"):
            last = ReferenceCounter.objects.get(year=year).last
            ReferenceCounter.objects.filter(year=year).delete()
    assert sorted(numbers) == [1, 2]
    assert last == 2


def test_existing_referrals_get_references_in_creation_order(tenant_db):
    """The data step of migration 0007, on referrals created before references existed."""
    migration = importlib.import_module("referrals.migrations.0007_referral_references_and_proposals")
    with schema_context("schaerbeek"):
        referrals = [ReferralFactory() for _ in range(3)]
        created = [
            datetime(2038, 5, 2, 9, tzinfo=BRUSSELS),
            datetime(2037, 11, 1, 9, tzinfo=BRUSSELS),
            datetime(2038, 1, 15, 9, tzinfo=BRUSSELS),
        ]
        with connection.cursor() as cursor:
            # As before the column was required (rolled back with the test); the checks of
            # the rows just written first, which an ALTER TABLE would not wait for.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE referrals_referral ALTER COLUMN reference DROP NOT NULL")
        for referral, at in zip(referrals, created, strict=True):
            Referral.objects.filter(pk=referral.pk).update(reference=None, created_at=at)
        ReferenceCounter.objects.filter(year__in=[2037, 2038]).delete()
        migration.give_references(apps, SimpleNamespace(connection=connection))
        given = [Referral.objects.get(pk=r.pk).reference for r in referrals]
        counters = dict(ReferenceCounter.objects.filter(year__in=[2037, 2038]).values_list("year", "last"))
        assert references.new_reference(datetime(2038, 6, 1, tzinfo=BRUSSELS)) == "SCH-2038-0003"
    assert given == ["SCH-2038-0002", "SCH-2037-0001", "SCH-2038-0001"]
    assert counters == {2037: 1, 2038: 2}


def test_the_reference_is_on_the_page_the_lists_and_the_slip(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    login(tenant_db["cpas_referent"])
    assert referral.reference in _page(client.get(f"{BASE}/referrals/{referral.public_id}/"))
    assert referral.reference in _page(client.get(f"{BASE}/referrals/inbox/"))
    slip = _page(client.get(f"{BASE}/referrals/{referral.public_id}/slip/?lang=fr"))
    assert referral.reference in slip and str(referral.public_id) not in slip
    login(tenant_db["bapa_worker"])
    assert referral.reference in _page(client.get(f"{BASE}/referrals/outbox/"))


def test_the_list_finds_a_referral_by_its_reference_as_typed(tenant_db, login, client):
    wanted, other = ReferralFactory(status="sent"), ReferralFactory(status="sent")
    login(tenant_db["cpas_referent"])
    code, year, number = wanted.reference.split("-")
    spoken = f"{code.lower()} {year} {int(number)}"  # "sch 2026 42", as heard on the phone
    page = _page(client.get(f"{BASE}/referrals/inbox/", {"q": spoken}))
    assert wanted.reference in page and other.reference not in page


def test_the_api_gives_the_reference_and_filters_on_it(tenant_db, token_client):
    world = tenant_db
    wanted, other = ReferralFactory(status="sent"), ReferralFactory(status="sent")
    api = token_client(world["cpas_referent"])
    assert api.get(f"{API}/referrals/{wanted.public_id}/").json()["reference"] == wanted.reference
    body = api.get(f"{API}/referrals/inbox/", {"reference": wanted.reference.lower()}).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [row["reference"] for row in rows] == [wanted.reference]
    assert other.reference not in str(body)


def test_the_reference_cannot_be_written_through_the_api(tenant_db, token_client):
    world = tenant_db
    with schema_context("schaerbeek"):
        person = ReferralFactory().person
    response = token_client(world["bapa_worker"]).post(
        f"{API}/referrals/",
        {
            "person": str(person.public_id),
            "to_organisation": str(world["cpas_referent"].organisation_public_id),
            "domains": ["housing"],
            "reason": "Logement",
            "reference": "SCH-1999-0001",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["reference"] != "SCH-1999-0001"


def test_the_notice_email_quotes_the_reference(tenant_db, django_capture_on_commit_callbacks):
    world = tenant_db
    with schema_context("schaerbeek"), django_capture_on_commit_callbacks(execute=True):
        referral = ReferralFactory(status="sent")
    to_cpas = [m for m in mail.outbox if m.to == [world["cpas_referent"].email]]
    assert to_cpas and referral.reference in to_cpas[0].subject and referral.reference in to_cpas[0].body
    with schema_context("schaerbeek"):
        notice = Notification.objects.filter(params__referral=str(referral.public_id)).first()
        context = notices.email_context(
            notification=notice, user=world["cpas_referent"].user, coordination=world.schaerbeek
        )
    assert context["reference"] == referral.reference


# --- The preview ----------------------------------------------------------------------------


def test_the_preview_shows_why_when_the_situation_is_shared(tenant_db, login, client, token_client):
    world = tenant_db
    referral = ReferralFactory(status="sent")
    login(world["cpas_referent"])
    page = _page(client.get(f"{BASE}/referrals/{referral.public_id}/"))
    assert "Expulsion annoncée" in page and "Un rendez-vous au service logement" in page
    assert "did not agree to share" not in page and "Darwish" not in page
    person = token_client(world["cpas_referent"]).get(f"{API}/referrals/{referral.public_id}/").json()["person"]
    assert person["situation_shared"] is True
    assert person["reason"] == "Expulsion annoncée, cherche un logement"
    assert person["expectation"] == "Un rendez-vous au service logement"
    assert "family_name" not in person


@pytest.fixture
def identity_only(monkeypatch):
    """Referrals that need no more than the person's identity: today every referral's consent
    must share the situation too (referrals.policies.REFERRAL_CATEGORIES), so the preview's
    other branch is reached by relaxing that rule here."""
    monkeypatch.setattr(policies, "REFERRAL_CATEGORIES", (DataCategory.IDENTITY,))


def test_the_preview_says_the_person_did_not_share_their_situation(
    tenant_db, login, client, token_client, identity_only
):
    world = tenant_db
    referral = ReferralFactory(status="sent", consent__categories=["identity"])
    login(world["cpas_referent"])
    page = _page(client.get(f"{BASE}/referrals/{referral.public_id}/"))
    assert "Samira" in page
    assert "Expulsion annoncée" not in page and "Un rendez-vous au service logement" not in page
    assert "The person did not agree to share their situation with your organisation" in page
    person = token_client(world["cpas_referent"]).get(f"{API}/referrals/{referral.public_id}/").json()["person"]
    assert person["situation_shared"] is False
    assert person["reason"] is None and person["expectation"] is None


def test_the_sender_always_reads_its_own_reason(tenant_db, token_client, identity_only):
    referral = ReferralFactory(status="sent", consent__categories=["identity"])
    person = token_client(tenant_db["bapa_worker"]).get(f"{API}/referrals/{referral.public_id}/").json()["person"]
    assert person["situation_shared"] is True and person["reason"].startswith("Expulsion")


# --- Another appointment ------------------------------------------------------------------


def _ahead(days: int = 5) -> datetime:
    return (timezone.localtime() + timedelta(days=days)).replace(hour=10, minute=15, second=0, microsecond=0)


def _propose_on_the_page(client, referral, at: datetime, place="Guichet 5", note="Lundi complet"):
    return client.post(
        f"{BASE}/referrals/{referral.public_id}/propose/",
        {
            "propose-appointment_date": at.date().isoformat(),
            "propose-appointment_time": at.strftime("%H:%M"),
            "propose-place": place,
            "propose-note": note,
        },
        follow=True,
    )


def test_on_the_page_the_cpas_proposes_and_the_sender_accepts(
    tenant_db, login, client, django_capture_on_commit_callbacks
):
    world = tenant_db
    referral = ReferralFactory(status="sent", appointment_at=_ahead(2), appointment_place="Accueil")
    at = _ahead(6)
    login(world["cpas_referent"])
    with django_capture_on_commit_callbacks(execute=True):
        page = _page(_propose_on_the_page(client, referral, at))
    assert "You proposed another appointment" in page
    assert _fresh(referral).status == "appointment_proposed"
    with schema_context("schaerbeek"):
        assert Notification.objects.filter(
            recipient=world["bapa_worker"].user, kind="referral_appointment_proposed"
        ).exists()
        assert AuditEvent.objects.filter(
            object_public_id=referral.public_id, action="referral.appointment_proposed"
        ).exists()
    told = [m for m in mail.outbox if m.to == [world["bapa_worker"].email]]
    assert told and referral.reference in told[-1].body

    login(world["bapa_worker"])
    page = _page(client.get(f"{BASE}/referrals/{referral.public_id}/"))
    assert "Other appointment proposed" in page and "Guichet 5" in page and "Lundi complet" in page
    page = _page(client.post(f"{BASE}/referrals/{referral.public_id}/accept-proposal/", follow=True))
    assert "You accepted the proposed appointment" in page and "Proposed appointment accepted" in page
    accepted = _fresh(referral)
    assert accepted.status == "accepted"
    assert accepted.appointment_at == at and accepted.appointment_place == "Guichet 5"
    assert accepted.handled_by_id == world["cpas_referent"].user.pk
    with schema_context("schaerbeek"):
        assert Notification.objects.filter(
            recipient=world["cpas_referent"].user, kind="referral_proposal_accepted"
        ).exists()
        assert ReferralEvent.objects.filter(
            referral=referral, from_status="appointment_proposed", to_status="accepted"
        ).exists()
    slip = _page(client.get(f"{BASE}/referrals/{referral.public_id}/slip/?lang=fr"))
    assert "Guichet 5" in slip and "Accueil" not in slip and at.strftime("%H:%M") in slip


def test_on_the_page_the_sender_declines_and_the_cpas_answers_again(tenant_db, login, client):
    world = tenant_db
    referral = ReferralFactory(status="appointment_proposed")
    login(world["bapa_worker"])
    client.post(
        f"{BASE}/referrals/{referral.public_id}/decline-proposal/",
        {"decline-proposal-note": "Elle travaille le mardi"},
    )
    declined = _fresh(referral)
    assert declined.status == "received" and declined.answered_at is None
    assert declined.response_due is not None and declined.response_due > timezone.localdate()
    with schema_context("schaerbeek"):
        proposal = AppointmentProposal.objects.get(referral=referral)
        assert proposal.state == "declined" and proposal.answer_note == "Elle travaille le mardi"
        assert Notification.objects.filter(
            recipient=world["cpas_referent"].user, kind="referral_proposal_declined"
        ).exists()
    login(world["cpas_referent"])
    page = _page(client.get(f"{BASE}/referrals/{referral.public_id}/"))
    assert "Proposed appointment declined" in page and "Elle travaille le mardi" in page
    client.post(f"{BASE}/referrals/{referral.public_id}/accept/")
    assert _fresh(referral).status == "accepted"


def test_on_the_page_a_past_appointment_is_refused_clearly(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    login(tenant_db["cpas_referent"])
    page = _page(_propose_on_the_page(client, referral, timezone.localtime() - timedelta(days=1)))
    assert "The appointment cannot be in the past." in page
    assert _fresh(referral).status == "sent"


def test_through_the_api_the_cpas_proposes_and_the_sender_accepts(tenant_db, token_client):
    world = tenant_db
    referral = ReferralFactory(status="sent")
    at = _ahead(4)
    path = f"{API}/referrals/{referral.public_id}/"
    cpas, bapa = token_client(world["cpas_referent"]), token_client(world["bapa_worker"])
    response = cpas.post(
        path + "propose/", {"appointment_at": at.isoformat(), "place": "Guichet 5", "note": "Lundi"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "appointment_proposed" and body["view"] == "preview"
    assert body["proposal"]["appointment_place"] == "Guichet 5"
    seen = bapa.get(path).json()
    assert seen["proposal"]["note"] == "Lundi" and seen["proposal"]["organisation"] == "CPAS de Schaerbeek"
    accepted = bapa.post(path + "accept-proposal/").json()
    assert accepted["status"] == "accepted" and accepted["proposal"] is None
    assert datetime.fromisoformat(accepted["person"]["appointment_at"]) == at
    assert accepted["person"]["appointment_place"] == "Guichet 5"


def test_through_the_api_the_sender_declines(tenant_db, token_client):
    referral = ReferralFactory(status="appointment_proposed")
    response = token_client(tenant_db["bapa_worker"]).post(
        f"{API}/referrals/{referral.public_id}/decline-proposal/", {"note": "Pas le mardi"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "received" and response.json()["proposal"] is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"place": "Guichet 5"}, "appointment_at"),
        ({"appointment_at": "2020-01-06T10:00:00+01:00"}, "appointment_at"),
        ({"appointment_at": "not a date"}, "appointment_at"),
    ],
)
def test_through_the_api_a_missing_or_past_appointment_is_400(tenant_db, token_client, payload, field):
    referral = ReferralFactory(status="sent")
    response = token_client(tenant_db["cpas_referent"]).post(
        f"{API}/referrals/{referral.public_id}/propose/", payload, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert _fresh(referral).status == "sent"


def test_a_proposal_that_has_passed_cannot_be_accepted(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="appointment_proposed")
        AppointmentProposal.objects.filter(referral=referral).update(appointment_at=timezone.now() - timedelta(hours=1))
        with pytest.raises(Conflict):
            services.accept_proposed_appointment(actor=world["bapa_worker"].actor(), referral=referral)
        assert Referral.objects.get(pk=referral.pk).status == "appointment_proposed"


def test_each_side_keeps_to_its_part(tenant_db):
    """The sender does not propose; the recipient does not answer its own proposal."""
    world = tenant_db
    with schema_context("schaerbeek"):
        sent = ReferralFactory(status="sent")
        with pytest.raises(Forbidden):
            services.propose_appointment(actor=world["bapa_worker"].actor(), referral=sent, appointment_at=_ahead())
        proposed = ReferralFactory(status="appointment_proposed")
        with pytest.raises(Forbidden):
            services.accept_proposed_appointment(actor=world["cpas_referent"].actor(), referral=proposed)
        with pytest.raises(Invalid):
            services.propose_appointment(actor=world["cpas_referent"].actor(), referral=sent, appointment_at=None)


def test_the_recipient_still_sees_only_the_preview_while_its_proposal_waits(tenant_db, token_client):
    referral = ReferralFactory(status="appointment_proposed")
    body = token_client(tenant_db["cpas_referent"]).get(f"{API}/referrals/{referral.public_id}/").json()
    assert body["view"] == "preview" and "family_name" not in body["person"]


@pytest.mark.parametrize("persona", ["outsider", "foreigner", "volunteer"])
def test_another_organisation_can_neither_propose_nor_answer(tenant_db, login, client, token_client, persona):
    world = tenant_db
    sent = ReferralFactory(status="sent")
    proposed = ReferralFactory(status="appointment_proposed")
    api = token_client(world[persona])
    when = {"appointment_at": _ahead().isoformat()}
    assert api.post(f"{API}/referrals/{sent.public_id}/propose/", when, format="json").status_code == 404
    for action in ("accept-proposal", "decline-proposal"):
        assert api.post(f"{API}/referrals/{proposed.public_id}/{action}/").status_code == 404
    login(world[persona])
    assert client.post(f"{BASE}/referrals/{sent.public_id}/propose/").status_code == 404
    for action in ("accept-proposal", "decline-proposal"):
        assert client.post(f"{BASE}/referrals/{proposed.public_id}/{action}/").status_code == 404
    assert _fresh(sent).status == "sent" and _fresh(proposed).status == "appointment_proposed"
