"""Reads of meetings, actions, the action plan and calendar feeds.

Every member of the coordination reads its meetings and plan (they hold no personal
data); the schema is the coordination's wall.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from directory.models import Organisation
from maillage.actor import Actor
from maillage.errors import NotFound
from meetings.digest import ACTIONS_WITHIN
from meetings.models import (
    Action,
    ActionStatus,
    Attendance,
    CalendarFeed,
    Meeting,
    Objective,
)
from meetings.services import feed_token_hash
from regions.indicators import parse_period
from regions.models import IndicatorValue
from regions.selectors import coordination_figures

FEED_PAST_DAYS = 400  # a calendar keeps a year of past meetings, and every one to come


def meetings(*, actor: Actor) -> QuerySet[Meeting]:
    return Meeting.objects.prefetch_related("agenda_items").order_by("-starts_at")


def upcoming_meetings(*, actor: Actor, now: datetime | None = None) -> QuerySet[Meeting]:
    return meetings(actor=actor).filter(ends_at__gte=now or timezone.now()).order_by("starts_at")


def past_meetings(*, actor: Actor, now: datetime | None = None) -> QuerySet[Meeting]:
    return meetings(actor=actor).filter(ends_at__lt=now or timezone.now())


def get_meeting(*, actor: Actor, public_id: uuid.UUID) -> Meeting:
    try:
        return (
            Meeting.objects.prefetch_related(
                "agenda_items",
                "decisions",
                Prefetch("attendances", queryset=Attendance.objects.select_related("organisation")),
                Prefetch("actions", queryset=Action.objects.select_related("owner", "objective")),
            )
        ).get(public_id=public_id)
    except (Meeting.DoesNotExist, ValueError, ValidationError):
        raise NotFound() from None


@dataclass
class AttendanceRow:
    organisation: Organisation
    status: str  # "" when not recorded


def attendance_rows(*, actor: Actor, meeting: Meeting | None) -> list[AttendanceRow]:
    """Every member organisation with its attendance at the meeting (recorded rows of
    organisations that have left the coordination since are kept)."""
    recorded = {a.organisation_id: a for a in meeting.attendances.all()} if meeting else {}
    rows = [
        AttendanceRow(organisation, recorded.pop(organisation.pk).status if organisation.pk in recorded else "")
        for organisation in Organisation.objects.filter(is_member=True).order_by("name")
    ]
    rows += [AttendanceRow(a.organisation, a.status) for a in recorded.values()]
    return sorted(rows, key=lambda row: row.organisation.name.lower())


def actions(
    *,
    actor: Actor,
    status: str = "",
    overdue: bool = False,
    owner: uuid.UUID | None = None,
    meeting: uuid.UUID | None = None,
    mine: bool = False,
    today: date | None = None,
) -> QuerySet[Action]:
    """Actions with their owner, meeting and objective, soonest due first."""
    today = today or timezone.localdate()
    result = Action.objects.select_related("owner", "meeting", "objective")
    if status:
        result = result.filter(status=status)
    if overdue:
        result = result.filter(status=ActionStatus.OPEN, due_on__lt=today)
    if owner:
        result = result.filter(owner__public_id=owner)
    if meeting:
        result = result.filter(meeting__public_id=meeting)
    if mine:
        result = result.filter(owner_id=actor.organisation.pk if actor.organisation else None)
    return result.order_by("status", "due_on", "created_at")


def actions_due_for(*, actor: Actor, today: date | None = None) -> QuerySet[Action]:
    """Open actions the actor's organisation owns that are overdue or due within the
    digest's horizon (ACTIONS_WITHIN), soonest first."""
    today = today or timezone.localdate()
    if actor.organisation is None:
        return Action.objects.none()
    return actions(actor=actor, status=ActionStatus.OPEN, mine=True, today=today).filter(
        due_on__lte=today + ACTIONS_WITHIN
    )


def get_action(*, actor: Actor, public_id: uuid.UUID) -> Action:
    try:
        return Action.objects.select_related("owner", "meeting", "objective", "status_changed_by").get(
            public_id=public_id
        )
    except (Action.DoesNotExist, ValueError, ValidationError):
        raise NotFound() from None


def member_organisations(*, actor: Actor) -> QuerySet[Organisation]:
    """Who may own an action or attend a meeting."""
    return Organisation.objects.filter(is_member=True).order_by("name")


def objectives(*, actor: Actor) -> QuerySet[Objective]:
    return Objective.objects.select_related("need_domain").prefetch_related(
        Prefetch("actions", queryset=Action.objects.select_related("owner", "meeting").order_by("due_on", "pk"))
    )


def get_objective(*, actor: Actor, public_id: uuid.UUID) -> Objective:
    try:
        return objectives(actor=actor).get(public_id=public_id)
    except (Objective.DoesNotExist, ValueError, ValidationError):
        raise NotFound() from None


# --- The coordination's own figures next to the plan ---------------------------------


@dataclass(frozen=True)
class PlanFigures:
    """The coordination's figures of the latest month the regional comparison computed,
    as that module presents them (small counts suppressed). Empty when none yet."""

    period: str = ""
    computed_at: datetime | None = None  # when the snapshot was computed: not live
    referrals_sent: str = ""
    open_offers: dict[str, str] = field(default_factory=dict)  # need domain code → shown figure
    referrals_by_domain: dict[str, str] = field(default_factory=dict)  # need domain code → shown figure

    def open_offers_in(self, code: str) -> str:
        return self.open_offers.get(code, "0") if self.period else ""

    def referrals_in(self, code: str) -> str:
        return self.referrals_by_domain.get(code, "0") if self.period else ""


def plan_figures(coordination) -> PlanFigures:
    """The coordination's own figures of the latest computed month, through the regional
    comparison's presentation (regions.selectors): the one coupling to it."""
    label = (
        IndicatorValue.objects.filter(coordination_id=coordination.pk, period__regex=r"^\d{4}-\d{2}$")
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if not label:
        return PlanFigures()
    own = coordination_figures(coordination=coordination, period=parse_period(label))
    return PlanFigures(
        period=label,
        computed_at=own.computed_at,
        referrals_sent=own.totals["referrals_sent"].shown,
        open_offers={code: cell.shown for code, cell in own.breakdowns["open_offers"].items()},
        referrals_by_domain={code: cell.shown for code, cell in own.breakdowns["referrals_by_domain"].items()},
    )


# --- Calendar feeds ------------------------------------------------------------------


def live_feed(*, actor: Actor) -> CalendarFeed | None:
    if actor.membership is None:
        return None
    return CalendarFeed.objects.filter(membership=actor.membership, revoked_at__isnull=True).first()


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed of an active member for this secret, or None. The token is the
    credential (no session): a revoked address or a deactivated membership or account
    finds nothing, at once."""
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.select_related("membership__user")
        .filter(
            token_hash=feed_token_hash(token),
            revoked_at__isnull=True,
            membership__is_active=True,
            membership__user__is_active=True,
        )
        .first()
    )


def feed_meetings(*, feed: CalendarFeed, now: datetime | None = None) -> QuerySet[Meeting]:
    since = (now or timezone.now()) - timedelta(days=FEED_PAST_DAYS)
    return Meeting.objects.filter(Q(starts_at__gte=since)).prefetch_related("agenda_items").order_by("starts_at")
