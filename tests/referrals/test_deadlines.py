"""Working-day arithmetic with Belgian public holidays."""

from datetime import date

import pytest

from referrals.deadlines import add_working_days, is_working_day, response_days


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 11, 23), 5, date(2026, 11, 30)),  # Monday + 5 = next Monday
        (date(2026, 11, 20), 1, date(2026, 11, 23)),  # Friday + 1 = Monday
        (date(2026, 11, 10), 1, date(2026, 11, 12)),  # 11 November (Armistice) skipped
        (date(2026, 12, 24), 1, date(2026, 12, 28)),  # Christmas, then the weekend
        (date(2026, 4, 3), 1, date(2026, 4, 7)),  # Easter Monday skipped
        (date(2026, 7, 20), 1, date(2026, 7, 22)),  # National Day skipped
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # New Year, then the weekend
        (date(2026, 5, 13), 1, date(2026, 5, 15)),  # Ascension Thursday
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


def test_weekends_and_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 11, 21))  # Saturday
    assert not is_working_day(date(2026, 11, 1))  # All Saints (a Sunday too)
    assert not is_working_day(date(2026, 11, 11))
    assert is_working_day(date(2026, 11, 23))


def test_urgent_referrals_get_two_working_days_at_most():
    assert response_days(5, urgent=True) == 2
    assert response_days(1, urgent=True) == 1
    assert response_days(5, urgent=False) == 5
