"""Jobs of the notifications app: e-mailing in-app notices once, and the weekly digest."""

from datetime import date

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from tenants.models import Coordination

REFERRAL_KINDS_WITH_DEADLINE = ("referral_due_soon", "referral_overdue")


def _first_name_for(user, referral, coordination) -> str:
    """The person's first name, only for an account whose organisation sent the referral
    or still may see the person through the consent; otherwise nothing."""
    from maillage.actor import Actor
    from members.models import Membership
    from referrals.selectors import recipient_view

    person = referral.person
    if person.anonymised_at:
        return ""
    membership = Membership.objects.select_related("organisation").filter(user=user, is_active=True).first()
    if membership is None or membership.organisation_id not in (
        referral.from_organisation_id,
        referral.to_organisation_id,
    ):
        return ""
    actor = Actor(user=user, membership=membership, organisation=membership.organisation, coordination=coordination)
    return person.given_name if recipient_view(actor, referral) != "none" else ""


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(schema_name: str, notification_id: int) -> None:
    """E-mails one in-app notice, exactly once: the row lock and `emailed_at` make a task
    delivered twice (acks late, retries) send nothing the second time. The e-mail carries
    at most the person's first name and a link; the rest is behind sign-in."""
    from directory.models import Offer
    from notifications.models import Notification
    from referrals.models import Referral

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
        referral_id = notification.params.get("referral")
        if notification.kind.startswith("referral_") and referral_id:
            referral = Referral.objects.select_related("person", "consent").filter(public_id=referral_id).first()
            if referral is not None:
                context["first_name"] = _first_name_for(user, referral, coordination)
                if notification.kind in REFERRAL_KINDS_WITH_DEADLINE:
                    context["response_due"] = referral.response_due
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = render_to_string("notifications/email/notification_subject.txt", context).strip()
            body = render_to_string("notifications/email/notification.txt", context)
        # Sent under the lock: an OSError rolls back and the retry finds emailed_at unset.
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at", "updated_at"])


@shared_task
def send_weekly_digests_everywhere() -> int:
    """Queues the weekly digest of each active coordination (Celery beat, Monday morning);
    returns how many were queued. The sending day is fixed here, so a retry later keeps the
    same week and the same content."""
    from tenants.tasks import for_each_coordination

    return for_each_coordination(send_weekly_digests, timezone.localdate().isoformat())


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_weekly_digests(schema_name: str, day: str | None = None) -> dict:
    """`day` (ISO date) is the sending day, today when not given."""
    from maillage.actor import Actor
    from notifications.services import send_weekly_digests as send

    today = date.fromisoformat(day) if day else timezone.localdate()
    coordination = Coordination.objects.get(schema_name=schema_name)
    with schema_context(schema_name):
        run = send(actor=Actor.system(coordination), today=today)
    return {"week": run.week, "sent": run.sent, "already_sent": run.already_sent, "nothing_new": run.nothing_new}
