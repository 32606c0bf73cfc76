"""E-mail delivery at least once, shown once: a notice's e-mail survives a database that
restarts, a mail folder that cannot be written and a broker that is down; what still fails
is shown to the coordinators; the sweeper queues again what was lost, and a second sweep
sends nothing."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError
from django.utils import timezone
from django_tenants.utils import schema_context
from kombu.exceptions import OperationalError as BrokerDown

from maillage import delivery
from maillage.celery import app
from maillage.delivery import EmailFailure
from notifications import tasks
from notifications.models import Notification
from notifications.services import notify
from notifications.tasks import resend_unsent_email, send_notification_email
from referrals.models import Referral
from tests.factories import ConsentFactory, PersonFactory


@pytest.fixture(autouse=True)
def worker_retries():
    """Retries run as a worker runs them: eagerly, Celery re-applies the task after a retry
    only when it does not propagate the task's exceptions."""
    propagates = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = propagates


def _notice(persona, *, email=True, minutes_ago=0):
    """A notice written without its e-mail queued (as when the task was lost)."""
    with schema_context("schaerbeek"):
        (notice,) = notify(
            [persona.user], kind=Notification.Kind.REFERRAL_NOTE, params={}, url="referrals/", email=email
        )
        created = timezone.now() - timedelta(minutes=minutes_ago)
        Notification.objects.filter(pk=notice.pk).update(created_at=created)
        return Notification.objects.get(pk=notice.pk)


def _reload(notice):
    with schema_context("schaerbeek"):
        return Notification.objects.get(pk=notice.pk)


def _failing(monkeypatch, error, times=None):
    """Makes sending raise `error` (the first `times` times, or always)."""
    original = tasks.EmailMessage.send
    calls = {"n": 0}

    def send(message, *args, **kwargs):
        calls["n"] += 1
        if times is None or calls["n"] <= times:
            raise error
        return original(message, *args, **kwargs)

    monkeypatch.setattr(tasks.EmailMessage, "send", send)
    return calls


def test_notice_email_is_retried_after_a_database_error(tenant_db, monkeypatch):
    notice = _notice(tenant_db["bapa_worker"])
    _failing(monkeypatch, OperationalError("server closed the connection unexpectedly"), times=2)
    send_notification_email.delay("schaerbeek", notice.pk)
    assert [m.to for m in mail.outbox] == [[tenant_db["bapa_worker"].email]]
    assert _reload(notice).emailed_at is not None


def test_notice_email_is_retried_when_the_mail_folder_cannot_be_written(tenant_db, monkeypatch):
    notice = _notice(tenant_db["bapa_worker"])
    _failing(monkeypatch, ImproperlyConfigured("Could not write to directory: /var/mail"), times=1)
    send_notification_email.delay("schaerbeek", notice.pk)
    assert len(mail.outbox) == 1


def test_notice_email_failing_every_retry_is_marked_and_logged(tenant_db, monkeypatch, caplog):
    notice = _notice(tenant_db["bapa_worker"])
    calls = _failing(monkeypatch, ImproperlyConfigured("Could not write to directory: /var/mail"))
    with caplog.at_level(logging.ERROR, logger="maillage.delivery"):
        send_notification_email.delay("schaerbeek", notice.pk)
    assert calls["n"] == send_notification_email.max_retries + 1
    notice = _reload(notice)
    assert notice.emailed_at is None and notice.email_failed_at is not None
    assert notice.email_failure == EmailFailure.MAIL_FOLDER
    assert f"notice {notice.pk} in schaerbeek" in caplog.text
    assert "/var/mail" not in caplog.text


def test_coordinators_see_the_notices_not_emailed(tenant_db, monkeypatch, login, client):
    notice = _notice(tenant_db["bapa_worker"])
    _failing(monkeypatch, OperationalError("gone"))
    send_notification_email.delay("schaerbeek", notice.pk)
    login(tenant_db["coordinator"])
    body = client.get("/c/schaerbeek/notifications/").content.decode()
    assert "1 e-mail n" in body or "1 e-mail could not be sent" in body
    assert tenant_db["bapa_worker"].email in body


def test_other_members_do_not_see_the_notices_not_emailed(tenant_db, monkeypatch, login, client):
    notice = _notice(tenant_db["bapa_worker"])
    _failing(monkeypatch, OperationalError("gone"))
    send_notification_email.delay("schaerbeek", notice.pk)
    login(tenant_db["cpas_referent"])
    body = client.get("/c/schaerbeek/notifications/").content.decode()
    assert tenant_db["bapa_worker"].email not in body


def test_sweeper_sends_a_lost_notice_once(tenant_db):
    notice = _notice(tenant_db["bapa_worker"], minutes_ago=10)
    assert resend_unsent_email("schaerbeek")["notices"] == 1
    assert len(mail.outbox) == 1 and _reload(notice).emailed_at is not None
    assert resend_unsent_email("schaerbeek")["notices"] == 0
    assert len(mail.outbox) == 1


def test_sweeper_leaves_recent_in_app_only_and_old_notices(tenant_db):
    _notice(tenant_db["bapa_worker"], minutes_ago=1)  # its task may still be on the way
    _notice(tenant_db["bapa_worker"], minutes_ago=10, email=False)
    _notice(tenant_db["bapa_worker"], minutes_ago=4 * 24 * 60)  # given up: the notice alone remains
    assert resend_unsent_email("schaerbeek")["notices"] == 0
    assert mail.outbox == []


def test_sweeper_skips_notices_of_deactivated_accounts(tenant_db):
    _notice(tenant_db["bapa_worker"], minutes_ago=10)
    tenant_db["bapa_worker"].user.__class__.objects.filter(pk=tenant_db["bapa_worker"].user.pk).update(is_active=False)
    assert resend_unsent_email("schaerbeek")["notices"] == 0


@pytest.mark.parametrize(("failed_minutes_ago", "sent"), [(10, False), (120, True)])
def test_sweeper_tries_a_failed_notice_again_after_an_hour(tenant_db, failed_minutes_ago, sent):
    notice = _notice(tenant_db["bapa_worker"], minutes_ago=180)
    with schema_context("schaerbeek"):
        Notification.objects.filter(pk=notice.pk).update(
            email_failed_at=timezone.now() - timedelta(minutes=failed_minutes_ago),
            email_failure=EmailFailure.MAIL_FOLDER,
        )
    resend_unsent_email("schaerbeek")
    assert len(mail.outbox) == (1 if sent else 0)
    notice = _reload(notice)
    assert (notice.emailed_at is not None) == sent
    assert (notice.email_failure == "") == sent


def _send_referral(world, token_client):
    with schema_context("schaerbeek"):
        person = PersonFactory()
        ConsentFactory(person=person)
    body = {
        "person": str(person.public_id),
        "to_organisation": str(world["cpas_referent"].organisation_public_id),
        "domains": ["housing"],
        "reason": "Logement",
        "send": True,
    }
    return token_client(world["bapa_worker"]).post("/c/schaerbeek/api/v1/referrals/", body, format="json")


def test_a_broker_down_does_not_fail_the_request_and_the_sweeper_sends_later(
    tenant_db, token_client, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    class BrokerDownTask:
        name = send_notification_email.name

        def apply_async(self, *args, **kwargs):
            raise BrokerDown("Error 111 connecting to 127.0.0.1:56379. Connection refused.")

    monkeypatch.setattr(tasks, "send_notification_email", BrokerDownTask())
    monkeypatch.setattr(delivery, "_broker_paused_until", 0.0)
    with caplog.at_level(logging.WARNING, logger="maillage.delivery"), django_capture_on_commit_callbacks(execute=True):
        response = _send_referral(tenant_db, token_client)
    assert response.status_code == 201
    with schema_context("schaerbeek"):
        assert Referral.objects.count() == 1
        notice = Notification.objects.get(kind=Notification.Kind.REFERRAL_SENT)
    assert f"notice {notice.pk}" in caplog.text
    assert mail.outbox == []
    monkeypatch.undo()
    with schema_context("schaerbeek"):
        Notification.objects.filter(pk=notice.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    resend_unsent_email("schaerbeek")
    assert [m.to for m in mail.outbox] == [[tenant_db["cpas_referent"].email]]


def test_worker_settings_put_a_lost_task_back_within_minutes(settings):
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert settings.MAILLAGE_EMAIL_RETRY_MAX_DELAY < visibility <= 15 * 60
    assert app.conf.broker_transport_options["socket_connect_timeout"] <= 5


def test_e_mail_tasks_keep_no_result(settings):
    """Queueing them never touches a result store, so one that is down fails no request."""
    assert app.conf.task_ignore_result
    assert send_notification_email.ignore_result and resend_unsent_email.ignore_result


def test_after_a_failed_publish_the_next_ones_wait_for_the_sweeper(
    tenant_db, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """Ten notices with the broker down cost one broker timeout, not ten."""
    attempts = []

    class BrokerDownTask:
        name = send_notification_email.name

        def apply_async(self, *args, **kwargs):
            attempts.append(args)
            raise BrokerDown("timed out")

    monkeypatch.setattr(tasks, "send_notification_email", BrokerDownTask())
    monkeypatch.setattr(delivery, "_broker_paused_until", 0.0)
    users = [tenant_db[name].user for name in ("bapa_worker", "cpas_referent", "coordinator")]
    with (
        schema_context("schaerbeek"),
        caplog.at_level(logging.WARNING, logger="maillage.delivery"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify(users, kind=Notification.Kind.REFERRAL_NOTE, params={}, url="referrals/")
    assert len(attempts) == 1
    assert caplog.text.count("left to the sweeper") == 3


def test_a_notice_sent_twice_carries_the_same_message_id(tenant_db):
    """A worker killed between sending and committing sends the e-mail again; the mailbox
    sees the same Message-ID and folds the two."""
    notice = _notice(tenant_db["bapa_worker"])
    send_notification_email.delay("schaerbeek", notice.pk)
    with schema_context("schaerbeek"):
        Notification.objects.filter(pk=notice.pk).update(emailed_at=None)
    send_notification_email.delay("schaerbeek", notice.pk)
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert str(notice.public_id) in first.extra_headers["Message-ID"]
