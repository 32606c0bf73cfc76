"""The weekly reminder of offers nobody has verified for 90 days: a notice to the
members of the organisation, e-mailed once (which offers are due: directory.selectors)."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from directory.models import Offer
from notifications.models import Notification
from notifications.tasks import remind_unverified_offers, remind_unverified_offers_everywhere, send_notification_email


def _age(offer, days):
    with schema_context("schaerbeek"):
        Offer.objects.filter(pk=offer.pk).update(last_verified_at=timezone.now() - timedelta(days=days))
        return Offer.objects.get(pk=offer.pk)


def test_weekly_job_reminds_the_organisation_of_stale_offers(tenant_db, make_offer, django_capture_on_commit_callbacks):
    world = tenant_db
    stale = _age(make_offer("Ancienne permanence"), 95)
    make_offer("Offre récente")
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_unverified_offers("schaerbeek") == 1
    assert [m.to for m in mail.outbox] == [[world["cpas_referent"].email]]
    assert "Ancienne permanence" in mail.outbox[0].body and "Offre récente" not in mail.outbox[0].body
    with schema_context("schaerbeek"):
        notice = Notification.objects.get(recipient=world["cpas_referent"].user)
        assert notice.kind == Notification.Kind.OFFERS_TO_VERIFY
        assert notice.params["offers"] == [str(stale.public_id)]
        assert notice.emailed_at is not None  # through the notice worker, like every notice
        assert not Notification.objects.filter(recipient=world["bapa_worker"].user).exists()


def test_reminder_email_keeps_its_wording_and_link(tenant_db, make_offer, django_capture_on_commit_callbacks):
    _age(make_offer("Ancienne permanence"), 95)
    with django_capture_on_commit_callbacks(execute=True):
        remind_unverified_offers("schaerbeek")
    (message,) = mail.outbox
    assert message.subject.startswith("Vos offres dans Schaerbeek sont-elles toujours à jour")
    assert "- Ancienne permanence" in message.body
    assert "confirmez en un clic" in message.body
    assert "/c/schaerbeek/directory/mine/" in message.body


def test_reminder_is_sent_once_until_verified_again(tenant_db, make_offer, django_capture_on_commit_callbacks):
    _age(make_offer(), 95)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_unverified_offers("schaerbeek") == 1
        assert remind_unverified_offers("schaerbeek") == 0
    assert len(mail.outbox) == 1


def test_reminder_email_goes_once_when_its_task_runs_twice(tenant_db, make_offer, django_capture_on_commit_callbacks):
    _age(make_offer(), 95)
    with django_capture_on_commit_callbacks(execute=True):
        remind_unverified_offers("schaerbeek")
    with schema_context("schaerbeek"):
        notice = Notification.objects.get(kind=Notification.Kind.OFFERS_TO_VERIFY)
    send_notification_email("schaerbeek", notice.pk)  # a second delivery of the same task
    assert len(mail.outbox) == 1


def test_job_fans_out_to_every_active_coordination(tenant_db, make_offer, django_capture_on_commit_callbacks):
    _age(make_offer(), 95)
    assert remind_unverified_offers_everywhere() == 2  # Schaerbeek and Tournai


def test_in_app_notification_shows_in_navigation(tenant_db, make_offer, login, client):
    _age(make_offer(), 95)
    remind_unverified_offers("schaerbeek")
    login(tenant_db["cpas_referent"])
    assert 'class="count">1' in client.get("/c/schaerbeek/").content.decode()
    client.get("/c/schaerbeek/notifications/")  # listing reads nothing
    assert 'class="count">1' in client.get("/c/schaerbeek/").content.decode()
    client.post("/c/schaerbeek/notifications/read/")
    assert 'class="count"' not in client.get("/c/schaerbeek/").content.decode()
