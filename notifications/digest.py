"""The weekly digest e-mail: what it says and how it renders in a member's language.

It carries facts about the network only (organisations that joined, offers new, closing or
ended, the next meeting, actions due): never a person's name, never a referral. Each app
contributes its own sections (MAILLAGE_DIGEST_SECTIONS: a function taking the window and
returning fields of WeeklyNews); `notifications.selectors.weekly_news` composes them, the
sending is in `notifications.services`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from directory.models import OrganisationKind

if TYPE_CHECKING:
    from directory.digest import OfferLine
    from meetings.digest import ActionLine, MeetingLine
    from tenants.models import Coordination

DIGEST_ACTION = "digest.sent"


def iso_week(day: date) -> str:
    """'2026-W46': the ISO week a digest belongs to (sent at most once per membership)."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class DigestWindow:
    """The week a digest covers, handed to every section."""

    coordination: Coordination
    today: date  # the sending day
    since: date  # first day covered
    start: datetime  # midnight starting `since`
    end: datetime  # midnight starting `today`


@dataclass(frozen=True)
class WeeklyNews:
    week: str
    since: date  # first day covered
    until: date  # last day covered
    new_organisations: list[tuple[str, str]] = field(default_factory=list)  # (name, kind)
    new_offers: list[OfferLine] = field(default_factory=list)
    closing_offers: list[OfferLine] = field(default_factory=list)
    ended_offers: list[OfferLine] = field(default_factory=list)
    meetings_known: bool = False  # a section about meetings is contributed
    next_meeting: MeetingLine | None = None
    actions_known: bool = False
    actions_due: list[ActionLine] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.new_organisations
            or self.new_offers
            or self.closing_offers
            or self.ended_offers
            or self.next_meeting
            or self.actions_due
        )


def kind_label(kind: str) -> str:
    return str(OrganisationKind(kind).label) if kind in OrganisationKind.values else kind


def render_digest(news: WeeklyNews, *, coordination, language: str) -> tuple[str, str, str]:
    """(subject, plain text, HTML) in `language` (the account's preferred one)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "news": news,
            "coordination": coordination,
            "organisations": [(name, kind_label(kind)) for name, kind in news.new_organisations],
            "settings_url": f"{coordination.absolute_url}digest/",
            "home_url": coordination.absolute_url,
        }
        subject = render_to_string("notifications/email/digest_subject.txt", context).strip()
        text = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
    return " ".join(subject.split()), text, html
