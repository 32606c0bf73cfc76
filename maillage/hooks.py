"""Where a lower app calls into a higher one, named in settings rather than imported.

Apps depend downward only (the import contract in pyproject.toml). When a lower app's
action has consequences a higher app owns (a withdrawn consent closes referrals; an
anonymised file takes its case notes along), the lower app calls the dotted paths listed
in one setting, inside its own transaction, and never names the higher app in code.
Every such setting is declared in maillage/settings.py under "Hooks", with what calls it
and what it must accept."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


def hooks(setting: str) -> list[Callable[..., Any]]:
    """The functions a list setting names, in order."""
    return [import_string(path) for path in getattr(settings, setting)]


def run_hooks(setting: str, **kwargs: Any) -> None:
    """Calls every function of a list setting with the same keyword arguments."""
    for hook in hooks(setting):
        hook(**kwargs)


def hook_for(setting: str, key: str) -> Callable[..., Any] | None:
    """The function a prefix-keyed setting names for `key` (the longest prefix wins)."""
    table: dict[str, str] = getattr(settings, setting)
    matches = [prefix for prefix in table if key.startswith(prefix)]
    if not matches:
        return None
    return import_string(table[max(matches, key=len)])
