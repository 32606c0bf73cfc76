"""Who may harvest: a coordination's HSDS routes are read by its members and, once a
coordinator allows harvesting, by a harvesting token of that coordination, on those routes
alone. The token is the coordination's, not an account's: no membership comes with it.

The dataset: one offer, "Aide au logement" of the CPAS de Schaerbeek at Rue Royale
Sainte-Marie 1, 1030, unless a test says otherwise.
"""

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from audit.models import AuditEvent
from directory.interop import harvesting
from maillage import urls_tenant
from maillage.errors import Forbidden, Invalid
from tenants.models import HarvestingToken, TokenScope
from tests.factories import api_token_for

SCHAERBEEK = "/c/schaerbeek/api/v1/"
HSDS = SCHAERBEEK + "hsds/"
SINCE = "modified_after=2020-01-01T00:00:00Z"


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


API_ROUTES = sorted({route for route in _walk(urls_tenant.urlpatterns) if route.startswith("api/v1/")})
HSDS_READ_ROUTES = [r for r in API_ROUTES if r.startswith("api/v1/hsds/") and r != "api/v1/hsds/import/"]
OTHER_ROUTES = [r for r in API_ROUTES if r not in HSDS_READ_ROUTES]


def _issue(persona, *, days: int = 30, allow: bool = True) -> str:
    """A harvesting key of the persona's coordination, issued as the coordinator would."""
    with schema_context(persona.coordination.schema_name):
        actor = persona.actor()
        if allow:
            harvesting.set_harvesting(actor=actor, allowed=True)
        return harvesting.issue_harvesting_token(actor=actor, label="regional map", days=days).key


def _harvester(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.fixture
def offer(make_offer):
    return make_offer("Aide au logement")


@pytest.fixture
def key(tenant_db, offer):
    return _issue(tenant_db["coordinator"])


def _hsds_paths(api) -> dict[str, str]:
    """Each HSDS read route with an object of the dataset in its ids."""
    service = api.get(f"{HSDS}services/?{SINCE}").json()["contents"][0]
    organization = api.get(f"{HSDS}organizations/").json()["contents"][0]
    service_at_location = api.get(f"{HSDS}service_at_locations/?{SINCE}").json()["contents"][0]
    taxonomy = api.get(f"{HSDS}taxonomies/").json()["contents"][0]
    term = api.get(f"{HSDS}taxonomy_terms/").json()["contents"][0]
    ids = {
        "services/<uuid:public_id>/": service["id"],
        "organizations/<uuid:public_id>/": organization["id"],
        "service_at_locations/<uuid:hsds_id>/": service_at_location["id"],
        "taxonomies/<uuid:hsds_id>/": taxonomy["id"],
        "taxonomy_terms/<uuid:hsds_id>/": term["id"],
    }
    paths = {}
    for route in HSDS_READ_ROUTES:
        tail = route.removeprefix("api/v1/hsds/")
        paths[route] = HSDS + (tail.split("<")[0] + ids[tail] + "/" if tail in ids else tail)
    return paths


# --- Reading ---------------------------------------------------------------------------


def test_harvesting_token_reads_every_hsds_route_of_its_coordination(tenant_db, key):
    api = _harvester(key)
    paths = _hsds_paths(api)
    assert set(paths) == set(HSDS_READ_ROUTES) and len(paths) >= 12
    for route, path in paths.items():
        response = api.get(f"{path}?{SINCE}")
        assert response.status_code == 200, (route, response.content[:200])
        assert api.head(f"{path}?{SINCE}").status_code == 200, route


def test_harvesting_token_follows_modified_after(tenant_db, key):
    api = _harvester(key)
    later = (timezone.now() + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    assert api.get(f"{HSDS}services/?{SINCE}").json()["total_items"] == 1
    assert api.get(f"{HSDS}services/", {"modified_after": later}).json()["total_items"] == 0
    assert api.get(f"{HSDS}service_at_locations/", {"modified_after": later}).json()["total_items"] == 0


def test_harvesting_token_stamps_last_used(tenant_db, key):
    assert _harvester(key).get(HSDS).status_code == 200
    assert HarvestingToken.objects.get(token_key=key[:15]).last_used_at is not None


# --- Refused everywhere else -----------------------------------------------------------


def test_the_refused_routes_include_persons_referrals_notes_members_and_audit():
    for route in ("persons/", "referrals/inbox/", "notes/<uuid:public_id>/", "members/", "audit-events/", "me/"):
        assert "api/v1/" + route in OTHER_ROUTES


@pytest.mark.parametrize("route", OTHER_ROUTES)
def test_harvesting_token_is_refused_on_every_other_api_route(tenant_db, key, route):
    world = tenant_db
    # Every parameter filled: ids with a real one, a coordination with another's slug.
    given = {"transition": "accept", "slug": "tournai"}
    some_id = str(world["coordinator"].membership_public_id)
    path = "/c/schaerbeek/" + re.sub(r"<(\w+):(\w+)>", lambda m: given.get(m[2], some_id), route)
    api = _harvester(key)
    for response in (api.get(path), api.post(path, {}, format="json")):
        assert response.status_code in (401, 403), (path, response.status_code)
        if not route.endswith(("docs/", "schema/")):  # these two answer in HTML and YAML
            assert response.json()["error"] in {"token_scope", "not_authenticated", "invalid_token"}, path


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_harvesting_token_writes_nothing_on_the_hsds_routes(tenant_db, key, method):
    response = getattr(_harvester(key), method)(f"{HSDS}services/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["error"] == "token_scope"


@pytest.mark.parametrize("route", HSDS_READ_ROUTES)
def test_harvesting_token_is_refused_on_another_coordinations_hsds(tenant_db, key, make_offer, route):
    offer = make_offer("Aide alimentaire", organisation_name="CPAS de Tournai", schema="tournai")
    _issue(tenant_db["tournai_coordinator"])  # Tournai allows harvesting too
    path = "/c/tournai/" + route.replace("<uuid:public_id>", str(offer.public_id))
    response = _harvester(key).get(path.replace("<uuid:hsds_id>", str(offer.public_id)))
    assert response.status_code == 403, path
    assert response.json()["error"] == "token_scope"


def test_harvesting_token_is_refused_outside_any_coordination(tenant_db, key):
    response = _harvester(key).get("/api/v1/regions/brussels/indicators/")
    assert response.status_code == 403


def test_a_harvester_is_no_member(tenant_db, key):
    response = _harvester(key).get(f"{SCHAERBEEK}me/")
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="person.listed").exists()


# --- Turned off, revoked, expired: at once ----------------------------------------------


def test_turning_harvesting_off_refuses_the_token_at_once(tenant_db, key):
    api = _harvester(key)
    assert api.get(f"{HSDS}services/").status_code == 200
    with schema_context("schaerbeek"):
        harvesting.set_harvesting(actor=tenant_db["coordinator"].actor(), allowed=False)
    response = api.get(f"{HSDS}services/")
    assert response.status_code == 403
    assert response.json()["error"] == "harvesting_off"
    with schema_context("schaerbeek"):
        harvesting.set_harvesting(actor=tenant_db["coordinator"].actor(), allowed=True)
    assert api.get(f"{HSDS}services/").status_code == 200


def test_a_revoked_token_is_refused_at_once(tenant_db, key):
    api = _harvester(key)
    assert api.get(f"{HSDS}services/").status_code == 200
    token = HarvestingToken.objects.get(token_key=key[:15])
    with schema_context("schaerbeek"):
        harvesting.revoke_harvesting_token(actor=tenant_db["coordinator"].actor(), public_id=token.public_id)
    response = api.get(f"{HSDS}services/")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


def test_an_expired_token_is_refused(tenant_db, key):
    HarvestingToken.objects.filter(token_key=key[:15]).update(expiry=timezone.now() - timedelta(seconds=1))
    response = _harvester(key).get(f"{HSDS}services/")
    assert response.status_code == 401
    assert response.json()["error"] == "token_expired"


def test_a_wrong_harvesting_key_is_refused(tenant_db, key):
    response = _harvester(key[:-4] + "0000").get(f"{HSDS}services/")
    assert response.status_code == 401


# --- Issuing and revoking -----------------------------------------------------------------


def test_only_a_digest_of_the_key_is_stored(tenant_db, key):
    token = HarvestingToken.objects.get(token_key=key[:15])
    assert key.startswith("hsds_")
    assert token.digest == hashlib.sha512(key.encode()).hexdigest()
    assert key not in [str(value) for value in HarvestingToken.objects.filter(pk=token.pk).values_list().get()]
    assert token.scope == TokenScope.HSDS and token.coordination.slug == "schaerbeek"


@pytest.mark.parametrize("persona", ["bapa_worker", "cpas_referent", "volunteer", "observer"])
def test_a_member_who_is_not_a_coordinator_cannot_issue(tenant_db, persona):
    with schema_context("schaerbeek"):
        harvesting.set_harvesting(actor=tenant_db["coordinator"].actor(), allowed=True)
        actor = tenant_db[persona].actor()
        with pytest.raises(Forbidden):
            harvesting.issue_harvesting_token(actor=actor, label="mine", days=30)
        with pytest.raises(Forbidden):
            harvesting.set_harvesting(actor=actor, allowed=False)


def test_a_member_who_is_not_a_coordinator_cannot_issue_through_the_api(tenant_db, token_client):
    api = token_client(tenant_db["bapa_worker"])
    assert api.post(f"{SCHAERBEEK}harvesting/", {"allowed": True}, format="json").status_code == 403
    response = api.post(f"{SCHAERBEEK}harvesting/tokens/", {"label": "mine", "days": 30}, format="json")
    assert response.status_code == 403
    assert api.get(f"{SCHAERBEEK}harvesting/").status_code == 403
    assert not HarvestingToken.objects.exists()


def test_a_member_who_is_not_a_coordinator_cannot_open_the_page(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    assert client.get("/c/schaerbeek/directory/harvesting/").status_code == 403
    assert client.post("/c/schaerbeek/directory/harvesting/token/", {"label": "x", "days": "3"}).status_code == 403


def test_coordinator_allows_issues_lists_and_revokes_through_the_api(tenant_db, token_client, offer):
    api = token_client(tenant_db["coordinator"])
    assert api.get(f"{SCHAERBEEK}harvesting/").json() == {"allowed": False, "tokens": []}
    assert api.post(f"{SCHAERBEEK}harvesting/", {"allowed": True}, format="json").json()["allowed"] is True
    issued = api.post(f"{SCHAERBEEK}harvesting/tokens/", {"label": "Brussels social map", "days": 60}, format="json")
    assert issued.status_code == 201
    body = issued.json()
    assert body["scope"] == "hsds" and body["key"].startswith(body["token_key"])
    listed = api.get(f"{SCHAERBEEK}harvesting/").json()["tokens"]
    assert [t["id"] for t in listed] == [body["id"]] and "key" not in listed[0]
    assert _harvester(body["key"]).get(f"{HSDS}services/").status_code == 200
    revoked = api.post(f"{SCHAERBEEK}harvesting/tokens/{body['id']}/revoke/")
    assert revoked.json() == {"revoked": 1}
    assert _harvester(body["key"]).get(f"{HSDS}services/").status_code == 401
    assert api.post(f"{SCHAERBEEK}harvesting/tokens/{body['id']}/revoke/").status_code == 404


def test_issuing_and_revoking_are_in_the_coordinations_audit_trail(tenant_db, key):
    token = HarvestingToken.objects.get(token_key=key[:15])
    with schema_context("schaerbeek"):
        actor = tenant_db["coordinator"].actor()
        harvesting.revoke_harvesting_token(actor=actor, public_id=token.public_id)
        harvesting.set_harvesting(actor=actor, allowed=False)
        events = list(AuditEvent.objects.order_by("pk").values_list("action", "object_public_id", "actor_id"))
    user_id = tenant_db["coordinator"].user.pk
    assert ("coordination.harvesting_on", None, user_id) in events
    assert ("coordination.harvesting_token_issued", token.public_id, user_id) in events
    assert ("coordination.harvesting_token_revoked", token.public_id, user_id) in events
    assert ("coordination.harvesting_off", None, user_id) in events
    with schema_context("tournai"):
        assert not AuditEvent.objects.filter(action__startswith="coordination.harvesting").exists()


def test_issuing_while_harvesting_is_off_is_a_conflict(tenant_db, token_client):
    api = token_client(tenant_db["coordinator"])
    response = api.post(f"{SCHAERBEEK}harvesting/tokens/", {"label": "map", "days": 30}, format="json")
    assert response.status_code == 409
    assert not HarvestingToken.objects.exists()


@pytest.mark.parametrize(
    "values, field",
    [
        ({"label": "map", "days": 0}, "days"),
        ({"label": "map", "days": 91}, "days"),
        ({"label": "map", "days": "soon"}, "days"),
        ({"label": "  ", "days": 30}, "label"),
        ({"label": "x" * 81, "days": 30}, "label"),
        ({"days": 30}, "label"),
    ],
)
def test_bad_token_input_is_a_400_naming_the_field(tenant_db, token_client, values, field):
    api = token_client(tenant_db["coordinator"])
    api.post(f"{SCHAERBEEK}harvesting/", {"allowed": True}, format="json")
    response = api.post(f"{SCHAERBEEK}harvesting/tokens/", values, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_bad_switch_input_is_a_400(tenant_db, token_client):
    api = token_client(tenant_db["coordinator"])
    response = api.post(f"{SCHAERBEEK}harvesting/", {"allowed": "perhaps"}, format="json")
    assert response.status_code == 400 and "allowed" in response.json()["fields"]


def test_a_coordinator_cannot_revoke_another_coordinations_token(tenant_db, token_client):
    foreign = _issue(tenant_db["tournai_coordinator"])
    token = HarvestingToken.objects.get(token_key=foreign[:15])
    api = token_client(tenant_db["coordinator"])
    assert api.post(f"{SCHAERBEEK}harvesting/tokens/{token.public_id}/revoke/").status_code == 404
    assert HarvestingToken.objects.filter(pk=token.pk).exists()


def test_a_personal_token_cannot_take_the_harvesting_scope(tenant_db):
    with pytest.raises(Invalid):
        api_token_for(tenant_db["bapa_worker"].user, scope=TokenScope.HSDS)


def test_the_coordinator_page_allows_issues_and_revokes(tenant_db, login, client, offer):
    login(tenant_db["coordinator"])
    page = "/c/schaerbeek/directory/harvesting/"
    assert client.get(page).status_code == 200
    assert client.post(page + "switch/", {"allowed": "on"}).status_code == 302
    response = client.post(page + "token/", {"label": "Brussels social map", "days": "30"})
    assert response.status_code == 200
    key = response.context["issued"].key
    assert key in response.content.decode()
    assert _harvester(key).get(f"{HSDS}services/").status_code == 200
    token = HarvestingToken.objects.get(token_key=key[:15])
    assert key not in client.get(page).content.decode()
    assert client.post(f"{page}token/{token.public_id}/revoke/").status_code == 302
    assert _harvester(key).get(f"{HSDS}services/").status_code == 401
    assert client.post(page + "switch/", {}).status_code == 302
    with schema_context("schaerbeek"):
        assert harvesting.harvesting_of(actor=tenant_db["coordinator"].actor()).allowed is False
