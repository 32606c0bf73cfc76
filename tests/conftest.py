"""Two coordinations created once per session, and the personas every test reuses.

Schaerbeek (Brussels) and Tournai (Wallonia) are provisioned through the real service and
committed; each test then runs in a transaction that is rolled back.
"""

from dataclasses import dataclass

import pytest
from django.db import connection
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from directory.models import Organisation
from directory.services import create_organisation
from maillage.actor import Actor
from members.models import Membership
from members.provisioning import CommuneInput, provision_coordination
from members.roles import Role
from members.services import add_member
from tenants.models import Coordination, User
from tenants.services import create_regional_administrator
from tests.factories import PASSWORD, OfferFactory, api_token_for, use_world


@dataclass(frozen=True)
class Persona:
    user: User
    coordination: Coordination | None
    organisation_public_id: object = None
    membership_public_id: object = None
    role: str | None = None

    @property
    def email(self) -> str:
        return self.user.email

    def actor(self) -> Actor:
        """The actor as a request would build it (the connection must be on the coordination)."""
        membership = Membership.objects.select_related("organisation").get(public_id=self.membership_public_id)
        return Actor(
            user=self.user,
            membership=membership,
            organisation=membership.organisation,
            coordination=self.coordination,
        )


@dataclass(frozen=True)
class World:
    schaerbeek: Coordination
    tournai: Coordination
    personas: dict

    def __getitem__(self, name: str) -> Persona:
        return self.personas[name]


def _seat(coordination, email, name, organisation_name, kind, role) -> Persona:
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, password=PASSWORD, full_name=name
    )
    TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    with schema_context(coordination.schema_name):
        inside = Actor.system(coordination)
        organisation = Organisation.objects.filter(name=organisation_name).first() or create_organisation(
            actor=inside, name=organisation_name, kind=kind
        )
        membership = Membership.objects.filter(user=user, is_active=True).first() or add_member(
            actor=inside, user=user, organisation=organisation, role=role
        )
    return Persona(user, coordination, organisation.public_id, membership.public_id, role)


def _provision(slug, name, region, commune, lead, lead_kind, coordinator_email):
    existing = Coordination.objects.filter(slug=slug).first()
    if existing:
        return existing
    User.objects.create_user(coordinator_email, password=PASSWORD, full_name=f"Coordinator {name}")
    return provision_coordination(
        actor=Actor.system(),
        name=name,
        slug=slug,
        region=region,
        communes=[commune],
        lead_organisation_name=lead,
        lead_organisation_kind=lead_kind,
        coordinator_email=coordinator_email,
    )


@pytest.fixture(scope="session")
def world(django_db_setup, django_db_blocker) -> World:
    with django_db_blocker.unblock():
        schaerbeek = _provision(
            "schaerbeek",
            "Schaerbeek",
            "brussels",
            CommuneInput("Schaerbeek", "21015"),
            "VIA — BAPA Schaerbeek",
            "bapa",
            "coordinator@schaerbeek.test",
        )
        tournai = _provision(
            "tournai",
            "Tournai",
            "wallonia",
            CommuneInput("Tournai", "57081"),
            "Plateforme associative tournaisienne",
            "association",
            "coordinator@tournai.test",
        )
        s = schaerbeek
        personas = {
            "coordinator": _seat(
                s, "coordinator@schaerbeek.test", "", "VIA — BAPA Schaerbeek", "bapa", Role.COORDINATOR
            ),
            "bapa_worker": _seat(
                s, "bapa.worker@schaerbeek.test", "Sarah Bapa", "VIA — BAPA Schaerbeek", "bapa", Role.WORKER
            ),
            "cpas_referent": _seat(
                s, "cpas.referent@schaerbeek.test", "Marc Cpas", "CPAS de Schaerbeek", "cpas", Role.CPAS_REFERENT
            ),
            "volunteer": _seat(
                s,
                "volunteer@schaerbeek.test",
                "Lucie Volunteer",
                "Plate-forme citoyenne",
                "citizen_initiative",
                Role.VOLUNTEER,
            ),
            "observer": _seat(s, "observer@schaerbeek.test", "Tom Observer", "Exil", "association", Role.OBSERVER),
            "outsider": _seat(s, "outsider@schaerbeek.test", "Karim Outsider", "SESO", "association", Role.WORKER),
            "foreigner": _seat(
                tournai, "worker@tournai.test", "Claire Tournai", "CPAS de Tournai", "cpas", Role.WORKER
            ),
            "tournai_coordinator": _seat(
                tournai,
                "coordinator@tournai.test",
                "",
                "Plateforme associative tournaisienne",
                "association",
                Role.COORDINATOR,
            ),
        }
        admin_user = User.objects.filter(email="region@brussels.test").first()
        if admin_user is None:
            admin_user = create_regional_administrator(
                actor=Actor.system(), email="region@brussels.test", region="brussels", password=PASSWORD
            ).user
        personas["regional_admin"] = Persona(admin_user, None)
        connection.set_schema_to_public()
    world = World(schaerbeek, tournai, personas)
    use_world(world)
    return world


@pytest.fixture
def tenant_db(db, world):
    """A rolled-back transaction, the connection on the public schema before and after."""
    connection.set_schema_to_public()
    yield world
    connection.set_schema_to_public()


@pytest.fixture
def login(client):
    """Signs a persona in on the test client, second factor verified."""

    def _login(persona: Persona, *, verified: bool = True, on=None):
        target = on or client
        target.force_login(persona.user, backend="django.contrib.auth.backends.ModelBackend")
        if verified:
            device = TOTPDevice.objects.get(user=persona.user, name="test")
            session = target.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return target

    return _login


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def token_client():
    """An API client authenticated with the persona's token."""

    def _client(persona: Persona) -> APIClient:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(persona.user)}")
        return api

    return _client


@pytest.fixture
def make_offer(tenant_db):
    """make_offer(title, organisation_name="CPAS de Schaerbeek", schema="schaerbeek", **OfferInput fields)"""

    def _make(title="Aide au logement", organisation_name="CPAS de Schaerbeek", schema="schaerbeek", **fields):
        coordination = tenant_db.schaerbeek if schema == "schaerbeek" else tenant_db.tournai
        return OfferFactory(actor=Actor.system(coordination), organisation=organisation_name, title=title, **fields)

    return _make


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """The API's rate limits off: the suite sends far more than a client would in a minute
    as the same persona. tests/api/test_rate_limits.py sets its own."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"read": None, "write": None}}
