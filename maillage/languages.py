"""Language codes (ISO 639) and their names in the reader's language (CLDR, via babel)."""

from functools import lru_cache

from babel import Locale, UnknownLocaleError

# Dari has its own ISO 639-3 code; CLDR names it as Persian of Afghanistan.
_CLDR_ALIASES = {"prs": "fa_AF"}
# Languages that come up in reception work (domain brief §7), offered first in forms.
COMMON = ["fr", "nl", "en", "ar", "prs", "ps", "fa", "ti", "so", "uk", "ru", "es", "pt", "tr", "sq", "rw", "ku", "am"]


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


def language_name(code: str, locale: str = "fr") -> str:
    return _names(_reader_locale(locale)).get(_CLDR_ALIASES.get(code, code), code)


def language_choices(locale: str = "fr") -> list[tuple[str, str]]:
    names = _names(_reader_locale(locale))
    common = [(c, language_name(c, locale)) for c in COMMON]
    rest = sorted(
        ((c, n) for c, n in names.items() if len(c) in (2, 3) and "_" not in c and c not in COMMON),
        key=lambda item: item[1].lower(),
    )
    return common + rest
