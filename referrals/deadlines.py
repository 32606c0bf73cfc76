"""Working days in Belgium: weekends and Belgian public holidays do not count."""

from datetime import date, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone

BELGIUM = ZoneInfo("Europe/Brussels")


def belgian_today() -> date:
    """Deadlines are Belgian dates, whatever time zone a request or a worker runs in."""
    return timezone.localdate(timezone=BELGIUM)


@lru_cache(maxsize=16)
def _holidays(year: int) -> frozenset:
    return frozenset(holidays.country_holidays("BE", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.isoweekday() <= 5 and day not in _holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def response_days(setting: int, urgent: bool) -> int:
    """Urgent referrals are answered within two working days at most."""
    return min(setting, 2) if urgent else setting
