"""Checks the services share when they clean their input. Each adds its message to the
service's `errors` (field → messages), so one Invalid can name every field at once: the
page shows it on the form, the API answers 400 naming the field."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def clean_text(value, name: str, errors: dict, *, max_length: int, missing: str = "", too_long: str = "") -> str:
    """The value stripped. Required when there is a `missing` message to give; `too_long`
    replaces the general message for a value over `max_length` characters."""
    value = (value or "").strip()
    if missing and not value:
        errors[name] = [missing]
    elif len(value) > max_length:
        errors[name] = [too_long or _("At most %(max)s characters.") % {"max": max_length}]
    return value


EARLIEST_BIRTH = date(1900, 1, 1)
"""The earliest birth date, or date of an event in a person's life, taken as typed in earnest."""
EARLIEST = date(2000, 1, 1)
"""The earliest date of anything the platform records (a programme, an appointment, a consent)."""


def check_date(
    value: date | datetime | None, name: str, errors: dict, *, earliest: date = EARLIEST, years_ahead: int = 0
) -> None:
    """Adds a message under `name` when a date a person typed lies outside `earliest` to
    today plus `years_ahead` years: year 1 or 9999 is a slip of the keyboard, never a fact.
    A datetime is judged by its own calendar day. None passes (the field is optional)."""
    if value is None:
        return
    day = value.date() if isinstance(value, datetime) else value
    today = timezone.localdate()
    try:
        latest = today.replace(year=today.year + years_ahead)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + years_ahead, day=28)
    if not earliest <= day <= latest:
        errors[name] = [
            _("Give a date between %(earliest)s and %(latest)s.")
            % {
                "earliest": date_format(earliest, "SHORT_DATE_FORMAT"),
                "latest": date_format(latest, "SHORT_DATE_FORMAT"),
            }
        ]


def _day(value: date | datetime) -> date:
    return timezone.localdate(value) if isinstance(value, datetime) else value


def check_not_before(
    value: date | datetime | None, floor: date | datetime | None, name: str, errors: dict, *, message: str
) -> None:
    """Adds `message` under `name` when `value` falls on a day before `floor` (a datetime is
    judged by its day in Brussels): an action due before the meeting that decided it, a
    programme joined before the commune registration that opens it. Either left out
    passes, and a field already refused keeps its first message."""
    if value is None or floor is None or name in errors:
        return
    if _day(value) < _day(floor):
        errors[name] = [message]


def check_ahead(value: datetime | None, name: str, errors: dict, *, now: datetime | None = None) -> None:
    """Adds a message under `name` when an appointment is not ahead of now: a person cannot
    be sent to an appointment that has passed, nor handed a slip that names one."""
    if value is None or name in errors:
        return
    if value <= (now or timezone.now()):
        errors[name] = [_("The appointment cannot be in the past.")]
