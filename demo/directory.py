"""Demo directory: organisations, places and offers, from demo/data/directory-<slug>.yaml
(Schaerbeek and Tournai; where their facts come from is written at the top of each file).

Loading twice changes nothing: an offer is skipped when its organisation already has one
with the same title, and an organisation's details are only filled in where they are still
empty.
"""

from dataclasses import dataclass, field, fields, replace
from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from demo import schema
from directory.models import Access, CapacityStatus, Cost, Offer, Organisation, OrganisationKind, ResidenceStatus
from directory.services import (
    OfferInput,
    OrganisationInput,
    PlaceInput,
    Slot,
    create_offer,
    create_organisation,
    update_organisation,
)
from maillage.actor import Actor


def _slots(spec: str) -> list[Slot]:
    """ "1-5 9:00-12:30; 2,4 18:00-21:00" → one Slot per day and range."""
    slots = []
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        days, hours = part.split()
        opens, closes = (time.fromisoformat(f"{t:0>5}") for t in hours.split("-"))
        for chunk in days.split(","):
            first, _, last = chunk.partition("-")
            for weekday in range(int(first), int(last or first) + 1):
                if not 1 <= weekday <= 7:
                    raise ValueError(f"no weekday {weekday}")
                slots.append(Slot(weekday, opens, closes))
    return slots


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: str
    street: str
    name_nl: str = ""
    description: str = ""
    is_member: bool = False
    enterprise_number: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    staff_languages: list[str] = field(default_factory=lambda: ["fr"])

    def __post_init__(self):
        schema.check_choice("kind", self.kind, OrganisationKind)


@dataclass(frozen=True)
class DemoPlace:
    name: str
    street: str


@dataclass(frozen=True)
class DemoOffer:
    """One offer; the data files explain `hours`, `places` and the titles in each language."""

    organisation: str
    domain: str
    title: str = ""
    description: str = ""
    title_nl: str = ""
    description_nl: str = ""
    title_en: str = ""
    description_en: str = ""
    also: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=lambda: ["fr"])
    interpreting: bool = False
    hours: str = ""
    schedule_notes: str = ""
    places: list[DemoPlace] | None = None
    online_url: str = ""
    access: str = Access.APPOINTMENT.value
    capacity: str = CapacityStatus.OPEN.value
    waiting_weeks: int | None = None
    cost: str = Cost.FREE.value
    cost_note: str = ""
    age_min: int | None = None
    age_max: int | None = None
    eligibility: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    verified_days_ago: int = 0

    @property
    def main_title(self) -> str:
        """The title the offer is listed under (Offer.title): the first version given."""
        return self.title or self.title_nl or self.title_en

    def __post_init__(self):
        if not self.main_title:
            raise ValueError("title: give a title in French (title), Dutch (title_nl) or English (title_en)")
        schema.check_choice("access", self.access, Access)
        schema.check_choice("capacity", self.capacity, CapacityStatus)
        schema.check_choice("cost", self.cost, Cost)
        for status in self.statuses:
            schema.check_choice("statuses", status, ResidenceStatus)
        try:
            _slots(self.hours)
        except ValueError as error:
            raise ValueError(f'hours: {self.hours!r} does not read like "1-5 9:00-12:30; 4 17:00-19:00"') from error


@dataclass(frozen=True)
class DemoSite:
    postcode: str
    city: str
    organisations: list[DemoOrganisation]
    offers: list[DemoOffer]


def read_site(slug: str) -> DemoSite | None:
    """demo/data/directory-<slug>.yaml, or None for a coordination without a demo directory."""
    name = f"directory-{slug}.yaml"
    if not schema.exists(name):
        return None
    site = schema.read(name, DemoSite)
    known = {o.name for o in site.organisations}
    for index, offer in enumerate(site.offers):
        if offer.organisation not in known:
            raise schema.DemoDataError(
                f'demo/data/{name}: offers[{index}] "{offer.main_title}": organisation {offer.organisation!r} '
                "is not among the file's organisations"
            )
    return site


# --- Loading --------------------------------------------------------------------------------


def _organisation_input(spec: DemoOrganisation, site: DemoSite) -> OrganisationInput:
    return OrganisationInput(
        name=spec.name,
        name_nl=spec.name_nl,
        kind=spec.kind,
        enterprise_number=spec.enterprise_number,
        is_member=spec.is_member,
        description=spec.description,
        street=spec.street,
        postcode=site.postcode,
        city=site.city,
        website=spec.website,
        email=spec.email,
        phone=spec.phone,
        staff_languages=list(spec.staff_languages),
    )


# Fields filled in on an existing organisation when still empty (never its name, kind or
# membership, which the coordination decides).
_DETAILS = [f.name for f in fields(OrganisationInput) if f.name not in {"name", "kind", "is_member"}]


def _ensure_organisation(system: Actor, coordination, spec: DemoOrganisation, site: DemoSite) -> Organisation:
    wanted = _organisation_input(spec, site)
    organisation = Organisation.objects.filter(name__iexact=spec.name).first()
    if organisation is None:
        return create_organisation(actor=system, data=wanted)
    current = OrganisationInput.of(organisation)
    filled = replace(current, **{name: getattr(wanted, name) for name in _DETAILS if not getattr(current, name)})
    if filled != current:
        organisation = update_organisation(actor=system, organisation=organisation, data=filled)
    return organisation


def _offer_input(spec: DemoOffer, organisation: Organisation, site: DemoSite) -> OfferInput:
    home = organisation.street or next(o.street for o in site.organisations if o.name == spec.organisation)
    places = [DemoPlace("", home)] if spec.places is None else spec.places
    return OfferInput(
        title=spec.title,
        title_nl=spec.title_nl,
        title_en=spec.title_en,
        primary_domain=spec.domain,
        description=spec.description,
        description_nl=spec.description_nl,
        description_en=spec.description_en,
        secondary_domains=list(spec.also),
        target_statuses=list(spec.statuses),
        age_min=spec.age_min,
        age_max=spec.age_max,
        eligibility=spec.eligibility,
        languages=list(spec.languages),
        interpretation_available=spec.interpreting,
        places=[
            PlaceInput(street=place.street, postcode=site.postcode, city=site.city, name=place.name) for place in places
        ],
        is_online=bool(spec.online_url),
        online_url=spec.online_url,
        phone=organisation.phone,
        opening_hours=_slots(spec.hours),
        schedule_notes=spec.schedule_notes,
        capacity_status=spec.capacity,
        waiting_weeks=spec.waiting_weeks,
        cost=spec.cost,
        cost_note=spec.cost_note,
        access=spec.access,
        valid_from=spec.valid_from,
        valid_until=spec.valid_until,
        confirm_ended=True,  # the demo keeps a funded project that has ended
    )


@transaction.atomic
def load_directory_demo(coordination) -> int:
    """Creates the demo organisations and offers missing in this coordination; returns the
    number of offers created (0 on a second run, and for a coordination without demo data)."""
    site = read_site(coordination.slug)
    if site is None:
        return 0
    system = Actor.system(coordination)
    created = 0
    with schema_context(coordination.schema_name):
        organisations = {
            spec.name: _ensure_organisation(system, coordination, spec, site) for spec in site.organisations
        }
        for spec in site.offers:
            organisation = organisations[spec.organisation]
            if Offer.objects.filter(organisation=organisation, title=spec.main_title).exists():
                continue
            offer = create_offer(actor=system, organisation=organisation, data=_offer_input(spec, organisation, site))
            if spec.verified_days_ago:
                # Demo ageing: pretend this offer was last confirmed long ago, so the freshness
                # reminders (over 90 days) and the stale marker (over 180 days) have something to show.
                Offer.objects.filter(pk=offer.pk).update(
                    last_verified_at=timezone.now() - timedelta(days=spec.verified_days_ago)
                )
            created += 1
    return created
