"""Demo files: a few invented persons followed by each coordination's reception office,
some with a consent to the CPAS. Every name here is invented."""

from datetime import date, timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from consent.services import ConsentInput, record_consent, withdraw_consent
from directory.models import Organisation
from maillage.actor import Actor
from members.models import Membership, Role
from persons.models import Person
from persons.services import PersonInput, create_person

PERSONS = {
    "schaerbeek": {
        "keeper": "VIA — BAPA Schaerbeek",
        "recipient": "CPAS de Schaerbeek",
        "persons": [
            {
                "given_name": "Samira",
                "family_name": "Darwish",
                "birth_year": 1991,
                "languages": ["ar", "en"],
                "preferred_language": "ar",
                "status": "refugee",
                "french_level": "a1",
                "interpreter_needed": True,
                "interpreter_language": "ar",
                "commune_days_ago": 160,
                "consent": ["housing", "social_rights"],
            },
            {
                "given_name": "Habib",
                "family_name": "Rahimi",
                "birth_year": 1985,
                "languages": ["prs", "ps"],
                "preferred_language": "prs",
                "status": "subsidiary_protection",
                "french_level": "none",
                "interpreter_needed": True,
                "interpreter_language": "prs",
                "commune_days_ago": 40,
                "consent": ["residence_status"],
            },
            {
                "given_name": "Olena",
                "family_name": "Kovalenko",
                "birth_year": 1979,
                "languages": ["uk", "ru", "en"],
                "preferred_language": "uk",
                "status": "temporary_protection",
                "french_level": "a2",
                "commune_days_ago": 300,
                "consent": None,
            },
        ],
    },
    "tournai": {
        "keeper": "Centre régional d'intégration (antenne du Hainaut occidental)",
        "recipient": "CPAS de Tournai",
        "persons": [
            {
                "given_name": "Yonas",
                "family_name": "Tesfaye",
                "birth_year": 1996,
                "languages": ["ti", "en"],
                "preferred_language": "ti",
                "status": "refugee",
                "french_level": "a1",
                "interpreter_needed": True,
                "interpreter_language": "ti",
                "commune_days_ago": 70,
                "consent": ["housing"],
            },
            {
                "given_name": "Mariam",
                "family_name": "Sow",
                "birth_year": 1988,
                "languages": ["fr"],
                "preferred_language": "fr",
                "status": "family_reunification",
                "french_level": "native",
                "commune_days_ago": 20,
                "consent": None,
            },
        ],
    },
}


def load_persons_demo(coordination) -> int:
    spec = PERSONS.get(coordination.slug)
    if spec is None:
        return 0
    created = 0
    with schema_context(coordination.schema_name):
        keeper = (
            Membership.objects.select_related("organisation", "user")
            .filter(organisation__name=spec["keeper"], is_active=True, role__in=[Role.WORKER, Role.COORDINATOR])
            .first()
        )
        if keeper is None:
            return 0
        actor = Actor(user=keeper.user, membership=keeper, organisation=keeper.organisation, coordination=coordination)
        recipient = (
            Membership.objects.filter(organisation__name=spec["recipient"])
            .values_list("organisation__public_id", flat=True)
            .first()
        )
        for fields in spec["persons"]:
            fields = dict(fields)
            domains = fields.pop("consent")
            days = fields.pop("commune_days_ago")
            if Person.objects.filter(given_name=fields["given_name"], family_name=fields["family_name"]).exists():
                continue
            person = create_person(
                actor=actor,
                data=PersonInput(**fields, commune_registration_date=date.today() - timedelta(days=days)),
            )
            created += 1
            if domains and recipient:
                record_consent(
                    actor=actor,
                    person=person,
                    data=ConsentInput(
                        recipients=[recipient],
                        domains=domains,
                        categories=["identity", "situation"],
                        purpose="Orientation vers le CPAS et suivi partagé",
                        method="oral_witnessed",
                        witness_name="Collègue de l'accueil",
                        explanation_language=fields["preferred_language"],
                        interpreter_used=fields.get("interpreter_needed", False),
                        interpreter_name="Service d'interprétariat social" if fields.get("interpreter_needed") else "",
                        given_at=timezone.now() - timedelta(days=10),
                    ),
                )
    return created


# One referral in each state, BAPA → CPAS (the person named, the step it stopped at).
REFERRAL_STATES = [
    ("Samira", "draft"),
    ("Samira", "sent"),
    ("Habib", "received"),
    ("Samira", "accepted"),
    ("Habib", "declined"),
    ("Samira", "in_progress"),
    ("Samira", "completed"),
    ("Habib", "not_completed"),
    ("Habib", "cancelled"),
    ("Nour", "consent_withdrawn"),
]


def load_referrals_demo(coordination) -> int:
    """Referrals from the reception office to the CPAS, one in every state (idempotent)."""
    from consent.models import Consent
    from referrals import services
    from referrals.models import Referral
    from referrals.services import ReferralInput, create_referral

    if coordination.slug != "schaerbeek":
        return 0
    with schema_context(coordination.schema_name):
        if Referral.objects.exists():
            return 0
        keeper = (
            Membership.objects.select_related("organisation", "user")
            .filter(organisation__name="VIA — BAPA Schaerbeek", role=Role.WORKER, is_active=True)
            .first()
        )
        referent = (
            Membership.objects.select_related("organisation", "user")
            .filter(organisation__name="CPAS de Schaerbeek", role=Role.CPAS_REFERENT, is_active=True)
            .first()
        )
        if keeper is None or referent is None:
            return 0
        sender = Actor(user=keeper.user, membership=keeper, organisation=keeper.organisation, coordination=coordination)
        receiver = Actor(
            user=referent.user, membership=referent, organisation=referent.organisation, coordination=coordination
        )
        nour = Person.objects.filter(given_name="Nour").first() or create_person(
            actor=sender,
            data=PersonInput(
                given_name="Nour",
                family_name="Haidari",
                birth_year=2001,
                languages=["prs", "fa"],
                preferred_language="prs",
                status="family_reunification",
            ),
        )
        if not Consent.objects.filter(person=nour).exists():
            record_consent(
                actor=sender,
                person=nour,
                data=ConsentInput(
                    recipients=[referent.organisation.public_id],
                    domains=["housing", "social_rights"],
                    categories=["identity", "situation", "case_notes"],
                    purpose="Orientation vers le CPAS",
                    method="oral_witnessed",
                    witness_name="Collègue de l'accueil",
                    explanation_language="prs",
                ),
            )
        made = 0
        for given_name, state in REFERRAL_STATES:
            person = Person.objects.get(given_name=given_name)
            consent = Consent.objects.filter(person=person, state="given").first()
            if consent is None:
                continue
            domain = consent.domains.order_by("code").first().code
            referral = create_referral(
                actor=sender,
                data=ReferralInput(
                    person=person,
                    to_organisation=referent.organisation,
                    domains=[domain],
                    consent=consent,
                    reason="Ouverture des droits et aide au logement après la reconnaissance.",
                    urgency="urgent" if state == "sent" else "normal",
                ),
            )
            made += 1
            if state == "draft":
                continue
            services.send_referral(actor=sender, referral=referral)
            steps = {
                "received": [lambda r: services.acknowledge_referral(actor=receiver, referral=r)],
                "accepted": [lambda r: services.accept_referral(actor=receiver, referral=r)],
                "declined": [
                    lambda r: services.decline_referral(
                        actor=receiver, referral=r, reason="not_eligible", note="Pas domicilié·e à Schaerbeek."
                    )
                ],
                "in_progress": [
                    lambda r: services.accept_referral(actor=receiver, referral=r),
                    lambda r: services.start_referral(actor=receiver, referral=r),
                ],
                "completed": [
                    lambda r: services.accept_referral(actor=receiver, referral=r),
                    lambda r: services.complete_referral(actor=receiver, referral=r, outcome="rights_opened"),
                ],
                "not_completed": [
                    lambda r: services.accept_referral(actor=receiver, referral=r),
                    lambda r: services.not_complete_referral(actor=receiver, referral=r, reason="did_not_come"),
                ],
                "cancelled": [lambda r: services.cancel_referral(actor=sender, referral=r)],
                "consent_withdrawn": [
                    lambda r: withdraw_consent(
                        actor=sender, consent=r.consent, reason="La personne ne souhaite plus partager."
                    )
                ],
                "sent": [],
            }[state]
            for step in steps:
                step(referral)
                referral.refresh_from_db()
        return made + _flows_between_partners(coordination)


# Referrals between other partners, so that the network map shows more than one flow:
# (keeper, recipient, given name, family name, language, need domain, what the recipient did).
PARTNER_FLOWS = [
    (
        "VIA — BAPA Schaerbeek",
        "Service Social de Solidarité Socialiste (SESO)",
        "Dawit",
        "Gebre",
        "ti",
        "legal_aid",
        "accepted",
    ),
    ("VIA — BAPA Schaerbeek", "Caritas International — Housing-cafés", "Leyla", "Karimi", "fa", "housing", "received"),
    ("VIA — BAPA Schaerbeek", "DUO for a JOB", "Ahmad", "Noori", "prs", "employment_training", "sent"),
    (
        "Service Social de Solidarité Socialiste (SESO)",
        "CPAS de Schaerbeek",
        "Aïcha",
        "Benali",
        "ar",
        "social_rights",
        "accepted",
    ),
    ("Caritas International — Housing-cafés", "CPAS de Schaerbeek", "Ivan", "Petrenko", "uk", "housing", "sent"),
]


def _flows_between_partners(coordination) -> int:
    """One referral per flow above, each with its own invented person and consent."""
    from referrals import services
    from referrals.services import ReferralInput, create_referral

    def actor_of(organisation_name: str) -> Actor | None:
        membership = (
            Membership.objects.select_related("organisation", "user")
            .filter(organisation__name=organisation_name, is_active=True)
            .exclude(role__in=[Role.OBSERVER, Role.VOLUNTEER])
            .order_by("pk")
            .first()
        )
        if membership is None:
            return None
        return Actor(
            user=membership.user, membership=membership, organisation=membership.organisation, coordination=coordination
        )

    made = 0
    for keeper_name, recipient_name, given, family, language, domain, outcome in PARTNER_FLOWS:
        sender = actor_of(keeper_name)
        recipient = Organisation.objects.filter(name=recipient_name).first()
        if sender is None or recipient is None or Person.objects.filter(given_name=given, family_name=family).exists():
            continue
        person = create_person(
            actor=sender,
            data=PersonInput(given_name=given, family_name=family, languages=[language], preferred_language=language),
        )
        consent = record_consent(
            actor=sender,
            person=person,
            data=ConsentInput(
                recipients=[recipient.public_id],
                domains=[domain],
                categories=["identity", "situation"],
                purpose="Orientation vers un partenaire de la coordination",
                method="oral_witnessed",
                witness_name="Collègue de l'accueil",
                explanation_language=language,
                interpreter_used=language not in ("fr", "nl"),
                interpreter_name="" if language in ("fr", "nl") else "Interprète en milieu social",
            ),
        )
        referral = create_referral(
            actor=sender,
            data=ReferralInput(
                person=person,
                to_organisation=recipient,
                domains=[domain],
                consent=consent,
                reason="Orientation entre partenaires de la coordination.",
            ),
        )
        services.send_referral(actor=sender, referral=referral)
        receiver = actor_of(recipient_name)
        if receiver is not None and outcome in ("received", "accepted"):
            services.acknowledge_referral(actor=receiver, referral=referral)
            if outcome == "accepted":
                referral.refresh_from_db()
                services.accept_referral(actor=receiver, referral=referral)
        made += 1
    return made
