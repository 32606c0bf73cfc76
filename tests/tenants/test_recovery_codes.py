"""Second-factor recovery: codes given at enrolment, each usable once, regenerated from the
account page; a throttled attempt says why and until when."""

import re

import pytest
from django.db import connection
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from maillage.actor import Actor
from tenants import services

CODE = re.compile(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>")


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _now_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _codes_for(user) -> list[str]:
    return services.issue_recovery_codes(
        actor=Actor(user=user, membership=None, organisation=None, coordination=None), reason="test"
    )


def test_enrolment_shows_ten_recovery_codes_once(tenant_db, login, client):
    user = tenant_db["cpas_referent"].user
    TOTPDevice.objects.filter(user=user).delete()
    login(tenant_db["cpas_referent"], verified=False)
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/accounts/two-factor/", {"otp_token": _now_code(device), "next": "/c/schaerbeek/"})
    assert response.status_code == 200
    shown = CODE.findall(response.content.decode())
    assert len(shown) == 10 and len(set(shown)) == 10
    stored = set(StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True))
    assert stored == {code.replace("-", "") for code in shown}
    assert 'href="/c/schaerbeek/"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="account.recovery_codes_issued", actor=user).exists()
    # The codes are not shown again.
    assert CODE.findall(client.get("/accounts/").content.decode()) == []


def test_a_recovery_code_signs_in_once(tenant_db, login, client):
    persona = tenant_db["bapa_worker"]
    codes = _codes_for(persona.user)
    login(persona, verified=False)
    typed = f"{codes[0][:4].upper()} {codes[0][4:]}"
    response = client.post("/accounts/two-factor/", {"otp_token": typed, "next": "/c/schaerbeek/members/"})
    assert response["Location"] == "/c/schaerbeek/members/"
    assert client.session[DEVICE_ID_SESSION_KEY] == StaticDevice.objects.get(user=persona.user).persistent_id
    assert AuditEvent.objects.filter(action="account.recovery_code_used", actor=persona.user).exists()
    assert "9 codes are left" in client.get("/accounts/").content.decode()
    assert client.get("/c/schaerbeek/members/").status_code == 200
    connection.set_schema_to_public()

    client.logout()
    login(persona, verified=False)
    response = client.post("/accounts/two-factor/", {"otp_token": codes[0]})
    assert response.status_code == 200
    assert "already used" in response.content.decode()
    assert client.get("/c/schaerbeek/members/").status_code == 302


def test_the_account_page_counts_the_codes_left_and_regenerates_them(tenant_db, login, client):
    persona = tenant_db["coordinator"]
    old = _codes_for(persona.user)
    device = StaticDevice.objects.get(user=persona.user)
    device.token_set.filter(token=old[0]).delete()
    login(persona)
    assert "9 unused codes left" in client.get("/accounts/").content.decode()
    response = client.post("/accounts/recovery-codes/")
    new = [code.replace("-", "") for code in CODE.findall(response.content.decode())]
    assert len(new) == 10
    assert set(device.token_set.values_list("token", flat=True)) == set(new)
    assert not set(old) & set(new)
    assert AuditEvent.objects.filter(
        action="account.recovery_codes_issued", actor=persona.user, detail__reason="regenerated"
    ).exists()


def test_regenerating_needs_a_verified_session(tenant_db, login, client):
    persona = tenant_db["coordinator"]
    old = _codes_for(persona.user)
    login(persona, verified=False)
    response = client.post("/accounts/recovery-codes/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")
    assert set(StaticDevice.objects.get(user=persona.user).token_set.values_list("token", flat=True)) == set(old)


def test_a_correct_code_after_a_wrong_one_is_refused_with_the_reason_and_time(tenant_db, login, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    persona = tenant_db["bapa_worker"]
    device = TOTPDevice.objects.get(user=persona.user, name="test")
    login(persona, verified=False)
    wrong = "000000" if _now_code(device) != "000000" else "111111"
    page = client.post("/accounts/two-factor/", {"otp_token": wrong}).content.decode()
    assert "not valid" in page
    page = client.post("/accounts/two-factor/", {"otp_token": _now_code(device)}).content.decode()
    assert "Too many attempts" in page
    device.refresh_from_db()
    locked_until = device.verify_is_allowed()[1]["locked_until"]
    assert timezone.localtime(locked_until).strftime("%H:%M:%S") in page
    assert client.get("/c/schaerbeek/members/").status_code == 302


def test_malformed_code_gets_a_field_message(tenant_db, login, client):
    login(tenant_db["bapa_worker"], verified=False)
    page = client.post("/accounts/two-factor/", {"otp_token": "12ab"}).content.decode()
    assert "recovery codes" in page
