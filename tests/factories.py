"""Builders of the domain's records, made through the services as in production.

`XFactory()` calls the service (so rules apply and audit events are written), as `actor`:
an `Actor`, a persona of the session world, or a persona's name ("cpas_referent"); each
factory runs inside the actor's coordination. `XFactory.build()` gives the service's input
(`PersonInput`, `ConsentInput`, ...) without writing anything.

Defaults tell one story, overridden by keyword: Samira Darwish (with `arabic=True`: Arabic,
some French, needs an interpreter), followed by the BAPA, agreed to share her identity and
situation with the CPAS for housing; facing eviction, the BAPA refers her there.

    referral = ReferralFactory(status="accepted", consent__categories=["identity"])
    note = CaseNoteFactory(referral=referral, actor="cpas_referent", audience="referral")
    PersonFactory(actor="volunteer")  # raises Forbidden, as the service does

The session fixture `world` (tests/conftest.py) hands its personas over with `use_world`.
"""

from datetime import date, time, timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from audit.services import record_reads
from consent.models import Consent, ConsentState
from consent.services import ConsentInput, record_consent, withdraw_consent
from directory.models import Organisation
from directory.services import OfferInput, OrganisationInput, PlaceInput, Slot, create_offer, create_organisation
from maillage.actor import Actor
from meetings.services import (
    ActionInput,
    MeetingInput,
    ObjectiveInput,
    create_action,
    create_meeting,
    create_objective,
)
from members.models import Membership
from members.roles import Role
from members.services import add_member
from persons.models import Household, Person
from persons.services import PersonInput, close_file, create_household, create_person
from referrals import services as referrals
from referrals.models import CaseNote, Referral
from referrals.notes.services import add_note
from referrals.services import ReferralInput, create_referral
from tenants.models import TokenScope, User
from tenants.services import issue_api_token

PASSWORD = "a-long-test-password-2026"

_world = None


def use_world(world) -> None:
    """Called once by the session fixture `world`: the personas the factories default to."""
    global _world
    _world = world


def world():
    if _world is None:
        raise RuntimeError("The factories need the session's world: ask for the `tenant_db` fixture.")
    return _world


def api_token_for(
    user: User, *, scope: str = TokenScope.READ_WRITE, days: int = 30, second_factor: bool = True, label: str = "tests"
) -> str:
    """The key of a new token for the account, issued through the service as the account
    page does (by default from a session verified with a second factor)."""
    actor = Actor(user=user, membership=None, organisation=None, coordination=None)
    with schema_context("public"):
        issued = issue_api_token(actor=actor, label=label, scope=scope, days=days, second_factor=second_factor)
    return issued.key


def as_actor(actor) -> Actor:
    """An Actor from an Actor, a Persona or a persona's name."""
    if isinstance(actor, str):
        actor = world()[actor]
    if hasattr(actor, "membership_public_id"):  # a Persona: its actor is read inside its coordination
        with schema_context(actor.coordination.schema_name):
            return actor.actor()
    return actor


def organisation_of(persona) -> Organisation:
    """The organisation of a persona (or its name); an Organisation is returned as is."""
    if isinstance(persona, Organisation):
        return persona
    if isinstance(persona, str):
        persona = world()[persona]
    with schema_context(persona.coordination.schema_name):
        return Organisation.objects.get(public_id=persona.organisation_public_id)


def _system():
    return Actor.system(world().schaerbeek)


class ServiceFactory(factory.Factory):
    """`build()` gives the input; `create()` passes it to `_save` with the service arguments
    (those named in `_arguments`, kept out of the input), inside the actor's coordination."""

    class Meta:
        abstract = True

    actor = "bapa_worker"
    _arguments: tuple = ("actor",)
    _input = True  # False: the service takes arguments only, `model` is what it returns

    @classmethod
    def _split(cls, kwargs: dict) -> dict:
        return {name: kwargs.pop(name) for name in cls._arguments if name in kwargs}

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        if not cls._input:
            raise TypeError(f"{cls.__name__} has no input to build: create() it")
        cls._split(kwargs)
        return model_class(*args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        arguments = cls._split(kwargs)
        actor = as_actor(arguments.pop("actor"))
        data = model_class(*args, **kwargs) if cls._input else None
        with schema_context(actor.coordination.schema_name):
            return cls._save(actor, data, **arguments)

    @classmethod
    def _save(cls, actor: Actor, data, **arguments):
        raise NotImplementedError


# --- Directory ---------------------------------------------------------------------------


class OrganisationFactory(ServiceFactory):
    class Meta:
        model = OrganisationInput

    actor = factory.LazyFunction(_system)
    name = factory.Sequence(lambda n: f"Association {n}")
    kind = "association"

    @classmethod
    def _save(cls, actor, data):
        return create_organisation(actor=actor, data=data)


class OfferFactory(ServiceFactory):
    """An offer of `organisation` (an Organisation, or the name of one in the actor's
    coordination), added by the system actor as an import would."""

    class Meta:
        model = OfferInput

    _arguments = ("actor", "organisation")
    actor = factory.LazyFunction(_system)
    organisation = "CPAS de Schaerbeek"
    title = "Aide au logement"
    primary_domain = "housing"
    places = factory.LazyFunction(lambda: [PlaceInput("Rue Royale Sainte-Marie 1", "1030", "Schaerbeek")])
    opening_hours = factory.LazyFunction(lambda: [Slot(1, time(9), time(12))])
    # Set up as an import would, ended offers included; the question asked before saving a
    # past end date is tested on its own (tests/directory/test_ended_offers.py).
    confirm_ended = True

    @classmethod
    def _save(cls, actor, data, organisation):
        if isinstance(organisation, str):
            organisation = Organisation.objects.get(name=organisation)
        return create_offer(actor=actor, organisation=organisation, data=data)


# --- Members -----------------------------------------------------------------------------


class UserFactory(factory.Factory):
    """An account with a confirmed second factor (the `login` fixture signs it in)."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"member{n}@schaerbeek.test")
    full_name = "Ines Cpas"

    @classmethod
    def _create(cls, model_class, email, full_name):
        user = User.objects.create_user(email, password=PASSWORD, full_name=full_name)
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        return user


class MembershipFactory(ServiceFactory):
    """A new account made a member of `organisation` (a persona's name or an Organisation)."""

    class Meta:
        model = Membership

    _input = False
    _arguments = ("actor", "user", "organisation", "role")
    actor = factory.LazyFunction(_system)
    user = factory.SubFactory(UserFactory)
    organisation = "cpas_referent"
    role = Role.WORKER

    @classmethod
    def _save(cls, actor, data, user, organisation, role):
        return add_member(actor=actor, user=user, organisation=organisation_of(organisation), role=role)


# --- Persons and consent -----------------------------------------------------------------


class PersonFactory(ServiceFactory):
    """A file opened by the actor's organisation, read `reads` times by the actor (as the
    audit trail records it); with `closed_at`, the file closed, then dated."""

    class Meta:
        model = PersonInput

    _arguments = ("actor", "reads", "closed_at")
    reads = 0
    closed_at = None
    given_name = "Samira"
    family_name = "Darwish"

    class Params:
        # Arabic first, some French; an interpreter for appointments.
        arabic = factory.Trait(
            languages=factory.List(["ar", "fr"]),
            preferred_language="ar",
            interpreter_needed=True,
            interpreter_language="ar",
        )
        # Amina Haddad's file, every personal field filled: for retention, exports and reports.
        complete = factory.Trait(
            given_name="Amina",
            family_name="Haddad",
            arabic=True,
            birth_date=date(1990, 4, 2),
            french_level="a2",
            dutch_level="a1",
            literacy="other_script",
            status="refugee",
            commune_registration_date=date(2024, 1, 10),
            programme_registration_date=date(2024, 3, 1),
            national_number="90040200213",  # 2 April 1990, serial 002
        )

    @classmethod
    def _save(cls, actor, data, reads, closed_at) -> Person:
        person = create_person(actor=actor, data=data)
        for _ in range(reads):
            record_reads(actor=actor, persons=[person])
        if closed_at is not None:
            close_file(actor=actor, person=person)
            Person.objects.filter(pk=person.pk).update(closed_at=closed_at)
        person.refresh_from_db()
        return person


class HouseholdFactory(ServiceFactory):
    """`members`: (person, relation) pairs; by default a new person as head."""

    class Meta:
        model = Household

    _input = False
    _arguments = ("actor", "name", "members")
    name = "Famille Darwish"
    members = factory.LazyAttribute(lambda o: [(PersonFactory(actor=o.actor), "head")])

    @classmethod
    def _save(cls, actor, data, name, members):
        return create_household(actor=actor, name=name, members=members)


class ConsentFactory(ServiceFactory):
    """What `person` agreed to, recorded by the actor, then put in `state` (given, withdrawn,
    expired or superseded)."""

    class Meta:
        model = ConsentInput

    _arguments = ("actor", "person", "state", "now")
    person = factory.SubFactory(PersonFactory, actor=factory.SelfAttribute("..actor"))
    recipients = factory.LazyFunction(lambda: [world()["cpas_referent"].organisation_public_id])
    domains = factory.LazyFunction(lambda: ["housing"])
    categories = factory.LazyFunction(lambda: ["identity", "situation"])
    purpose = "Logement"
    method = "oral_witnessed"
    witness_name = "Collègue"
    explanation_language = "ar"
    state = ConsentState.GIVEN
    now = None

    class Params:
        paper = factory.Trait(
            method="paper_signed",
            witness_name="",
            proof=factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 test", name="signed.pdf")),
        )

    @classmethod
    def _save(cls, actor, data, person, state, now) -> Consent:
        consent = record_consent(actor=actor, person=person, data=data, now=now)
        if state == ConsentState.WITHDRAWN:
            withdraw_consent(actor=actor, consent=consent, reason="La personne le demande")
        elif state == "expired":  # not a stored state: a given consent past its end
            moment = timezone.now()
            Consent.objects.filter(pk=consent.pk).update(
                given_at=moment - timedelta(days=400), expires_at=moment - timedelta(days=1)
            )
        elif state == ConsentState.SUPERSEDED:
            Consent.objects.filter(pk=consent.pk).update(state=ConsentState.SUPERSEDED)
        elif state != ConsentState.GIVEN:
            raise ValueError(f"No way to a consent in state {state!r}")
        consent.refresh_from_db()
        return consent


# --- Referrals ---------------------------------------------------------------------------

# The transitions that lead from a draft to each state, as the sender (S) or recipient (R).
PATHS = {
    "draft": [],
    "sent": ["send"],
    "received": ["send", "acknowledge"],
    # The recipient proposed another appointment, a week ahead, at its own counter.
    "appointment_proposed": ["send", "propose"],
    "accepted": ["send", "accept"],
    "declined": ["send", "decline"],
    "in_progress": ["send", "accept", "start"],
    "completed": ["send", "accept", "complete"],
    "not_completed": ["send", "accept", "not_complete"],
    "cancelled": ["cancel"],
    "consent_withdrawn": ["send", "withdraw"],
}


def _persona_at(organisation: Organisation):
    """The first persona who works at the organisation (to answer as the recipient)."""
    for persona in world().personas.values():
        if persona.organisation_public_id == organisation.public_id:
            return persona
    raise LookupError(f"No persona at {organisation.name}: pass recipient=")


class ReferralFactory(ServiceFactory):
    """A referral created by the actor, then walked through the transitions to `status`
    (sent at `sent_at`; answered by `recipient`, by default a persona of the receiving
    organisation). `row`: column values written straight to the row afterwards, for a past
    the services would not write (dates, a state reached long ago)."""

    class Meta:
        model = ReferralInput

    _arguments = ("actor", "status", "sent_at", "recipient", "row")
    person = factory.SubFactory(PersonFactory, actor=factory.SelfAttribute("..actor"))
    to_organisation = factory.LazyFunction(lambda: organisation_of("cpas_referent"))
    domains = factory.LazyFunction(lambda: ["housing"])
    reason = "Expulsion annoncée, cherche un logement"
    expectation = "Un rendez-vous au service logement"
    consent = factory.SubFactory(
        ConsentFactory,
        actor=factory.SelfAttribute("..actor"),
        person=factory.SelfAttribute("..person"),
        recipients=factory.LazyAttribute(lambda o: [o.factory_parent.to_organisation.public_id]),
    )
    status = "draft"
    sent_at = None
    recipient = None
    row = None

    @classmethod
    def _save(cls, actor, data, status, sent_at, recipient, row) -> Referral:
        referral = create_referral(actor=actor, data=data)
        if status not in PATHS:
            raise ValueError(f"No way to a referral in state {status!r}")
        for step in PATHS[status]:
            cls._step(step, referral, sender=actor, recipient=recipient, sent_at=sent_at)
        if row:
            Referral.objects.filter(pk=referral.pk).update(**row)
        return Referral.objects.select_related("person", "consent").get(pk=referral.pk)

    @staticmethod
    def _step(step, referral, *, sender, recipient, sent_at) -> None:
        if step == "send":
            referrals.send_referral(actor=sender, referral=referral, now=sent_at)
        elif step == "cancel":
            referrals.cancel_referral(actor=sender, referral=referral)
        elif step == "withdraw":
            withdraw_consent(actor=sender, consent=referral.consent, reason="La personne refuse")
        else:
            answerer = as_actor(recipient or _persona_at(referral.to_organisation))
            answers = {
                "acknowledge": lambda: referrals.acknowledge_referral(actor=answerer, referral=referral),
                "accept": lambda: referrals.accept_referral(actor=answerer, referral=referral),
                "propose": lambda: referrals.propose_appointment(
                    actor=answerer,
                    referral=referral,
                    appointment_at=timezone.now() + timedelta(days=7),
                    place="Guichet 5",
                    note="Le lundi matin est complet.",
                ),
                "decline": lambda: referrals.decline_referral(actor=answerer, referral=referral, reason="no_capacity"),
                "start": lambda: referrals.start_referral(actor=answerer, referral=referral),
                "complete": lambda: referrals.complete_referral(
                    actor=answerer, referral=referral, outcome="housing_found"
                ),
                "not_complete": lambda: referrals.not_complete_referral(
                    actor=answerer, referral=referral, reason="did_not_come"
                ),
            }
            answers[step]()


class CaseNoteFactory(ServiceFactory):
    """A note on `person`'s file; with audience "referral", on `referral` (and its person)."""

    class Meta:
        model = CaseNote

    _input = False
    _arguments = ("actor", "person", "domain_code", "text", "audience", "referral", "sensitive")
    referral = None
    person = factory.LazyAttribute(lambda o: o.referral.person if o.referral else PersonFactory(actor=o.actor))
    domain_code = "housing"
    text = "Cherche un logement à Schaerbeek."
    audience = "consented"
    sensitive = False

    @classmethod
    def _save(cls, actor, data, referral, **arguments):
        return add_note(actor=actor, referral=referral if arguments["audience"] == "referral" else None, **arguments)


# --- Meetings ----------------------------------------------------------------------------


class MeetingFactory(ServiceFactory):
    """A meeting `days` from now (in the past: with minutes), written by the coordinator."""

    class Meta:
        model = MeetingInput

    actor = "coordinator"

    class Params:
        days = 7

    title = "Réunion de coordination"
    starts_at = factory.LazyAttribute(lambda o: timezone.now().replace(microsecond=0) + timedelta(days=o.days))
    place = "Maison communale, salle 2"
    minutes = factory.LazyAttribute(lambda o: "Tour de table des organisations." if o.days < 0 else "")

    @classmethod
    def _save(cls, actor, data):
        return create_meeting(actor=actor, data=data)


class ActionFactory(ServiceFactory):
    """A follow-up action owned by `owner` (a persona's name, or an organisation's public id),
    due in `due_in` days (None: no date)."""

    class Meta:
        model = ActionInput

    actor = "coordinator"

    class Params:
        due_in = 10

    what = "Mettre à jour la liste des agences immobilières sociales"
    owner = factory.LazyFunction(lambda: world()["cpas_referent"].organisation_public_id)
    due_on = factory.LazyAttribute(
        lambda o: timezone.localdate() + timedelta(days=o.due_in) if o.due_in is not None else None
    )

    @classmethod
    def _save(cls, actor, data):
        return create_action(actor=actor, data=data)


class ObjectiveFactory(ServiceFactory):
    class Meta:
        model = ObjectiveInput

    actor = "coordinator"
    need_domain = "housing"
    title = "Un logement en trois mois pour les familles"

    @classmethod
    def _save(cls, actor, data):
        return create_objective(actor=actor, data=data)
