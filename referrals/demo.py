"""Demo files: a few invented persons followed by each coordination's reception office,
some with a consent to the CPAS. Every name here is invented."""

from datetime import date, timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from consent.services import ConsentInput, record_consent
from maillage.actor import Actor
from referrals.models import Person
from referrals.services import PersonInput, create_person
from tenants.members.models import Membership, Role

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
