"""The referral lifecycle: every transition, from every state, for every role."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from consent.services import withdraw_consent
from maillage.errors import Conflict, Forbidden, Invalid
from referrals import services
from referrals.models import Referral, ReferralEvent, ReferralStatus
from tests.factories import PersonFactory, ReferralFactory, organisation_of

BRUSSELS = ZoneInfo("Europe/Brussels")

# transition -> (service call, states it may start from, the side that may do it)
TRANSITIONS = {
    "send": (lambda a, r: services.send_referral(actor=a, referral=r), {"draft"}, "sender"),
    "acknowledge": (lambda a, r: services.acknowledge_referral(actor=a, referral=r), {"sent"}, "recipient"),
    "accept": (lambda a, r: services.accept_referral(actor=a, referral=r), {"sent", "received"}, "recipient"),
    "decline": (
        lambda a, r: services.decline_referral(actor=a, referral=r, reason="no_capacity"),
        {"sent", "received"},
        "recipient",
    ),
    "start": (lambda a, r: services.start_referral(actor=a, referral=r), {"accepted"}, "recipient"),
    "complete": (
        lambda a, r: services.complete_referral(actor=a, referral=r, outcome="housing_found"),
        {"accepted", "in_progress"},
        "recipient",
    ),
    "not_complete": (
        lambda a, r: services.not_complete_referral(actor=a, referral=r, reason="did_not_come"),
        {"accepted", "in_progress"},
        "recipient",
    ),
    "cancel": (
        lambda a, r: services.cancel_referral(actor=a, referral=r),
        {"draft", "sent", "received", "appointment_proposed", "accepted", "in_progress"},
        "sender",
    ),
}
STATES = list(ReferralStatus.values)
# persona -> side it stands on for a BAPA → CPAS referral
ROLES = {
    "bapa_worker": "sender",
    "coordinator": "sender",  # the coordinator also works at the BAPA
    "cpas_referent": "recipient",
    "volunteer": None,
    "observer": None,
    "outsider": None,
}


@pytest.mark.parametrize("transition", list(TRANSITIONS))
@pytest.mark.parametrize("state", STATES)
def test_each_transition_from_each_state(tenant_db, transition, state):
    world = tenant_db
    call, sources, side = TRANSITIONS[transition]
    persona = "bapa_worker" if side == "sender" else "cpas_referent"
    with schema_context("schaerbeek"):
        # The state written straight, the consent still in force: only the table decides.
        referral = ReferralFactory(row={"status": state})
        if state in sources:
            moved = call(world[persona].actor(), referral)
            assert moved.status != state
            assert ReferralEvent.objects.filter(referral=referral, from_status=state).exists()
            assert AuditEvent.objects.filter(object_public_id=referral.public_id, action=f"referral.{moved.status}")
        else:
            with pytest.raises(Conflict):
                call(world[persona].actor(), referral)
            referral.refresh_from_db()
            assert referral.status == state


@pytest.mark.parametrize("transition", list(TRANSITIONS))
@pytest.mark.parametrize("persona", list(ROLES))
def test_each_transition_for_each_role(tenant_db, transition, persona):
    world = tenant_db
    call, sources, side = TRANSITIONS[transition]
    state = sorted(sources)[0]
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status=state)
        if ROLES[persona] == side:
            assert call(world[persona].actor(), referral).status != state
        else:
            with pytest.raises(Forbidden):
                call(world[persona].actor(), referral)


def test_sending_sets_the_deadline_in_working_days(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory()
        friday = datetime(2026, 11, 6, 10, tzinfo=BRUSSELS)  # 11 November is a holiday
        sent = services.send_referral(actor=world["bapa_worker"].actor(), referral=referral, now=friday)
    assert sent.response_due.isoformat() == "2026-11-16"  # 5 working days, the 11th not counted


def test_sending_without_a_covering_consent_says_what_is_missing(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory(consent__categories=["identity"], consent__domains=["legal_aid"])
        with pytest.raises(Invalid) as raised:
            services.send_referral(actor=world["bapa_worker"].actor(), referral=referral)
    message = str(raised.value.message)
    assert ("housing" in message and "Situation" in message) or "situation" in message.lower()
    assert "consent" in raised.value.fields


def test_api_referral_without_consent_is_400(tenant_db, token_client):
    world = tenant_db
    with schema_context("schaerbeek"):
        person = PersonFactory(given_name="Habib", family_name="Rahimi")
    response = token_client(world["bapa_worker"]).post(
        "/c/schaerbeek/api/v1/referrals/",
        {
            "person": str(person.public_id),
            "to_organisation": str(world["cpas_referent"].organisation_public_id),
            "domains": ["housing"],
            "reason": "Logement",
            "send": True,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "consent" in response.json()["fields"]


def test_api_recipient_outside_the_coordination_is_404(tenant_db, token_client):
    world = tenant_db
    with schema_context("schaerbeek"):
        person = PersonFactory(given_name="Habib", family_name="Rahimi")
    response = token_client(world["bapa_worker"]).post(
        "/c/schaerbeek/api/v1/referrals/",
        {
            "person": str(person.public_id),
            "to_organisation": str(world["foreigner"].organisation_public_id),
            "domains": ["housing"],
            "reason": "Logement",
        },
        format="json",
    )
    assert response.status_code == 404


def test_api_wrong_state_is_409(tenant_db, token_client):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="completed")
    response = token_client(world["cpas_referent"]).post(f"/c/schaerbeek/api/v1/referrals/{referral.public_id}/accept/")
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"


def test_recipient_sees_a_preview_before_accepting_and_more_after(tenant_db, token_client):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory(person__arabic=True)
        services.send_referral(actor=world["bapa_worker"].actor(), referral=referral)
    cpas = token_client(world["cpas_referent"])
    path = f"/c/schaerbeek/api/v1/referrals/{referral.public_id}/"
    preview = cpas.get(path).json()
    assert preview["view"] == "preview"
    assert preview["person"]["given_name"] == "Samira" and "family_name" not in preview["person"]
    assert preview["person"]["interpreter_language"] == "ar"
    cpas.post(path + "accept/")
    full = cpas.get(path).json()
    assert full["view"] == "full" and full["person"]["family_name"] == "Darwish"


def test_draft_is_invisible_to_the_recipient(tenant_db, token_client):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory()
    assert (
        token_client(world["cpas_referent"]).get(f"/c/schaerbeek/api/v1/referrals/{referral.public_id}/").status_code
        == 404
    )


@pytest.mark.parametrize("persona", ["outsider", "volunteer", "observer"])
def test_other_organisations_get_404(tenant_db, token_client, persona):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="sent")
    api = token_client(world[persona])
    assert api.get(f"/c/schaerbeek/api/v1/referrals/{referral.public_id}/").status_code == 404
    assert api.post(f"/c/schaerbeek/api/v1/referrals/{referral.public_id}/accept/").status_code == 404


def test_other_coordination_gets_404(tenant_db, token_client):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="sent")
    api = token_client(world["foreigner"])
    assert api.get(f"/c/schaerbeek/api/v1/referrals/{referral.public_id}/").status_code == 404
    assert api.get(f"/c/tournai/api/v1/referrals/{referral.public_id}/").status_code == 404


def test_withdrawn_consent_closes_open_referrals_and_hides_the_person(tenant_db, token_client):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory()
        services.send_referral(actor=world["bapa_worker"].actor(), referral=referral)
        withdraw_consent(actor=world["bapa_worker"].actor(), consent=referral.consent, reason="La personne refuse")
        referral.refresh_from_db()
    assert referral.status == "consent_withdrawn"
    body = token_client(world["cpas_referent"]).get(f"/c/schaerbeek/api/v1/referrals/{referral.public_id}/").json()
    assert body["status"] == "consent_withdrawn" and body["person"] is None


def test_expired_consent_hides_the_person_on_the_next_read(tenant_db, token_client):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory()
        services.send_referral(actor=world["bapa_worker"].actor(), referral=referral)
        services.accept_referral(actor=world["cpas_referent"].actor(), referral=referral)
        from consent.models import Consent

        Consent.objects.filter(pk=referral.consent_id).update(
            given_at=datetime(2024, 1, 1, tzinfo=BRUSSELS), expires_at=datetime(2025, 1, 1, tzinfo=BRUSSELS)
        )
    body = token_client(world["cpas_referent"]).get(f"/c/schaerbeek/api/v1/referrals/{referral.public_id}/").json()
    assert body["view"] == "none" and body["person"] is None


def test_partial_withdrawal_keeps_referrals_the_rest_still_covers(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory(
            consent__recipients=[
                world["cpas_referent"].organisation_public_id,
                world["outsider"].organisation_public_id,
            ]
        )
        services.send_referral(actor=world["bapa_worker"].actor(), referral=referral)
        remainder = withdraw_consent(
            actor=world["bapa_worker"].actor(),
            consent=referral.consent,
            reason="Plus SESO",
            recipients=[world["outsider"].organisation_public_id],
        )
        referral.refresh_from_db()
    assert referral.status == "sent" and referral.consent_id == remainder.pk


def test_inbox_and_outbox_query_counts_do_not_grow(tenant_db, token_client):
    from django.test.utils import CaptureQueriesContext

    world = tenant_db
    cpas = token_client(world["cpas_referent"])
    cpas.get("/c/schaerbeek/api/v1/me/")  # a new token's first use writes its stamp: not measured

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert cpas.get("/c/schaerbeek/api/v1/referrals/inbox/").status_code == 200
        return len(queries.captured_queries)

    with schema_context("schaerbeek"):
        services.send_referral(actor=world["bapa_worker"].actor(), referral=ReferralFactory())
    one = count()
    with schema_context("schaerbeek"):
        for _ in range(5):
            services.send_referral(actor=world["bapa_worker"].actor(), referral=ReferralFactory())
    assert count() == one


def test_two_reference_persons_accepting_at_once_exactly_one_wins(world, django_db_blocker):
    """Two database connections, committed data: one accept succeeds, the other gets 409."""
    from django.contrib.auth import get_user_model

    from members.models import Membership
    from members.roles import Role
    from members.services import add_member
    from tenants.models import CoordinationAccess

    with django_db_blocker.unblock(), schema_context("schaerbeek"):
        user = get_user_model().objects.create_user("second.referent@schaerbeek.test", password="a-long-password-xx")
        second = add_member(
            actor=world["coordinator"].actor(),
            user=user,
            organisation=organisation_of("cpas_referent"),
            role=Role.CPAS_REFERENT,
        )
        referral = ReferralFactory()
        services.send_referral(actor=world["bapa_worker"].actor(), referral=referral)
        from maillage.actor import Actor

        actors = [
            world["cpas_referent"].actor(),
            Actor(user=user, membership=second, organisation=second.organisation, coordination=world.schaerbeek),
        ]
    barrier = threading.Barrier(2)
    results = []

    def accept(actor):
        try:
            with schema_context("schaerbeek"):
                barrier.wait()
                services.accept_referral(actor=actor, referral=referral)
            results.append("accepted")
        except Conflict:
            results.append("conflict")
        finally:
            connections.close_all()

    with django_db_blocker.unblock():
        threads = [threading.Thread(target=accept, args=(a,)) for a in actors]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with schema_context("schaerbeek"):
            accepted = Referral.objects.get(pk=referral.pk)
            # Clean up what this test committed (audit events stay: they are append-only).
            Referral.objects.filter(pk=referral.pk).delete()
            consent = accepted.consent
            person = accepted.person
            consent.recipients.clear()
            consent.domains.clear()
            consent.delete()
            person.delete()
            Membership.objects.filter(pk=second.pk).delete()
            CoordinationAccess.objects.filter(user=user).delete()
    assert sorted(results) == ["accepted", "conflict"]
    assert accepted.status == "accepted"
