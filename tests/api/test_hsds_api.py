"""The HSDS 3.0 API: its Page, its query parameters and what they select.

The dataset: three offers of the CPAS de Schaerbeek unless a test says otherwise.
- "Aide au logement": housing, at Rue Royale Sainte-Marie 1, 1030.
- "Cours de néerlandais": language, secondary social_link, at Rue Josaphat 12, 1030.
- "Permanence juridique": legal_aid, of the Plate-forme citoyenne, at Rue Haute 5, 1000.
"""

import dataclasses
import re
from datetime import time, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from drf_spectacular.generators import SchemaGenerator

from directory import services
from directory.interop import hsds_objects
from directory.models import Offer, Organisation
from directory.services import PlaceInput, Slot

API = "/c/schaerbeek/api/v1/hsds/"
DOMAINS = hsds_objects.DOMAINS_TAXONOMY


@pytest.fixture
def offers(make_offer):
    return {
        "housing": make_offer("Aide au logement"),
        "dutch": make_offer(
            "Cours de néerlandais",
            primary_domain="language",
            secondary_domains=["social_link"],
            places=[PlaceInput("Rue Josaphat 12", "1030", "Schaerbeek")],
        ),
        "legal": make_offer(
            "Permanence juridique",
            organisation_name="Plate-forme citoyenne",
            primary_domain="legal_aid",
            places=[PlaceInput("Rue Haute 5", "1000", "Bruxelles")],
        ),
    }


@pytest.fixture
def api(tenant_db, token_client):
    return token_client(tenant_db["volunteer"])


def _names(page: dict) -> set[str]:
    return {row["name"] for row in page["contents"]}


def test_root_answers_version_and_profile(api):
    body = api.get(API).json()
    assert body["version"] == "3.0"
    assert body["profile"].endswith("/c/schaerbeek/api/v1/hsds/profile/")
    assert body["openapi_url"].endswith("/c/schaerbeek/api/v1/schema/")
    profile = api.get(body["profile"]).json()
    assert profile["organization_identifier_scheme"] == "BE-BCE_KBO"


def test_services_come_in_pages(api, offers):
    first = api.get(API + "services/?per_page=2").json()
    second = api.get(API + "services/?per_page=2&page=2").json()
    assert (first["total_items"], first["total_pages"], first["size"]) == (3, 2, 2)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    assert (second["page_number"], second["size"], second["last_page"]) == (2, 1, True)
    beyond = api.get(API + "services/?per_page=2&page=9").json()
    assert beyond["empty"] and beyond["contents"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("per_page=0", "per_page"),
        ("per_page=201", "per_page"),
        ("page=0", "page"),
        ("page=first", "page"),
        ("modified_after=yesterday", "modified_after"),
        ("taxonomy_term_id=housing", "taxonomy_term_id"),
        ("organization_id=42", "organization_id"),
        ("minimal=true&full=true", "minimal"),
        ("format=ndjson", "format"),
    ],
)
def test_bad_service_parameters_are_400_naming_the_field(api, query, field):
    response = api.get(API + "services/?" + query)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_proximity_is_refused_for_want_of_coordinates(api):
    response = api.get(API + "service_at_locations/?postcode=1030&proximity=500")
    assert response.status_code == 400
    assert "coordinates" in response.json()["fields"]["proximity"][0]


def test_search_is_the_directorys_full_text_search(api, offers):
    assert _names(api.get(API + "services/?search=logement").json()) == {"Aide au logement"}
    # Dutch stems and accents, as the search page finds them.
    assert _names(api.get(API + "services/?search=neerlandais").json()) == {"Cours de néerlandais"}


def test_taxonomy_term_selects_primary_and_secondary_domains(api, offers):
    social = hsds_objects.term_id(DOMAINS, "social_link")
    housing = hsds_objects.term_id(DOMAINS, "housing")
    assert _names(api.get(API + f"services/?taxonomy_term_id={social}").json()) == {"Cours de néerlandais"}
    assert _names(api.get(API + f"services/?taxonomy_term_id={housing}").json()) == {"Aide au logement"}
    unknown = "00000000-0000-4000-8000-000000000000"
    assert api.get(API + f"services/?taxonomy_term_id={unknown}").json()["empty"]


def test_taxonomy_id_selects_services_classified_in_it(api, offers):
    domains = hsds_objects.taxonomy_id(DOMAINS)
    assert api.get(API + f"services/?taxonomy_id={domains}").json()["total_items"] == 3
    assert api.get(API + "services/?taxonomy_id=00000000-0000-4000-8000-000000000000").json()["empty"]


def test_organization_id_selects_its_services(api, offers):
    organisation = offers["legal"].organisation.public_id
    assert _names(api.get(API + f"services/?organization_id={organisation}").json()) == {"Permanence juridique"}


def _age_everything(moment):
    Offer.objects.update(updated_at=moment)
    Organisation.objects.update(updated_at=moment)


def test_modified_after_returns_exactly_what_changed_since(tenant_db, api, offers):
    since = timezone.now() - timedelta(minutes=5)
    with schema_context("schaerbeek"):
        _age_everything(since - timedelta(days=1))
        system = tenant_db["coordinator"].actor()
        # A new opening slot (a child row) is a change of the service.
        data = services.OfferInput(
            title="Aide au logement",
            primary_domain="housing",
            places=[PlaceInput("Rue Royale Sainte-Marie 1", "1030", "Schaerbeek")],
            opening_hours=[Slot(1, time(9), time(12)), Slot(2, time(9), time(12))],
        )
        services.update_offer(actor=system, offer=offers["housing"], data=data)
    query = "services/?modified_after=" + since.isoformat().replace("+", "%2B")
    assert _names(api.get(API + query).json()) == {"Aide au logement"}


def test_a_confirmation_and_an_organisation_edit_count_as_changes(tenant_db, api, offers):
    since = timezone.now() - timedelta(minutes=5)
    with schema_context("schaerbeek"):
        _age_everything(since - timedelta(days=1))
        system = tenant_db["coordinator"].actor()
        services.confirm_offer_accurate(actor=system, offer=offers["dutch"])
        platform = Organisation.objects.get(name="Plate-forme citoyenne")
        data = dataclasses.replace(services.OrganisationInput.of(platform), description="Permanences le samedi.")
        services.update_organisation(actor=system, organisation=platform, data=data)
    query = "services/?modified_after=" + since.isoformat().replace("+", "%2B")
    assert _names(api.get(API + query).json()) == {"Cours de néerlandais", "Permanence juridique"}


def test_minimal_services_carry_id_and_modification_date(api, offers):
    row = api.get(API + "services/?minimal=true").json()["contents"][0]
    assert set(row) == {"id", "name", "status", "last_modified"}


def test_full_services_nest_their_children(api, offers):
    rows = api.get(API + "services/?full=true").json()["contents"]
    dutch = next(row for row in rows if row["name"] == "Cours de néerlandais")
    assert dutch["organization"]["name"] == "CPAS de Schaerbeek"
    assert dutch["service_at_locations"][0]["location"]["addresses"][0]["state_province"] == "BE-BRU"
    assert {row.get("label") for row in dutch["attributes"]} >= {"primary", "secondary", "access"}


def test_postcode_selects_services_at_locations_there(api, offers):
    page = api.get(API + "service_at_locations/?postcode=1000&full=true").json()
    assert [row["service"]["name"] for row in page["contents"]] == ["Permanence juridique"]


def test_a_service_at_location_opens_by_its_id(api, offers):
    row = api.get(API + "service_at_locations/?postcode=1000").json()["contents"][0]
    detail = api.get(API + f"service_at_locations/{row['id']}/").json()
    assert detail["location"]["addresses"][0]["postal_code"] == "1000"


def test_organization_detail_nests_places_services_and_enterprise_number(tenant_db, api, offers):
    organisation = offers["housing"].organisation
    with schema_context("schaerbeek"):
        data = dataclasses.replace(services.OrganisationInput.of(organisation), enterprise_number="0403.019.261")
        services.update_organisation(actor=tenant_db["coordinator"].actor(), organisation=organisation, data=data)
    body = api.get(API + f"organizations/{organisation.public_id}/?full_service=true").json()
    assert body["organization_identifiers"][0]["identifier_scheme"] == "BE-BCE_KBO"
    assert {service["name"] for service in body["services"]} == {"Aide au logement", "Cours de néerlandais"}
    assert "schedules" in body["services"][0]
    assert len(body["locations"]) == 2


def test_the_need_domains_are_published_as_a_taxonomy(api):
    domains = hsds_objects.taxonomy_id(DOMAINS)
    taxonomies = api.get(API + "taxonomies/").json()["contents"]
    assert domains in {row["id"] for row in taxonomies}
    terms = api.get(API + f"taxonomy_terms/?taxonomy_id={domains}&per_page=200").json()["contents"]
    housing = next(term for term in terms if term["code"] == "housing")
    assert housing["taxonomy_id"] == domains and housing["x_label_nl"]
    assert api.get(API + f"taxonomy_terms/?parent_id={housing['id']}").json()["empty"]
    assert [t["code"] for t in api.get(API + "taxonomy_terms/?search=logement").json()["contents"]] == ["housing"]
    assert api.get(API + f"taxonomy_terms/{housing['id']}/").json()["name"] == housing["name"]


def test_unknown_ids_are_404(api):
    unknown = "00000000-0000-4000-8000-000000000000"
    for path in ("services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms"):
        assert api.get(API + f"{path}/{unknown}/").status_code == 404, path


def test_a_full_page_of_services_costs_a_constant_number_of_queries(
    api, offers, make_offer, django_assert_max_num_queries
):
    for number in range(5):
        make_offer(f"Atelier {number}")
    with django_assert_max_num_queries(20):
        assert api.get(API + "services/?full=true").json()["total_items"] == 8


def test_a_page_of_full_organizations_costs_a_constant_number_of_queries(
    api, offers, make_offer, django_assert_max_num_queries
):
    make_offer("Atelier", organisation_name="SESO")
    with django_assert_max_num_queries(20):
        page = api.get(API + "organizations/?full_service=true&per_page=200").json()
    assert sum(len(row["services"]) for row in page["contents"]) == 4


STANDARD_PATHS = {
    "/",
    "/services",
    "/services/{id}",
    "/organizations",
    "/organizations/{id}",
    "/service_at_locations",
    "/service_at_locations/{id}",
    "/taxonomies",
    "/taxonomies/{id}",
    "/taxonomy_terms",
    "/taxonomy_terms/{id}",
}


def test_the_standards_paths_are_in_the_openapi_schema():
    schema = SchemaGenerator(urlconf="maillage.urls_tenant").get_schema(request=None, public=True)
    ours = {
        re.sub(r"\{[^}]+\}", "{id}", path.removeprefix("/api/v1/hsds").rstrip("/")) or "/"
        for path in schema["paths"]
        if path.startswith("/api/v1/hsds/")
    }
    assert ours >= STANDARD_PATHS
    services = schema["paths"]["/api/v1/hsds/services/"]["get"]["parameters"]
    assert {"page", "per_page", "search", "modified_after", "taxonomy_term_id", "minimal"} <= {
        p["name"] for p in services
    }
