"""Sign-in security: second factor, throttling, session expiry, cookies, headers, production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("persona", ["coordinator", "bapa_worker", "cpas_referent", "volunteer"])
def test_roles_reading_personal_data_need_the_second_factor(tenant_db, login, client, persona):
    login(tenant_db[persona], verified=False)
    response = client.get("/c/schaerbeek/members/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/?next=")


def test_observer_needs_no_second_factor(tenant_db, login, client):
    login(tenant_db["observer"], verified=False)
    assert client.get("/c/schaerbeek/").status_code == 200


def test_api_session_without_second_factor_is_refused(tenant_db, login, client):
    login(tenant_db["bapa_worker"], verified=False)
    response = client.get("/c/schaerbeek/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["error"] == "two_factor_required"


def test_password_then_totp_signs_in(tenant_db, client):
    user = tenant_db["bapa_worker"].user
    device = TOTPDevice.objects.get(user=user, name="test")
    response = client.post(
        "/accounts/login/", {"username": user.email, "password": PASSWORD, "next": "/c/schaerbeek/members/"}
    )
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    response = client.post("/accounts/two-factor/", {"otp_token": code, "next": "/c/schaerbeek/members/"})
    assert response["Location"] == "/c/schaerbeek/members/"
    assert client.get("/c/schaerbeek/members/").status_code == 200


def test_wrong_totp_code_is_refused(tenant_db, login, client):
    login(tenant_db["bapa_worker"], verified=False)
    response = client.post("/accounts/two-factor/", {"otp_token": "000000"})
    assert response.status_code == 200
    assert client.get("/c/schaerbeek/members/").status_code == 302


def test_enrolment_shows_a_qr_code_and_confirms_the_device(tenant_db, login, client):
    world = tenant_db
    user = world["cpas_referent"].user
    TOTPDevice.objects.filter(user=user).delete()
    login(world["cpas_referent"], verified=False)
    page = client.get("/accounts/two-factor/").content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    client.post("/accounts/two-factor/", {"otp_token": code})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/c/schaerbeek/members/").status_code == 200


def test_repeated_failed_logins_lock_the_account_out(tenant_db, client):
    email = tenant_db["observer"].email
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": email, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_counts_every_spelling_of_an_address_as_one(tenant_db, client):
    email = tenant_db["observer"].email
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": email.upper(), "password": "wrong"})
    for spelling in (email, f"  {email.title()} "):
        response = client.post("/accounts/login/", {"username": spelling, "password": PASSWORD})
        assert response.status_code == 429, spelling
    assert "_auth_user_id" not in client.session


def test_wrong_password_gives_a_clear_message(tenant_db, client):
    response = client.post("/accounts/login/", {"username": tenant_db["observer"].email, "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_session_expires_after_inactivity():
    assert "maillage.middleware.SessionRefreshMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_REFRESH_SECONDS <= 60
    assert settings.SESSION_COOKIE_AGE <= 60 * 60


def _expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_read_within_the_minute_writes_no_session(tenant_db, login, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(tenant_db["observer"])
    client.get("/c/schaerbeek/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/c/schaerbeek/")
    assert not [q for q in captured.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_a_request_after_the_minute_moves_the_idle_expiry_forward(tenant_db, login, client):
    import time
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(tenant_db["observer"])
    client.get("/c/schaerbeek/")
    before = _expiry(client)
    later = time.time() + settings.SESSION_REFRESH_SECONDS + 5
    with mock.patch("maillage.middleware.time.time", return_value=later), CaptureQueriesContext(connection) as captured:
        client.get("/c/schaerbeek/")
    assert [q for q in captured.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert _expiry(client) > before


def test_security_headers_on_every_page(tenant_db, client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script(tenant_db, login, client):
    login(tenant_db["coordinator"])
    for path in ["/", "/accounts/", "/c/schaerbeek/", "/c/schaerbeek/members/", "/c/schaerbeek/audit/"]:
        body = client.get(path).content.decode()
        assert "<script>" not in body and " onclick=" not in body, path


def test_session_cookie_is_http_only(tenant_db, client):
    response = client.post("/accounts/login/", {"username": tenant_db["observer"].email, "password": PASSWORD})
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"


def _settings_in_production(**extra):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "MAILLAGE_DEMO_RELAX_2FA"}}
    env.update(
        {
            "MAILLAGE_ENV": "production",
            "DATABASE_URL": "postgres://u@db.invalid/x",
            "CELERY_BROKER_URL": "redis://broker.invalid/0",
            "ALLOWED_HOSTS": "maillage.example",
            "EMAIL_URL": "smtp://mail.invalid:25",
            "DEFAULT_FROM_EMAIL": "no-reply@maillage.example",
            "SECRET_KEY": "x" * 50,
            "MAILLAGE_FIELD_KEYS": "hKbG8cS8wQ6QFJ0sY3O2l6xq1wX0f4XwTqj0S8wT5Bo=",
        }
    )
    env.update(extra)
    env = {k: v for k, v in env.items() if v is not None}
    code = "import django; django.setup(); from django.conf import settings; print(settings.SESSION_COOKIE_SECURE)"
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)


def test_production_refuses_to_start_without_secret_key():
    result = _settings_in_production(SECRET_KEY=None)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_the_demo_two_factor_switch():
    result = _settings_in_production(MAILLAGE_DEMO_RELAX_2FA="1")
    assert result.returncode != 0
    assert "MAILLAGE_DEMO_RELAX_2FA" in result.stderr


def test_production_cookies_are_secure():
    result = _settings_in_production()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
