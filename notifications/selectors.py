"""Reads of the weekly digest: what changed in one coordination in the seven days before
the sending day (composed from the sections other apps contribute), and who receives it.
Facts about organisations, offers, meetings and actions only: no person, no referral."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from audit.models import AuditEvent
from directory.selectors import organisation_names
from maillage.actor import Actor
from maillage.errors import NotFound
from maillage.hooks import hooks
from members.models import Membership
from notifications.digest import DIGEST_ACTION, DigestWindow, WeeklyNews, iso_week
from notifications.models import Notification

WINDOW = timedelta(days=7)
NOTICES_SHOWN = 100


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


def notifications_of(*, actor: Actor) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=actor.user.pk).order_by("-created_at", "-pk")


def get_notification_for(*, actor: Actor, public_id) -> Notification:
    """One of the actor's own notices; anyone else's looks missing."""
    notification = notifications_of(actor=actor).filter(public_id=public_id).first()
    if notification is None:
        raise NotFound()
    return notification


@dataclass(frozen=True)
class NoticeDay:
    day: date
    notices: list


def notices_by_day(*, actor: Actor, limit: int = NOTICES_SHOWN) -> list[NoticeDay]:
    """The actor's latest notices, newest first, grouped by their local day, each with what
    the page says of it: `by_name` (the organisation that acted), and what the app that
    owns the notice adds through MAILLAGE_NOTICE_CONTEXT (`first_name`, `response_due`)."""
    notices = list(notifications_of(actor=actor)[:limit])
    names = organisation_names(_uuid(n.params.get("by")) for n in notices)
    extra: dict = {}
    for prefix, path in settings.MAILLAGE_NOTICE_CONTEXT.items():
        mine = [n for n in notices if n.kind.startswith(prefix)]
        if mine:
            extra.update(import_string(path)(notifications=mine, actor=actor))
    days: list[NoticeDay] = []
    for notice in notices:
        notice.by_name = names.get(_uuid(notice.params.get("by")), "")
        context = extra.get(notice.pk, {})
        notice.first_name = context.get("first_name", "")
        notice.response_due = context.get("response_due")
        day = timezone.localtime(notice.created_at).date()
        if not days or days[-1].day != day:
            days.append(NoticeDay(day=day, notices=[]))
        days[-1].notices.append(notice)
    return days


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def unread_notification_count(*, actor: Actor) -> int:
    return notifications_of(actor=actor).filter(read_at__isnull=True).count()
