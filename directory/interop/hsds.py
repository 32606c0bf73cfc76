"""Open Referral HSDS 3.0 export and import.

An offer is an HSDS service, a place a location, a need domain a taxonomy term of the
"maillage-need-domains" taxonomy (linked to services by attributes labelled "primary" or
"secondary"). What HSDS has no field for travels as attributes against a second taxonomy,
"maillage-facts", whose terms are field names, so that export → import → export gives the
same document. Each object is written by its function in hsds_objects, which the HSDS API
uses too.

The import also reads what other publishers write: the nested objects of their API (one
service, a Page of them, or tables whose rows nest their children) are flattened into
tables first, and what Maillage keeps no place for is listed in the report's `unmapped`
rather than refused.
"""

import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from directory.interop import hsds_objects as objects
from directory.interop.common import (
    ImportReport,
    _all_need_domains,
    _all_offers,
    _all_organisations,
    _At,
    _check_schema,
    _closes_after_opens,
    _in_one_transaction,
    _may_import,
    _need_domain_codes,
    _offers_by_public_id,
    _organisations_by_public_id,
    _parse_date,
    _parse_uuid,
)
from directory.interop.hsds_objects import (
    BCE_SCHEME,
    BYDAY,
    DOMAINS_TAXONOMY,
    FACT_TERMS,
    FACTS_TAXONOMY,
    OFFER_FACTS,
    OFFER_VERSIONS,
    ORGANISATION_FACTS,
)
from directory.models import (
    TEXT_LANGUAGES,
    Access,
    CapacityStatus,
    Cost,
    Offer,
    OrganisationKind,
)
from directory.services import (
    POSTCODE_RE,
    OfferInput,
    OrganisationInput,
    PlaceInput,
    Slot,
    create_offer,
    create_organisation,
    normalise_enterprise_number,
    update_offer,
    update_organisation,
)
from maillage.actor import Actor
from maillage.errors import DomainError, Invalid
from maillage.languages import is_known_language

TABLES = (
    "organizations",
    "organization_identifiers",
    "services",
    "locations",
    "service_at_locations",
    "schedules",
    "languages",
    "phones",
    "taxonomies",
    "taxonomy_terms",
    "attributes",
)
# The other tables may be left out of a document (they are then empty).
REQUIRED_TABLES = ("organizations", "services")
WEEKDAY_OF_BYDAY = {code: day for day, code in BYDAY.items()}
# The need domain a service that names none is filed under (another publisher's).
UNCLASSIFIED = "other"

# Where a service's complaint about a field shows in an HSDS document.
_ORGANISATION_FIELD_IN_HSDS = {"enterprise_number": "tax_id"}
_OFFER_FIELD_IN_HSDS = {
    "title": "name",
    "online_url": "url",
    "cost_note": "fees_description",
    "eligibility": "eligibility_description",
    "age_min": "minimum_age",
    "age_max": "maximum_age",
    "primary_domain": "attributes",
    "secondary_domains": "attributes",
    "places": "service_at_locations",
    "opening_hours": "schedules",
}


# --- Export --------------------------------------------------------------------------


def export_hsds(*, actor: Actor) -> dict:
    """The current coordination's directory as HSDS 3.0 tables, each sorted by id.

    Places no offer uses any more are left out: nothing shows them, and an import can
    only create a place through an offer.
    """
    _check_schema(actor)
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    language = get_language() or "fr"

    for organisation in _all_organisations():
        tables["organizations"].append(objects.organization(organisation))
        tables["organization_identifiers"] += objects.organization_identifiers(organisation)
        tables["attributes"] += objects.organization_attributes(organisation)
        tables["phones"] += objects.phones("organization_id", str(organisation.public_id), organisation.phone)

    locations: dict[str, dict] = {}
    for offer in _all_offers():
        tables["services"].append(objects.service(offer))
        tables["attributes"] += objects.service_attributes(offer)
        tables["languages"] += objects.languages(offer, language)
        tables["schedules"] += objects.schedules(offer)
        tables["phones"] += objects.phones("service_id", str(offer.public_id), offer.phone)
        for place in offer.locations.all():
            tables["service_at_locations"].append(objects.service_at_location(offer, place))
            row = objects.location(offer.organisation, place)
            locations[row["id"]] = row
    tables["locations"] = list(locations.values())

    tables["taxonomies"] = objects.taxonomies()
    tables["taxonomy_terms"] = [objects.need_domain_term(domain) for domain in _all_need_domains()]
    tables["taxonomy_terms"] += [objects.fact_term(name) for name in FACT_TERMS]

    for rows in tables.values():
        rows.sort(key=lambda row: row["id"])
    return tables


# --- HSDS import: reading the document ------------------------------------------------


def _text(at: _At, row: dict, key: str, *, required: bool = False) -> str:
    value = row.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        at.error(key, _("Expected text."))
        return ""
    if required and not value.strip():
        at.error(key, _("This field is required."))
    return value.strip()


def _integer(at: _At, row: dict, key: str) -> int | None:
    value = row.get(key)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        at.error(key, _("Expected a whole number."))
        return None
    return value


def _parse_time(at: _At, value: Any, field_name: str) -> time | None:
    if isinstance(value, str) and re.fullmatch(r"\d{2}:\d{2}(:\d{2})?", value.strip()):
        try:
            return time.fromisoformat(value.strip())
        except ValueError:
            pass
    at.error(field_name, _("Not a time (HH:MM): %(value)s.") % {"value": value})
    return None


def _decode_fact(kind: str, value: Any) -> Any:
    """The field's value from an attribute's value; ValueError when it does not fit."""
    if kind == "text":
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ValueError
        return value.strip()
    if kind == "date":
        return None if value in (None, "", "null") else date.fromisoformat(value)
    if kind == "datetime":
        if value in (None, "", "null"):
            return None
        moment = datetime.fromisoformat(value)
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    decoded = json.loads(value) if isinstance(value, str) else value
    if kind == "bool" and isinstance(decoded, bool):
        return decoded
    if kind == "int" and (decoded is None or (isinstance(decoded, int) and not isinstance(decoded, bool))):
        return decoded
    if kind == "list" and isinstance(decoded, list) and all(isinstance(item, str) for item in decoded):
        return decoded
    raise ValueError


@dataclass
class _OrganisationPlan:
    row: int
    public_id: uuid.UUID
    data: OrganisationInput


@dataclass
class _OfferPlan:
    row: int
    public_id: uuid.UUID
    organisation_id: uuid.UUID
    data: OfferInput
    last_verified_at: datetime | None


# What a nested HSDS object (as the API and the specification's examples give it) holds,
# as (table, key linking the row to its parent).
_NESTED = {
    "services": {
        "schedules": "service_id",
        "languages": "service_id",
        "service_at_locations": "service_id",
        "attributes": "link_id",
        "phones": "service_id",
        "contacts": "service_id",
        "service_areas": "service_id",
        "funding": "service_id",
        "cost_options": "service_id",
        "required_documents": "service_id",
    },
    "organizations": {
        "organization_identifiers": "organization_id",
        "attributes": "link_id",
        "locations": "organization_id",
        "phones": "organization_id",
        "contacts": "organization_id",
        "funding": "organization_id",
        "programs": "organization_id",
        "services": "organization_id",
    },
    "service_at_locations": {"schedules": "service_at_location_id", "phones": "service_at_location_id"},
    "locations": {"schedules": "location_id", "phones": "location_id", "languages": "location_id"},
}
_NESTED_ONE = {"organization": "organizations", "program": "programs", "location": "locations", "service": "services"}
# What the import reads or derives in each table; any other field is reported as unmapped.
_MAPPED = {
    "organizations": {"id", "name", "description", "email", "website", "tax_id"},
    "organization_identifiers": {"id", "organization_id", "identifier_scheme", "identifier_type", "identifier"},
    "services": {
        "id",
        "organization_id",
        "name",
        "description",
        "url",
        "status",
        "application_process",
        "fees_description",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "assured_date",
        "last_modified",
    },
    "locations": {"id", "organization_id", "location_type", "name", "addresses"},
    "service_at_locations": {"id", "service_id", "location_id"},
    "schedules": {"id", "service_id", "freq", "interval", "byday", "opens_at", "closes_at"},
    "languages": {"id", "service_id", "location_id", "phone_id", "name", "code", "x_position"},
    "phones": {"id", "service_id", "organization_id", "number"},
    "taxonomies": {"id", "name", "description", "uri", "version"},
    "taxonomy_terms": {
        "id",
        "code",
        "name",
        "description",
        "taxonomy",
        "taxonomy_id",
        "parent_id",
        "language",
        "x_label_nl",
        "x_label_en",
    },
    "attributes": {"id", "link_id", "link_type", "link_entity", "taxonomy_term_id", "value", "label"},
}


def _flatten(document: Any) -> Any:
    """The document as tables. Other publishers send what their API answers: one nested
    service, a Page of them ({"contents": [...]}), or tables whose rows nest their
    children; each nested object becomes a row of its table, linked to its parent."""
    if not isinstance(document, dict):
        return document
    is_tables = any(name in document for name in REQUIRED_TABLES)
    if isinstance(document.get("contents"), list) and not is_tables:
        document = {"services": document["contents"]}
    elif "id" in document and "name" in document and not is_tables:
        document = {"services": [document]}
    tables: dict[str, list] = {name: list(rows) if isinstance(rows, list) else rows for name, rows in document.items()}
    seen: dict[str, set] = {
        name: {row.get("id") for row in rows if isinstance(row, dict)}
        for name, rows in tables.items()
        if isinstance(rows, list)
    }

    def add(table: str, row: dict) -> None:
        rows = tables.setdefault(table, [])
        if not isinstance(rows, list):
            return
        if row.get("id") is not None and row.get("id") in seen.setdefault(table, set()):
            return
        seen[table].add(row.get("id"))
        rows.append(row)

    def unnest(table: str, row: dict) -> dict:
        row = dict(row)
        for key, parent in _NESTED.get(table, {}).items():
            children = row.get(key)
            if key in _MAPPED.get(table, ()) or not isinstance(children, list):
                continue
            del row[key]
            for child in children:
                if isinstance(child, dict):
                    link = {parent: row.get("id")}
                    if parent == "link_id":
                        link["link_type"] = link["link_entity"] = table[:-1]
                    add(key, unnest(key, {**link, **child}))
        for key, target in _NESTED_ONE.items():
            if isinstance(row.get(key), dict):
                nested = unnest(target, row.pop(key))
                row.setdefault(f"{key}_id", nested.get("id"))
                add(target, nested)
        term = row.get("taxonomy_term") if table == "attributes" else None
        if isinstance(term, dict):
            del row["taxonomy_term"]
            row.setdefault("taxonomy_term_id", term.get("id"))
            detail = term.get("taxonomy_detail")
            term = {key: value for key, value in term.items() if key != "taxonomy_detail"}
            if isinstance(detail, dict):
                add("taxonomies", detail)
                term.setdefault("taxonomy_id", detail.get("id"))
            add("taxonomy_terms", term)
        return row

    for table in ("organizations", "services", "service_at_locations", "locations", "attributes"):
        rows = tables.get(table)
        if isinstance(rows, list):
            tables[table] = [unnest(table, row) if isinstance(row, dict) else row for row in rows]
    return tables


def _report_unmapped(document: dict, report: ImportReport) -> None:
    for name, rows in document.items():
        if name not in TABLES:
            count = len(rows) if isinstance(rows, list) else 1
            report.skip(name, "", count, _("Maillage keeps no %(table)s.") % {"table": name})
            continue
        if not isinstance(rows, list):
            continue
        counts: dict[str, int] = {}
        for row in rows:
            if isinstance(row, dict):
                for key, value in row.items():
                    if key not in _MAPPED[name] and value not in (None, "", [], {}):
                        counts[key] = counts.get(key, 0) + 1
        for key, count in sorted(counts.items()):
            report.skip(name, key, count, _("Maillage keeps no place for this field."))


def _tables(document: Any, report: ImportReport) -> dict[str, list[tuple[int, dict]]] | None:
    """The document's rows by table, or None after reporting why its shape is wrong."""
    if not isinstance(document, dict):
        report.error("", None, None, "", _("An HSDS document is a JSON object whose keys are table names."))
        return None
    tables: dict[str, list[tuple[int, dict]]] = {}
    for name in TABLES:
        rows = document.get(name)
        if rows is None:
            if name in REQUIRED_TABLES:
                report.error(name, None, None, "", _("The table %(table)s is missing.") % {"table": name})
            tables[name] = []
            continue
        if not isinstance(rows, list):
            report.error(name, None, None, "", _("The table %(table)s must be a list of rows.") % {"table": name})
            continue
        tables[name] = []
        seen: set[str] = set()
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                report.error(name, index, None, "", _("A row must be an object."))
                continue
            row_id = row.get("id")
            if not isinstance(row_id, str) or not row_id.strip():
                report.error(name, index, None, "id", _("Each row needs an id."))
                continue
            if row_id in seen:
                report.error(name, index, row_id, "id", _("This id is used by another row of the table."))
                continue
            seen.add(row_id)
            tables[name].append((index, row))
    return None if report.errors else tables


def _read_hsds(document: Any, report: ImportReport) -> tuple[list[_OrganisationPlan], list[_OfferPlan]]:
    document = _flatten(document)
    tables = _tables(document, report)
    if tables is None:
        return [], []
    _report_unmapped(document, report)

    taxonomy_names = {row["id"]: row.get("name") for _index, row in tables["taxonomies"]}
    term_ids = {row["id"] for _index, row in tables["taxonomy_terms"]}
    terms = {}  # term id → (taxonomy name, code)
    for index, row in tables["taxonomy_terms"]:
        taxonomy = taxonomy_names.get(row.get("taxonomy_id")) or row.get("taxonomy")
        if taxonomy in (DOMAINS_TAXONOMY, FACTS_TAXONOMY):
            code = row.get("code")
            if not isinstance(code, str) or not code:
                _At(report, "taxonomy_terms", index, row["id"]).error("code", _("Each term needs a code."))
                continue
            terms[row["id"]] = (taxonomy, code)

    organisation_rows = {row["id"]: (index, row) for index, row in tables["organizations"]}
    service_rows = {row["id"]: (index, row) for index, row in tables["services"]}
    known_domains = _need_domain_codes()

    # Attributes: need domains and facts, by the row they describe.
    domains: dict[str, list[tuple[str, str]]] = {}
    facts: dict[str, dict[str, Any]] = {}
    other_taxonomies = 0
    for index, row in tables["attributes"]:
        at = _At(report, "attributes", index, row["id"])
        term = terms.get(row.get("taxonomy_term_id"))
        if term is None:
            if row.get("taxonomy_term_id") not in term_ids:
                at.error("taxonomy_term_id", _("This taxonomy term is not in the document."))
            other_taxonomies += 1
            continue
        taxonomy, code = term
        link_id = row.get("link_id")
        entity = row.get("link_entity") or row.get("link_type")
        described = organisation_rows if entity == "organization" else service_rows if entity == "service" else {}
        if link_id not in described:
            at.error("link_id", _("This attribute points to no organisation or service of the document."))
            continue
        if taxonomy == DOMAINS_TAXONOMY:
            if entity != "service":
                at.error("link_entity", _("Need domains describe services."))
            elif code not in known_domains:
                at.error("taxonomy_term_id", _("Unknown need domain: %(code)s.") % {"code": code})
            elif row.get("label") not in ("primary", "secondary"):
                at.error("label", _("A need domain is labelled primary or secondary."))
            else:
                domains.setdefault(link_id, []).append((row["label"], code))
            continue
        known = ORGANISATION_FACTS if entity == "organization" else OFFER_FACTS
        if code not in known:
            at.error("taxonomy_term_id", _("Unknown field: %(code)s.") % {"code": code})
            continue
        try:
            value = _decode_fact(known[code], row.get("value"))
        except (TypeError, ValueError):
            at.error("value", _("Not a valid value for %(field)s.") % {"field": code})
            continue
        facts.setdefault(link_id, {})[code] = value

    if other_taxonomies:
        report.skip("attributes", "taxonomy_term_id", other_taxonomies, _("Terms of taxonomies Maillage does not use."))

    def fact(link_id: str, name: str, default: Any) -> Any:
        return facts.get(link_id, {}).get(name, default)

    # A phone row stands in for the "phone" fact, which other publishers do not write.
    phone_of: dict[str, str] = {}
    for _index, row in tables["phones"]:
        owner = row.get("service_id") or row.get("organization_id")
        if isinstance(row.get("number"), str) and owner not in phone_of:
            phone_of[owner] = row["number"].strip()[:30]

    # The BCE/KBO number may come as an organization_identifier rather than as tax_id.
    enterprise_numbers = {
        row.get("organization_id"): row.get("identifier")
        for _index, row in tables["organization_identifiers"]
        if row.get("identifier_scheme") == BCE_SCHEME and isinstance(row.get("identifier"), str)
    }
    organisations = []
    for index, row in tables["organizations"]:
        at = _At(report, "organizations", index, row["id"])
        public_id = _parse_uuid(at, row["id"], "id")
        tax_id = _text(at, row, "tax_id") or enterprise_numbers.get(row["id"], "")
        try:
            tax_id = normalise_enterprise_number(tax_id)
        except Invalid:
            at.error("tax_id", _("This is not a valid BCE/KBO enterprise number."))
        kind = fact(row["id"], "kind", OrganisationKind.OTHER)
        if kind not in OrganisationKind.values:
            at.error("kind", _("Unknown kind of organisation."))
        postcode = fact(row["id"], "postcode", "")
        if postcode and not POSTCODE_RE.match(postcode):
            at.error("postcode", _("A Belgian postcode has four digits."))
        data = OrganisationInput(
            name=_text(at, row, "name", required=True),
            name_nl=fact(row["id"], "name_nl", ""),
            kind=kind,
            enterprise_number=tax_id,
            is_member=fact(row["id"], "is_member", True),
            description=_text(at, row, "description"),
            street=fact(row["id"], "street", ""),
            postcode=postcode,
            city=fact(row["id"], "city", ""),
            website=_text(at, row, "website"),
            email=_text(at, row, "email").lower(),
            phone=fact(row["id"], "phone", phone_of.get(row["id"], "")),
            staff_languages=list(dict.fromkeys(c.strip().lower() for c in fact(row["id"], "staff_languages", []))),
        )
        if public_id is not None:
            organisations.append(_OrganisationPlan(index, public_id, data))

    places = _read_places(tables, service_rows, report)
    slots = _read_schedules(tables, service_rows, report)
    languages = _read_languages(tables, service_rows, report)

    offers = []
    existing_offers = _offers_by_public_id(
        public_id for public_id in (_quiet_uuid(row["id"]) for _i, row in tables["services"]) if public_id
    )
    # A service may belong to an organisation of the document or to one already stored.
    known_organisations = {_quiet_uuid(row_id) for row_id in organisation_rows}
    known_organisations |= set(
        _organisations_by_public_id(
            {_quiet_uuid(row.get("organization_id")) for _i, row in tables["services"]} - {None}
        )
    )
    unclassified = 0
    for index, row in tables["services"]:
        at = _At(report, "services", index, row["id"])
        public_id = _parse_uuid(at, row["id"], "id")
        organisation_id = _parse_uuid(at, row.get("organization_id"), "organization_id")
        if organisation_id is not None and organisation_id not in known_organisations:
            at.error("organization_id", _("No organisation has this id."))
        existing = existing_offers.get(public_id)
        if existing is not None and existing.organisation.public_id != organisation_id:
            at.error("organization_id", _("This service already belongs to another organisation."))
        service_domains = domains.get(row["id"], [])
        primary = [code for label, code in service_domains if label == "primary"]
        if not service_domains and UNCLASSIFIED in known_domains:
            # Another publisher's service knows nothing of Maillage's need domains.
            primary = [UNCLASSIFIED]
            unclassified += 1
        if len(primary) != 1:
            at.error("attributes", _("A service needs exactly one primary need domain."))
        valid_from, valid_until = fact(row["id"], "valid_from", None), fact(row["id"], "valid_until", None)
        if valid_from and valid_until and valid_until < valid_from:
            at.error("valid_until", _("The end date is before the start date."))
        last_verified_at = fact(row["id"], "last_verified_at", None)
        assured = _parse_date(at, row.get("assured_date"), "assured_date")
        if last_verified_at is None and assured is not None:
            last_verified_at = timezone.make_aware(datetime.combine(assured, time(0)))
        name, description = _text(at, row, "name", required=True), _text(at, row, "description")
        versions = {version: fact(row["id"], version, "") for version in OFFER_VERSIONS}
        if not any(versions[f"title_{code}"] for code in TEXT_LANGUAGES):
            versions.update(title_fr=name, description_fr=description)
        data = OfferInput(
            title=versions["title_fr"],
            title_nl=versions["title_nl"],
            title_en=versions["title_en"],
            primary_domain=primary[0] if primary else "",
            description=versions["description_fr"],
            description_nl=versions["description_nl"],
            description_en=versions["description_en"],
            secondary_domains=sorted(code for label, code in service_domains if label == "secondary"),
            target_statuses=fact(row["id"], "target_statuses", []),
            age_min=_integer(at, row, "minimum_age"),
            age_max=_integer(at, row, "maximum_age"),
            eligibility=_text(at, row, "eligibility_description"),
            languages=languages.get(row["id"], []),
            interpretation_available=fact(row["id"], "interpretation_available", False),
            places=places.get(row["id"], []),
            is_online=fact(row["id"], "is_online", False),
            online_url=_text(at, row, "url"),
            phone=fact(row["id"], "phone", phone_of.get(row["id"], "")),
            opening_hours=slots.get(row["id"], []),
            schedule_notes=fact(row["id"], "schedule_notes", ""),
            capacity_status=fact(row["id"], "capacity_status", CapacityStatus.OPEN),
            waiting_weeks=fact(row["id"], "waiting_weeks", None),
            cost=fact(row["id"], "cost", Cost.FREE),
            cost_note=_text(at, row, "fees_description"),
            access=fact(row["id"], "access", Access.APPOINTMENT),
            valid_from=valid_from,
            valid_until=valid_until,
            # A file records offers as they were, ended ones too (an export read back in).
            confirm_ended=True,
        )
        if public_id is not None and organisation_id is not None:
            offers.append(_OfferPlan(index, public_id, organisation_id, data, last_verified_at))
    if unclassified:
        report.skip(
            "services", "attributes", unclassified, _("No need domain: filed under %(code)s.") % {"code": UNCLASSIFIED}
        )
    return organisations, offers


def _quiet_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        return None


def _service_of(at: _At, row: dict, service_rows: dict) -> str | None:
    service_id = row.get("service_id")
    if service_id not in service_rows:
        at.error("service_id", _("No service of the document has this id."))
        return None
    return service_id


def _read_places(tables: dict, service_rows: dict, report: ImportReport) -> dict[str, list[PlaceInput]]:
    locations = {row["id"]: (index, row) for index, row in tables["locations"]}
    places: dict[str, list[PlaceInput]] = {}
    for index, row in tables["service_at_locations"]:
        at = _At(report, "service_at_locations", index, row["id"])
        service_id = _service_of(at, row, service_rows)
        if row.get("location_id") not in locations:
            at.error("location_id", _("No location of the document has this id."))
            continue
        location_index, location = locations[row["location_id"]]
        at = _At(report, "locations", location_index, location["id"])
        owner = location.get("organization_id")
        if service_id and owner and owner != service_rows[service_id][1].get("organization_id"):
            at.error("organization_id", _("This location belongs to another organisation than the service."))
        addresses = location.get("addresses")
        address = addresses[0] if isinstance(addresses, list) and addresses else None
        if not isinstance(address, dict):
            at.error("addresses", _("A location needs an address."))
            continue
        street, postcode, city = (_text(at, address, key) for key in ("address_1", "postal_code", "city"))
        if not street or not city or not POSTCODE_RE.match(postcode):
            at.error("addresses", _("Each place needs a street, a four-digit postcode and a city."))
            continue
        if service_id:
            name = _text(at, location, "name")
            places.setdefault(service_id, []).append(PlaceInput(street=street, postcode=postcode, city=city, name=name))
    return places


def _read_schedules(tables: dict, service_rows: dict, report: ImportReport) -> dict[str, list[Slot]]:
    slots: dict[str, list[Slot]] = {}
    not_of_a_service = not_weekly = 0
    for index, row in tables["schedules"]:
        at = _At(report, "schedules", index, row["id"])
        if row.get("service_id") is None:
            not_of_a_service += 1
            continue
        service_id = _service_of(at, row, service_rows)
        if row.get("freq") not in (None, "WEEKLY") or row.get("interval") not in (None, 1):
            not_weekly += 1
            continue
        days = [part.strip().upper() for part in str(row.get("byday") or "").split(",") if part.strip()]
        if not days or any(day not in WEEKDAY_OF_BYDAY for day in days):
            at.error("byday", _("Days are given as MO, TU, WE, TH, FR, SA or SU."))
            continue
        opens_at = _parse_time(at, row.get("opens_at"), "opens_at")
        closes_at = _parse_time(at, row.get("closes_at"), "closes_at")
        if opens_at is None or closes_at is None:
            continue
        if not _closes_after_opens(at, "closes_at", opens_at, closes_at):
            continue
        if service_id:
            slots.setdefault(service_id, []).extend(Slot(WEEKDAY_OF_BYDAY[d], opens_at, closes_at) for d in days)
    if not_of_a_service:
        report.skip(
            "schedules", "service_id", not_of_a_service, _("Hours of a place or a contact: Maillage keeps none.")
        )
    if not_weekly:
        report.skip("schedules", "freq", not_weekly, _("Only weekly opening hours are kept."))
    return slots


def _read_languages(tables: dict, service_rows: dict, report: ImportReport) -> dict[str, list[str]]:
    found: dict[str, list[tuple[int, int, str]]] = {}
    not_of_a_service = 0
    for index, row in tables["languages"]:
        at = _At(report, "languages", index, row["id"])
        if row.get("service_id") is None:
            not_of_a_service += 1
            continue
        service_id = _service_of(at, row, service_rows)
        code = _text(at, row, "code").lower()
        if not is_known_language(code):
            at.error("code", _("Unknown language code: %(code)s.") % {"code": code})
            continue
        position = row.get("x_position")
        position = position if isinstance(position, int) else len(tables["languages"]) + index
        if service_id:
            found.setdefault(service_id, []).append((position, index, code))
    if not_of_a_service:
        report.skip(
            "languages", "service_id", not_of_a_service, _("Languages of a place or a phone: Maillage keeps none.")
        )
    return {service_id: [code for *_order, code in sorted(rows)] for service_id, rows in found.items()}


# --- Writing ---------------------------------------------------------------------------


def _set_verified(offer: Offer, when: datetime) -> None:
    # The offer services stamp "verified now"; an imported offer was last verified when
    # its source says. The one direct write of the import, on this field only.
    offer.organisation.offers.filter(pk=offer.pk).update(last_verified_at=when, updated_at=timezone.now())


def import_hsds(*, actor: Actor, document: Any, dry_run: bool = False) -> ImportReport:
    """Creates or updates the document's organisations and services in the current
    coordination, matched by id (public_id); all or nothing.

    Only "organizations" and "services" must be present. A service needs one attribute
    labelled "primary" against a term of the "maillage-need-domains" taxonomy whose code
    this coordination knows; facts left out take the services' defaults (an organisation
    without a "kind" fact is "other"). Error rows name the HSDS table and the row's
    0-based index in it.
    """
    _may_import(actor)
    report = ImportReport(dry_run=dry_run)
    organisation_plans, offer_plans = _read_hsds(document, report)
    if report.errors:
        return report

    def write() -> None:
        organisations = _organisations_by_public_id(
            {p.public_id for p in organisation_plans} | {p.organisation_id for p in offer_plans}
        )
        failed = set()
        for plan in organisation_plans:
            existing = organisations.get(plan.public_id)
            try:
                if existing is None:
                    organisations[plan.public_id] = create_organisation(
                        actor=actor, data=plan.data, public_id=plan.public_id
                    )
                    report.created["organisations"] += 1
                else:
                    # An unchanged organisation is left alone: no edit, no audit event.
                    if OrganisationInput.of(existing) != plan.data:
                        update_organisation(actor=actor, organisation=existing, data=plan.data)
                    report.updated["organisations"] += 1
            except DomainError as error:
                report.add_service_error("organizations", plan.row, plan.public_id, error, _ORGANISATION_FIELD_IN_HSDS)
                failed.add(plan.public_id)
            except IntegrityError:
                report.error("organizations", plan.row, plan.public_id, "", _("This row conflicts with stored data."))
                failed.add(plan.public_id)
        offers = _offers_by_public_id(p.public_id for p in offer_plans)
        for plan in offer_plans:
            if plan.organisation_id in failed:
                continue
            try:
                existing = offers.get(plan.public_id)
                if existing is None:
                    offer = create_offer(
                        actor=actor,
                        organisation=organisations[plan.organisation_id],
                        data=plan.data,
                        public_id=plan.public_id,
                    )
                    report.created["offers"] += 1
                else:
                    offer = update_offer(actor=actor, offer=existing, data=plan.data)
                    report.updated["offers"] += 1
            except DomainError as error:
                report.add_service_error("services", plan.row, plan.public_id, error, _OFFER_FIELD_IN_HSDS)
                continue
            except IntegrityError:
                report.error("services", plan.row, plan.public_id, "", _("This row conflicts with stored data."))
                continue
            if plan.last_verified_at is not None:
                _set_verified(offer, plan.last_verified_at)

    return _in_one_transaction(report, actor=actor, source="hsds", write=write)
