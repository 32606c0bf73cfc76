"""Reads of the weekly digest: what changed in one coordination in the seven days before
the sending day (composed from the sections other apps contribute), and who receives it.
Facts about organisations, offers, meetings and actions only: no person, no referral."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from audit.models import AuditEvent
from maillage.actor import Actor
from maillage.hooks import hooks
from members.models import Membership
from notifications.digest import DIGEST_ACTION, DigestWindow, WeeklyNews, iso_week
from notifications.models import Notification

WINDOW = timedelta(days=7)
# When the Monday digest should have gone (maillage.celery runs it at 07:00), with a margin
# for the job to finish before the sweeper looks for anyone it missed.
DIGEST_SENT_BY = timedelta(hours=7, minutes=30)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def digest_recipients() -> QuerySet[Membership]:
    """Active memberships of active accounts that did not opt out."""
    return (
        Membership.objects.filter(is_active=True, weekly_digest=True, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )


def locked_recipient(membership_id: int) -> Membership | None:
    """The membership under a row lock, if it still receives the digest (an opt-out or a
    deactivation between listing and sending is honoured)."""
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(pk=membership_id, is_active=True, weekly_digest=True, user__is_active=True)
        .first()
    )


def digest_already_sent(membership: Membership, week: str) -> bool:
    return AuditEvent.objects.filter(
        action=DIGEST_ACTION, object_type="membership", object_public_id=membership.public_id, detail__week=week
    ).exists()


def weekly_news(*, actor: Actor, today: date) -> WeeklyNews:
    """The digest of the week ending the day before `today` (the sending day): the same
    for every recipient of the coordination, whatever the hour the job runs or retries.
    Each section of MAILLAGE_DIGEST_SECTIONS fills some fields; lists add up, and an
    organisation both created and approved this week is named once."""
    since = today - WINDOW
    window = DigestWindow(
        coordination=actor.coordination, today=today, since=since, start=_midnight(since), end=_midnight(today)
    )
    fields: dict = {}
    for section in hooks("MAILLAGE_DIGEST_SECTIONS"):
        for name, value in section(window=window).items():
            if isinstance(value, list):
                fields.setdefault(name, []).extend(value)
            else:
                fields[name] = value
    if "new_organisations" in fields:
        fields["new_organisations"] = sorted(set(fields["new_organisations"]))
    return WeeklyNews(week=iso_week(today), since=since, until=today - timedelta(days=1), **fields)


def notices_to_email_again(*, now: datetime) -> QuerySet:
    """Ids of the notices whose e-mail is overdue: meant to be e-mailed, to an active
    account, not sent MAILLAGE_EMAIL_SWEEP_AFTER seconds after they were written (a lost
    task), or failed more than MAILLAGE_EMAIL_FAILED_RETRY_AFTER seconds ago (a mail folder
    fixed since). After MAILLAGE_EMAIL_GIVE_UP_AFTER_DAYS the in-app notice alone remains."""
    failed_before = now - timedelta(seconds=settings.MAILLAGE_EMAIL_FAILED_RETRY_AFTER)
    return (
        Notification.objects.filter(
            by_email=True,
            emailed_at__isnull=True,
            recipient__is_active=True,
            created_at__lt=now - timedelta(seconds=settings.MAILLAGE_EMAIL_SWEEP_AFTER),
            created_at__gte=now - timedelta(days=settings.MAILLAGE_EMAIL_GIVE_UP_AFTER_DAYS),
        )
        .filter(Q(email_failed_at__isnull=True) | Q(email_failed_at__lt=failed_before))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def notices_not_emailed() -> QuerySet[Notification]:
    """Notices whose e-mail still failed after its retries, newest first, for the
    coordinators (the sweeper keeps trying them)."""
    return (
        Notification.objects.filter(email_failed_at__isnull=False, emailed_at__isnull=True)
        .select_related("recipient")
        .order_by("-email_failed_at")
    )


def digest_to_send_again(*, actor: Actor, now: datetime) -> date | None:
    """The sending day of this week's digest if someone who was a member on that day has
    not received it although the week brought news (the Monday job lost, or failed); None
    otherwise. Only this week's: a digest a week late is no longer news."""
    today = timezone.localtime(now).date()
    monday = today - timedelta(days=today.weekday())
    if now < _midnight(monday) + DIGEST_SENT_BY:
        return None
    week = iso_week(monday)
    received = AuditEvent.objects.filter(
        action=DIGEST_ACTION, object_type="membership", object_public_id=OuterRef("public_id"), detail__week=week
    )
    missing = digest_recipients().filter(created_at__lt=_midnight(monday)).exclude(Exists(received))
    if not missing.exists() or weekly_news(actor=actor, today=monday).is_empty:
        return None
    return monday


def notifications_of(*, actor: Actor) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=actor.user.pk).order_by("-created_at")


def unread_notification_count(*, actor: Actor) -> int:
    return notifications_of(actor=actor).filter(read_at__isnull=True).count()
