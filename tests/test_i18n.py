"""The catalogues stay complete, compiled and faithful to their placeholders: the site's,
in French and Dutch, and those of the papers handed to a person (consent form and receipt,
appointment slip, list of useful addresses), in the eleven languages of those papers.

These tests only read the gettext files and the papers' message tables: they need neither
Django settings nor a database.
"""

import re
from pathlib import Path

import polib
import pytest

from consent import documents
from directory import print_texts
from maillage import printed
from plans import print_texts as plan_texts
from referrals import slip_texts

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


# --- The papers handed to a person ------------------------------------------------------

PRINTED_DIR = printed.LOCALE_DIR
PAPERS = [documents, slip_texts, print_texts, plan_texts]
BRACES = re.compile(r"\{([a-z_]+)\}")
FIX = (
    "edit maillage/printed/locale/<lang>/LC_MESSAGES/django.po (the msgids are the French text of "
    "consent/documents.py, referrals/slip_texts.py, directory/print_texts.py, plans/print_texts.py and "
    "maillage/printed), then run "
    "`manage.py compilemessages --ignore=.venv`"
)


def _printed_po(language):
    return polib.pofile(str(PRINTED_DIR / language / "LC_MESSAGES" / "django.po"))


def _printed_mo(language):
    return polib.mofile(str(PRINTED_DIR / language / "LC_MESSAGES" / "django.mo"))


def _expected(language):
    """(context, msgid) of every sentence of the three papers; and the seeded need domains,
    except in the site's languages, where the coordination's taxonomy names them."""
    expected = {(paper.CONTEXT, msgid) for paper in PAPERS for msgid in paper.MESSAGES.values()}
    if language not in printed.SITE_LANGUAGES:
        expected |= {(printed.DOMAIN_CONTEXT, msgid) for msgid in printed.NEED_DOMAINS.values()}
    return expected


def test_the_papers_have_a_catalogue_for_each_of_their_languages_and_no_other():
    assert sorted(path.name for path in PRINTED_DIR.iterdir()) == sorted(printed.LANGUAGES)


@pytest.mark.parametrize("language", printed.LANGUAGES)
def test_printed_catalogue_is_complete(language):
    po = _printed_po(language)
    untranslated = [entry.msgid for entry in po if not entry.obsolete and not entry.translated()]
    assert not untranslated, f"{language}: untranslated entries: {untranslated}; {FIX}"
    fuzzy = [entry.msgid for entry in po if "fuzzy" in entry.flags]
    assert not fuzzy, f"{language}: fuzzy entries: {fuzzy}; {FIX}"
    obsolete = [entry.msgid for entry in po if entry.obsolete]
    assert not obsolete, f"{language}: obsolete entries: {obsolete}; {FIX}"
    assert po.metadata.get("Language") == language
    assert po.metadata.get("Plural-Forms", "").startswith("nplurals=")
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")


@pytest.mark.parametrize("language", printed.LANGUAGES)
def test_printed_catalogue_holds_exactly_the_sentences_of_the_papers(language):
    found = {(entry.msgctxt, entry.msgid) for entry in _printed_po(language) if not entry.obsolete}
    missing = sorted(_expected(language) - found)
    stale = sorted(found - _expected(language))
    assert not missing, f"{language}: sentences of the papers missing from the catalogue: {missing}; {FIX}"
    assert not stale, f"{language}: entries no paper prints (changed or removed): {stale}; {FIX}"


@pytest.mark.parametrize("language", printed.LANGUAGES)
def test_printed_translations_keep_exactly_the_placeholders_of_their_msgid(language):
    mismatches = []
    unchecked = []
    for entry in _printed_po(language):
        expected = set(BRACES.findall(entry.msgid))
        if set(BRACES.findall(entry.msgstr)) != expected:
            mismatches.append((entry.msgid, entry.msgstr))
        if expected and "python-brace-format" not in entry.flags:
            unchecked.append(entry.msgid)
    assert not mismatches, f"{language}: placeholders differ: {mismatches}"
    assert not unchecked, f"{language}: without the python-brace-format flag compilemessages cannot check: {unchecked}"


@pytest.mark.parametrize("language", printed.LANGUAGES)
def test_compiled_printed_catalogue_matches_its_source(language):
    assert _pairs(_printed_mo(language)) == _pairs(_printed_po(language)), (
        f"{language}: django.mo is stale; run `manage.py compilemessages --ignore=.venv`"
    )
