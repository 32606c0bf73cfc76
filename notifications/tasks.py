"""Jobs of the notifications app: e-mailing in-app notices once, the weekly reminder of
offers to verify, the weekly digest, and the sweep that queues again what was not sent."""

import logging
from datetime import date
from email.utils import parseaddr

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from directory.models import Offer
from maillage.actor import Actor
from maillage.delivery import SWEEP_BATCH, TRANSIENT_ERRORS, retry_or_give_up
from maillage.hooks import hook_for
from notifications import selectors, services
from notifications.models import Notification
from tenants.models import Coordination
from tenants.tasks import for_each_coordination

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=settings.MAILLAGE_EMAIL_MAX_RETRIES)
def send_notification_email(self, schema_name: str, notification_id: int) -> None:
    """E-mails one in-app notice, exactly once: the row lock and `emailed_at` make a task
    delivered twice (acks late, a worker lost, the sweeper) send nothing the second time.
    A database or mail failure is retried; after the last retry the notice is marked as
    failed, for the coordinators and the sweeper."""
    try:
        _email_notice(schema_name, notification_id)
    except TRANSIENT_ERRORS as error:

        def give_up(failure: str) -> None:
            with schema_context(schema_name):
                services.record_email_failure(notification_id=notification_id, failure=failure)

        retry_or_give_up(self, error, log_ref=f"notice {notification_id} in {schema_name}", give_up=give_up)


def _email_notice(schema_name: str, notification_id: int) -> None:
    """The e-mail carries at most the person's first name and a link; the rest is behind
    sign-in."""
    coordination = Coordination.objects.get(schema_name=schema_name)
    with schema_context(schema_name), transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None:
            return
        user = notification.recipient
        if not user.is_active:
            return
        context = {
            "kind": notification.kind,
            "coordination": coordination,
            "first_name": "",
            "response_due": None,
            # What the notice's kind needs to word the e-mail (ids and flags, no personal data).
            "params": notification.params,
            "url": f"{coordination.absolute_url}{notification.url}",
        }
        if notification.kind == Notification.Kind.OFFERS_TO_VERIFY:
            # Offer titles are the organisation's public directory, not personal data.
            context["offers"] = list(
                Offer.objects.filter(public_id__in=notification.params.get("offers", [])).order_by("title")
            )
        more = hook_for("MAILLAGE_NOTICE_EMAIL_CONTEXT", notification.kind)
        if more is not None:
            context.update(more(notification=notification, user=user, coordination=coordination))
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = render_to_string("notifications/email/notification_subject.txt", context).strip()
            body = render_to_string("notifications/email/notification.txt", context)
        # Sent under the lock: a failure rolls back and the retry finds emailed_at unset.
        # A process killed between sending and committing sends it again when the task
        # comes back; the same Message-ID lets the mailbox fold the two into one.
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], headers=_headers(notification)).send()
        notification.emailed_at = timezone.now()
        notification.email_failed_at = None
        notification.email_failure = ""
        notification.save(update_fields=["emailed_at", "email_failed_at", "email_failure", "updated_at"])


def _headers(notification: Notification) -> dict:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "maillage.localhost"
    return {
        "Message-ID": f"<notice-{notification.public_id}@{domain}>",
        "X-Maillage-Notice": str(notification.public_id),
    }


@shared_task
def resend_unsent_email_everywhere() -> int:
    """Queues the sweep of each active coordination (Celery beat, every few minutes)."""
    return for_each_coordination(resend_unsent_email)


@shared_task
def resend_unsent_email(schema_name: str) -> dict:
    """Queues again what should have been e-mailed by now and was not: a task lost with a
    worker or a broker, a publish that failed after commit, a notice whose retries ran out
    an hour ago. Sending twice is harmless: each task sends only what is still unsent."""
    now = timezone.now()
    coordination = Coordination.objects.get(schema_name=schema_name)
    with schema_context(schema_name):
        notice_ids = list(selectors.notices_to_email_again(now=now)[:SWEEP_BATCH])
        digest_day = selectors.digest_to_send_again(actor=Actor.system(coordination), now=now)
    for notification_id in notice_ids:
        send_notification_email.delay(schema_name, notification_id)
    if notice_ids:
        logger.info("sweep %s: %s notices queued again", schema_name, len(notice_ids))
    if digest_day is not None:
        send_weekly_digests.delay(schema_name, digest_day.isoformat())
        logger.info("sweep %s: weekly digest of %s queued again", schema_name, digest_day)
    return {"notices": len(notice_ids), "digest": digest_day is not None}


@shared_task
def remind_unverified_offers_everywhere() -> int:
    """Queues the weekly reminder of offers to verify in each active coordination."""
    return for_each_coordination(remind_unverified_offers)


@shared_task
def remind_unverified_offers(schema_name: str) -> int:
    coordination = Coordination.objects.get(schema_name=schema_name)
    with schema_context(schema_name):
        return services.send_verification_reminders(actor=Actor.system(coordination))


@shared_task
def send_weekly_digests_everywhere() -> int:
    """Queues the weekly digest of each active coordination (Celery beat, Monday morning);
    returns how many were queued. The sending day is fixed here, so a retry later keeps the
    same week and the same content."""
    return for_each_coordination(send_weekly_digests, timezone.localdate().isoformat())


@shared_task(bind=True, max_retries=settings.MAILLAGE_EMAIL_MAX_RETRIES)
def send_weekly_digests(self, schema_name: str, day: str | None = None) -> dict:
    """`day` (ISO date) is the sending day, today when not given. After the last retry the
    failure is logged; the sweeper tries again until the week is over."""
    today = date.fromisoformat(day) if day else timezone.localdate()
    try:
        coordination = Coordination.objects.get(schema_name=schema_name)
        with schema_context(schema_name):
            run = services.send_weekly_digests(actor=Actor.system(coordination), today=today)
    except TRANSIENT_ERRORS as error:
        retry_or_give_up(self, error, log_ref=f"digest {today} in {schema_name}", give_up=lambda failure: None)
        return {}
    return {"week": run.week, "sent": run.sent, "already_sent": run.already_sent, "nothing_new": run.nothing_new}
