"""The API base: actor, error bodies, pagination, OpenAPI schema and its documentation page."""

import json
import re

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from openapi_spec_validator import OpenAPIV31SpecValidator


def test_me_names_the_actor(tenant_db, token_client):
    world = tenant_db
    body = token_client(world["cpas_referent"]).get("/c/schaerbeek/api/v1/me/").json()
    assert body["role"] == "cpas_referent"
    assert body["coordination"] == "schaerbeek"
    assert body["organisation_name"] == "CPAS de Schaerbeek"


def test_unknown_route_has_the_error_body(tenant_db, token_client):
    response = token_client(tenant_db["bapa_worker"]).get("/c/schaerbeek/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": response.json()["detail"]}


def test_unknown_member_id_is_404(tenant_db, token_client):
    response = token_client(tenant_db["bapa_worker"]).get(
        "/c/schaerbeek/api/v1/members/00000000-0000-4000-8000-000000000000/"
    )
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_member_id_of_another_coordination_is_404(tenant_db, token_client):
    world = tenant_db
    response = token_client(world["bapa_worker"]).get(
        f"/c/schaerbeek/api/v1/members/{world['foreigner'].membership_public_id}/"
    )
    assert response.status_code == 404


def test_validation_error_body_names_fields(tenant_db, token_client):
    response = token_client(tenant_db["coordinator"]).post(
        "/c/schaerbeek/api/v1/invitations/", {"role": "pilot"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid"
    assert set(body["fields"]) >= {"email", "organisation", "role"}


def test_malformed_json_is_400_not_500(tenant_db, token_client):
    response = token_client(tenant_db["coordinator"]).generic(
        "POST", "/c/schaerbeek/api/v1/invitations/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "parse_error"


def test_transition_on_inactive_member_is_409(tenant_db, token_client):
    world = tenant_db
    api = token_client(world["coordinator"])
    path = f"/c/schaerbeek/api/v1/members/{world['observer'].membership_public_id}/deactivate/"
    assert api.post(path).status_code == 200
    response = api.post(path)
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"


def _schema() -> dict:
    return SchemaGenerator(urlconf="maillage.urls_tenant").get_schema(request=None, public=True)


def test_openapi_schema_is_valid():
    schema = _schema()
    validate_schema(schema)
    assert "/api/v1/members/" in schema["paths"]
    assert "/api/v1/invitations/" in schema["paths"]


def test_openapi_schema_passes_the_spec_validator_client_generators_use():
    # Through JSON, as a client reads it: dates and UUIDs as strings.
    schema = json.loads(json.dumps(_schema(), cls=DjangoJSONEncoder))
    errors = [error.message for error in OpenAPIV31SpecValidator(schema).iter_errors()]
    assert errors == []


def test_every_request_body_has_one_content_type_json_unless_it_uploads_a_file():
    bodies = {
        f"{method.upper()} {path}": list(operation["requestBody"]["content"])
        for path, item in _schema()["paths"].items()
        for method, operation in item.items()
        if "requestBody" in operation
    }
    uploads = {"POST /api/v1/import/csv/", "POST /api/v1/persons/{public_id}/consents/"}
    assert {op: types for op, types in bodies.items() if op in uploads} == {
        op: ["multipart/form-data"] for op in uploads
    }
    assert {op: types for op, types in bodies.items() if op not in uploads and types != ["application/json"]} == {}


def test_every_operation_documents_its_errors_with_the_one_error_type():
    error = {"$ref": "#/components/schemas/Error"}
    for path, item in _schema()["paths"].items():
        for method, operation in item.items():
            expected = {"400", "401", "403", "404", "429"} | ({"409"} if method != "get" else set())
            for status in expected:
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema == error or error in schema.get("oneOf", []), (method, path, status)


def test_every_list_is_paginated_in_the_schema_with_its_parameters():
    for path, item in _schema()["paths"].items():
        operation = item.get("get")
        if operation is None or not operation["operationId"].endswith("_list") or "/hsds/" in path:
            continue
        ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.startswith("#/components/schemas/Paginated"), path
        parameters = {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}
        assert parameters["page_size"]["maximum"] == 200, path
        assert "page" in parameters, path


def test_operation_ids_name_the_action_and_descriptions_are_not_the_base_views():
    operations = [op for item in _schema()["paths"].values() for op in item.values()]
    ids = {op["operationId"] for op in operations}
    assert {"referrals_transition", "members_deactivate", "referrals_inbox_list", "persons_consents_create"} <= ids
    assert not [i for i in ids if re.search(r"_\d+$", i)]
    assert not [op["operationId"] for op in operations if "builds the Actor" in op.get("description", "")]


def test_schema_endpoint_serves_for_members(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    response = client.get("/c/schaerbeek/api/v1/schema/")
    assert response.status_code == 200
    assert b"openapi:" in response.content


def test_docs_page_uses_no_cdn_and_no_inline_script(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    page = client.get("/c/schaerbeek/api/v1/docs/").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert not re.search(r'(src|href)="https?://', page)
    assert "<script>" not in page and "<style>" not in page
    script = client.get("/c/schaerbeek/api/v1/docs/?script=")
    assert script.status_code == 200


@pytest.mark.parametrize("size", ["0", "-1", "abc", "201", "²"])
def test_bad_page_size_is_400_naming_it(tenant_db, token_client, size):
    response = token_client(tenant_db["bapa_worker"]).get(f"/c/schaerbeek/api/v1/members/?page_size={size}")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["page_size"]


@pytest.mark.parametrize("page", ["0", "abc", "last"])
def test_bad_page_number_is_400_naming_it(tenant_db, token_client, page):
    response = token_client(tenant_db["bapa_worker"]).get(f"/c/schaerbeek/api/v1/members/?page={page}")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["page"]


def test_largest_page_size_is_accepted(tenant_db, token_client):
    response = token_client(tenant_db["bapa_worker"]).get("/c/schaerbeek/api/v1/members/?page_size=200")
    assert response.status_code == 200
    assert set(response.json()) == {"count", "next", "previous", "results"}


def test_page_beyond_the_end_is_404_with_body(tenant_db, token_client):
    response = token_client(tenant_db["bapa_worker"]).get("/c/schaerbeek/api/v1/members/?page=999")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_nullable_fields_are_nullable_as_json_schema_says():
    text = json.dumps(_schema(), cls=DjangoJSONEncoder)
    assert '"nullable"' not in text
    retraction = _schema()["components"]["schemas"]["Note"]["properties"]["retraction"]
    assert {"type": "null"} in retraction["oneOf"]


def test_referral_person_is_a_preview_or_a_full_file_told_apart_by_view():
    person = _schema()["components"]["schemas"]["ReferralPerson"]
    assert person["discriminator"]["propertyName"] == "view"
    assert set(person["discriminator"]["mapping"]) == {"preview", "full"}


def test_every_error_code_the_api_can_answer_is_in_the_schemas_enum():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    from rest_framework import exceptions

    from maillage.errors import DomainError
    from maillage.openapi import ERROR_CODES

    domain = {cls.code for cls in subclasses(DomainError)}
    drf = {cls.default_code for cls in subclasses(exceptions.APIException)}
    assert domain | drf <= set(ERROR_CODES)


def test_a_form_encoded_body_is_refused_with_415(tenant_db, token_client):
    response = token_client(tenant_db["coordinator"]).post(
        "/c/schaerbeek/api/v1/invitations/", {"role": "pilot"}, format="multipart"
    )
    assert response.status_code == 415
    assert response.json()["error"] == "unsupported_media_type"
