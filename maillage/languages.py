"""Language codes (ISO 639) and their names in the reader's language (CLDR, via babel)."""

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils.translation import gettext_lazy as _

# Dari has its own ISO 639-3 code; CLDR names it as Persian of Afghanistan.
_CLDR_ALIASES = {"prs": "fa_AF"}
# The languages of the public met in reception work, offered first in forms, in the order
# the field teams asked for.
COMMON = [
    "ar", "prs", "ps", "fa", "ti", "so", "rw", "uk", "ru", "es", "tr", "en", "fr", "nl",
    "pt", "sq", "ku", "am", "ln", "ff", "ckb", "bn", "ur", "ro", "bg", "pl",
]  # fmt: skip
# ISO 639 codes that name no language a person speaks: constructed languages (type "C")
# and the special codes (mul, und, zxx). CLDR lists them beside the others.
NOT_SPOKEN = frozenset(
    {"afh", "avk", "eo", "ia", "ie", "io", "jbo", "lfn", "nov", "tlh", "tok", "vo", "zbl", "mis", "mul", "und", "zxx"}
)


@lru_cache(maxsize=16)
def _names(locale: str) -> dict:
    try:
        return Locale.parse(_CLDR_ALIASES.get(locale, locale)).languages
    except (UnknownLocaleError, ValueError):
        return Locale("fr").languages


def _reader_locale(locale: str) -> str:
    """'fr-be' → 'fr'; a three-letter code such as 'prs' stays whole."""
    base = locale.replace("_", "-").split("-")[0].lower()
    return base or "fr"


def is_known_language(code: str) -> bool:
    return bool(code) and (code in _names("en") or code in _CLDR_ALIASES)


def is_spoken_language(code: str) -> bool:
    """A language a person may speak: known, and neither constructed nor a special code.
    (Imported directory data may still carry "mul" or "und".)"""
    return is_known_language(code) and code not in NOT_SPOKEN


def language_name(code: str, locale: str = "fr") -> str:
    return _names(_reader_locale(locale)).get(_CLDR_ALIASES.get(code, code), code)


def _common_and_rest(locale: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    names = _names(_reader_locale(locale))
    common = [(c, language_name(c, locale)) for c in COMMON]
    rest = sorted(
        (
            (c, n)
            for c, n in names.items()
            if len(c) in (2, 3) and "_" not in c and c not in COMMON and c not in NOT_SPOKEN
        ),
        key=lambda item: item[1].lower(),
    )
    return common, rest


def language_choices(locale: str = "fr") -> list[tuple[str, str]]:
    common, rest = _common_and_rest(locale)
    return common + rest


def grouped_language_choices(locale: str = "fr") -> list[tuple[str, list[tuple[str, str]]]]:
    """The same choices in two groups (an <optgroup> each): the languages of the public
    first, then every other language, by name."""
    common, rest = _common_and_rest(locale)
    return [(_("Languages of the public"), common), (_("Other languages"), rest)]
