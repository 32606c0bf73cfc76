"""What the HSDS 3.0 API reads: the services, organisations, services at a location and
taxonomies it lists, filtered as the standard's query parameters ask, and the nested
documents it answers with. Objects are built by hsds_objects, as for the table export.

Search is the directory's own (selectors.search_offers), so the HSDS API and the search
page find the same offers. A service was modified when the offer or its organisation
was: an offer's places, hours and need domains change only through update_offer, which
saves the offer.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.db.models.functions import Greatest
from django.utils.translation import get_language

from directory import selectors
from directory.interop import hsds_objects as objects
from directory.interop.common import _all_need_domains, _check_schema
from directory.interop.hsds_objects import DOMAINS_TAXONOMY, FACT_TERMS, FACTS_TAXONOMY
from directory.models import Location, Offer, Organisation
from maillage.actor import Actor
from maillage.errors import NotFound


@dataclass(frozen=True)
class ServiceQuery:
    search: str = ""
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    modified_after: datetime | None = None


def _domain_codes_by_term() -> dict[str, str]:
    codes = _all_need_domains().values_list("code", flat=True)
    return {objects.term_id(DOMAINS_TAXONOMY, code): code for code in codes}


def offers(*, actor: Actor, query: ServiceQuery) -> QuerySet[Offer]:
    """Services matching the query, best match first when searching, each annotated with
    `last_modified`. Ended offers are included (HSDS status "inactive")."""
    _check_schema(actor)
    domain, unknown = "", False
    if query.taxonomy_term_id is not None:
        term = str(query.taxonomy_term_id)
        domain = _domain_codes_by_term().get(term, "")
        # Every service carries every fact, so a fact term selects them all.
        unknown = not domain and term not in {objects.term_id(FACTS_TAXONOMY, name) for name in FACT_TERMS}
    if query.taxonomy_id is not None and str(query.taxonomy_id) not in {t["id"] for t in objects.taxonomies()}:
        unknown = True
    filters = selectors.OfferFilters(
        query=query.search, domain=domain, organisation=query.organization_id, include_ended=True
    )
    found = selectors.search_offers(actor=actor, filters=filters)
    found = found.annotate(last_modified=Greatest("updated_at", "organisation__updated_at"))
    if query.modified_after is not None:
        found = found.filter(last_modified__gte=query.modified_after)
    return found.none() if unknown else found


def get_offer(*, actor: Actor, public_id: uuid.UUID) -> Offer:
    try:
        return offers(actor=actor, query=ServiceQuery()).get(public_id=public_id)
    except Offer.DoesNotExist:
        raise NotFound() from None


def offers_by_organisation(*, actor: Actor, organisations: list[Organisation]) -> dict[int, list[Offer]]:
    """The services of these organisations, in one query (plus its prefetches)."""
    found: dict[int, list[Offer]] = {}
    for offer in offers(actor=actor, query=ServiceQuery()).filter(organisation__in=organisations):
        found.setdefault(offer.organisation_id, []).append(offer)
    return found


def organisations(*, actor: Actor, search: str = "") -> QuerySet[Organisation]:
    """Organisations whose name or description holds the search words (there is no full
    text index on organisations; their offers are searched by /services)."""
    _check_schema(actor)
    found = selectors.organisations(actor=actor)
    for word in search.split():
        found = found.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return found.order_by("name", "pk")


def get_organisation(*, actor: Actor, public_id: uuid.UUID) -> Organisation:
    _check_schema(actor)
    return selectors.get_organisation(actor=actor, public_id=public_id)


def services_at_locations(*, actor: Actor, query: ServiceQuery, postcode: str = "") -> list[tuple[Offer, Location]]:
    """(offer, place) pairs of the matching services, in the services' order."""
    return [
        (offer, place)
        for offer in offers(actor=actor, query=query)
        for place in offer.locations.all()
        if not postcode or place.postcode == postcode
    ]


def get_service_at_location(*, actor: Actor, hsds_id: uuid.UUID) -> tuple[Offer, Location]:
    # Its id is derived from the service and the place, so it is found by walking them.
    for offer, place in services_at_locations(actor=actor, query=ServiceQuery()):
        if objects.service_at_location_id(offer, place) == str(hsds_id):
            return offer, place
    raise NotFound()


def taxonomy_terms(*, actor: Actor) -> list[dict]:
    _check_schema(actor)
    terms = [objects.need_domain_term(domain) for domain in _all_need_domains()]
    return terms + [objects.fact_term(name) for name in FACT_TERMS]


def matches(row: dict, search: str, keys: tuple[str, ...]) -> bool:
    text = " ".join(str(row.get(key, "")) for key in keys).casefold()
    return all(word.casefold() in text for word in search.split())


# --- Documents -------------------------------------------------------------------------


def service_document(offer: Offer, *, full: bool) -> dict:
    """A service: its own fields (a list's item), or fully nested."""
    document = objects.service(offer, last_modified=getattr(offer, "last_modified", None))
    if not full:
        return document
    organisation = offer.organisation
    return document | {
        "organization": objects.organization(organisation)
        | {"organization_identifiers": objects.organization_identifiers(organisation)},
        "languages": objects.languages(offer, get_language() or "fr"),
        "schedules": objects.schedules(offer),
        "phones": objects.phones("service_id", str(offer.public_id), offer.phone),
        "service_at_locations": [
            objects.service_at_location(offer, place) | {"location": objects.location(organisation, place)}
            for place in offer.locations.all()
        ],
        "attributes": objects.service_attributes(offer),
    }


def organization_document(
    organisation: Organisation, *, services: list[Offer] | None, full_service: bool = False
) -> dict:
    """An organisation: its own fields (a list's item), or fully nested with its places
    and services when `services` is given."""
    document = objects.organization(organisation)
    if services is None:
        return document
    places = {}
    for offer in services:
        for place in offer.locations.all():
            row = objects.location(organisation, place)
            places[row["id"]] = row
    return document | {
        "organization_identifiers": objects.organization_identifiers(organisation),
        "attributes": objects.organization_attributes(organisation),
        "phones": objects.phones("organization_id", str(organisation.public_id), organisation.phone),
        "locations": [places[key] for key in sorted(places)],
        "services": [service_document(offer, full=full_service) for offer in services],
    }


def service_at_location_document(offer: Offer, place: Location, *, full: bool) -> dict:
    document = objects.service_at_location(offer, place)
    if not full:
        return document
    return document | {
        "location": objects.location(offer.organisation, place),
        "service": service_document(offer, full=False),
    }
