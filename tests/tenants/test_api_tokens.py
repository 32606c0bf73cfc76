"""API tokens: hashed, scoped, expiring; revoked by their holder, by a coordinator, by a
password change; refused where the role requires a second factor they were issued without."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import override_settings
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from audit.models import AuditEvent
from tenants.authentication import SCOPE_RULES
from tenants.models import ApiToken, TokenScope, User
from tests.factories import PASSWORD, api_token_for
from tests.tenants.test_admin import ADMIN_PASSWORD, sign_in_to_admin

API = "/c/schaerbeek/api/v1/"
NEW_PASSWORD = "another-long-password-2027"


def _api(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def _token(key: str) -> ApiToken:
    return ApiToken.objects.get(token_key=key[:15])


# --- Issuing ---------------------------------------------------------------------------


def test_the_account_page_issues_a_token_from_a_verified_session(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    response = client.post("/accounts/token/", {"label": "export", "scope": "read", "days": "30"})
    assert response.status_code == 200
    key = response.context["token"]
    token = _token(key)
    assert (token.label, token.scope, token.second_factor) == ("export", TokenScope.READ, True)
    assert timedelta(days=29) < token.expiry - timezone.now() <= timedelta(days=30)
    assert _api(key).get(f"{API}me/").status_code == 200


def test_only_a_digest_of_the_key_is_stored(tenant_db):
    key = api_token_for(tenant_db["bapa_worker"].user)
    token = _token(key)
    assert token.digest == hashlib.sha512(key.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.filter(pk=token.pk).values_list().get()]
    assert key not in stored


def test_an_account_holds_several_tokens(tenant_db):
    user = tenant_db["bapa_worker"].user
    first, second = api_token_for(user, label="one"), api_token_for(user, label="two")
    assert _api(first).get(f"{API}me/").status_code == 200
    assert _api(second).get(f"{API}me/").status_code == 200


def test_issuing_needs_a_session_verified_with_the_second_factor(tenant_db, login, client):
    login(tenant_db["bapa_worker"], verified=False)
    response = client.post("/accounts/token/", {"label": "export", "scope": "read", "days": "30"})
    assert response.status_code == 302 and "/accounts/two-factor/" in response["Location"]
    assert not ApiToken.objects.filter(user=tenant_db["bapa_worker"].user).exists()


@pytest.mark.parametrize(
    "values, field",
    [
        ({"label": "x", "scope": "read", "days": "91"}, "days"),
        ({"label": "x", "scope": "read", "days": "0"}, "days"),
        ({"label": "x", "scope": "admin", "days": "30"}, "scope"),
        ({"label": "", "scope": "read", "days": "30"}, "label"),
    ],
)
def test_a_bad_issue_form_is_400_naming_the_field(tenant_db, login, client, values, field):
    login(tenant_db["bapa_worker"])
    response = client.post("/accounts/token/", values)
    assert response.status_code == 400
    assert response.context["token_form"].errors[field]
    assert not ApiToken.objects.filter(user=tenant_db["bapa_worker"].user).exists()


@override_settings(MAILLAGE_API_TOKEN_MAX_DAYS=10)
def test_the_longest_life_is_a_setting(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    assert client.post("/accounts/token/", {"label": "x", "scope": "read", "days": "11"}).status_code == 400
    assert client.post("/accounts/token/", {"label": "x", "scope": "read", "days": "10"}).status_code == 200


# --- Expiry and scope ------------------------------------------------------------------


def test_an_expired_token_is_401_with_the_json_error(tenant_db):
    key = api_token_for(tenant_db["bapa_worker"].user, days=1)
    ApiToken.objects.filter(token_key=key[:15]).update(expiry=timezone.now() - timedelta(seconds=1))
    response = _api(key).get(f"{API}me/")
    assert response.status_code == 401
    assert response.json()["error"] == "token_expired"
    assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_or_garbled_token_is_401(tenant_db):
    assert _api("f" * 64).get(f"{API}me/").status_code == 401
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token \xe9\xe9")
    assert api.get(f"{API}me/").status_code == 401


def test_every_scope_has_its_rule():
    assert set(SCOPE_RULES) == set(TokenScope)


def test_a_read_token_reads_but_cannot_write(tenant_db):
    key = api_token_for(tenant_db["coordinator"].user, scope=TokenScope.READ)
    api = _api(key)
    assert api.get(f"{API}members/").status_code == 200
    response = api.post(f"{API}invitations/", {"email": "new@schaerbeek.test"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"] == "token_scope"


def test_a_read_write_token_writes(tenant_db):
    key = api_token_for(tenant_db["coordinator"].user, scope=TokenScope.READ_WRITE)
    response = _api(key).post(f"{API}invitations/", {"email": "nope"}, format="json")
    assert response.status_code == 400  # past the scope, into the view's own validation


def test_use_is_stamped_without_a_write_on_every_request(tenant_db, django_assert_max_num_queries):
    key = api_token_for(tenant_db["observer"].user)
    api = _api(key)
    api.get(f"{API}me/")
    assert _token(key).last_used_at is not None
    # The coordination's routing (search path, domain, search path), the token with its
    # account in one query, the membership: no write this time.
    with django_assert_max_num_queries(5):
        assert api.get(f"{API}me/").status_code == 200


# --- Second factor ---------------------------------------------------------------------


def test_a_token_issued_while_the_second_factor_was_relaxed_is_refused_once_it_is_required(tenant_db, login, client):
    worker = tenant_db["bapa_worker"]
    with override_settings(MAILLAGE_REQUIRE_2FA=False):
        login(worker, verified=False)
        key = client.post("/accounts/token/", {"label": "demo", "scope": "read", "days": "30"}).context["token"]
        assert _api(key).get(f"{API}persons/").status_code == 200
    assert _token(key).second_factor is False
    response = _api(key).get(f"{API}persons/")
    assert response.status_code == 403
    assert response.json()["error"] == "two_factor_required"


def test_a_token_without_second_factor_still_serves_a_role_that_does_not_require_one(tenant_db):
    key = api_token_for(tenant_db["observer"].user, second_factor=False)
    assert _api(key).get(f"{API}me/").status_code == 200


def test_a_token_issued_with_the_second_factor_serves_a_role_that_requires_it(tenant_db):
    key = api_token_for(tenant_db["bapa_worker"].user, second_factor=True)
    assert _api(key).get(f"{API}persons/").status_code == 200


# --- Password changes ------------------------------------------------------------------


def test_a_password_reset_revokes_the_tokens(tenant_db, client):
    # Fresh from the database: the reset link depends on the last sign-in, which other
    # tests' sign-ins changed on the shared persona object.
    user = User.objects.get(pk=tenant_db["bapa_worker"].user.pk)
    key = api_token_for(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    response = client.get(f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/")
    assert response.status_code == 302
    response = client.post(response["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert _api(key).get(f"{API}me/").status_code == 401
    with schema_context("public"):
        assert AuditEvent.objects.filter(
            action="account.api_tokens_revoked", object_public_id=user.public_id, detail__reason="password_changed"
        ).exists()


def test_a_password_set_anywhere_revokes_the_tokens(tenant_db):
    # A copy: the persona's own object outlives this test's rollback.
    user = User.objects.get(pk=tenant_db["observer"].user.pk)
    key = api_token_for(user)
    user.set_password(NEW_PASSWORD)
    user.save()
    assert _api(key).get(f"{API}me/").status_code == 401


def test_the_admin_password_change_revokes_the_staff_account_tokens(tenant_db, client):
    admin = sign_in_to_admin(client)
    key = api_token_for(admin)
    response = client.post(
        "/admin/password_change/",
        {"old_password": ADMIN_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(token_key=key[:15]).exists()


def test_signing_in_does_not_revoke_the_tokens(tenant_db, client):
    user = tenant_db["observer"].user
    key = api_token_for(user)
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert _api(key).get(f"{API}me/").status_code == 200


# --- Revocation ------------------------------------------------------------------------


def test_the_holder_lists_and_revokes_a_token(tenant_db, login, client):
    user = tenant_db["bapa_worker"].user
    key = api_token_for(user, label="weekly export")
    kept = api_token_for(user, label="dashboard")
    login(tenant_db["bapa_worker"])
    page = client.get("/accounts/").content.decode()
    assert "weekly export" in page and "dashboard" in page
    response = client.post(f"/accounts/token/{_token(key).public_id}/revoke/")
    assert response.status_code == 302
    assert _api(key).get(f"{API}me/").status_code == 401
    assert _api(kept).get(f"{API}me/").status_code == 200
    with schema_context("public"):
        assert AuditEvent.objects.filter(action="account.api_token_revoked", detail__reason="holder").exists()


def test_nobody_revokes_another_account_token_from_the_account_page(tenant_db, login, client):
    key = api_token_for(tenant_db["cpas_referent"].user)
    login(tenant_db["bapa_worker"])
    assert client.post(f"/accounts/token/{_token(key).public_id}/revoke/").status_code == 404
    assert _api(key).get(f"{API}me/").status_code == 200


def test_a_coordinator_revokes_a_member_tokens(tenant_db, token_client):
    worker = tenant_db["bapa_worker"]
    key = api_token_for(worker.user)
    response = token_client(tenant_db["coordinator"]).post(f"{API}members/{worker.membership_public_id}/revoke-tokens/")
    assert response.status_code == 200
    assert response.json() == {"revoked": 1}
    assert _api(key).get(f"{API}me/").status_code == 401
    with schema_context("schaerbeek"):
        event = AuditEvent.objects.get(action="account.api_tokens_revoked", object_public_id=worker.user.public_id)
    assert event.actor_id == tenant_db["coordinator"].user.pk and event.detail["reason"] == "coordinator"


def test_a_coordinator_revokes_from_the_members_page(tenant_db, login, client):
    worker = tenant_db["bapa_worker"]
    key = api_token_for(worker.user)
    login(tenant_db["coordinator"])
    assert "revoke-tokens" in client.get("/c/schaerbeek/members/").content.decode()
    response = client.post(f"/c/schaerbeek/members/{worker.membership_public_id}/revoke-tokens/")
    assert response.status_code == 302
    assert _api(key).get(f"{API}me/").status_code == 401


def test_another_coordination_coordinator_cannot_revoke(tenant_db, token_client):
    worker = tenant_db["bapa_worker"]
    key = api_token_for(worker.user)
    response = token_client(tenant_db["tournai_coordinator"]).post(
        f"/c/tournai/api/v1/members/{worker.membership_public_id}/revoke-tokens/"
    )
    assert response.status_code == 404
    assert _api(key).get(f"{API}me/").status_code == 200


def test_a_member_who_is_not_coordinator_cannot_revoke(tenant_db, token_client):
    worker = tenant_db["bapa_worker"]
    key = api_token_for(worker.user)
    api = token_client(tenant_db["cpas_referent"])
    response = api.post(f"{API}members/{worker.membership_public_id}/revoke-tokens/")
    assert response.status_code == 403
    assert _api(key).get(f"{API}me/").status_code == 200
