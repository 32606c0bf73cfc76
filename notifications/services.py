"""Writes of the notifications app: in-app notices, the weekly reminder of offers to verify,
the weekly digest (exactly once per membership and ISO week) and a member's own opt-out."""

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.utils import timezone

from audit.services import record_event
from directory.selectors import offers_needing_a_reminder
from directory.services import mark_offers_reminded
from maillage.actor import Actor
from maillage.delivery import TRANSIENT_ERRORS, queue_after_commit
from maillage.errors import NotFound
from members.models import Membership
from members.roles import KEEPS_FILES
from notifications import tasks
from notifications.digest import DIGEST_ACTION, iso_week, render_digest
from notifications.models import Notification
from notifications.selectors import (
    digest_already_sent,
    digest_recipients,
    locked_recipient,
    notifications_of,
    weekly_news,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestRun:
    week: str
    sent: int = 0
    already_sent: int = 0
    failed: int = 0
    nothing_new: bool = False


def _send_one(*, actor: Actor, membership_id: int, news, week: str) -> str:
    """'sent', 'already' or 'skipped', under the membership's row lock: two runs of the same
    week (a retry, a second worker) send once. The e-mail goes out inside the transaction,
    so a failure to send records nothing and a retry tries again."""
    with transaction.atomic():
        membership = locked_recipient(membership_id)
        if membership is None:
            return "skipped"
        if digest_already_sent(membership, week):
            return "already"
        user = membership.user
        subject, text, html = render_digest(news, coordination=actor.coordination, language=user.preferred_language)
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
        message.attach_alternative(html, "text/html")
        message.send()
        record_event(
            actor=actor,
            action=DIGEST_ACTION,
            object_type="membership",
            object_public_id=membership.public_id,
            detail={"week": week},
        )
    return "sent"


def send_weekly_digests(*, actor: Actor, today: date) -> DigestRun:
    """One e-mail per active membership that did not opt out, in the account's language,
    when the week brought something; nothing when it did not. Raises the last database or
    mail error after trying everyone if some could not be sent (the task retries; those sent are not sent again)."""
    week = iso_week(today)
    news = weekly_news(actor=actor, today=today)
    if news.is_empty:
        logger.info("digest %s: nothing new in %s", week, actor.coordination.schema_name)
        return DigestRun(week=week, nothing_new=True)
    counts = {"sent": 0, "already": 0, "skipped": 0, "failed": 0}
    error = None
    for membership_id in list(digest_recipients().values_list("pk", flat=True)):
        try:
            outcome = _send_one(actor=actor, membership_id=membership_id, news=news, week=week)
        except TRANSIENT_ERRORS as problem:
            logger.warning("digest %s: membership %s not sent", week, membership_id)
            counts["failed"] += 1
            error = problem
            continue
        counts[outcome] += 1
    if error is not None:
        raise error
    return DigestRun(week=week, sent=counts["sent"], already_sent=counts["already"], failed=counts["failed"])


@transaction.atomic
def set_weekly_digest(*, actor: Actor, receive: bool) -> Membership:
    """The actor's own choice: receive the weekly digest or not."""
    membership = Membership.objects.select_for_update().filter(pk=actor.membership.pk, is_active=True).first()
    if membership is None:
        raise NotFound()
    if membership.weekly_digest != receive:
        membership.weekly_digest = receive
        membership.save(update_fields=["weekly_digest", "updated_at"])
        record_event(
            actor=actor,
            action="membership.digest_on" if receive else "membership.digest_off",
            object_type="membership",
            object_public_id=membership.public_id,
        )
    return membership


def notify(users, *, kind: str, params: dict, url: str, email: bool = True) -> list[Notification]:
    """One in-app notice per account (an account listed twice gets one), each e-mailed once
    by the worker after commit (notifications.tasks.send_notification_email) unless `email` is
    False. `url` is relative to the coordination; `params` carry ids, never personal data."""
    recipients = {user.pk: user for user in users}.values()
    notices = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, params=params, url=url, by_email=email) for user in recipients
    )
    if email:
        for notice in notices:
            queue_after_commit(
                tasks.send_notification_email, connection.schema_name, notice.pk, log_ref=f"notice {notice.pk}"
            )
    return notices


def record_email_failure(*, notification_id: int, failure: str) -> None:
    """The notice's e-mail failed after all its retries: coordinators see it, and the
    sweeper tries again after MAILLAGE_EMAIL_FAILED_RETRY_AFTER."""
    Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        email_failed_at=timezone.now(), email_failure=failure, updated_at=timezone.now()
    )


def mark_notifications_read(*, actor: Actor) -> int:
    return notifications_of(actor=actor).filter(read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def send_verification_reminders(*, actor: Actor, now=None) -> int:
    """Tells the members of each organisation which of its offers nobody has verified for
    90 days: one notice per person, in the app and e-mailed once by the notice worker.
    Returns the offers reminded."""
    now = now or timezone.now()
    offers = list(offers_needing_a_reminder(now).select_for_update(of=("self",)))
    if not offers:
        return 0
    by_organisation: dict[int, list] = {}
    for offer in offers:
        by_organisation.setdefault(offer.organisation_id, []).append(offer)
    members = Membership.objects.filter(
        organisation_id__in=by_organisation, is_active=True, role__in=KEEPS_FILES
    ).select_related("user")
    recipients: dict[int, list] = {}
    for membership in members:
        recipients.setdefault(membership.organisation_id, []).append(membership.user)
    for organisation_id, users in recipients.items():
        organisation_offers = by_organisation[organisation_id]
        notify(
            users,
            kind=Notification.Kind.OFFERS_TO_VERIFY,
            params={"count": len(organisation_offers), "offers": [str(o.public_id) for o in organisation_offers]},
            url="directory/mine/",
        )
    mark_offers_reminded(actor=actor, offers=offers, now=now)
    return len(offers)
