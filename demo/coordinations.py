"""Demo data: Schaerbeek (Brussels) and Tournai (Wallonia), one account per role.

The coordinations, their organisations and accounts are in demo/data/coordinations.yaml;
each subject's loader below reads its own file. Loading twice changes nothing.
"""

from dataclasses import dataclass

from django.db import transaction
from django_tenants.utils import schema_context

from demo import schema
from demo.charter import load_charter_demo
from demo.directory import load_directory_demo
from demo.meetings import load_meetings_demo
from demo.plans import load_plans_demo
from demo.referrals import load_persons_demo, load_referrals_demo
from demo.territories import load_territories_demo
from demo.transfers import load_transfers_demo
from directory.models import Organisation, OrganisationKind
from directory.services import create_organisation
from maillage.actor import Actor
from members.models import Membership
from members.provisioning import CommuneInput, provision_coordination
from members.roles import Role
from members.services import add_member
from tenants.models import Coordination, Region, RegionalAdministrator, User
from tenants.services import create_regional_administrator

DEMO_PASSWORD = "demo-maillage-2026"


@dataclass(frozen=True)
class Seat:
    email: str
    name: str
    organisation: str
    role: str

    def __post_init__(self):
        schema.check_choice("role", self.role, Role)


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: str

    def __post_init__(self):
        schema.check_choice("kind", self.kind, OrganisationKind)


@dataclass(frozen=True)
class DemoCommune:
    name: str
    nis_code: str
    name_nl: str = ""


@dataclass(frozen=True)
class DemoCoordination:
    name: str
    slug: str
    region: str
    communes: list[DemoCommune]
    lead: DemoOrganisation
    organisations: list[DemoOrganisation]
    seats: list[Seat]
    name_nl: str = ""

    def __post_init__(self):
        schema.check_choice("region", self.region, Region)
        if not self.seats:
            raise ValueError("seats: the first seat is the coordinator, give at least one")
        known = {self.lead.name} | {o.name for o in self.organisations}
        for seat in self.seats:
            if seat.organisation not in known:
                raise ValueError(f"seats: {seat.email}'s organisation {seat.organisation!r} is not listed")


@dataclass(frozen=True)
class RegionalSeat:
    email: str
    name: str
    region: str

    def __post_init__(self):
        schema.check_choice("region", self.region, Region)


@dataclass(frozen=True)
class DemoAccounts:
    platform_administrator: str
    coordinations: list[DemoCoordination]
    regional_administrators: list[RegionalSeat]


def _account(email: str, name: str) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email, password=DEMO_PASSWORD, full_name=name)
    return user


@transaction.atomic
def load_demo() -> list[tuple[str, str]]:
    """Creates what is missing; returns (login, what it is) rows to print."""
    data = schema.read("coordinations.yaml", DemoAccounts)
    system = Actor.system()
    logins: list[tuple[str, str]] = []
    admin = data.platform_administrator
    if not User.objects.filter(email__iexact=admin).exists():
        User.objects.create_superuser(admin, password=DEMO_PASSWORD, full_name="Platform admin")
    logins.append((admin, "platform administrator (/admin/)"))
    for spec in data.coordinations:
        first = spec.seats[0]
        coordination = Coordination.objects.filter(slug=spec.slug).first()
        if coordination is None:
            _account(first.email, first.name)
            coordination = provision_coordination(
                actor=system,
                name=spec.name,
                slug=spec.slug,
                region=spec.region,
                name_nl=spec.name_nl,
                communes=[CommuneInput(c.name, c.nis_code, c.name_nl) for c in spec.communes],
                lead_organisation_name=spec.lead.name,
                lead_organisation_kind=spec.lead.kind,
                coordinator_email=first.email,
            )
        inside = Actor.system(coordination)
        with schema_context(coordination.schema_name):
            for organisation in [spec.lead, *spec.organisations]:
                if not Organisation.objects.filter(name=organisation.name).exists():
                    create_organisation(actor=inside, name=organisation.name, kind=organisation.kind)
            for seat in spec.seats:
                user = _account(seat.email, seat.name)
                if not Membership.objects.filter(user=user, is_active=True).exists():
                    organisation = Organisation.objects.get(name=seat.organisation)
                    add_member(actor=inside, user=user, organisation=organisation, role=seat.role)
                logins.append((seat.email, f"{spec.name}: {Role(seat.role).label} — {seat.organisation}"))
        load_directory_demo(coordination)
        load_persons_demo(coordination)
        load_referrals_demo(coordination)
        load_plans_demo(coordination)
        load_meetings_demo(coordination)
        load_charter_demo(coordination)
    for seat in data.regional_administrators:
        if not RegionalAdministrator.objects.filter(user__email__iexact=seat.email).exists():
            create_regional_administrator(
                actor=system, email=seat.email, region=seat.region, full_name=seat.name, password=DEMO_PASSWORD
            )
        logins.append((seat.email, f"regional administrator ({seat.region})"))
    load_transfers_demo()
    load_territories_demo()
    return logins
