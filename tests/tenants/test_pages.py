"""The web shell: home page, languages, account page, admin provisioning."""

import re
from io import StringIO

from django.core.management import call_command
from django_tenants.utils import schema_exists

from tests.tenants.test_admin import sign_in_to_admin


def test_home_lists_coordinations_with_public_facts_only(tenant_db, client):
    page = client.get("/").content.decode()
    assert "Schaerbeek" in page and "Tournai" in page
    assert "21015" not in page  # NIS codes are for members
    assert "@schaerbeek.test" not in page


def test_interface_is_french_by_default(tenant_db, client):
    page = client.get("/").content.decode()
    assert '<html lang="fr">' in page
    assert "Se connecter" in page


def test_language_switch_to_dutch(tenant_db, client):
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="nl">' in page
    assert "Aanmelden" in page


def test_english_is_available(tenant_db, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Sign in" in client.get("/").content.decode()


def test_coordination_pages_show_role_and_settings(tenant_db, login, client):
    login(tenant_db["cpas_referent"])
    page = client.get("/c/schaerbeek/").content.decode()
    assert "CPAS de Schaerbeek" in page
    assert "21015" in page


def test_members_page_lists_colleagues_without_invite_form_for_workers(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    page = client.get("/c/schaerbeek/members/").content.decode()
    assert "Marc Cpas" in page
    assert 'name="email"' not in page


def test_admin_action_provisions_a_coordination(tenant_db, client):
    sign_in_to_admin(client)
    response = client.post(
        "/admin/tenants/coordination/add/",
        {
            "name": "Anderlecht",
            "slug": "anderlecht",
            "region": "brussels",
            "communes": "Anderlecht;21001",
            "lead_organisation_name": "Convivial Anderlecht",
            "lead_organisation_kind": "bapa",
            "coordinator_email": "coord@anderlecht.test",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert schema_exists("anderlecht")


def test_admin_action_reports_duplicate_slug(tenant_db, client):
    sign_in_to_admin(client)
    response = client.post(
        "/admin/tenants/coordination/add/",
        {
            "name": "Schaerbeek 2",
            "slug": "schaerbeek",
            "region": "brussels",
            "communes": "Schaerbeek;21015",
            "lead_organisation_name": "X",
            "lead_organisation_kind": "bapa",
            "coordinator_email": "c@s.test",
        },
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_migrations_match_the_models(tenant_db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


def test_stylesheet_is_served_locally(tenant_db, client):
    page = client.get("/").content.decode()
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
    assert href.startswith("/static/")
    response = client.get(href)
    assert response.status_code == 200
    assert b"--accent" in b"".join(response.streaming_content)
