"""The words of the plan summary: one page handed to the person, saying who does what for
them and when, with whom to contact. It follows maillage/printed (the catalogues in
maillage/printed/locale, context "plan summary"; French when a language lacks a sentence,
with the notice that says so; names isolated with <bdi>)."""

from __future__ import annotations

from maillage import printed

FALLBACK = printed.FALLBACK

CONTEXT = "plan summary"
MESSAGES: dict[str, str] = {
    "title": "Votre plan d'accompagnement",
    "intro": "Les organisations qui vous suivent ont fait ce plan avec vous. Voici qui fait quoi, et quand.",
    "person": "Votre nom",
    "who": "Qui",
    "what": "Quoi",
    "when": "Quand",
    "contact": "Contact",
    "from_date": "à partir du {date}",
    "piis": "Votre PIIS avec {organisation}, signé le {date}.",
    "piis_programme": "Il comprend le parcours d'intégration.",
    "next_review": "Prochain bilan de votre PIIS\u00a0: {date}.",
    "nothing": "Pas encore d'engagement.",
    "questions": "Une question\u00a0? Adressez-vous à {organisation}.",
}


def summary_texts(lang: str | None) -> tuple[dict[str, str], str, bool]:
    return printed.pick(CONTEXT, MESSAGES, lang)


def languages() -> list[tuple[str, str]]:
    return printed.languages(CONTEXT, MESSAGES)
