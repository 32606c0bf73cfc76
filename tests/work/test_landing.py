"""After signing in, a member lands on their work page in the coordination they used last."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from maillage.actor import Actor
from tenants.models import User
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, organisation_of


def _sign_in(client, user, **extra):
    return client.post("/accounts/login/", {"username": user.email, "password": PASSWORD, **extra})


def test_a_member_lands_on_the_work_page_of_its_coordination(tenant_db, client):
    response = _sign_in(client, tenant_db["bapa_worker"].user)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/?next=/c/schaerbeek/work/"


def test_the_second_factor_leads_on_to_the_work_page(tenant_db, client):
    user = tenant_db["bapa_worker"].user
    _sign_in(client, user)
    device = TOTPDevice.objects.get(user=user, name="test")
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    response = client.post("/accounts/two-factor/", {"otp_token": code, "next": "/c/schaerbeek/work/"})
    assert response["Location"] == "/c/schaerbeek/work/"
    assert client.get("/c/schaerbeek/work/").status_code == 200


def test_an_observer_lands_there_without_a_second_factor(tenant_db, client):
    user = tenant_db["observer"].user
    TOTPDevice.objects.filter(user=user).delete()
    response = _sign_in(client, user)
    assert response["Location"] == "/c/schaerbeek/work/"
    assert client.get("/c/schaerbeek/work/").status_code == 200


def test_an_account_lands_in_the_coordination_it_used_last(tenant_db, login, client):
    persona = tenant_db["bapa_worker"]
    MembershipFactory(
        actor=Actor.system(tenant_db.tournai), user=persona.user, organisation=organisation_of("foreigner")
    )
    login(persona)
    assert client.get("/c/tournai/persons/").status_code == 200
    assert User.objects.get(pk=persona.user.pk).last_coordination_id == tenant_db.tournai.pk
    client.logout()
    assert _sign_in(client, persona.user)["Location"] == "/accounts/two-factor/?next=/c/tournai/work/"
    login(persona)
    client.get("/c/schaerbeek/")
    client.logout()
    assert _sign_in(client, persona.user)["Location"] == "/accounts/two-factor/?next=/c/schaerbeek/work/"


def test_a_coordination_no_longer_open_to_the_account_is_not_a_landing(tenant_db, client):
    persona = tenant_db["bapa_worker"]
    User.objects.filter(pk=persona.user.pk).update(last_coordination=tenant_db.tournai)
    assert _sign_in(client, persona.user)["Location"] == "/accounts/two-factor/?next=/c/schaerbeek/work/"


def test_an_account_without_coordination_lands_where_it_did(tenant_db, client):
    response = _sign_in(client, tenant_db["regional_admin"].user)
    assert response["Location"] in ("/accounts/", "/accounts/two-factor/?next=/accounts/")


def test_an_explicit_next_still_wins(tenant_db, client):
    response = _sign_in(client, tenant_db["bapa_worker"].user, next="/c/schaerbeek/members/")
    assert response["Location"] == "/accounts/two-factor/?next=/c/schaerbeek/members/"


def test_a_page_view_writes_the_account_only_when_the_coordination_changes(tenant_db, login, client):
    persona = tenant_db["bapa_worker"]
    login(persona)
    client.get("/c/schaerbeek/work/")
    assert User.objects.get(pk=persona.user.pk).last_coordination_id == tenant_db.schaerbeek.pk
    with CaptureQueriesContext(connection) as queries:
        client.get("/c/schaerbeek/work/")
    assert not [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "tenants_user"')]
