"""Jobs of the notifications app: e-mailing in-app notices once, the weekly reminder of
offers to verify, and the weekly digest."""

from datetime import date

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from directory.models import Offer
from maillage.actor import Actor
from maillage.hooks import hook_for
from notifications import services
from notifications.models import Notification
from tenants.models import Coordination
from tenants.tasks import for_each_coordination


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(schema_name: str, notification_id: int) -> None:
    """E-mails one in-app notice, exactly once: the row lock and `emailed_at` make a task
    delivered twice (acks late, retries) send nothing the second time. The e-mail carries
    at most the person's first name and a link; the rest is behind sign-in."""
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
        # Sent under the lock: an OSError rolls back and the retry finds emailed_at unset.
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at", "updated_at"])


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


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_weekly_digests(schema_name: str, day: str | None = None) -> dict:
    """`day` (ISO date) is the sending day, today when not given."""
    today = date.fromisoformat(day) if day else timezone.localdate()
    coordination = Coordination.objects.get(schema_name=schema_name)
    with schema_context(schema_name):
        run = services.send_weekly_digests(actor=Actor.system(coordination), today=today)
    return {"week": run.week, "sent": run.sent, "already_sent": run.already_sent, "nothing_new": run.nothing_new}
