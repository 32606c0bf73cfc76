"""What the papers handed to a person share: the consent form and receipt
(consent/documents.py), the appointment slip (referrals/slip_texts.py) and the list of
useful addresses (directory/print_texts.py). Each of those modules holds only its own
message table (CONTEXT, MESSAGES); the choice of language, the catalogues, the fallback
notice, writing direction, CLDR names and the need-domain labels are here.

These papers are read by the person, not by the worker, so they are written in the
person's language even when the site is not offered in it. Sentences are short and plain:
some readers have had little schooling, and an interpreter often reads them aloud.

Where the words live: one gettext catalogue per language,
maillage/printed/locale/<lang>/LC_MESSAGES/django.po, so that a community interpreter can
review them in any PO editor. The paper modules hold only the message ids, keyed by the
names the views use. Why this shape:
- The msgids are the French text: the papers fall back to French, the worker reads French
  and the interpreters here work from it. The fr catalogue repeats it, so that French is
  reviewed like the other languages.
- One context per paper ("consent form", "appointment slip", "offer list") and one for the
  need domains ("need domain"): Django merges every catalogue of a language into one, so
  the context keeps these sentences apart from the site's own strings, and each paper is
  translated, and checked, on its own.
- Placeholders stay {name}, flagged python-brace-format: compilemessages checks them.
- The folder is not a top-level locale/: makemessages files each source file's strings in
  the nearest locale/ folder above it, so a top-level one would swallow the whole
  interface. The message tables are plain dicts, not gettext calls, so makemessages for the
  site leaves them alone too; tests/test_i18n.py checks instead that every catalogue holds
  exactly these messages, translated, and that the committed .mo files match. This module
  sits beside those catalogues and makes no gettext call on a literal, so makemessages
  finds nothing here to file in them.
- The texts are looked up under translation.override(language) into a plain dict, once per
  paper, so the page around them (dates in words, the worker's own language) is untouched.
  Django answers a sentence missing in, say, Arabic with the French one (its fallback
  language), so whether a language has a sentence is asked of that language's catalogue
  alone (_catalogue).

Rules:
- A paper is offered in a language only when that language's catalogue translates every
  sentence of the paper (a test checks the eleven are complete). Otherwise it is printed in
  French, with a notice that says so, in French and naming the language asked for. Never
  silently in another language, nor half in one: Persian ("fa") is not Dari ("prs"),
  Amharic is not Tigrinya.
- The names of the languages (in themselves, for the pickers) and their writing direction
  come from CLDR (babel), not from the catalogues.
- Organisation names, people's names and the data-protection authority's official names are
  proper names: inserted as data, never translated, isolated with <bdi> (fill).
- Need-domain labels: fr/nl/en come from the coordination's taxonomy (NeedDomain.label);
  the 20 seeded codes are translated in the catalogues of the other languages (msgid: the
  seeded French label); a local term a coordination added prints its French label, marked
  lang="fr".

French puts a no-break space before ":" (so a colon never starts a line).

The ar, prs, ps and ti texts should be checked by a community interpreter before wide use;
corrections go in their catalogue, then `manage.py compilemessages --ignore=.venv`.
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.lists import format_list
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from maillage.languages import language_name

FALLBACK = "fr"
# The languages the site itself speaks; NeedDomain.label knows these three.
SITE_LANGUAGES = ("fr", "nl", "en")
# The languages of the papers, in the order the language pickers list them.
LANGUAGES = ("fr", "nl", "en", "ar", "prs", "ps", "ti", "uk", "ru", "es", "tr")
# Also in settings.LOCALE_PATHS, where translation.override finds it.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

# Printed in French when the requested language has no text (it cannot be said in it), so
# it has no catalogue entry.
MISSING_NOTICE_FR = (
    "Ce document n'existe pas encore en {language}. Il est imprimé en français\u00a0: "
    "demandez qu'on vous le traduise oralement."
)

DOMAIN_CONTEXT = "need domain"
# The seeded need domains (directory/migrations/0003_seed_need_domains.py) by code, with
# their French label as msgid: a coordination may rename its label, the code stays.
NEED_DOMAINS: dict[str, str] = {
    "housing": "Logement",
    "residence_status": "Séjour et droit des étrangers",
    "family_reunification": "Regroupement familial",
    "legal_aid": "Aide juridique",
    "asylum_procedure": "Procédure d'asile",
    "social_rights": "Droits sociaux et revenus",
    "integration_programme": "Parcours d'intégration et citoyenneté",
    "language": "Apprentissage du français ou du néerlandais",
    "translation": "Traduction et interprétariat",
    "administrative": "Démarches administratives et numériques",
    "employment_training": "Emploi, formation et équivalence de diplômes",
    "health": "Santé",
    "mental_health": "Santé mentale",
    "childcare_schooling": "Enfance, accueil et scolarité",
    "material_aid": "Aide matérielle et alimentaire",
    "social_link": "Lien social et lutte contre l'isolement",
    "mentoring": "Parrainage et bénévolat",
    "domestic_violence": "Violences intrafamiliales",
    "budget_debt": "Budget et dettes",
    "other": "Autre",
}

# CLDR knows Dari as Persian of Afghanistan.
_CLDR_LOCALES = {"prs": "fa_AF"}


def normalise(code: str | None) -> str:
    """ "AR", "ar-SY", "ar_SY" -> "ar" (the same language, never another one)."""
    code = (code or "").strip().lower().replace("_", "-")
    if code in LANGUAGES:
        return code
    return code.split("-", 1)[0]


class _Untranslated(gettext.NullTranslations):
    """None where gettext would hand back the msgid: a missing sentence shows as missing."""

    def pgettext(self, context, message):
        return None


@lru_cache(maxsize=len(LANGUAGES))
def _catalogue(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of one of LANGUAGES, alone: without Django's fallback to
    French, so a sentence it lacks reads None."""
    try:
        with (LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo").open("rb") as compiled:
            catalogue = gettext.GNUTranslations(compiled)
    except OSError:
        return _Untranslated()
    catalogue.add_fallback(_Untranslated())
    return catalogue


def _translated(lang: str, context: str, msgid: str) -> bool:
    return lang in LANGUAGES and _catalogue(lang).pgettext(context, msgid) is not None


def complete(lang: str, context: str, messages: dict[str, str]) -> bool:
    """Whether `lang`'s catalogue translates every sentence of a paper."""
    return all(_translated(lang, context, msgid) for msgid in messages.values())


def languages(context: str, messages: dict[str, str]) -> list[tuple[str, str]]:
    """(code, the language's name in itself) of the languages a paper is offered in, for
    the form that asks which language to print."""
    return [(code, endonym(code)) for code in LANGUAGES if complete(code, context, messages)]


def pick(context: str, messages: dict[str, str], lang: str | None) -> tuple[dict[str, str], str, bool]:
    """(texts by key, language used, missing) for one paper. No language asked: French,
    nothing missing. A language without a complete text: French, missing=True, so the paper
    says it fell back (never another language, never half translated)."""
    wanted = normalise(lang)
    if not wanted:
        used, missing = FALLBACK, False
    elif complete(wanted, context, messages):
        used, missing = wanted, False
    else:
        used, missing = FALLBACK, True
    with translation.override(used):
        texts = {key: translation.pgettext(context, msgid) for key, msgid in messages.items()}
    return texts, used, missing


def direction(lang: str) -> str:
    """ "rtl" or "ltr", the `dir` of a paper in `lang` (CLDR)."""
    return "rtl" if cldr_locale(lang).character_order == "right-to-left" else "ltr"


def missing_notice(wanted: str) -> SafeString:
    """The French notice naming the language asked for (and its own name, when known)."""
    code = normalise(wanted)
    name = language_name(code, FALLBACK) if code else wanted
    own = endonym(code) if code else ""
    if own and own != name:
        name = f"{name} ({own})"
    return fill(MISSING_NOTICE_FR, language=name)


def cldr_locale(lang: str) -> Locale:
    try:
        return Locale.parse(_CLDR_LOCALES.get(lang, lang))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(FALLBACK)


@lru_cache(maxsize=32)
def _weekdays(lang: str) -> dict[int, str]:
    names = cldr_locale(lang).days["format"]["wide"]
    return {index + 1: names[index] for index in range(7)}


def weekday_name(isoweekday: int, lang: str) -> str:
    """Monday is 1, as in directory.models.Weekday; written in the document's language."""
    return _weekdays(lang)[isoweekday]


def domain_label(domain, lang: str) -> tuple[str, str]:
    """(label, language of the label). A local term with no translation prints in French."""
    if lang in SITE_LANGUAGES:
        return domain.label(lang), lang
    msgid = NEED_DOMAINS.get(domain.code)
    if msgid and _translated(lang, DOMAIN_CONTEXT, msgid):
        with translation.override(lang):
            return translation.pgettext(DOMAIN_CONTEXT, msgid), lang
    return domain.label_fr, FALLBACK


@lru_cache(maxsize=32)
def _language_names(lang: str) -> dict:
    try:
        return Locale.parse(_CLDR_LOCALES.get(lang, lang)).languages
    except (UnknownLocaleError, ValueError):
        return {}


def language_name_in(code: str, lang: str) -> str:
    """The name of language `code` written in language `lang` (CLDR), else in French, else
    the code itself."""
    key = _CLDR_LOCALES.get(code, code)
    for names in (_language_names(lang), _language_names(FALLBACK)):
        if names.get(key):
            return names[key]
    return code


def endonym(code: str) -> str:
    """The language's name in itself, or "" when CLDR does not know it."""
    key = _CLDR_LOCALES.get(code, code)
    return _language_names(code).get(key, "")


def fill(text: str, **values) -> SafeString:
    """The sentence with each value escaped and isolated (<bdi>), so a Latin-script
    organisation name inside Arabic text, or an Arabic name inside French, keeps its order."""
    if not values:
        return conditional_escape(text)
    isolated = {name: format_html("<bdi>{}</bdi>", value) for name, value in values.items()}
    return format_html(conditional_escape(text), **isolated)


def join(items: list[str], lang: str) -> str:
    """ "A, B and C" as the language writes it (CLDR list patterns)."""
    if not items:
        return ""
    return format_list(list(items), locale=cldr_locale(lang))
