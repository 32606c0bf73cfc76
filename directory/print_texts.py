"""The words of the printed list of offers (the "useful addresses" a worker hands to a
person).

The list is read by the person, so it is printed in the person's language even when the
site is not offered in it. It follows maillage/printed, which says why the words live
in gettext catalogues (maillage/printed/locale/<lang>/LC_MESSAGES/django.po, context
"offer list") and holds the helpers used here:
- the list is offered in a language only when its catalogue translates every label
  below; otherwise it prints in French with printed.MISSING_NOTICE_FR, naming the
  language asked for; never silently in another language (Persian is not Dari);
- organisation names, offer titles, addresses and phone numbers are data: never
  translated, isolated with <bdi> in the template;
- need-domain labels come from printed.domain_label, language names from
  maillage.languages.language_name, weekday names from CLDR (babel), all in the list's
  language.

Labels are short and plain: an interpreter often reads them aloud. Below, the message ids
(the French text) by the names the view uses.
"""

from __future__ import annotations

from maillage import printed

FALLBACK = printed.FALLBACK

CONTEXT = "offer list"
MESSAGES: dict[str, str] = {
    "title": "Adresses utiles",
    "address": "Adresse",
    "phone": "Téléphone",
    "online": "En ligne",
    "hours": "Heures d'ouverture",
    "ask_appointment": "Demandez un rendez-vous",
    "access": "Comment y aller",
    "access_drop_in": "Sans rendez-vous",
    "access_appointment": "Sur rendez-vous",
    "access_referral_only": "Seulement si une autre organisation vous y envoie",
    "cost": "Prix",
    "cost_free": "Gratuit",
    "cost_contribution": "Participation aux frais",
    "languages": "Langues parlées",
    "interpretation": "interprète disponible",
    "no_offer": "Aucune offre n'a été choisie.",
}


def print_texts(lang: str | None) -> tuple[dict[str, str], str, bool]:
    return printed.pick(CONTEXT, MESSAGES, lang)


def languages() -> list[tuple[str, str]]:
    """(code, the language's name in itself), for the form that asks which language to print."""
    return printed.languages(CONTEXT, MESSAGES)
