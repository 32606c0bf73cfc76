"""The API base: actor, error bodies, pagination, OpenAPI schema and its documentation page."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


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


def test_openapi_schema_is_valid():
    generator = SchemaGenerator(urlconf="maillage.urls_tenant")
    schema = generator.get_schema(request=None, public=True)
    validate_schema(schema)
    assert "/api/v1/members/" in schema["paths"]
    assert "/api/v1/invitations/" in schema["paths"]


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


@pytest.mark.parametrize("size", ["0", "-1", "abc"])
def test_bad_page_size_falls_back_to_default(tenant_db, token_client, size):
    response = token_client(tenant_db["bapa_worker"]).get(f"/c/schaerbeek/api/v1/members/?page_size={size}")
    assert response.status_code == 200


def test_page_beyond_the_end_is_404_with_body(tenant_db, token_client):
    response = token_client(tenant_db["bapa_worker"]).get("/c/schaerbeek/api/v1/members/?page=999")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
