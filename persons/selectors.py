"""Reads of persons and households, through the consent policy."""

import operator
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce

from dateutil.relativedelta import relativedelta
from django.contrib.postgres.search import TrigramStrictWordSimilarity, TrigramWordSimilarity
from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    Expression,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from consent.models import DataCategory
from consent.policies import visibility_filter
from maillage.actor import Actor
from maillage.errors import Invalid, NotFound
from persons import names, policies
from persons.models import WORK_ON_PERSON, Household, HouseholdMember, Person, PersonAssignment

DEADLINE_WARNING_DAYS = 30
# Longer than any two names a file holds (100 + 100 characters); longer input is refused.
NAME_QUERY_MAX_LENGTH = 200
# The shortest consonant skeleton the name match uses (persons.names).
MIN_KEY_LETTERS = 2


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
    """One file the actor may see, with its assignee (with_assignee) read in the same query."""
    try:
        visible = persons_visible_to(actor=actor, category=category, domain_code=domain_code)
        return with_assignee(visible).get(public_id=public_id)
    except (Person.DoesNotExist, ValueError):
        raise NotFound() from None


def _assignments():
    return PersonAssignment.objects.filter(content_object=OuterRef("pk"), permission__codename=WORK_ON_PERSON)


def with_assignee(persons):
    """Each file with `assignee_user_id` and `assignee_name` (the account's name, its e-mail
    address when it has none; None: nobody took it), read by subqueries in the same query."""
    latest = _assignments().order_by("-created_at", "-pk")
    name = Coalesce(NullIf(F("user__full_name"), Value("")), F("user__email"), output_field=CharField())
    return persons.annotate(
        assignee_user_id=Subquery(latest.values("user_id")[:1]),
        assignee_name=Subquery(latest.annotate(name=name).values("name")[:1]),
    )


def assigned_to_actor(actor: Actor, person) -> bool:
    """Whether the person (read through with_assignee) is assigned to the actor."""
    return getattr(person, "assignee_user_id", None) == actor.user.pk


def assignee_shown(actor: Actor, person) -> str | None:
    """Who took the file, for the organisation that keeps it only."""
    if actor.organisation is None or person.organisation_id != actor.organisation.pk:
        return None
    return getattr(person, "assignee_name", None)


def files_assigned_to_me(*, actor: Actor) -> QuerySet[Person]:
    """The open files of the actor's organisation assigned to the actor, by name."""
    if not policies.can_open_files(actor):
        return Person.objects.none()
    mine = _assignments().filter(user_id=actor.user.pk)
    # Only the organisation's own files can be assigned, and its own files are always
    # visible to it (persons_visible_to): no consent to join on, which keeps this cheap.
    return (
        Person.objects.filter(Exists(mine), organisation=actor.organisation, closed_at__isnull=True)
        .filter(anonymised_at__isnull=True)
        .select_related("organisation")
        .order_by("family_name", "given_name", "pk")
    )


def name_match(name: str) -> tuple[Q, Expression]:
    """The one rule for "a name like this one", used by the search and the duplicate
    warning: the condition and a score (0 to 2, higher is closer) to order by.

    A file matches when the typed name, transliterated and unaccented, is found in its name
    with pg_trgm's word similarity (at least pg_trgm.word_similarity_threshold, 0.6 by
    default), or its consonant skeleton in the file's skeleton with strict word similarity
    (pg_trgm.strict_word_similarity_threshold, 0.5 by default): the skeleton is what brings
    "Amina Youssef" and "أمينة يوسف" together. Both are operators the trigram indexes serve.
    A skeleton of one letter ("Aya" gives "a") would match half the files: it is not used.
    """
    wanted_name, wanted_key = names.search_name(name), names.search_key(name)
    condition = Q(search_name__trigram_word_similar=wanted_name)
    score = TrigramWordSimilarity(wanted_name, "search_name")
    if len(wanted_key.replace(" ", "")) >= MIN_KEY_LETTERS:
        condition |= Q(search_key__trigram_strict_word_similar=wanted_key)
        score = score + TrigramStrictWordSimilarity(wanted_key, "search_key")
    return condition, score


def _checked_name(name: str) -> str:
    name = (name or "").strip()
    if len(name) > NAME_QUERY_MAX_LENGTH:
        raise Invalid(fields={"q": [_("At most %(count)d characters.") % {"count": NAME_QUERY_MAX_LENGTH}]})
    if name and len(names.search_name(name).replace(" ", "")) < 2:
        raise Invalid(fields={"q": [_("Type at least two letters of a name.")]})
    return name


def search_persons(*, actor: Actor, name: str = "", birth_date: date | None = None) -> QuerySet[Person]:
    """The files the actor may see whose name is like `name` (any spelling or script) or
    whose birth date is `birth_date`, closest first; every visible file, by name, when
    neither is given. Raises Invalid (field "q") for a name too long or without letters."""
    name = _checked_name(name)
    persons = persons_visible_to(actor=actor)
    wanted, annotations, closest_first = [], {}, []
    if birth_date is not None:
        wanted.append(Q(birth_date=birth_date))
        annotations["born_that_day"] = Case(When(birth_date=birth_date, then=Value(True)), default=Value(False))
        closest_first.append(F("born_that_day").desc())
    if name:
        condition, score = name_match(name)
        wanted.append(condition)
        annotations["name_score"] = score
        closest_first.append(F("name_score").desc())
    if wanted:
        persons = persons.filter(reduce(operator.or_, wanted)).annotate(**annotations)
    return persons.order_by(*closest_first, "family_name", "given_name", "pk")


def possible_duplicates(
    *, actor: Actor, given_name: str, family_name: str, birth_date: date | None, birth_year: int | None
) -> list[str]:
    """Names of organisations of this coordination where a file on the same person may
    exist (same birth date, or year when the date is unknown, and a name that matches as
    in the search). Nothing else about those files is returned."""
    year = birth_date.year if birth_date else birth_year
    if not year:
        return []
    condition, _score = name_match(f"{given_name} {family_name}")
    found = (
        Person.objects.filter(anonymised_at__isnull=True)
        .filter(Q(birth_date=birth_date) if birth_date else Q(birth_year=year))
        .filter(condition)
        .values_list("organisation__name", flat=True)
        .order_by()
        .distinct()
    )
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
    registration: 6 in Brussels, 3 in Wallonia — a coordination setting). A file opened on
    arrival from another coordination keeps the deadline reckoned there: a move does not
    restart the clock."""
    if person.programme_due_carried:
        due = person.programme_due_carried
    elif person.commune_registration_date:
        due = person.commune_registration_date + relativedelta(months=months)
    else:
        return None
    return ProgrammeDeadline(
        due=due,
        days_left=(due - (today or timezone.localdate())).days,
        registered=person.programme_registration_date is not None,
    )


def _programme_due(months: int) -> Func:
    """The registration deadline in SQL, as `programme_deadline` computes it: PostgreSQL
    adds months the way relativedelta does (31 January + 1 month = the end of February)."""
    reckoned = Func(
        F("commune_registration_date"),
        Value(months),
        template="(%(expressions)s * INTERVAL '1 month')::date",
        arg_joiner=" + ",
        output_field=DateField(),
    )
    return Coalesce(F("programme_due_carried"), reckoned, output_field=DateField())


def programme_deadlines_near(*, actor: Actor, months: int, today: date | None = None) -> QuerySet[Person]:
    """The persons the actor may see whose programme deadline raises the alert
    (ProgrammeDeadline.alert, in SQL): not registered yet, due within
    DEADLINE_WARNING_DAYS or already past; soonest first, each with `programme_due`."""
    today = today or timezone.localdate()
    return (
        persons_visible_to(actor=actor)
        .filter(programme_registration_date__isnull=True)
        .filter(Q(commune_registration_date__isnull=False) | Q(programme_due_carried__isnull=False))
        .annotate(programme_due=_programme_due(months))
        .filter(programme_due__lte=today + timedelta(days=DEADLINE_WARNING_DAYS))
        .order_by("programme_due", "family_name", "pk")
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


def get_household_for(*, actor: Actor, public_id: uuid.UUID) -> Household:
    """A household the actor's organisation keeps; another organisation's is not found."""
    try:
        return households_kept_by(actor=actor).get(public_id=public_id)
    except (Household.DoesNotExist, ValueError):
        raise NotFound() from None


def audit_references(*, person_public_ids) -> dict:
    """How the audit trail names persons (maillage.settings MAILLAGE_AUDIT_PERSON_REFERENCES):
    initials and the start of the public id, enough for a coordinator to tell two apart
    and to ask the organisation that keeps the file, never the name. An anonymised file
    keeps the id only."""
    ids = {public_id for public_id in person_public_ids if public_id}
    references = {}
    rows = Person.objects.filter(public_id__in=ids).values_list(
        "public_id", "given_name", "family_name", "anonymised_at"
    )
    for public_id, given_name, family_name, anonymised_at in rows:
        short = str(public_id)[:8]
        initials = "".join(f"{name.strip()[:1].upper()}." for name in (given_name, family_name) if name.strip())
        references[public_id] = short if anonymised_at or not initials else f"{initials} {short}"
    return references


def file_for_handover(*, organisation_public_id: uuid.UUID, public_id: uuid.UUID, lock: bool = False) -> Person:
    """The file an organisation keeps on a person, for handing it over to another
    coordination (the transfer names both by id; the caller has checked the consent)."""
    persons = Person.objects.select_for_update(of=("self",)) if lock else Person.objects
    try:
        return persons.select_related("organisation").get(
            public_id=public_id, organisation__public_id=organisation_public_id, anonymised_at__isnull=True
        )
    except (Person.DoesNotExist, ValueError):
        raise NotFound() from None
