"""Helpers for files people open in a spreadsheet."""


def spreadsheet_safe(value) -> str:
    """Neutralises formulas: a cell starting with = + - @ is written as text."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
