"""Reads of the weekly digest: what changed in one coordination in the seven days before
the sending day, and who receives it. Facts about organisations, offers, meetings and
actions only: no person, no referral."""

import logging
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.core.exceptions import FieldError
from django.db import DatabaseError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import AuditEvent
from directory.models import Offer, Organisation
from maillage.actor import Actor
from members.models import Membership
from notifications.digest import DIGEST_ACTION, ActionLine, MeetingLine, OfferLine, WeeklyNews, iso_week
from notifications.models import Notification

logger = logging.getLogger(__name__)

CLOSING_WITHIN = timedelta(days=14)
ACTIONS_WITHIN = timedelta(days=14)
WINDOW = timedelta(days=7)


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


def _model(app_label: str, name: str):
    """A model of another issue-7 app (meetings, charter), or None while it has not got it."""
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def _safely(read, default):
    """Another app's rows, read inside a savepoint: a model or column it has not got
    (yet) leaves that section out instead of failing the whole digest."""
    try:
        with transaction.atomic():
            return read()
    except (FieldError, DatabaseError, AttributeError) as error:
        logger.warning("digest section skipped: %s", type(error).__name__)
        return default


def _new_organisations(start: datetime, end: datetime) -> list[tuple[str, str]]:
    joined = Q(created_at__gte=start, created_at__lt=end)
    request_model = _model("charter", "MembershipRequest")
    if request_model is not None and hasattr(request_model, "decided_at"):
        approved = _safely(
            lambda: list(
                request_model.objects.filter(
                    status="approved", decided_at__gte=start, decided_at__lt=end, organisation__isnull=False
                ).values_list("organisation_id", flat=True)
            ),
            [],
        )
        joined |= Q(pk__in=approved)
    return list(Organisation.objects.filter(joined, is_member=True).order_by("name").values_list("name", "kind"))


def _offer_lines(offers, coordination) -> list[OfferLine]:
    return [
        OfferLine(
            title=offer.title,
            organisation=offer.organisation.name,
            domain=offer.primary_domain,
            valid_until=offer.valid_until,
            url=f"{coordination.absolute_url}directory/offers/{offer.public_id}/",
        )
        for offer in offers
    ]


def _next_meeting(now: datetime, coordination) -> tuple[bool, MeetingLine | None]:
    meeting_model = _model("meetings", "Meeting")
    if meeting_model is None:
        return False, None

    def read():
        meeting = (
            meeting_model.objects.filter(starts_at__gte=now, cancelled_at__isnull=True)  # a cancelled one is no "next"
            .order_by("starts_at", "pk")
            .first()
        )
        if meeting is None:
            return True, None
        return True, MeetingLine(
            title=meeting.title,
            starts_at=meeting.starts_at,
            place=getattr(meeting, "place", "") or "",
            online=bool(getattr(meeting, "video_url", "")),
            url=f"{coordination.absolute_url}meetings/{meeting.public_id}/",
        )

    return _safely(read, (False, None))


def _actions_due(today: date) -> tuple[bool, list[ActionLine]]:
    action_model = _model("meetings", "Action") or _model("meetings", "FollowUpAction")
    if action_model is None:
        return False, []

    def read():
        actions = (
            action_model.objects.filter(status="open", due_on__gte=today, due_on__lte=today + ACTIONS_WITHIN)
            .select_related("owner")
            .order_by("due_on", "pk")
        )
        return True, [ActionLine(what=a.what, owner=a.owner.name, due_on=a.due_on) for a in actions]

    return _safely(read, (False, []))


def weekly_news(*, actor: Actor, today: date) -> WeeklyNews:
    """The digest of the week ending the day before `today` (the sending day): the same
    for every recipient of the coordination, whatever the hour the job runs or retries."""
    coordination = actor.coordination
    since = today - WINDOW
    start, end = _midnight(since), _midnight(today)
    offers = Offer.objects.select_related("organisation", "primary_domain")
    current = Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    new_offers = offers.filter(current, created_at__gte=start, created_at__lt=end).order_by("title", "pk")
    closing = offers.filter(valid_until__gte=today, valid_until__lte=today + CLOSING_WITHIN).order_by(
        "valid_until", "title", "pk"
    )
    ended = offers.filter(valid_until__gte=since, valid_until__lt=today).order_by("valid_until", "title", "pk")
    meetings_known, meeting = _next_meeting(end, coordination)
    actions_known, actions = _actions_due(today)
    return WeeklyNews(
        week=iso_week(today),
        since=since,
        until=today - timedelta(days=1),
        new_organisations=_new_organisations(start, end),
        new_offers=_offer_lines(new_offers, coordination),
        closing_offers=_offer_lines(closing, coordination),
        ended_offers=_offer_lines(ended, coordination),
        meetings_known=meetings_known,
        next_meeting=meeting,
        actions_known=actions_known,
        actions_due=actions,
    )


def notifications_of(*, actor: Actor) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=actor.user.pk).order_by("-created_at")


def unread_notification_count(*, actor: Actor) -> int:
    return notifications_of(actor=actor).filter(read_at__isnull=True).count()
