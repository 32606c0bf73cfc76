"""The decision e-mail to a requester, at least once and shown once: retried after a
database error, its failure shown on the request, sent again by the sweeper, once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import OperationalError
from django.utils import timezone
from django_tenants.utils import schema_context

from charter import services, tasks
from charter.models import MembershipRequest
from charter.services import MembershipRequestInput
from charter.tasks import resend_decision_emails, send_membership_decision_email
from maillage.actor import Actor
from maillage.celery import app
from maillage.delivery import EmailFailure


@pytest.fixture(autouse=True)
def worker_retries():
    """Retries run as a worker runs them: eagerly, Celery re-applies the task after a retry
    only when it does not propagate the task's exceptions."""
    propagates = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = propagates


def _refused(world, *, minutes_ago=0):
    """A refused request whose decision e-mail was never queued (its task lost)."""
    anonymous = Actor(user=None, membership=None, organisation=None, coordination=world.schaerbeek)
    data = MembershipRequestInput(
        organisation_name="Maison de quartier Helmet",
        kind="association",
        city="Schaerbeek",
        postcode="1030",
        street="Rue Helmet 12",
        contact_name="Inès Lambert",
        contact_email="ines@helmet.test",
        motivation="Nous aidons les familles du quartier.",
    )
    with schema_context("schaerbeek"):
        request = services.request_membership(actor=anonymous, data=data, by_link=True)
        services.refuse_membership_request(
            actor=world["coordinator"].actor(), public_id=request.public_id, reason="Hors territoire."
        )
        MembershipRequest.objects.filter(pk=request.pk).update(
            decided_at=timezone.now() - timedelta(minutes=minutes_ago)
        )
        return MembershipRequest.objects.get(pk=request.pk)


def _failing(monkeypatch, error, times=None):
    original = tasks.send_mail
    calls = {"n": 0}

    def send(*args, **kwargs):
        calls["n"] += 1
        if times is None or calls["n"] <= times:
            raise error
        return original(*args, **kwargs)

    monkeypatch.setattr(tasks, "send_mail", send)


def test_decision_email_is_retried_after_a_database_error(tenant_db, monkeypatch):
    request = _refused(tenant_db)
    _failing(monkeypatch, OperationalError("server closed the connection unexpectedly"), times=2)
    send_membership_decision_email.delay("schaerbeek", request.pk)
    assert [m.to for m in mail.outbox] == [["ines@helmet.test"]]


def test_decision_email_failing_every_retry_shows_on_the_request(tenant_db, monkeypatch, login, client):
    request = _refused(tenant_db)
    _failing(monkeypatch, OperationalError("gone"))
    send_membership_decision_email.delay("schaerbeek", request.pk)
    with schema_context("schaerbeek"):
        request = MembershipRequest.objects.get(pk=request.pk)
    assert request.decision_email_failure == EmailFailure.DATABASE and request.decision_emailed_at is None
    login(tenant_db["coordinator"])
    body = client.get(f"/c/schaerbeek/membership-requests/{request.public_id}/").content.decode()
    assert 'class="error"' in body


def test_sweeper_sends_a_lost_decision_email_once(tenant_db):
    _refused(tenant_db, minutes_ago=10)
    assert resend_decision_emails("schaerbeek") == 1
    assert [m.to for m in mail.outbox] == [["ines@helmet.test"]]
    assert resend_decision_emails("schaerbeek") == 0
    assert len(mail.outbox) == 1


def test_sweeper_leaves_a_decision_just_taken(tenant_db):
    _refused(tenant_db, minutes_ago=1)
    assert resend_decision_emails("schaerbeek") == 0
