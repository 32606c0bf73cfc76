"""A consent past its end date has a withdrawal's effects on the referrals that relied on it,
applied by the daily job: same state, timeline row, audit event (saying why) and notices,
once however often the job runs."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from consent.models import Consent
from consent.services import apply_expiries, withdraw_consent
from consent.tasks import apply_consent_expiries, apply_consent_expiries_everywhere
from maillage.actor import Actor
from maillage.celery import app
from notifications.models import Notification
from referrals.models import Referral, ReferralEvent, ReferralStatus
from tests.factories import ReferralFactory


def _expire(referral) -> None:
    now = timezone.now()
    Consent.objects.filter(pk=referral.consent_id).update(
        given_at=now - timedelta(days=400), expires_at=now - timedelta(minutes=5)
    )


def _job(world) -> int:
    return apply_expiries(actor=Actor.system(world.schaerbeek))


@pytest.mark.parametrize("status", ["draft", "sent", "received", "accepted", "in_progress"])
def test_an_open_referral_on_an_expired_consent_closes_as_on_a_withdrawal(tenant_db, status):
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status=status)
        _expire(referral)
        assert _job(tenant_db) == 1
        referral.refresh_from_db()
        last = ReferralEvent.objects.filter(referral=referral).last()
    assert referral.status == ReferralStatus.CONSENT_WITHDRAWN
    assert referral.closed_at is not None
    assert (last.from_status, last.to_status) == (status, ReferralStatus.CONSENT_WITHDRAWN)


def test_the_audit_event_says_the_consent_expired(tenant_db):
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="accepted")
        _expire(referral)
        _job(tenant_db)
        closing = AuditEvent.objects.get(object_public_id=referral.public_id, action="referral.consent_withdrawn")
        ended = AuditEvent.objects.get(object_public_id=referral.consent.public_id, action="consent.expired")
    assert closing.detail == {"from": "accepted", "to": "consent_withdrawn", "reason": "expired"}
    assert ended.person_public_id == referral.person.public_id


def test_a_withdrawal_records_its_reason_too(tenant_db):
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="accepted")
        withdraw_consent(actor=tenant_db["bapa_worker"].actor(), consent=referral.consent, reason="La personne refuse")
        closing = AuditEvent.objects.get(object_public_id=referral.public_id, action="referral.consent_withdrawn")
    assert closing.detail["reason"] == "withdrawn"


def test_the_recipients_are_told_as_on_a_withdrawal(tenant_db):
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="accepted")
        _expire(referral)
        _job(tenant_db)
        told = Notification.objects.filter(kind="referral_consent_withdrawn", params__referral=str(referral.public_id))
        emails = {n.recipient.email for n in told}
    assert emails == {tenant_db["cpas_referent"].email}


def test_running_the_job_twice_changes_nothing_more(tenant_db):
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="accepted")
        _expire(referral)
        assert _job(tenant_db) == 1
        events, notices, trail = ReferralEvent.objects.count(), Notification.objects.count(), AuditEvent.objects.count()
        assert _job(tenant_db) == 0
        assert (ReferralEvent.objects.count(), Notification.objects.count(), AuditEvent.objects.count()) == (
            events,
            notices,
            trail,
        )


@pytest.mark.parametrize("status", ["completed", "declined", "cancelled"])
def test_a_closed_referral_keeps_its_state(tenant_db, status):
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status=status)
        _expire(referral)
        _job(tenant_db)
        referral.refresh_from_db()
    assert referral.status == status


def test_a_consent_still_in_force_is_left_alone(tenant_db):
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="accepted")
        assert _job(tenant_db) == 0
        referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED


def test_reads_do_not_wait_for_the_job(tenant_db, token_client):
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="accepted")
        _expire(referral)
    api = token_client(tenant_db["cpas_referent"])
    assert api.get(f"/c/schaerbeek/api/v1/persons/{referral.person.public_id}/").status_code == 404
    body = api.get(f"/c/schaerbeek/api/v1/referrals/{referral.public_id}/").json()
    assert body["status"] == "accepted" and body["view"] == "none" and body["person"] is None


def test_the_daily_job_runs_in_each_coordination(tenant_db):
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="accepted")
        _expire(referral)
    assert apply_consent_expiries_everywhere() >= 2
    with schema_context("schaerbeek"):
        assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.CONSENT_WITHDRAWN
    assert apply_consent_expiries("tournai") == 0


def test_beat_runs_the_job_every_day_before_the_deadline_job():
    entry = next(e for e in app.conf.beat_schedule.values() if e["task"].endswith("apply_consent_expiries_everywhere"))
    deadlines = next(
        e for e in app.conf.beat_schedule.values() if e["task"].endswith("check_referral_deadlines_everywhere")
    )
    assert entry["schedule"].day_of_week == set(range(7))
    assert min(entry["schedule"].hour) < min(deadlines["schedule"].hour)
