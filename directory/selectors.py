"""Reads of the directory. Every member of the coordination reads all of it: offers are
public facts about services, not about people."""

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import BooleanField, Exists, F, FloatField, IntegerField, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Lower
from django.utils import timezone
from django_tenants.utils import schema_context

from directory import policies, search
from directory.models import (
    Access,
    CapacityStatus,
    Location,
    NeedDomain,
    Offer,
    OpeningHours,
    Organisation,
    ThesaurusEntry,
)
from maillage.actor import Actor
from maillage.errors import NotFound

REMIND_AFTER = timedelta(days=90)
STALE_AFTER = timedelta(days=180)


def member_organisations(*, actor: Actor) -> QuerySet[Organisation]:
    """Organisations of the actor's coordination that take part in it."""
    return Organisation.objects.filter(is_member=True).order_by("name")


@dataclass(frozen=True)
class OrganisationCard:
    """What another coordination's directory shows of one of its member organisations."""

    public_id: uuid.UUID
    name: str
    kind: str


def member_directory_of(*, actor: Actor | None, coordination) -> list[OrganisationCard]:
    """The member organisations of another coordination, read in its schema: the one read
    across coordinations a member may make (to name where a family moves), and it gives
    organisations only. An inactive coordination shows none."""
    if not coordination.is_active or coordination.is_public:
        return []
    with schema_context(coordination.schema_name):
        rows = list(
            Organisation.objects.filter(is_member=True).order_by("name").values_list("public_id", "name", "kind")
        )
    return [OrganisationCard(public_id, name, kind) for public_id, name, kind in rows]


def organisation_names(public_ids) -> dict:
    """Names of the organisations with these public ids (audit events name them by id), in
    one query."""
    ids = {public_id for public_id in public_ids if public_id}
    return dict(Organisation.objects.filter(public_id__in=ids).values_list("public_id", "name"))


def organisations(*, actor: Actor) -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name")


def get_organisation(*, actor: Actor, public_id: uuid.UUID) -> Organisation:
    try:
        return Organisation.objects.get(public_id=public_id)
    except (Organisation.DoesNotExist, ValueError):
        raise NotFound() from None


def need_domains(*, actor: Actor) -> QuerySet[NeedDomain]:
    return NeedDomain.objects.order_by("position", "code")


def thesaurus_entries(*, actor: Actor) -> QuerySet[ThesaurusEntry]:
    """The search thesaurus, the coordination's own entries first."""
    return ThesaurusEntry.objects.prefetch_related("terms", "domains").order_by("-is_local", "-updated_at", "pk")


def get_thesaurus_entry(*, actor: Actor, public_id: uuid.UUID) -> ThesaurusEntry:
    try:
        return ThesaurusEntry.objects.prefetch_related("terms", "domains").get(public_id=public_id)
    except (ThesaurusEntry.DoesNotExist, ValueError):
        raise NotFound() from None


@dataclass(frozen=True)
class OfferFilters:
    query: str = ""
    domain: str = ""
    language: str = ""
    status: str = ""
    open_now: bool = False
    no_appointment: bool = False
    capacity: str = ""
    organisation_kind: str = ""
    organisation: uuid.UUID | None = None
    include_ended: bool = False


def _with_relations(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    return offers.select_related("organisation", "primary_domain", "last_verified_by").prefetch_related(
        "secondary_domains",
        "opening_hours",
        Prefetch("locations", queryset=Location.objects.order_by("city", "street")),
    )


def current(offers: QuerySet[Offer], today=None) -> QuerySet[Offer]:
    """Offers not past their end date (ended ones stay stored, for history)."""
    today = today or timezone.localdate()
    return offers.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))


def has_ended(offer: Offer, today=None) -> bool:
    """The offer is past its end date: `current` leaves it out."""
    return offer.valid_until is not None and offer.valid_until < (today or timezone.localdate())


def _filtered(filters: OfferFilters, now: datetime) -> QuerySet[Offer]:
    offers = Offer.objects.all()
    if not filters.include_ended:
        offers = current(offers, now.date())
    if filters.domain:
        offers = offers.filter(
            Q(primary_domain__code=filters.domain)
            | Exists(
                Offer.secondary_domains.through.objects.filter(offer=OuterRef("pk"), needdomain__code=filters.domain)
            )
        )
    if filters.language:
        offers = offers.filter(languages__contains=[filters.language])
    if filters.status:
        # An offer with no listed status is open to everyone.
        offers = offers.filter(Q(target_statuses__contains=[filters.status]) | Q(target_statuses=[]))
    if filters.open_now:
        offers = offers.filter(
            Exists(
                OpeningHours.objects.filter(
                    offer=OuterRef("pk"),
                    weekday=now.isoweekday(),
                    opens_at__lte=now.time(),
                    closes_at__gt=now.time(),
                )
            )
        )
    if filters.no_appointment:
        offers = offers.filter(access=Access.DROP_IN)
    if filters.capacity:
        offers = offers.filter(capacity_status=filters.capacity)
    if filters.organisation_kind:
        offers = offers.filter(organisation__kind=filters.organisation_kind)
    if filters.organisation:
        offers = offers.filter(organisation__public_id=filters.organisation)
    return offers


def _matching(filters: OfferFilters, read: search.ReadQuery, now: datetime) -> QuerySet[Offer]:
    offers = _filtered(filters, now)
    if read.is_blank:
        return offers.order_by("title", "pk")
    if read.nothing_to_search:
        return offers.none()
    # The SQL is directory.search's own text; what was typed reaches it as parameters only.
    where, coverage, rank, where_params, coverage_params, rank_params = search.match_sql(read)
    matches = RawSQL(where, where_params, output_field=BooleanField())  # noqa: S611
    matched = RawSQL(coverage, coverage_params, output_field=IntegerField())  # noqa: S611
    closeness = RawSQL(rank, rank_params, output_field=FloatField())  # noqa: S611
    return offers.filter(matches).annotate(matched=matched, rank=closeness).order_by("-matched", "-rank", "title", "pk")


# With fewer results than this, the search takes offers matching some of the words, and
# the page helps to search wider.
FEW_RESULTS = 3


@dataclass(frozen=True)
class DirectorySearch:
    """The offers found, best first, and how the query was read (what was searched)."""

    offers: QuerySet[Offer]
    read: search.ReadQuery


def directory_search(*, actor: Actor, filters: OfferFilters, now: datetime | None = None) -> DirectorySearch:
    """The directory's search, for the page and the API alike: the query read into
    concepts (directory.search: prefixes, stems in French, Dutch and English, misspellings,
    the thesaurus) and the filters; offers matching the most concepts first, then the
    closest; when fewer than FEW_RESULTS match enough concepts, those matching one or more
    follow. A constant number of queries whatever the query and the number of results:
    two to read the query, one count for a query of several concepts, one for the page, one
    per prefetched relation."""
    now = timezone.localtime(now or timezone.now())
    read = search.read_query(filters.query)
    offers = _matching(filters, read, now)
    if read.needed > 1 and offers.count() < FEW_RESULTS:
        # Offers matching some of the words follow those matching enough of them.
        read = replace(read, relaxed=True)
        offers = _matching(filters, read, now)
    return DirectorySearch(_with_relations(offers), read)


def search_offers(*, actor: Actor, filters: OfferFilters, now: datetime | None = None) -> QuerySet[Offer]:
    """The offers of `directory_search`, best first."""
    return directory_search(actor=actor, filters=filters, now=now).offers


# The filters a search can be widened by dropping, with the value that drops each.
DROPPABLE_FILTERS = {
    "domain": "",
    "language": "",
    "status": "",
    "open_now": False,
    "no_appointment": False,
    "capacity": "",
    "organisation_kind": "",
    "organisation": None,
}


@dataclass(frozen=True)
class Widening:
    """The same query without some filters, and how many offers it finds."""

    dropped: tuple[str, ...]
    filters: OfferFilters
    count: int


@dataclass(frozen=True)
class SearchHelp:
    widenings: list[Widening]
    closest_domain: NeedDomain | None
    closest_domain_count: int


def search_help(
    *, actor: Actor, filters: OfferFilters, read: search.ReadQuery, now: datetime | None = None
) -> SearchHelp:
    """For a search with few or no results: the same query without each filter, and
    without all of them, with their counts (those that find more only); and the need
    domain closest to the query, with its offer count. At most one count per filter set,
    plus two."""
    now = timezone.localtime(now or timezone.now())
    active = tuple(name for name, empty in DROPPABLE_FILTERS.items() if getattr(filters, name) != empty)
    found = _matching(filters, read, now).count() if active else 0
    candidates = [(name,) for name in active]
    if len(active) > 1:
        candidates.append(active)
    widenings = []
    for dropped in candidates:
        wider = replace(filters, **{name: DROPPABLE_FILTERS[name] for name in dropped})
        count = _matching(wider, read, now).count()
        if count > found:
            widenings.append(Widening(dropped, wider, count))
    domain = _closest_domain(read)
    domain_count = 0
    if domain is not None:
        domain_count = _matching(OfferFilters(domain=domain.code), search.read_query(""), now).count()
    return SearchHelp(widenings, domain, domain_count)


def _closest_domain(read: search.ReadQuery) -> NeedDomain | None:
    """The need domain the thesaurus points the query to, else the one whose label is
    most like the query (pg_trgm word similarity, in the three languages)."""
    if read.domains:
        return NeedDomain.objects.filter(code=read.domains[0]).first()
    words = " ".join(concept.typed for concept in read.concepts) or search.fold(read.text)
    if not words:
        return None
    similarity = Greatest(
        *(TrigramWordSimilarity(words, Lower(f"label_{language}")) for language in ("fr", "nl", "en"))
    )
    return (
        NeedDomain.objects.annotate(similarity=similarity)
        .filter(similarity__gte=CLOSEST_DOMAIN_SIMILARITY)
        .order_by("-similarity", "position")
        .first()
    )


CLOSEST_DOMAIN_SIMILARITY = 0.4


def get_offer(*, actor: Actor, public_id: uuid.UUID) -> Offer:
    try:
        return _with_relations(Offer.objects.all()).get(public_id=public_id)
    except (Offer.DoesNotExist, ValueError):
        raise NotFound() from None


def offers_by_ids(*, actor: Actor, public_ids: list[uuid.UUID]) -> list[Offer]:
    """The chosen offers, in the order chosen (for a printed list)."""
    found = {o.public_id: o for o in _with_relations(Offer.objects.filter(public_id__in=public_ids))}
    return [found[i] for i in public_ids if i in found]


def freshness(offer: Offer, now: datetime | None = None) -> str:
    """'ok', 'remind' (unverified for 90 days) or 'to_verify' (180 days: flagged in results)."""
    age = (now or timezone.now()) - offer.last_verified_at
    if age >= STALE_AFTER:
        return "to_verify"
    if age >= REMIND_AFTER:
        return "remind"
    return "ok"


def offers_needing_a_reminder(now: datetime | None = None) -> QuerySet[Offer]:
    """Unverified for 90 days and not reminded since their last verification."""
    now = now or timezone.now()
    return (
        current(Offer.objects.all(), timezone.localdate(now))
        .filter(last_verified_at__lte=now - REMIND_AFTER)
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=F("last_verified_at")))
        .select_related("organisation")
    )


def offers_to_verify(*, actor: Actor, now: datetime | None = None) -> QuerySet[Offer]:
    """The current offers of the actor's organisation that `freshness` no longer calls
    'ok' (unverified for REMIND_AFTER), oldest verification first, for those who may
    confirm them (directory.policies.can_edit_offers_of)."""
    now = now or timezone.now()
    organisation = actor.organisation
    if organisation is None or not policies.can_edit_offers_of(actor, organisation):
        return Offer.objects.none()
    return (
        current(Offer.objects.filter(organisation_id=organisation.pk), timezone.localdate(now))
        .filter(last_verified_at__lte=now - REMIND_AFTER)
        .order_by("last_verified_at", "pk")
    )


OPEN_CAPACITY = (CapacityStatus.OPEN, CapacityStatus.WAITING_LIST)
# The gaps the policy brief names: housing, administrative and legal information, translation.
PRIORITY_DOMAINS = ("housing", "administrative", "legal_aid", "residence_status", "translation")


@dataclass(frozen=True)
class CoverageRow:
    domain: NeedDomain
    open_offers: int
    languages: list[str]
    is_priority: bool

    @property
    def is_gap(self) -> bool:
        return self.open_offers == 0


def coverage(*, actor: Actor) -> list[CoverageRow]:
    """Need domains × open offers (current, taking people or with a waiting list) and the
    languages they are given in. Three queries."""
    offers = current(Offer.objects.filter(capacity_status__in=OPEN_CAPACITY))
    by_domain: dict[int, list] = {}
    languages_of: dict[int, list[str]] = {}
    for pk, domain_id, languages in offers.values_list("pk", "primary_domain_id", "languages"):
        by_domain.setdefault(domain_id, []).append(pk)
        languages_of[pk] = languages
    through = Offer.secondary_domains.through.objects.filter(offer_id__in=languages_of.keys())
    for offer_id, domain_id in through.values_list("offer_id", "needdomain_id"):
        by_domain.setdefault(domain_id, []).append(offer_id)
    rows = []
    for domain in NeedDomain.objects.order_by("position", "code"):
        offer_ids = set(by_domain.get(domain.pk, []))
        languages = sorted({code for pk in offer_ids for code in languages_of[pk]})
        rows.append(CoverageRow(domain, len(offer_ids), languages, domain.code in PRIORITY_DOMAINS))
    return rows
