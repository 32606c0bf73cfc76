"""The period of the network map: a month, a quarter, a year, two dates, or the last twelve
months; anything else is refused naming the field."""

from datetime import date

import pytest

from maillage.errors import Invalid
from network.map import parse_network_period

TODAY = date(2026, 11, 23)


def test_no_period_means_the_last_twelve_months_up_to_today():
    period = parse_network_period({}, today=TODAY)
    assert (period.start, period.end) == (date(2025, 11, 24), TODAY)
    assert period.days == 365


def test_last_twelve_months_from_29_february():
    period = parse_network_period({}, today=date(2028, 2, 29))
    assert (period.start, period.end) == (date(2027, 3, 1), date(2028, 2, 29))


def test_month_runs_from_its_first_to_its_last_day():
    period = parse_network_period({"period": "2026-02"}, today=TODAY)
    assert (period.start, period.end, period.code) == (date(2026, 2, 1), date(2026, 2, 28), "2026-02")


def test_fourth_quarter_ends_on_31_december():
    period = parse_network_period({"period": "2026-Q4"}, today=TODAY)
    assert (period.start, period.end) == (date(2026, 10, 1), date(2026, 12, 31))


def test_two_dates_include_both_days():
    period = parse_network_period({"start": "2026-03-01", "end": "2026-03-01"}, today=TODAY)
    assert period.days == 1


def test_period_bounds_are_midnight_in_brussels():
    start, end = parse_network_period({"period": "2026-07"}, today=TODAY).bounds()
    assert start.isoformat() == "2026-07-01T00:00:00+02:00"
    assert end.isoformat() == "2026-08-01T00:00:00+02:00"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "2026-13"}, "period"),
        ({"period": "last year"}, "period"),
        ({"period": "1999-Q1"}, "period"),
        ({"period": "2026-Q1", "start": "2026-01-01"}, "period"),
        ({"start": "2026-01-01"}, "end"),
        ({"end": "2026-01-01"}, "start"),
        ({"start": "2026-02-30", "end": "2026-03-01"}, "start"),
        ({"start": "01/02/2026", "end": "2026-03-01"}, "start"),
        ({"start": "2026-03-02", "end": "2026-03-01"}, "end"),
        ({"start": "2019-01-01", "end": "2026-01-01"}, "end"),
        ({"start": "9999-12-31", "end": "9999-12-31"}, "start"),
    ],
)
def test_bad_period_is_refused_naming_the_field(params, field):
    with pytest.raises(Invalid) as caught:
        parse_network_period(params, today=TODAY)
    assert field in caught.value.fields
