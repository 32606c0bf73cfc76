"""Checks the services share when they clean their input. Each adds its message to the
service's `errors` (field → messages), so one Invalid can name every field at once."""

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
