"""The French and Dutch catalogues stay complete, compiled and faithful to their placeholders.

These tests only read the gettext files: they need neither Django settings nor a database.
"""

import re
from pathlib import Path

import polib
import pytest

LOCALE_DIR = Path(__file__).resolve().parent.parent / "maillage" / "locale"
LANGUAGES = ["fr", "nl"]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")
EXPECTED_PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "nl": "nplurals=2; plural=(n != 1);",
}


def _po(language):
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


def _mo(language):
    return polib.mofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"))


def _pairs(catalogue):
    """Map each (context, msgid, msgid_plural) to its translation(s)."""
    pairs = {}
    for entry in catalogue:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid, entry.msgid_plural or None)
        if entry.msgid_plural:
            pairs[key] = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
        else:
            pairs[key] = entry.msgstr
    return pairs


def _assert_complete(language):
    po = _po(language)
    entries = [entry for entry in po if not entry.obsolete]
    assert entries, f"{language}: the catalogue has no entry"
    untranslated = [entry.msgid for entry in entries if not entry.translated()]
    assert not untranslated, f"{language}: untranslated entries: {untranslated}"
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    assert not fuzzy, f"{language}: fuzzy entries: {fuzzy}"
    assert po.metadata.get("Language") == language
    assert po.metadata.get("Plural-Forms") == EXPECTED_PLURAL_FORMS[language]
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")


def test_french_catalogue_is_complete():
    _assert_complete("fr")


def test_dutch_catalogue_is_complete():
    _assert_complete("nl")


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    assert _pairs(_mo(language)) == _pairs(_po(language)), (
        f"{language}: django.mo is stale; run `manage.py compilemessages --ignore=.venv`"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_their_source(language):
    mismatches = []
    for entry in _po(language):
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            expected = PLACEHOLDER.findall(entry.msgid) + PLACEHOLDER.findall(entry.msgid_plural)
            translations = list(entry.msgstr_plural.values())
        else:
            expected = PLACEHOLDER.findall(entry.msgid)
            translations = [entry.msgstr]
        for translation in translations:
            if set(PLACEHOLDER.findall(translation)) != set(expected):
                mismatches.append((entry.msgid, translation))
    assert not mismatches, f"{language}: placeholders differ: {mismatches}"
