"""Demo territories for the regional comparison: generated coordinations (six, listed with
the generator's lists and weights in demo/data/territories.yaml), each with a few
organisations and a year of activity written through the services, then twelve months of
indicators so the dashboard has figures. Seeded, so two loads on an empty database give the
same rows; a coordination that already exists is left as it is. Every person is invented.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from consent.services import ConsentInput, record_consent
from demo import schema
from directory.selectors import get_organisation
from directory.services import OfferInput, create_offer, create_organisation
from maillage.actor import Actor
from members.provisioning import CommuneInput, provision_coordination
from members.roles import Role
from members.services import add_member
from persons.services import PersonInput, create_person
from referrals import services as referrals
from referrals.reminders import check_referral_deadlines
from referrals.services import ReferralInput
from regions.indicators import compute, last_complete_month, parse_period
from tenants.models import Coordination, Region, User
from tenants.selectors import public_coordinations


@dataclass(frozen=True)
class Lead:
    """The reception office or integration centre that leads the coordination."""

    name: str
    kind: str


@dataclass(frozen=True)
class Territory:
    name: str
    slug: str
    region: str
    nis_code: str
    lead: Lead
    cpas_referent: bool  # whether the CPAS has designated a reference person

    def __post_init__(self):
        schema.check_choice("region", self.region, Region)


@dataclass(frozen=True)
class DemoOffer:
    title: str
    domain: str


@dataclass(frozen=True)
class Plan:
    seed: int
    months: int
    persons: int  # per territory
    referrals: int  # per territory, over the months, more in the recent ones
    email_domain: str
    territories: list[Territory]
    associations: list[str]
    offers: list[DemoOffer]
    given_names: list[str]
    family_names: list[str]
    domains: list[str]
    languages: list[str]
    endings: dict[str, int]  # where a referral stopped → weight

    def __post_init__(self):
        if len(self.offers) != 6:
            raise ValueError("offers: six, for the lead, the CPAS, two associations, the lead and an association")
        if len(self.associations) < 2:
            raise ValueError("associations: at least two labels")
        for ending in self.endings:
            if ending not in ENDINGS:
                raise ValueError(f"endings: {ending!r} is not one of: {', '.join(ENDINGS)}")


def read_plan() -> Plan:
    return schema.read("territories.yaml", Plan)


_clock = schema.clock


# Where a referral may stop (the data file weighs them), and the steps that take it there.
ENDINGS = ("sent", "received", "accepted", "in_progress", "completed", "declined", "cancelled")


def _answer(referral, ending: str, sender: Actor, receiver: Actor, moments: list):
    """Moves a sent referral to where it stopped, through the services, one step a moment."""
    steps = {
        "sent": [],
        "received": [lambda r: referrals.acknowledge_referral(actor=receiver, referral=r)],
        "accepted": [lambda r: referrals.accept_referral(actor=receiver, referral=r)],
        "in_progress": [
            lambda r: referrals.accept_referral(actor=receiver, referral=r),
            lambda r: referrals.start_referral(actor=receiver, referral=r),
        ],
        "completed": [
            lambda r: referrals.accept_referral(actor=receiver, referral=r),
            lambda r: referrals.complete_referral(actor=receiver, referral=r, outcome="service_delivered"),
        ],
        "declined": [lambda r: referrals.decline_referral(actor=receiver, referral=r, reason="no_capacity")],
        "cancelled": [lambda r: referrals.cancel_referral(actor=sender, referral=r)],
    }[ending]
    for step, moment in zip(steps, moments, strict=False):
        with _clock(moment):
            referral = step(referral)
    return referral


def _seat(coordination: Coordination, email: str, name: str, organisation, role: str) -> Actor:
    """A generated account with no password (nobody signs in as it) and its membership."""
    user = User(email=email, full_name=name)
    user.set_unusable_password()
    user.save()
    membership = add_member(actor=Actor.system(coordination), user=user, organisation=organisation, role=role)
    return Actor(user=user, membership=membership, organisation=organisation, coordination=coordination)


def _fill(plan: Plan, territory: Territory, coordination: Coordination, rng: random.Random) -> None:
    system = Actor.system(coordination)
    now = timezone.now()
    lead = get_organisation(actor=system, public_id=coordination.lead_organisation_public_id)
    cpas = create_organisation(actor=system, name=f"CPAS de {territory.name}", kind="cpas")
    associations = [
        create_organisation(actor=system, name=f"{label} — {territory.name}", kind="association")
        for label in rng.sample(plan.associations, 2)
    ]
    for offer, organisation in zip(plan.offers, [lead, cpas, *associations, lead, associations[0]], strict=True):
        create_offer(
            actor=system,
            organisation=organisation,
            data=OfferInput(
                title=offer.title,
                primary_domain=offer.domain,
                languages=["fr", rng.choice(plan.languages)],
                capacity_status=rng.choice(["open", "open", "open", "waiting_list"]),
            ),
        )
    prefix = f"{territory.slug}.territoire"
    domain = plan.email_domain
    sender = _seat(coordination, f"accueil.{prefix}@{domain}", f"Accueil {territory.name}", lead, Role.WORKER)
    if territory.cpas_referent:
        receiver = _seat(coordination, f"cpas.{prefix}@{domain}", f"CPAS {territory.name}", cpas, Role.CPAS_REFERENT)
    else:
        # No reference person at the CPAS yet: referrals go to an association instead.
        receiver = _seat(
            coordination,
            f"asso.{prefix}@{plan.email_domain}",
            f"Association {territory.name}",
            associations[0],
            Role.WORKER,
        )

    # Persons arrive over the year; each gives a consent (to the receiving organisation)
    # a few days before their first referral.
    # Use grows over the year: more referrals in the recent months than in the first ones.
    sent_days = sorted((round(rng.triangular(3, 30 * plan.months, 3)) for _ in range(plan.referrals)), reverse=True)
    followed = []
    for i in range(plan.persons):
        language = rng.choice(plan.languages)
        person = create_person(
            actor=sender,
            data=PersonInput(
                given_name=rng.choice(plan.given_names),
                family_name=rng.choice(plan.family_names),
                birth_year=rng.randint(1960, 2005),
                languages=[language, "en"],
                preferred_language=language,
            ),
        )
        first = sent_days[i] if i < len(sent_days) else rng.randint(3, 30 * plan.months)
        given_at = now - timedelta(days=first + rng.randint(1, 10))
        consent = record_consent(
            actor=sender,
            person=person,
            data=ConsentInput(
                recipients=[receiver.organisation.public_id],
                domains=list(plan.domains),
                categories=["identity", "situation"],
                purpose="Orientation et suivi partagé",
                method="oral_witnessed",
                witness_name="Collègue de l'accueil",
                explanation_language=language,
                given_at=given_at,
                expires_at=given_at + timedelta(days=730),
            ),
        )
        followed.append((person, consent, given_at))

    endings = rng.choices(list(plan.endings), list(plan.endings.values()), k=plan.referrals)
    for days, ending in zip(sent_days, endings, strict=True):
        sent_at = now - timedelta(days=days, hours=rng.randint(0, 8))
        person, consent, _given = rng.choice([f for f in followed if f[2] < sent_at])
        with _clock(sent_at):
            referral = referrals.create_referral(
                actor=sender,
                data=ReferralInput(
                    person=person,
                    to_organisation=receiver.organisation,
                    domains=[rng.choice(plan.domains)],
                    consent=consent,
                    reason="Orientation après l'accueil.",
                ),
            )
            referral = referrals.send_referral(actor=sender, referral=referral, now=sent_at)
        # An answer within hours to a fortnight (some after the deadline), the end later.
        answered = min(sent_at + timedelta(hours=rng.choice([3, 20, 45, 90, 160, 300])), now)
        closed = min(answered + timedelta(days=rng.randint(1, 40)), now)
        _answer(referral, ending, sender, receiver, [answered, closed])
    # Those still waiting past their deadline become overdue, as the nightly job does.
    check_referral_deadlines(actor=system)


def load_territories_demo() -> int:
    """Creates the territories that are missing, then the last twelve months of
    indicators for every coordination. Returns how many territories it created."""
    created = 0
    plan = read_plan()
    for territory in plan.territories:
        if public_coordinations().filter(slug=territory.slug).exists():
            continue
        coordination = provision_coordination(
            actor=Actor.system(),
            name=territory.name,
            slug=territory.slug,
            region=territory.region,
            communes=[CommuneInput(territory.name, territory.nis_code)],
            lead_organisation_name=territory.lead.name,
            lead_organisation_kind=territory.lead.kind,
            coordinator_email=f"coordination.{territory.slug}.territoire@{plan.email_domain}",
            coordinator_name=f"Coordination {territory.name}",
        )
        # One generator per territory: adding one later does not change the others.
        with schema_context(coordination.schema_name):
            _fill(plan, territory, coordination, random.Random(f"{plan.seed}-{territory.slug}"))
        created += 1
    month = parse_period(last_complete_month())
    for back in range(plan.months):
        year, index = divmod(month.start.year * 12 + month.start.month - 1 - back, 12)
        compute(parse_period(f"{year}-{index + 1:02d}"))
    return created
