"""How a person's name is written for searching: in Latin letters, without accents, and as
a consonant skeleton, so that spellings and scripts of the same name meet.

anyascii transliterates every script (أمينة يوسف gives "'mynh ywsf", Олена gives
"Olena", ዮሃንስ gives "yohans"). Arabic script writes no short vowels and spells the long
ones with consonant letters (alif, waw, ya), and Latin spellings of one name differ mostly in
vowels and doubled letters (Youssef, Yousef, Yusuf, Jusuf); so besides the transliterated
name we keep each word's consonants, vowels and the letters that stand for them (w, y, j)
left out, doubles merged, and a mark for a word that opens on a vowel ("amina youssef"
and "'mynh ywsf" both give "amn asf"). Measured pairs and the thresholds are in
tests/persons/test_search.py.
"""

import re

from anyascii import anyascii

# Spellings of one sound in the transliterations and the Latin spellings met here.
DIGRAPHS = (("tch", "ch"), ("sch", "sh"), ("kh", "h"), ("ph", "f"), ("ck", "k"), ("dj", "j"), ("q", "k"))
# The marks anyascii writes for hamza and ayn: a vowel follows, the word opens on it.
VOWEL_MARKS = "'`"
OPENING_VOWELS = "aeiouyj" + VOWEL_MARKS
SILENT = re.compile(r"[aeiouywj]")
DOUBLED = re.compile(r"(.)\1+")


def _ascii_words(*parts: str) -> list[str]:
    text = anyascii(" ".join(part or "" for part in parts)).lower()
    return re.sub(rf"[^a-z{VOWEL_MARKS}]+", " ", text).split()


def search_name(*parts: str) -> str:
    """The name in lower-case Latin letters without accents, one space between words."""
    words = (re.sub(rf"[{VOWEL_MARKS}]", "", word) for word in _ascii_words(*parts))
    return " ".join(word for word in words if word)


def _skeleton(word: str) -> str:
    opens_on_vowel = word[0] in OPENING_VOWELS
    word = re.sub(rf"[{VOWEL_MARKS}]", "", word)
    for spelling, sound in DIGRAPHS:
        word = word.replace(spelling, sound)
    if len(word) > 2 and word.endswith("h") and word[-2] not in "cs":
        word = word[:-1]  # the Arabic feminine ending (ta marbuta): أمينة is "amynh", Aminah is Amina
    word = DOUBLED.sub(r"\1", SILENT.sub("", word))
    return ("a" if opens_on_vowel else "") + word


def search_key(*parts: str) -> str:
    """Each word's consonant skeleton, one space between words."""
    return " ".join(key for key in (_skeleton(word) for word in _ascii_words(*parts)) if key)
