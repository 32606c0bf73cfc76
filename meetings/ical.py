"""The meetings of a coordination as an iCalendar (RFC 5545) feed.

Times are written in UTC: every calendar app shows them in its own zone, and no
VTIMEZONE block has to describe Brussels' summer time.
"""

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from meetings.models import Meeting

PRODID = "-//Maillage//Coordination meetings//FR"


def meeting_uid(meeting: Meeting, coordination) -> str:
    """Stable for a meeting whatever changes: calendar apps update the event in place."""
    return f"meeting-{meeting.public_id}@{coordination.slug}.maillage"


def _description(meeting: Meeting, page_url: str) -> str:
    lines = []
    if meeting.is_cancelled:
        lines += [_("Cancelled: %(reason)s") % {"reason": meeting.cancellation_reason}, ""]
    items = list(meeting.agenda_items.all())
    if items:
        lines.append(_("Agenda:"))
        lines += [f"{item.position}. {item.title}" for item in items]
        lines.append("")
    if meeting.video_url:
        lines.append(_("Video link: %(url)s") % {"url": meeting.video_url})
    lines.append(_("On Maillage: %(url)s") % {"url": page_url})
    return "\n".join(lines)


def meetings_calendar(meetings, *, coordination, now: datetime | None = None) -> bytes:
    """One VEVENT per meeting (UID, DTSTAMP, DTSTART/DTEND in UTC, SUMMARY, LOCATION,
    URL, DESCRIPTION with the agenda, SEQUENCE). A cancelled meeting stays in the feed
    with STATUS:CANCELLED and its bumped SEQUENCE, so calendar apps drop their copy."""
    now = (now or timezone.now()).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Meetings — %(name)s") % {"name": coordination.name})
    for meeting in meetings:
        page_url = f"{coordination.absolute_url}meetings/{meeting.public_id}/"
        event = Event()
        event.add("uid", meeting_uid(meeting, coordination))
        event.add("dtstamp", now)
        event.add("dtstart", meeting.starts_at.astimezone(UTC))
        event.add("dtend", meeting.ends_at.astimezone(UTC))
        event.add("summary", meeting.title)
        event.add("location", meeting.place or meeting.video_url)
        event.add("url", meeting.video_url or page_url)
        event.add("description", _description(meeting, page_url))
        event.add("sequence", meeting.sequence)
        if meeting.is_cancelled:
            event.add("status", "CANCELLED")
        event.add("last-modified", meeting.updated_at.astimezone(UTC))
        calendar.add_component(event)
    return calendar.to_ical()
