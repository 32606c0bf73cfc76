"""Demo data: Schaerbeek (Brussels) and Tournai (Wallonia), one account per role.

Organisations come from the 2016 World Refugee Day listing and the domain brief
(shared/data/organisations-2016.yaml, shared/DOMAIN.md); every person and address here
is invented. Loading twice changes nothing.
"""

from dataclasses import dataclass

from django.db import transaction
from django_tenants.utils import schema_context

from demo.charter import load_charter_demo
from demo.directory import load_directory_demo
from demo.meetings import load_meetings_demo
from demo.referrals import load_persons_demo, load_referrals_demo
from demo.territories import load_territories_demo
from directory.models import Organisation
from directory.services import create_organisation
from maillage.actor import Actor
from members.models import Membership, Role
from members.provisioning import CommuneInput, provision_coordination
from members.services import add_member
from tenants.models import Coordination, RegionalAdministrator, User
from tenants.services import create_regional_administrator

DEMO_PASSWORD = "demo-maillage-2026"
DOMAIN = "demo.maillage.example"


@dataclass(frozen=True)
class Seat:
    email: str
    name: str
    organisation: str
    role: str


COORDINATIONS = [
    {
        "name": "Schaerbeek",
        "slug": "schaerbeek",
        "region": "brussels",
        "communes": [CommuneInput("Schaerbeek", "21015")],
        "lead": ("VIA — BAPA Schaerbeek", "bapa"),
        "organisations": [
            ("CPAS de Schaerbeek", "cpas"),
            ("Service Social de Solidarité Socialiste (SESO)", "association"),
            ("Exil", "association"),
            ("DUO for a JOB", "association"),
            ("Plate-forme citoyenne de soutien aux réfugiés", "citizen_initiative"),
            ("Caritas International — Housing-cafés", "ngo"),
        ],
        "seats": [
            Seat(f"coordination.schaerbeek@{DOMAIN}", "Nadia El Amrani", "VIA — BAPA Schaerbeek", Role.COORDINATOR),
            Seat(f"cpas.schaerbeek@{DOMAIN}", "Marc Dewit", "CPAS de Schaerbeek", Role.CPAS_REFERENT),
            Seat(f"bapa.schaerbeek@{DOMAIN}", "Sarah Janssens", "VIA — BAPA Schaerbeek", Role.WORKER),
            Seat(
                f"seso.schaerbeek@{DOMAIN}",
                "Karim Haddad",
                "Service Social de Solidarité Socialiste (SESO)",
                Role.WORKER,
            ),
            Seat(
                f"benevole.schaerbeek@{DOMAIN}",
                "Lucie Peeters",
                "Plate-forme citoyenne de soutien aux réfugiés",
                Role.VOLUNTEER,
            ),
            Seat(f"observer.schaerbeek@{DOMAIN}", "Tom Verhaegen", "Exil", Role.OBSERVER),
            Seat(f"caritas@{DOMAIN}", "Amina Diallo", "Caritas International — Housing-cafés", Role.WORKER),
        ],
    },
    {
        "name": "Tournai",
        "slug": "tournai",
        "region": "wallonia",
        "communes": [CommuneInput("Tournai", "57081")],
        "lead": ("Plateforme associative tournaisienne d'accueil", "association"),
        "organisations": [
            ("CPAS de Tournai", "cpas"),
            ("Centre régional d'intégration (antenne du Hainaut occidental)", "cri"),
            ("Aide aux Personnes Déplacées", "association"),
            ("Médecins du Monde Belgique", "ngo"),
            ("Caritas International — Housing-cafés", "ngo"),
        ],
        "seats": [
            Seat(
                f"coordination.tournai@{DOMAIN}",
                "Claire Dubois",
                "Plateforme associative tournaisienne d'accueil",
                Role.COORDINATOR,
            ),
            Seat(f"cpas.tournai@{DOMAIN}", "Julien Lemaire", "CPAS de Tournai", Role.CPAS_REFERENT),
            Seat(
                f"cri.tournai@{DOMAIN}",
                "Fatima Benali",
                "Centre régional d'intégration (antenne du Hainaut occidental)",
                Role.WORKER,
            ),
            Seat(
                f"benevole.tournai@{DOMAIN}",
                "Pierre Leroy",
                "Plateforme associative tournaisienne d'accueil",
                Role.VOLUNTEER,
            ),
            Seat(f"observer.tournai@{DOMAIN}", "Anne Lambert", "Médecins du Monde Belgique", Role.OBSERVER),
            Seat(f"caritas@{DOMAIN}", "Amina Diallo", "Caritas International — Housing-cafés", Role.WORKER),
        ],
    },
]

REGIONAL_ADMINS = [
    (f"region.bruxelles@{DOMAIN}", "Hélène Vandenberghe", "brussels"),
    (f"region.wallonie@{DOMAIN}", "Olivier Collard", "wallonia"),
]
PLATFORM_ADMIN = f"admin@{DOMAIN}"


def _account(email: str, name: str) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email, password=DEMO_PASSWORD, full_name=name)
    return user


@transaction.atomic
def load_demo() -> list[tuple[str, str]]:
    """Creates what is missing; returns (login, what it is) rows to print."""
    system = Actor.system()
    logins: list[tuple[str, str]] = []
    if not User.objects.filter(email__iexact=PLATFORM_ADMIN).exists():
        User.objects.create_superuser(PLATFORM_ADMIN, password=DEMO_PASSWORD, full_name="Platform admin")
    logins.append((PLATFORM_ADMIN, "platform administrator (/admin/)"))
    for spec in COORDINATIONS:
        first = spec["seats"][0]
        coordination = Coordination.objects.filter(slug=spec["slug"]).first()
        if coordination is None:
            _account(first.email, first.name)
            coordination = provision_coordination(
                actor=system,
                name=spec["name"],
                slug=spec["slug"],
                region=spec["region"],
                communes=spec["communes"],
                lead_organisation_name=spec["lead"][0],
                lead_organisation_kind=spec["lead"][1],
                coordinator_email=first.email,
            )
        inside = Actor.system(coordination)
        with schema_context(coordination.schema_name):
            for name, kind in [spec["lead"], *spec["organisations"]]:
                if not Organisation.objects.filter(name=name).exists():
                    create_organisation(actor=inside, name=name, kind=kind)
            for seat in spec["seats"]:
                user = _account(seat.email, seat.name)
                if not Membership.objects.filter(user=user, is_active=True).exists():
                    organisation = Organisation.objects.get(name=seat.organisation)
                    add_member(actor=inside, user=user, organisation=organisation, role=seat.role)
                logins.append((seat.email, f"{spec['name']}: {Role(seat.role).label} — {seat.organisation}"))
        load_directory_demo(coordination)
        load_persons_demo(coordination)
        load_referrals_demo(coordination)
        load_meetings_demo(coordination)
        load_charter_demo(coordination)
    for email, name, region in REGIONAL_ADMINS:
        if not RegionalAdministrator.objects.filter(user__email__iexact=email).exists():
            create_regional_administrator(
                actor=system, email=email, region=region, full_name=name, password=DEMO_PASSWORD
            )
        logins.append((email, f"regional administrator ({region})"))
    load_territories_demo()
    return logins
