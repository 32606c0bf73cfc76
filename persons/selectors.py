"""Reads of persons and households, through the consent policy."""

import re
import uuid
from dataclasses import dataclass
from datetime import date

from anyascii import anyascii
from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from rapidfuzz import fuzz

from consent.models import DataCategory
from consent.policies import visibility_filter
from maillage.actor import Actor
from maillage.errors import NotFound
from persons import policies
from persons.models import Household, HouseholdMember, Person

DEADLINE_WARNING_DAYS = 30
SIMILARITY_THRESHOLD = 85


def persons_visible_to(
    *, actor: Actor, category: str = DataCategory.IDENTITY, domain_code: str | None = None
) -> QuerySet[Person]:
    """The actor's organisation's files, and files a consent in force opens to it."""
    if not policies.can_read_personal_data(actor) or actor.organisation is None:
        return Person.objects.none()
    return (
        Person.objects.filter(anonymised_at__isnull=True)
        .filter(visibility_filter(organisation_id=actor.organisation.pk, category=category, domain_code=domain_code))
        .select_related("organisation")
    )


def get_person_for(
    *, actor: Actor, public_id: uuid.UUID, category: str = DataCategory.IDENTITY, domain_code: str | None = None
) -> Person:
    try:
        return persons_visible_to(actor=actor, category=category, domain_code=domain_code).get(public_id=public_id)
    except (Person.DoesNotExist, ValueError):
        raise NotFound() from None


def _normalised(name: str) -> str:
    return re.sub(r"[^a-z ]+", "", anyascii(name or "").lower()).strip()


def possible_duplicates(
    *, actor: Actor, given_name: str, family_name: str, birth_date: date | None, birth_year: int | None
) -> list[str]:
    """Names of organisations of this coordination where a file on the same person may
    exist (same birth date or year, names alike across scripts and spellings). Nothing
    else about those files is returned."""
    year = birth_date.year if birth_date else birth_year
    if not year:
        return []
    candidates = Person.objects.filter(anonymised_at__isnull=True).filter(
        Q(birth_date=birth_date) if birth_date else Q(birth_year=year)
    )
    wanted = f"{_normalised(given_name)} {_normalised(family_name)}"
    found = set()
    for candidate in candidates.select_related("organisation").only("given_name", "family_name", "organisation__name"):
        other = f"{_normalised(candidate.given_name)} {_normalised(candidate.family_name)}"
        if fuzz.token_sort_ratio(wanted, other) >= SIMILARITY_THRESHOLD:
            found.add(candidate.organisation.name)
    return sorted(found)


@dataclass(frozen=True)
class ProgrammeDeadline:
    due: date
    days_left: int
    registered: bool

    @property
    def alert(self) -> bool:
        return not self.registered and self.days_left <= DEADLINE_WARNING_DAYS


def programme_deadline(person: Person, months: int, today: date | None = None) -> ProgrammeDeadline | None:
    """The legal deadline to register in the integration programme (months after commune
    registration: 6 in Brussels, 3 in Wallonia — a coordination setting)."""
    if not person.commune_registration_date:
        return None
    due = person.commune_registration_date + relativedelta(months=months)
    return ProgrammeDeadline(
        due=due,
        days_left=(due - (today or timezone.localdate())).days,
        registered=person.programme_registration_date is not None,
    )


def households_of(*, actor: Actor, person: Person):
    """The person's households, with their members the actor may see."""
    visible = persons_visible_to(actor=actor)
    members = HouseholdMember.objects.filter(person__in=visible).select_related("person").order_by("pk")
    return (
        Household.objects.filter(members__person=person)
        .distinct()
        .prefetch_related(Prefetch("members", queryset=members, to_attr="visible_members"))
    )


def households_kept_by(*, actor: Actor):
    if actor.organisation is None:
        return Household.objects.none()
    return Household.objects.filter(organisation=actor.organisation).order_by("name")
