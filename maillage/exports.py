"""Helpers for files people open in a spreadsheet."""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
"""What OWASP lists as starting a formula in a CSV cell (= + - @, tab, carriage return),
the line feed that some spreadsheets treat like the carriage return, and the full-width
forms of the four signs: an application or import step that normalises text (NFKC) turns
them into their ASCII forms, and quoting them costs a quote before a rare first character."""


def spreadsheet_safe(value) -> str:
    """Neutralises formulas: a cell starting with a formula trigger is written as text."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text
