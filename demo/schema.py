"""Reads the demo data files (demo/data/*.yaml) into the dataclasses each loader declares.

The dataclasses are the schema: a field without a default is a required key, a field with
one is optional, and any other key is refused. A coordinator editing a file gets a message
naming the file and the entry (`demo/data/meetings.yaml: schaerbeek > meetings[1]
"Réunion …": unknown key 'agendaa' (expected one of: …)`) rather than a traceback from
deep inside a service.
"""

import dataclasses
import types
import typing
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from unittest import mock

import yaml
from django.utils import timezone

DATA = Path(__file__).resolve().parent / "data"

T = TypeVar("T")


class DemoDataError(ValueError):
    """A demo data file does not have the expected shape."""


@dataclasses.dataclass(frozen=True)
class Offset:
    """A day relative to the day the demo loads, so that "overdue" and "due soon" stay true:
    `days_ago: 5` or `in_days: 2`."""

    days_ago: int | None = None
    in_days: int | None = None

    def __post_init__(self):
        if (self.days_ago is None) == (self.in_days is None):
            raise ValueError("give exactly one of 'days_ago' and 'in_days'")

    @property
    def delta(self) -> timedelta:
        return timedelta(days=-self.days_ago) if self.days_ago is not None else timedelta(days=self.in_days)

    def day(self, today: date) -> date:
        return today + self.delta


@dataclasses.dataclass(frozen=True)
class MonthDay:
    """A day in a month counted back from the month the demo loads in (`months_ago: 1,
    day: 12`: the 12th of last month), so that the last complete month, which the
    regional comparison opens on, always has its share of the year's activity."""

    months_ago: int
    day: int = 15

    def __post_init__(self):
        if not 0 <= self.months_ago <= 24 or not 1 <= self.day <= 28:
            raise ValueError("months_ago: 0 to 24; day: 1 to 28")

    def moment(self, now: datetime) -> datetime:
        """10 a.m. that day; in the current month, never after `now`."""
        local = timezone.localtime(now)
        year, month = divmod(local.year * 12 + local.month - 1 - self.months_ago, 12)
        moment = local.replace(year=year, month=month + 1, day=self.day, hour=10, minute=0, second=0, microsecond=0)
        return min(moment, now)


@contextmanager
def clock(moment: datetime):
    """The services stamp what they do with the present; the demo replays past use, so
    each step runs at the moment it happened (sent, answered, closed)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def check_choice(key: str, value: str | None, choices) -> None:
    """For a dataclass's __post_init__: `value` must be one of a TextChoices' values."""
    if value is not None and value not in choices.values:
        raise ValueError(f"{key}: {value!r} is not one of: {', '.join(choices.values)}")


def read(name: str, shape: type[T]) -> T:
    """The file demo/data/<name> as a `shape` instance, or DemoDataError."""
    where = f"demo/data/{name}"
    try:
        raw = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DemoDataError(f"{where}: not valid YAML: {error}") from error
    return parse(shape, raw, where)


def exists(name: str) -> bool:
    return (DATA / name).is_file()


def parse(shape: Any, value: Any, where: str) -> Any:
    """`value` (as YAML gives it) checked against `shape`; `where` names it in errors."""
    origin = typing.get_origin(shape)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(shape) if a is not type(None)]
        if value is None and len(options) < len(typing.get_args(shape)):
            return None
        # `str | Step`: a mapping is the record, anything else the short form.
        records = [a for a in options if dataclasses.is_dataclass(a)]
        others = [a for a in options if not dataclasses.is_dataclass(a)]
        if records and (isinstance(value, dict) or not others):
            return parse(records[0], value, where)
        return parse(others[0], value, where)
    if dataclasses.is_dataclass(shape):
        return _record(shape, value, where)
    if origin is list:
        if not isinstance(value, list):
            raise DemoDataError(f"{where}: expected a list, got {_kind(value)}")
        (item,) = typing.get_args(shape)
        return [parse(item, v, f"{where}[{i}]{_label(v)}") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise DemoDataError(f"{where}: expected a mapping, got {_kind(value)}")
        key_shape, item = typing.get_args(shape)
        return {parse(key_shape, k, where): parse(item, v, _at(where, k)) for k, v in value.items()}
    if shape is Any:
        return value
    # bool is an int in Python, not in a data file.
    if not isinstance(value, shape) or (shape is int and isinstance(value, bool)):
        hint = " (put it in quotes)" if shape is str and isinstance(value, (int, float, date)) else ""
        raise DemoDataError(f"{where}: expected {shape.__name__}, got {_kind(value)} {value!r}{hint}")
    return value


def _record(shape: type, value: Any, where: str) -> Any:
    if not isinstance(value, dict):
        raise DemoDataError(f"{where}: expected a mapping with keys {_keys(shape)}, got {_kind(value)}")
    hints = typing.get_type_hints(shape)
    fields = {f.name: f for f in dataclasses.fields(shape) if f.init}
    unknown = [k for k in value if k not in fields]
    if unknown:
        raise DemoDataError(f"{where}: unknown key {unknown[0]!r} (expected one of: {_keys(shape)})")
    missing = [
        name
        for name, f in fields.items()
        if name not in value and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise DemoDataError(f"{where}: missing key {missing[0]!r}")
    kwargs = {k: parse(hints[k], v, _at(where, k)) for k, v in value.items()}
    try:
        return shape(**kwargs)
    except ValueError as error:
        raise DemoDataError(f"{where}: {error}") from error


def _at(where: str, key: Any) -> str:
    return f"{where}: {key}" if where.endswith(".yaml") else f"{where} > {key}"


def _label(value: Any) -> str:
    """The entry's own name, so that `offers[31]` reads `offers[31] "Repas chauds"`."""
    if isinstance(value, dict):
        for key in ("title", "name", "email", "slug", "given_name", "what", "person"):
            if isinstance(value.get(key), str):
                return f' "{value[key]}"'
    return ""


def _keys(shape: type) -> str:
    return ", ".join(f.name for f in dataclasses.fields(shape) if f.init)


def _kind(value: Any) -> str:
    return {type(None): "nothing", dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__
    )
