"""The meetings' sections of the weekly digest (listed in MAILLAGE_DIGEST_SECTIONS): the
next meeting and the actions due within two weeks. About organisations, never a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from meetings.models import Action, ActionStatus, Meeting

if TYPE_CHECKING:
    from notifications.digest import DigestWindow

ACTIONS_WITHIN = timedelta(days=14)


@dataclass(frozen=True)
class MeetingLine:
    title: str
    starts_at: datetime
    place: str
    online: bool
    url: str


@dataclass(frozen=True)
class ActionLine:
    what: str
    owner: str  # the owner organisation's name
    due_on: date


def next_meeting(*, window: DigestWindow) -> dict:
    meeting = (
        Meeting.objects.filter(starts_at__gte=window.end, cancelled_at__isnull=True)  # a cancelled one is no "next"
        .order_by("starts_at", "pk")
        .first()
    )
    line = None
    if meeting is not None:
        line = MeetingLine(
            title=meeting.title,
            starts_at=meeting.starts_at,
            place=meeting.place,
            online=bool(meeting.video_url),
            url=f"{window.coordination.absolute_url}meetings/{meeting.public_id}/",
        )
    return {"meetings_known": True, "next_meeting": line}


def actions_due(*, window: DigestWindow) -> dict:
    today = window.today
    actions = (
        Action.objects.filter(status=ActionStatus.OPEN, due_on__gte=today, due_on__lte=today + ACTIONS_WITHIN)
        .select_related("owner")
        .order_by("due_on", "pk")
    )
    return {
        "actions_known": True,
        "actions_due": [ActionLine(what=a.what, owner=a.owner.name, due_on=a.due_on) for a in actions],
    }
