# ruff: noqa: E501
# (Sentences are kept whole, one per line: cutting them would hide a missing space from the
# reviewers.)
"""The words of the printed consent documents (the form to sign and the receipt). What
the papers handed to a person share (the choice of language, the catalogues, the fallback
notice, direction, CLDR names, need-domain labels) is in maillage/printed, which says why
the words live in gettext catalogues (context "consent form")."""

from __future__ import annotations

from maillage import printed

FALLBACK = printed.FALLBACK

# The Belgian supervisory authority (GDPR art. 77), in its two official names.
AUTHORITY = "Autorité de protection des données / Gegevensbeschermingsautoriteit"
AUTHORITY_CONTACT = (
    "Rue de la Presse 35 / Drukpersstraat 35, 1000 Bruxelles / Brussel",
    "+32 2 274 48 00",
    "contact@apd-gba.be",
    "www.autoriteprotectiondonnees.be",
    "www.gegevensbeschermingsautoriteit.be",
)

CONTEXT = "consent form"
MESSAGES: dict[str, str] = {
    "form_title": "Accord pour partager des informations",
    "receipt_title": "Reçu\u00a0: votre accord pour partager des informations",
    "person": "Votre nom",
    "form_intro": "Vous êtes d'accord que {organisation} partage des informations sur vous avec les organisations ci-dessous. Le but est de vous aider.",
    "form_before": "Rien n'est partagé avant votre accord.",
    "receipt_intro": "Vous avez donné votre accord\u00a0: {organisation} peut partager des informations sur vous avec les organisations ci-dessous. Gardez ce papier. C'est votre preuve.",
    "free_choice": "Vous êtes libre de dire oui ou non. Si vous dites non, vous gardez vos droits et {organisation} continue à vous aider.",
    "recipients": "Avec ces organisations",
    "domains": "Pour ces besoins",
    "categories": "Ces types d'informations",
    "category_identity": "Qui vous êtes et comment vous contacter",
    "category_situation": "Votre situation et vos besoins",
    "category_case_notes": "Les notes des travailleurs sociaux",
    "category_documents": "Vos documents",
    "category_sensitive": "Des informations sensibles : santé, violences",
    "category_plan": "Votre plan d'accompagnement\u00a0: qui fait quoi pour vous",
    "purpose": "Pourquoi",
    "until": "Jusqu'à quand",
    "form_duration": "Cet accord commence le jour où vous signez. Si vous signez aujourd'hui, il finit le {date}.",
    "duration_months": "Nombre de mois\u00a0: {months}",
    "receipt_duration": "Cet accord finit le {date}.",
    "after_end": "Après cette date, plus rien n'est partagé, sauf si vous donnez un nouvel accord.",
    "withdraw_title": "Comment arrêter",
    "withdraw": "Vous pouvez arrêter cet accord à tout moment. Dites-le à {organisation}, oralement ou par écrit. L'arrêt est immédiat\u00a0: les organisations ne voient plus vos informations. Vous ne devez pas dire pourquoi.",
    "rights_title": "Vos droits",
    "right_access": "Vous pouvez demander à voir les informations gardées sur vous.",
    "right_correction": "Vous pouvez demander de corriger une information fausse.",
    "right_withdrawal": "Vous pouvez arrêter cet accord à tout moment.",
    "right_complaint": "Vous pouvez porter plainte auprès de l'autorité belge qui protège les données personnelles\u00a0: {authority}.",
    "rights_how": "Pour cela, adressez-vous à {organisation}.",
    "explained": "Ce papier vous a été expliqué en {language}.",
    "explained_interpreter": "Ce papier vous a été expliqué en {language}, avec l'interprète {interpreter}.",
    "explained_label": "Expliqué en",
    "interpreter_label": "Interprète",
    "with_interpreter": "Avec un interprète",
    "signatures": "Signatures",
    "sign_person": "Votre nom et votre signature",
    "sign_worker": "Nom et signature du travailleur de {organisation}",
    "sign_witness": "Nom et signature du témoin (si vous donnez votre accord oralement)",
    "sign_interpreter": "Nom et signature de l'interprète",
    "date_place": "Lieu et date",
    "details": "Détails",
    "recorded_on": "Enregistré le",
    "given_on": "Accord donné le",
    "version": "Version",
    "reference": "Numéro de référence",
    "how_given": "Comment vous avez donné votre accord",
    "method_paper_signed": "Vous avez signé un formulaire papier.",
    "method_screen_signed": "Vous avez signé sur un écran.",
    "method_oral_witnessed": "Vous avez dit oui oralement, devant un témoin.",
    "witness": "Témoin",
    "state_given": "Cet accord est en cours.",
    "state_expired": "Cet accord est terminé.",
    "state_withdrawn": "Cet accord a été arrêté le {date}.",
    "state_superseded": "Cet accord a été remplacé par une nouvelle version.",
}


def document_texts(lang: str | None) -> tuple[dict[str, str], str, bool]:
    return printed.pick(CONTEXT, MESSAGES, lang)


def category_name(texts: dict[str, str], category: str) -> str:
    return texts.get(f"category_{category}", category)
