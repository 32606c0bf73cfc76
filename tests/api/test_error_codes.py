"""Every `error` code the code can answer is in the schema's ErrorCodeEnum: a client
generated from the schema refuses an answer whose code it does not know."""

import re
from pathlib import Path

from maillage.openapi import ERROR_CODES

ROOT = Path(__file__).resolve().parents[2]
# `code="…"` given to an error, and `code = "…"` / `default_code = "…"` on an error class.
GIVEN = re.compile(r"""\bcode=["']([a-z_]+)["']""")
DECLARED = re.compile(r"""^\s+(?:default_)?code = ["']([a-z_]+)["']""", re.MULTILINE)


def _source_files():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "tests", "bench", "var"} or "migrations" in parts:
            continue
        yield path


def test_every_code_in_the_source_is_in_the_schema_enum():
    found = {}
    for path in _source_files():
        text = path.read_text()
        for code in GIVEN.findall(text) + DECLARED.findall(text):
            found.setdefault(code, str(path.relative_to(ROOT)))
    assert "possible_duplicate" in found, "the scan finds the codes services give"
    missing = {code: where for code, where in found.items() if code not in ERROR_CODES}
    assert missing == {}
