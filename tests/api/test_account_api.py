"""The account's own API outside any coordination: its tokens (issued from a verified
session only, listed without keys, revoked), its coordinations, and the schemas' servers
and 401."""

import pytest
from rest_framework.test import APIClient

from tenants.models import ApiToken
from tests.factories import api_token_for

TOKENS = "/api/v1/me/tokens/"
NEW_TOKEN = {"label": "weekly export", "scope": "read", "days": 30}


@pytest.fixture
def session_api(login):
    """An API client signed in as the persona (second factor verified unless told)."""

    def _api(persona, *, verified: bool = True) -> APIClient:
        return login(persona, verified=verified, on=APIClient())

    return _api


def test_a_verified_session_issues_a_token_that_works(tenant_db, session_api):
    response = session_api(tenant_db["bapa_worker"]).post(TOKENS, NEW_TOKEN, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["scope"] == "read" and body["second_factor"] is True and body["key"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {body['key']}")
    assert api.get("/c/schaerbeek/api/v1/me/").status_code == 200


def test_a_session_without_its_second_factor_cannot_issue_a_token(tenant_db, session_api, settings):
    settings.MAILLAGE_REQUIRE_2FA = True
    response = session_api(tenant_db["bapa_worker"], verified=False).post(TOKENS, NEW_TOKEN, format="json")
    assert response.status_code == 403
    assert response.json()["error"] == "two_factor_required"
    assert not ApiToken.objects.filter(user=tenant_db["bapa_worker"].user, label="weekly export").exists()


def test_a_token_cannot_issue_tokens(tenant_db, token_client):
    response = token_client(tenant_db["bapa_worker"]).post(TOKENS, NEW_TOKEN, format="json")
    assert response.status_code == 403
    assert response.json()["error"] == "session_required"


def test_bad_token_input_names_the_fields(tenant_db, session_api):
    response = session_api(tenant_db["bapa_worker"]).post(
        TOKENS, {"label": "", "scope": "admin", "days": 0}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"label", "scope", "days"}


def test_the_list_shows_only_my_tokens_and_never_a_key(tenant_db, token_client):
    api_token_for(tenant_db["outsider"].user, label="not mine")
    key = api_token_for(tenant_db["bapa_worker"].user, label="mine")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = api.get(TOKENS).json()["results"]
    assert [t["label"] for t in body] == ["mine"]
    assert "key" not in body[0] and key.startswith(body[0]["token_key"])


def test_a_session_revokes_one_of_its_tokens(tenant_db, session_api):
    key = api_token_for(tenant_db["bapa_worker"].user, label="to revoke")
    token = ApiToken.objects.get(user=tenant_db["bapa_worker"].user, label="to revoke")
    response = session_api(tenant_db["bapa_worker"]).post(f"{TOKENS}{token.public_id}/revoke/")
    assert response.status_code == 204
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/c/schaerbeek/api/v1/me/").status_code == 401


def test_a_read_only_token_revokes_itself(tenant_db):
    key = api_token_for(tenant_db["bapa_worker"].user, label="self", scope="read")
    token = ApiToken.objects.get(user=tenant_db["bapa_worker"].user, label="self")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.post(f"{TOKENS}{token.public_id}/revoke/").status_code == 204
    assert api.get(TOKENS).status_code == 401


def test_a_token_cannot_revoke_another_token(tenant_db, token_client):
    api_token_for(tenant_db["bapa_worker"].user, label="other")
    other = ApiToken.objects.get(user=tenant_db["bapa_worker"].user, label="other")
    response = token_client(tenant_db["bapa_worker"]).post(f"{TOKENS}{other.public_id}/revoke/")
    assert response.status_code == 403
    assert ApiToken.objects.filter(pk=other.pk).exists()


def test_someone_elses_token_looks_missing(tenant_db, session_api):
    api_token_for(tenant_db["outsider"].user, label="theirs")
    theirs = ApiToken.objects.get(user=tenant_db["outsider"].user, label="theirs")
    response = session_api(tenant_db["bapa_worker"]).post(f"{TOKENS}{theirs.public_id}/revoke/")
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_the_revoke_takes_an_idempotency_key(tenant_db, session_api):
    api_token_for(tenant_db["bapa_worker"].user, label="twice")
    token = ApiToken.objects.get(user=tenant_db["bapa_worker"].user, label="twice")
    api = session_api(tenant_db["bapa_worker"])
    first = api.post(f"{TOKENS}{token.public_id}/revoke/", HTTP_IDEMPOTENCY_KEY="revoke-1")
    again = api.post(f"{TOKENS}{token.public_id}/revoke/", HTTP_IDEMPOTENCY_KEY="revoke-1")
    assert (first.status_code, again.status_code) == (204, 204)
    assert again.headers["Idempotent-Replayed"] == "true"


def test_my_coordinations_lists_only_mine_with_their_api_base(tenant_db, token_client, settings):
    body = token_client(tenant_db["bapa_worker"]).get("/api/v1/me/coordinations/").json()["results"]
    assert [c["slug"] for c in body] == ["schaerbeek"]
    site = settings.MAILLAGE_SITE_URL.rstrip("/")
    assert body[0]["api_url"] == f"{site}/c/schaerbeek/api/v1/"
    assert body[0]["schema_url"] == f"{site}/c/schaerbeek/api/v1/schema/"
    foreign = token_client(tenant_db["foreigner"]).get("/api/v1/me/coordinations/").json()["results"]
    assert [c["slug"] for c in foreign] == ["tournai"]


def test_my_coordinations_needs_credentials(tenant_db):
    response = APIClient().get("/api/v1/me/coordinations/")
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


@pytest.mark.parametrize("accept", ["*/*", "application/yaml", "application/vnd.oai.openapi+json"])
def test_the_schema_without_credentials_is_401_in_json(tenant_db, accept):
    response = APIClient().get("/c/schaerbeek/api/v1/schema/", HTTP_ACCEPT=accept)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Token")


def test_the_schema_names_the_coordinations_absolute_server(tenant_db, token_client, settings):
    response = token_client(tenant_db["bapa_worker"]).get("/c/schaerbeek/api/v1/schema/?format=json")
    servers = response.json()["servers"]
    assert servers[0]["url"] == settings.MAILLAGE_SITE_URL.rstrip("/") + "/c/schaerbeek"


def test_the_account_schema_describes_the_me_routes(tenant_db, token_client):
    response = token_client(tenant_db["bapa_worker"]).get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/me/tokens/", "/api/v1/me/coordinations/"} <= set(paths)
    listed = paths["/api/v1/me/coordinations/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed["$ref"].startswith("#/components/schemas/Paginated")


def test_the_schemas_describe_the_api_with_the_readme_guide(tenant_db, token_client, settings):
    readme = (settings.BASE_DIR / "README.md").read_text()
    guide = settings.SPECTACULAR_SETTINGS["DESCRIPTION"]
    assert "**Rate limits.**" in guide and guide in readme
    api = token_client(tenant_db["bapa_worker"])
    for url in ("/c/schaerbeek/api/v1/schema/?format=json", "/api/v1/schema/?format=json"):
        assert api.get(url).json()["info"]["description"] == guide
