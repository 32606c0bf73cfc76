"""Moved to maillage.languages (a kernel helper every app may use); kept so that callers on
other branches keep working until they import it from there."""

from maillage.languages import COMMON, is_known_language, language_choices, language_name

__all__ = ["COMMON", "is_known_language", "language_choices", "language_name"]
