"""Every HSDS document Maillage writes is valid against the standard's own JSON schemas
(../shared/data/hsds-3.0, beside the repository): the demo directory's table export, row
by row, and every route of the HSDS API, item by item. One error fails the test."""

import json
from pathlib import Path

import pytest
from django_tenants.utils import schema_context
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from demo.directory import load_directory_demo
from directory.interop import hsds_objects
from directory.interop.hsds import export_hsds
from directory.models import Offer

ROOT = Path(__file__).resolve().parents[2]
HSDS = ROOT.parent / "shared" / "data" / "hsds-3.0"
# The address the standard's openapi.json gives its schemas; they are served from disk.
RAW = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
DEFINITIONS = RAW + "compiled/service_with_definitions.json#/definitions/"
API = "/c/schaerbeek/api/v1/hsds/"


def _registry() -> Registry:
    resources = []
    for path in sorted((HSDS / "compiled").glob("*.json")):
        resources.append((RAW + "compiled/" + path.name, json.loads(path.read_text())))
    resources.append((RAW + "openapi.json", json.loads((HSDS / "openapi.json").read_text())))
    definitions = resources[[uri for uri, _schema in resources].index(RAW + "compiled/service_with_definitions.json")]
    for name in definitions[1]["definitions"]:
        # tabular.json names them relative to compiled/, openapi.json relative to schema/.
        for uri in (RAW + f"compiled/{name}.json", RAW + f"{name}.json"):
            resources.append((uri, {"$ref": DEFINITIONS + name}))
    return Registry().with_resources(
        (uri, Resource.from_contents(schema, default_specification=DRAFT202012)) for uri, schema in resources
    )


# Not skipped when missing: CI has ../shared, and a silent skip would hide a wrong path.
assert HSDS.is_dir(), f"The HSDS 3.0 schemas are expected in {HSDS}"
REGISTRY = _registry()


def _errors(schema_ref: str, instance, where: str) -> list[str]:
    validator = Draft202012Validator(
        {"$ref": schema_ref}, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return [
        f"{where} {'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(instance)
    ]


def _response_schema(path: str) -> str:
    pointer = path.replace("~", "~0").replace("/", "~1")
    return RAW + f"openapi.json#/paths/{pointer}/get/responses/200/content/application~1json/schema"


# Tables of the export → the definition each row follows.
ROW_SCHEMAS = {
    "organizations": RAW + "compiled/organization_list.json",
    "organization_identifiers": DEFINITIONS + "organization_identifier",
    "services": RAW + "compiled/service_list.json",
    "locations": DEFINITIONS + "location",
    "service_at_locations": DEFINITIONS + "service_at_location",
    "schedules": DEFINITIONS + "schedule",
    "languages": DEFINITIONS + "language",
    "phones": DEFINITIONS + "phone",
    "taxonomies": DEFINITIONS + "taxonomy",
    "taxonomy_terms": DEFINITIONS + "taxonomy_term",
    "attributes": DEFINITIONS + "attribute",
}
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


@pytest.fixture
def demo(tenant_db):
    """The demo directory of Schaerbeek, as `make run` loads it."""
    assert load_directory_demo(tenant_db.schaerbeek) > 10
    return tenant_db


def test_the_schemas_catch_a_null(demo):
    # The check itself: an absent value sent as null is what HSDS refuses.
    assert _errors(RAW + "compiled/service_list.json", {"id": "x", "name": "n", "status": "active", "url": None}, "")


def test_the_whole_demo_export_is_valid_row_by_row(demo):
    with schema_context("schaerbeek"):
        document = export_hsds(actor=demo["coordinator"].actor())
    assert set(document) == set(ROW_SCHEMAS)
    assert len(document["services"]) > 10 and document["organization_identifiers"]
    errors = [
        message
        for table, rows in document.items()
        for index, row in enumerate(rows)
        for message in _errors(ROW_SCHEMAS[table], row, f"{table}[{index}]")
    ]
    assert errors == []


def _get(api, path: str, query: str = ""):
    response = api.get(API + path.lstrip("/") + ("/" if path != "/" else "") + query)
    assert response.status_code == 200, (path, query, response.content[:300])
    return response.json()


def test_every_hsds_route_answers_its_schema_item_by_item(demo, token_client):
    api = token_client(demo["volunteer"])
    with schema_context("schaerbeek"):
        offer = Offer.objects.filter(locations__isnull=False).select_related("organisation").first()
    organisation_id = str(offer.organisation.public_id)
    listed = {
        "/services": RAW + "compiled/service_list.json",
        "/organizations": RAW + "compiled/organization_list.json",
        "/service_at_locations": RAW + "compiled/service_at_location_list.json",
        "/taxonomies": RAW + "taxonomy.json",
        "/taxonomy_terms": RAW + "taxonomy_term.json",
    }
    full = {
        "/services": RAW + "compiled/service.json",
        "/organizations": RAW + "compiled/organization.json",
        "/service_at_locations": RAW + "compiled/service_at_location.json",
    }
    errors = _errors(_response_schema("/"), _get(api, "/"), "/")
    for path, item_schema in listed.items():
        for query, schema in [("?per_page=200", item_schema), ("?per_page=200&full=true", full.get(path))]:
            if schema is None:
                continue
            page = _get(api, path, query)
            assert set(page) == PAGE_KEYS and page["contents"], (path, query)
            errors += _errors(_response_schema(path), page, path + query)
            for index, item in enumerate(page["contents"]):
                errors += _errors(schema, item, f"{path}{query} contents[{index}]")
    sal = _get(api, "/service_at_locations", "?per_page=1")["contents"][0]["id"]
    details = {
        f"/services/{offer.public_id}": RAW + "compiled/service.json",
        f"/organizations/{organisation_id}": RAW + "compiled/organization.json",
        # The standard's openapi.json names service.json here; the object is a service_at_location.
        f"/service_at_locations/{sal}": RAW + "compiled/service_at_location.json",
        f"/taxonomies/{hsds_objects.taxonomy_id(hsds_objects.DOMAINS_TAXONOMY)}": RAW + "taxonomy.json",
        f"/taxonomy_terms/{hsds_objects.term_id(hsds_objects.DOMAINS_TAXONOMY, 'housing')}": RAW + "taxonomy_term.json",
    }
    for path, schema in details.items():
        errors += _errors(schema, _get(api, path), path)
    errors += _errors(
        RAW + "compiled/organization.json",
        _get(api, f"/organizations/{organisation_id}", "?full_service=true"),
        "full_service",
    )
    assert errors == []
