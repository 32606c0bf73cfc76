"""The entries of a person's timeline, as every app that contributes to it writes them.

The file's page and its API route are composed in persons (persons.timeline), which sits
below referrals and cannot read them: referrals, their shared notes and consent each
contribute their own entries through the functions MAILLAGE_PERSON_TIMELINE names, reading
through their own selectors, so that what an organisation sees on the timeline is what it
sees on their own pages, by the same rules. The shape lives here, below every contributor.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# What an entry is about; the page and the API name them so.
REFERRAL_SENT = "referral_sent"
REFERRAL_RECEIVED = "referral_received"
NOTE = "note"
CONSENT = "consent"
CONSENT_WITHDRAWN = "consent_withdrawn"
CONSENT_ENDED = "consent_ended"
DOCUMENT = "document"
DEADLINE = "deadline"
APPOINTMENT = "appointment"
FILE = "file"
PLAN = "plan"
KINDS = (
    REFERRAL_SENT,
    REFERRAL_RECEIVED,
    NOTE,
    CONSENT,
    CONSENT_WITHDRAWN,
    CONSENT_ENDED,
    DOCUMENT,
    DEADLINE,
    APPOINTMENT,
    FILE,
    PLAN,
)
REFERRAL_KINDS = (REFERRAL_SENT, REFERRAL_RECEIVED)
KIND_LABELS = {
    REFERRAL_SENT: gettext_lazy("Referral sent"),
    REFERRAL_RECEIVED: gettext_lazy("Referral received"),
    NOTE: gettext_lazy("Shared note"),
    CONSENT: gettext_lazy("Consent"),
    CONSENT_WITHDRAWN: gettext_lazy("Consent"),
    CONSENT_ENDED: gettext_lazy("Consent"),
    DOCUMENT: gettext_lazy("Document printed"),
    DEADLINE: gettext_lazy("Deadline"),
    APPOINTMENT: gettext_lazy("Appointment"),
    FILE: gettext_lazy("File"),
    PLAN: gettext_lazy("Support plan"),
}


@dataclass(frozen=True)
class Link:
    label: str
    path: str  # below the coordination's root, without a leading slash


@dataclass(frozen=True)
class Detail:
    label: str
    value: str


@dataclass(frozen=True)
class Entry:
    """One thing that happened, or is due, on a person's file, as far as the reader may see it.

    `at` is a moment, or a day when `day` is set (a deadline: `at` is then that day's start,
    in the coordination's time zone, for ordering). `key` is unique on one timeline.
    `open`: a referral still under way, or a consent in force (the summary counts them).
    Texts are in the language active when the entry is built."""

    kind: str
    key: str
    at: datetime
    title: str
    day: date | None = None
    status: str = ""
    status_label: str = ""
    next_step: str = ""
    text: str = ""
    details: tuple[Detail, ...] = ()
    links: tuple[Link, ...] = ()
    path: str = ""
    public_id: uuid.UUID | None = None
    open: bool = False
    warn: bool = False

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    def is_upcoming(self, now: datetime) -> bool:
        if self.day is not None:
            return self.day >= timezone.localdate(now)
        return self.at > now


def start_of(day: date) -> datetime:
    """The moment a day starts in the coordination's time zone (entries dated by a day)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def on_day(*, kind: str, key: str, day: date, title: str, **values) -> Entry:
    return Entry(kind=kind, key=key, at=start_of(day), day=day, title=title, **values)


def short_date(value: date | datetime) -> str:
    """A day as the active language writes it short (a moment: its day here)."""
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return date_format(value, "SHORT_DATE_FORMAT")


def printed_details(event, *first: Detail) -> tuple[Detail, ...]:
    """What the timeline says of a paper printed (an audit event): who printed it, in which
    language."""
    who = str(event.actor) if event.actor_id else _("automatically")
    language = (event.detail or {}).get("language") or ""
    return (
        *first,
        Detail(_("Printed by"), who),
        *((Detail(_("Language"), language.upper()),) if language else ()),
    )


def local_day(moment: datetime) -> date:
    return timezone.localdate(moment)
