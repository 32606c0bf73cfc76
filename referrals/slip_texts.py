# ruff: noqa: E501
# (Sentences are kept whole, one per line, as in consent/documents.py.)
"""The words of the appointment slip: the paper a referred person takes to the receiving
organisation (where, when, whom to ask for, what to bring, opening hours).

The slip is read by the person, so it is printed in the person's language even when the
site is not offered in it. It follows maillage/printed, which says why the words live
in gettext catalogues (maillage/printed/locale/<lang>/LC_MESSAGES/django.po, context
"appointment slip") and holds the helpers used here:
- the slip is offered in a language only when its catalogue translates every sentence
  below; otherwise it prints in French with printed.MISSING_NOTICE_FR, naming the
  language asked for; never silently in another language (Persian is not Dari);
- names of organisations, people, places and offers are data, isolated with <bdi>
  (printed.fill);
- dates in the site's languages are written in words, elsewhere in digits; weekday names
  come from CLDR (babel), in the slip's language.

Below, the message ids (the French text) by the names the view uses. French puts a
no-break space (\u00a0) before ":" and "?".
"""

from __future__ import annotations

from maillage import printed

FALLBACK = printed.FALLBACK

CONTEXT = "appointment slip"
MESSAGES: dict[str, str] = {
    "title": "Votre rendez-vous",
    "intro": "{sender} vous envoie chez {organisation}.",
    "person": "Nom",
    "about": "Pour quoi",
    "where": "Où aller",
    "when": "Quand",
    "when_value": "{day} {date} à {time}",
    "no_appointment": "Il n'y a pas encore d'heure fixée. Allez-y pendant les heures d'ouverture, ou téléphonez d'abord.",
    "whom": "Qui demander",
    "ask_reception": "Montrez ce papier à l'accueil de {organisation}.",
    "ask_person": "Demandez {name}.",
    "bring": "Quoi prendre avec vous",
    "bring_identity": "Votre carte d'identité ou votre carte de séjour.",
    "bring_slip": "Ce papier.",
    "bring_documents": "Les papiers sur votre demande (lettres, décisions, attestations).",
    "hours": "Heures d'ouverture",
    "no_hours": "Téléphonez pour connaître les heures d'ouverture.",
    "phone": "Téléphone",
    "interpreter": "Vous avez besoin d'un interprète ({language})\u00a0: dites-le à l'accueil.",
    "cannot_come": "Si vous ne pouvez pas venir, prévenez {organisation}.",
    "questions": "Une question\u00a0? Adressez-vous à {organisation}.",
    "reference": "Référence",
}

# The standard list of what to bring, in the order printed.
BRING = ("bring_identity", "bring_slip", "bring_documents")


def slip_texts(lang: str | None) -> tuple[dict[str, str], str, bool]:
    return printed.pick(CONTEXT, MESSAGES, lang)


def languages() -> list[tuple[str, str]]:
    """(code, the language's name in itself), for the form that asks which language to print."""
    return printed.languages(CONTEXT, MESSAGES)
