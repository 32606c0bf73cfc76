"""One function per Open Referral HSDS 3.0 object: a Maillage record as the standard's JSON.

The table export, the import's expectations and the HSDS API all go through these, so a
field is named, typed and left out in one place. HSDS types optional fields as strings or
numbers: an absent value is left out of the object, never sent as null.

The Belgian profile (README, "HSDS profile"): the BCE/KBO enterprise number is an
organization_identifier of scheme BE-BCE_KBO (and the tax_id); addresses carry the ISO
3166-2 codes of the province and region, derived from the postcode; need domains are the
"maillage-need-domains" taxonomy; what HSDS has no field for (statuses of the public,
capacity, access "referral only", ...) travels as attributes against "maillage-facts", and
so do an offer's title and description in each language (OFFER_VERSIONS).
"""

import json
import uuid
from datetime import datetime
from typing import Any

from django.utils import timezone

from directory.models import Access, Location, NeedDomain, Offer, Organisation
from maillage.languages import language_name

HSDS_VERSION = "3.0"
# Fixed once: every derived HSDS id is uuid5(NAMESPACE, "kind:parent:...").
NAMESPACE = uuid.UUID("57a129aa-a3cc-4f54-96f3-7e5b8886da24")
DOMAINS_TAXONOMY = "maillage-need-domains"
FACTS_TAXONOMY = "maillage-facts"
# org-id.guide's list for the Belgian Crossroads Bank for Enterprises.
BCE_SCHEME = "BE-BCE_KBO"
BCE_TYPE = "BCE/KBO enterprise number"

# Maillage fields HSDS has no place for, and how their value is written in an attribute:
# text as is; bool, int and list JSON-encoded; dates ISO or "null"; datetimes ISO in the
# platform's time zone with its offset, as everywhere in the API.
ORGANISATION_FACTS = {
    "kind": "text",
    "is_member": "bool",
    "staff_languages": "list",
    "street": "text",
    "postcode": "text",
    "city": "text",
    "phone": "text",
}
OFFER_FACTS = {
    "target_statuses": "list",
    "interpretation_available": "bool",
    "is_online": "bool",
    "phone": "text",
    "capacity_status": "text",
    "waiting_weeks": "int",
    "cost": "text",
    "access": "text",
    "valid_from": "date",
    "valid_until": "date",
    "last_verified_at": "datetime",
    "schedule_notes": "text",
}
# HSDS 3.0 has one name and one description per object and no language of its own: the
# service's `name` and `description` hold the first version given (French, Dutch, English,
# as Offer.title), and each version travels as a fact of its own, written when not blank;
# an organisation's Dutch name likewise. An import that finds no version facts (another
# publisher's document) takes `name` and `description` as the French version.
OFFER_VERSIONS = ("title_fr", "title_nl", "title_en", "description_fr", "description_nl", "description_en")
ORGANISATION_VERSIONS = ("name_nl",)
ORGANISATION_FACTS.update(dict.fromkeys(ORGANISATION_VERSIONS, "text"))
OFFER_FACTS.update(dict.fromkeys(OFFER_VERSIONS, "text"))
FACT_TERMS = sorted({*ORGANISATION_FACTS, *OFFER_FACTS})

BYDAY = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}

# bpost's postcode ranges → ISO 3166-2:BE (province; Brussels has none, its region stands in).
_PROVINCES = (
    (1000, 1299, "BE-BRU", "BE-BRU"),
    (1300, 1499, "BE-WBR", "BE-WAL"),
    (1500, 1999, "BE-VBR", "BE-VLG"),
    (2000, 2999, "BE-VAN", "BE-VLG"),
    (3000, 3499, "BE-VBR", "BE-VLG"),
    (3500, 3999, "BE-VLI", "BE-VLG"),
    (4000, 4999, "BE-WLG", "BE-WAL"),
    (5000, 5999, "BE-WNA", "BE-WAL"),
    (6000, 6599, "BE-WHT", "BE-WAL"),
    (6600, 6999, "BE-WLX", "BE-WAL"),
    (7000, 7999, "BE-WHT", "BE-WAL"),
    (8000, 8999, "BE-VWV", "BE-VLG"),
    (9000, 9999, "BE-VOV", "BE-VLG"),
)


def uid(kind: str, *parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *(str(p) for p in parts)])))


def present(row: dict) -> dict:
    """The row without its absent (None) values: HSDS leaves them out."""
    return {key: value for key, value in row.items() if value is not None}


def _blank_to_none(value: str) -> str | None:
    return value or None


def province_and_region(postcode: str) -> tuple[str, str] | tuple[None, None]:
    """ISO 3166-2 codes of the province and the region of a Belgian postcode."""
    if postcode.isdigit():
        number = int(postcode)
        for low, high, province, region in _PROVINCES:
            if low <= number <= high:
                return province, region
    return None, None


def encode_fact(kind: str, value: Any) -> str:
    if kind == "text":
        return value
    if kind == "date":
        return value.isoformat() if value else "null"
    if kind == "datetime":
        return timezone.localtime(value).isoformat() if value else "null"
    return json.dumps(value)


def _fact(link_id: str, entity: str, name: str, value: str) -> dict:
    return {
        "id": uid("attribute", link_id, FACTS_TAXONOMY, name),
        "link_id": link_id,
        "link_type": entity,
        "link_entity": entity,
        "taxonomy_term_id": uid("taxonomy_term", FACTS_TAXONOMY, name),
        "value": value,
        "label": name,
    }


def term_id(taxonomy: str, code: str) -> str:
    return uid("taxonomy_term", taxonomy, code)


def taxonomy_id(taxonomy: str) -> str:
    return uid("taxonomy", taxonomy)


def location_id(organisation: Organisation, location: Location) -> str:
    # Places are created by the offer services with a fresh public_id that an import
    # cannot set, so a place is named by what makes it unique: organisation and address.
    return uid("location", organisation.public_id, location.street, location.postcode)


def service_at_location_id(offer: Offer, location: Location) -> str:
    return uid("service_at_location", offer.public_id, location_id(offer.organisation, location))


# --- Organisations ---------------------------------------------------------------------


def organization(organisation: Organisation) -> dict:
    return present(
        {
            "id": str(organisation.public_id),
            "name": organisation.name,
            "description": organisation.description,
            "email": _blank_to_none(organisation.email),
            "website": _blank_to_none(organisation.website),
            "tax_id": _blank_to_none(organisation.enterprise_number),
        }
    )


def organization_identifiers(organisation: Organisation) -> list[dict]:
    if not organisation.enterprise_number:
        return []
    organisation_id = str(organisation.public_id)
    return [
        {
            "id": uid("organization_identifier", organisation_id, BCE_SCHEME),
            "organization_id": organisation_id,
            "identifier_scheme": BCE_SCHEME,
            "identifier_type": BCE_TYPE,
            "identifier": organisation.enterprise_number,
        }
    ]


def organization_attributes(organisation: Organisation) -> list[dict]:
    organisation_id = str(organisation.public_id)
    return [
        _fact(organisation_id, "organization", name, encode_fact(kind, getattr(organisation, name)))
        for name, kind in ORGANISATION_FACTS.items()
        if name not in ORGANISATION_VERSIONS or getattr(organisation, name)
    ]


def phones(key: str, owner_id: str, number: str) -> list[dict]:
    """The phone of an organisation or a service (key: "organization_id" or "service_id").
    The number also travels as the "phone" fact, which older documents carry alone."""
    if not number:
        return []
    return [{"id": uid("phone", owner_id), key: owner_id, "number": number}]


# --- Services and what hangs off them -----------------------------------------------------


def service(offer: Offer, *, last_modified: datetime | None = None) -> dict:
    """The service's own fields. `last_modified` is given by the API, which computes it
    over the offer and its organisation; the table export leaves it out so that a
    document exported twice from the same data is the same."""
    expired = offer.valid_until is not None and offer.valid_until < timezone.localdate()
    return present(
        {
            "id": str(offer.public_id),
            "organization_id": str(offer.organisation.public_id),
            "name": offer.title,
            "description": offer.description,
            "url": _blank_to_none(offer.online_url),
            "status": "inactive" if expired else "active",
            "application_process": str(Access(offer.access).label),
            "fees_description": _blank_to_none(offer.cost_note),
            "eligibility_description": _blank_to_none(offer.eligibility),
            "minimum_age": offer.age_min,
            "maximum_age": offer.age_max,
            "assured_date": timezone.localdate(offer.last_verified_at).isoformat(),
            "last_modified": timezone.localtime(last_modified).isoformat() if last_modified else None,
        }
    )


def service_attributes(offer: Offer) -> list[dict]:
    service_id = str(offer.public_id)
    rows = [
        _fact(service_id, "service", name, encode_fact(kind, getattr(offer, name)))
        for name, kind in OFFER_FACTS.items()
        if name not in OFFER_VERSIONS or getattr(offer, name)
    ]
    domains = [("primary", offer.primary_domain)]
    domains += [("secondary", d) for d in offer.secondary_domains.all() if d.pk != offer.primary_domain_id]
    for label, domain in domains:
        rows.append(
            {
                "id": uid("attribute", service_id, DOMAINS_TAXONOMY, domain.code),
                "link_id": service_id,
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": term_id(DOMAINS_TAXONOMY, domain.code),
                "label": label,
            }
        )
    return rows


def languages(offer: Offer, language: str) -> list[dict]:
    service_id = str(offer.public_id)
    return [
        {
            "id": uid("language", service_id, code),
            "service_id": service_id,
            "name": language_name(code, language),
            "code": code,
            # HSDS keeps no order; the first language is the one the offer shows first.
            "x_position": position,
        }
        for position, code in enumerate(offer.languages)
    ]


def schedules(offer: Offer) -> list[dict]:
    service_id = str(offer.public_id)
    rows = []
    for slot in offer.opening_hours.all():
        opens, closes = slot.opens_at.strftime("%H:%M"), slot.closes_at.strftime("%H:%M")
        rows.append(
            {
                "id": uid("schedule", service_id, slot.weekday, opens, closes),
                "service_id": service_id,
                "freq": "WEEKLY",
                "interval": 1,
                "byday": BYDAY[slot.weekday],
                "opens_at": opens,
                "closes_at": closes,
            }
        )
    return rows


def service_at_location(offer: Offer, location: Location) -> dict:
    return {
        "id": service_at_location_id(offer, location),
        "service_id": str(offer.public_id),
        "location_id": location_id(offer.organisation, location),
    }


def location(organisation: Organisation, place: Location) -> dict:
    """A place of `organisation` (passed rather than read from the place, which lists
    load without it)."""
    place_id = location_id(organisation, place)
    province, region = province_and_region(place.postcode)
    return present(
        {
            "id": place_id,
            "organization_id": str(organisation.public_id),
            "location_type": "physical",
            "name": _blank_to_none(place.name),
            "addresses": [
                present(
                    {
                        "id": uid("address", place_id),
                        "location_id": place_id,
                        "address_1": place.street,
                        "city": place.city,
                        "region": region,
                        "state_province": province or "",
                        "postal_code": place.postcode,
                        "country": "BE",
                        "address_type": "physical",
                    }
                )
            ],
        }
    )


# --- Taxonomies --------------------------------------------------------------------------


def taxonomies() -> list[dict]:
    return [
        {
            "id": taxonomy_id(DOMAINS_TAXONOMY),
            "name": DOMAINS_TAXONOMY,
            "description": "Need domains of the Maillage directory",
        },
        {
            "id": taxonomy_id(FACTS_TAXONOMY),
            "name": FACTS_TAXONOMY,
            "description": "Maillage fields HSDS has no place for; the attribute's value holds the field's value",
        },
    ]


def need_domain_term(domain: NeedDomain) -> dict:
    # One term per domain, named in French (the label most terms were written in); the
    # Dutch and English labels travel beside it.
    return {
        "id": term_id(DOMAINS_TAXONOMY, domain.code),
        "code": domain.code,
        "name": domain.label_fr,
        "description": domain.label_fr,
        "taxonomy": DOMAINS_TAXONOMY,
        "taxonomy_id": taxonomy_id(DOMAINS_TAXONOMY),
        "language": "fr",
        "x_label_nl": domain.label_nl,
        "x_label_en": domain.label_en,
    }


def fact_term(name: str) -> dict:
    return {
        "id": term_id(FACTS_TAXONOMY, name),
        "code": name,
        "name": name,
        "description": name,
        "taxonomy": FACTS_TAXONOMY,
        "taxonomy_id": taxonomy_id(FACTS_TAXONOMY),
    }
