"""Nothing of a coordination opens to anyone who is not an active member of it."""

import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver
from django_tenants.utils import schema_context

from maillage import urls_tenant
from members.services import deactivate_member


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _concrete(route: str, member_id) -> str:
    concrete = re.sub(r"<uuid:\w+>", str(member_id), route)
    return concrete.replace("<str:token>", "not-a-token")


ROUTES = sorted(set(_walk(urls_tenant.urlpatterns)))


def test_every_route_is_walked():
    assert "members/" in ROUTES and "api/v1/members/" in ROUTES and "audit/export.csv" in ROUTES


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_member_of_another_coordination_gets_404_on_every_route(tenant_db, login, client, route, method):
    world = tenant_db
    path = "/c/schaerbeek/" + _concrete(route, world["coordinator"].membership_public_id)
    login(world["foreigner"])
    response = getattr(client, method)(path)
    assert response.status_code == 404, path


@pytest.mark.parametrize("route", [r for r in ROUTES if r.startswith("api/")])
def test_token_of_another_coordination_gets_404_on_every_api_route(tenant_db, token_client, route):
    world = tenant_db
    path = "/c/schaerbeek/" + _concrete(route, world["coordinator"].membership_public_id)
    response = token_client(world["foreigner"]).get(path)
    assert response.status_code == 404, path
    if not route.endswith(("docs/", "schema/")):  # these two answer in HTML and YAML
        assert response.json() == {"error": "not_found", "detail": response.json()["detail"]}


@pytest.mark.parametrize("route", ROUTES)
def test_regional_administrator_opens_no_coordination_page(tenant_db, login, client, route):
    world = tenant_db
    path = "/c/tournai/" + _concrete(route, world["tournai_coordinator"].membership_public_id)
    login(world["regional_admin"], verified=False)
    assert client.get(path).status_code == 404, path


def _not_slugs() -> list[str]:
    # The public site's own domain and a coordination's host name route hosts, not paths.
    return [settings.MAILLAGE_BASE_DOMAIN, f"schaerbeek.{settings.MAILLAGE_BASE_DOMAIN}"]


@pytest.mark.parametrize("route", ROUTES)
def test_only_a_coordination_slug_opens_its_pages(tenant_db, login, client, route):
    world = tenant_db
    tail = _concrete(route, world["coordinator"].membership_public_id)
    for name in _not_slugs():
        assert client.get(f"/c/{name}/{tail}").status_code == 404, (name, route)
    login(world["foreigner"])
    for name in _not_slugs():
        assert client.get(f"/c/{name}/{tail}").status_code == 404, (name, route)
        assert client.post(f"/c/{name}/{tail}").status_code == 404, (name, route)


def test_a_domain_in_place_of_the_slug_looks_exactly_like_an_unknown_coordination(tenant_db, client):
    unknown = client.get("/c/atlantis/join/")
    for name in _not_slugs():
        response = client.get(f"/c/{name}/join/")
        assert response.status_code == unknown.status_code == 404
        assert _comparable(response.content) == _comparable(unknown.content)


def test_out_of_scope_looks_exactly_like_missing(tenant_db, login, client):
    world = tenant_db
    login(world["foreigner"])
    forbidden = client.get("/c/schaerbeek/members/")
    missing = client.get("/c/schaerbeek/no-such-page/")
    assert forbidden.status_code == missing.status_code == 404
    assert _comparable(forbidden.content) == _comparable(missing.content)


def _comparable(html: bytes) -> bytes:
    # The CSRF token and the language form's return path differ by nature.
    return re.sub(rb'value="[^"]*"', b"", html)


def test_api_out_of_scope_body_equals_missing_body(tenant_db, token_client):
    world = tenant_db
    api = token_client(world["foreigner"])
    assert api.get("/c/schaerbeek/api/v1/members/").json() == api.get("/c/tournai/api/v1/nothing/").json()


def test_unknown_coordination_is_a_404_page(tenant_db, client):
    response = client.get("/c/atlantis/")
    assert response.status_code == 404
    assert b"<h1>" in response.content


def test_inactive_coordination_is_a_404(tenant_db, login, client):
    world = tenant_db
    login(world["bapa_worker"])
    world.schaerbeek.__class__.objects.filter(pk=world.schaerbeek.pk).update(is_active=False)
    assert client.get("/c/schaerbeek/").status_code == 404


def test_member_opens_own_coordination(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    response = client.get("/c/schaerbeek/")
    assert response.status_code == 200
    assert "VIA — BAPA Schaerbeek" in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(tenant_db, client):
    response = client.get("/c/schaerbeek/members/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/c/schaerbeek/members/")


def test_anonymous_api_call_is_401(tenant_db, api_client):
    response = api_client.get("/c/schaerbeek/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


def test_deactivated_member_loses_access_at_once(tenant_db, login, client, token_client):
    world = tenant_db
    login(world["outsider"])
    api = token_client(world["outsider"])
    assert client.get("/c/schaerbeek/").status_code == 200
    assert api.get("/c/schaerbeek/api/v1/me/").status_code == 200
    with schema_context("schaerbeek"):
        deactivate_member(
            actor=world["coordinator"].actor(), membership_public_id=world["outsider"].membership_public_id
        )
    assert client.get("/c/schaerbeek/").status_code == 404
    assert api.get("/c/schaerbeek/api/v1/me/").status_code == 404


def test_deactivated_member_leaves_the_switcher(tenant_db, login, client):
    world = tenant_db
    login(world["outsider"])
    assert b"/c/schaerbeek/" in client.get("/accounts/").content
    with schema_context("schaerbeek"):
        deactivate_member(
            actor=world["coordinator"].actor(), membership_public_id=world["outsider"].membership_public_id
        )
    assert b"/c/schaerbeek/" not in client.get("/accounts/").content
