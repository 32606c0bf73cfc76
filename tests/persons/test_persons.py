"""Persons' files: ownership, duplicates, national number, deadline, isolation."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from maillage.errors import Forbidden, Invalid
from persons import national_number
from persons.models import Person
from persons.selectors import persons_visible_to, possible_duplicates, programme_deadline
from tests.factories import PersonFactory

VALID_NN = "85073003328"


def test_file_belongs_to_the_creating_organisation(tenant_db):
    person = PersonFactory()
    with schema_context("schaerbeek"):
        assert persons_visible_to(actor=tenant_db["bapa_worker"].actor()).filter(pk=person.pk).exists()
        assert not persons_visible_to(actor=tenant_db["outsider"].actor()).filter(pk=person.pk).exists()
        assert not persons_visible_to(actor=tenant_db["cpas_referent"].actor()).filter(pk=person.pk).exists()


@pytest.mark.parametrize("persona", ["volunteer", "observer"])
def test_volunteers_and_observers_open_no_file(tenant_db, persona):
    with pytest.raises(Forbidden):
        PersonFactory(actor=persona)


def test_duplicate_warning_is_tolerant_of_transliteration_and_reveals_only_the_organisation(tenant_db):
    PersonFactory(given_name="Mohammed", family_name="Al-Hassan", birth_date=date(1988, 4, 2))
    with schema_context("schaerbeek"):
        found = possible_duplicates(
            actor=tenant_db["outsider"].actor(),
            given_name="Mohamed",
            family_name="Al Hassan",
            birth_date=date(1988, 4, 2),
            birth_year=None,
        )
        arabic = possible_duplicates(
            actor=tenant_db["outsider"].actor(),
            given_name="Mohammed",
            family_name="Аль-Хассан",  # Cyrillic spelling
            birth_date=date(1988, 4, 2),
            birth_year=None,
        )
    assert found == ["VIA — BAPA Schaerbeek"]
    assert arabic == ["VIA — BAPA Schaerbeek"]


def test_no_duplicate_warning_for_another_birth_date(tenant_db):
    PersonFactory(given_name="Mohammed", family_name="Al-Hassan", birth_date=date(1988, 4, 2))
    with schema_context("schaerbeek"):
        assert (
            possible_duplicates(
                actor=tenant_db["outsider"].actor(),
                given_name="Mohammed",
                family_name="Al-Hassan",
                birth_date=date(1990, 1, 1),
                birth_year=None,
            )
            == []
        )


def test_api_create_with_duplicate_needs_confirmation(tenant_db, token_client):
    PersonFactory(given_name="Amina", family_name="Haddad", birth_year=1990)
    api = token_client(tenant_db["cpas_referent"])
    body = {"given_name": "Amina", "family_name": "Haddad", "birth_year": 1990}
    response = api.post("/c/schaerbeek/api/v1/persons/", body, format="json")
    assert response.status_code == 409
    assert response.json()["error"] == "possible_duplicate"
    assert "VIA — BAPA Schaerbeek" in response.json()["detail"]
    assert "Haddad" not in response.json()["detail"].split(":", 1)[1]
    assert api.post("/c/schaerbeek/api/v1/persons/?confirm_new=1", body, format="json").status_code == 201


def test_national_number_is_validated_encrypted_and_never_listed(tenant_db, token_client):
    person = PersonFactory(national_number=VALID_NN)
    with schema_context("schaerbeek"):
        stored = Person.objects.get(pk=person.pk).national_number_encrypted
    assert VALID_NN not in stored
    assert national_number.decrypt(stored) == VALID_NN
    with connection.cursor() as cursor, schema_context("schaerbeek"):
        cursor.execute(
            "SELECT count(*) FROM schaerbeek.referrals_person WHERE national_number_encrypted LIKE %s",
            [f"%{VALID_NN}%"],
        )
        assert cursor.fetchone()[0] == 0
    api = token_client(tenant_db["bapa_worker"])
    assert VALID_NN not in api.get("/c/schaerbeek/api/v1/persons/").content.decode()
    assert VALID_NN not in api.get(f"/c/schaerbeek/api/v1/persons/{person.public_id}/").content.decode()


def test_invalid_national_number_is_400(tenant_db, token_client):
    response = token_client(tenant_db["bapa_worker"]).post(
        "/c/schaerbeek/api/v1/persons/",
        {"given_name": "A", "family_name": "B", "national_number": "85073003329"},
        format="json",
    )
    assert response.status_code == 400
    assert "national_number" in response.json()["fields"]


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"given_name": ""}, "given_name"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"languages": ["klingon"]}, "languages"),
        ({"interpreter_needed": True}, "interpreter_language"),
        ({"status": "tourist"}, "status"),
    ],
)
def test_bad_person_input_is_400_naming_the_field(tenant_db, token_client, fields, name):
    body = {"given_name": "A", "family_name": "B", **fields}
    response = token_client(tenant_db["bapa_worker"]).post("/c/schaerbeek/api/v1/persons/", body, format="json")
    assert response.status_code == 400
    assert name in response.json()["fields"]


def test_programme_deadline_and_alert(tenant_db):
    registered = date.today() - timedelta(days=170)
    person = PersonFactory(commune_registration_date=registered)
    deadline = programme_deadline(person, months=6)
    assert deadline.alert and 0 <= deadline.days_left <= 30
    assert programme_deadline(person, months=3).days_left < 0
    person.programme_registration_date = date.today()
    assert not programme_deadline(person, months=6).alert


def test_person_page_shows_the_deadline_alert(tenant_db, login, client):
    person = PersonFactory(commune_registration_date=date.today() - timedelta(days=170))
    login(tenant_db["bapa_worker"])
    page = client.get(f"/c/schaerbeek/persons/{person.public_id}/").content.decode()
    assert 'role="status"' in page


def test_reading_a_file_leaves_a_trace(tenant_db, token_client):
    person = PersonFactory()
    token_client(tenant_db["bapa_worker"]).get(f"/c/schaerbeek/api/v1/persons/{person.public_id}/")
    with schema_context("schaerbeek"):
        assert AuditEvent.objects.filter(person_public_id=person.public_id, action="person.read").exists()


@pytest.mark.parametrize("persona", ["outsider", "cpas_referent", "volunteer", "observer"])
def test_other_organisations_get_404_on_the_file(tenant_db, token_client, login, client, persona):
    person = PersonFactory()
    assert token_client(tenant_db[persona]).get(f"/c/schaerbeek/api/v1/persons/{person.public_id}/").status_code == 404
    login(tenant_db[persona])
    assert client.get(f"/c/schaerbeek/persons/{person.public_id}/").status_code == 404


def test_other_coordination_gets_404_on_the_file(tenant_db, token_client):
    person = PersonFactory()
    api = token_client(tenant_db["foreigner"])
    assert api.get(f"/c/schaerbeek/api/v1/persons/{person.public_id}/").status_code == 404
    assert api.get(f"/c/tournai/api/v1/persons/{person.public_id}/").status_code == 404


def test_person_services_reject_a_household_of_others(tenant_db):
    from persons.services import create_household

    person = PersonFactory()
    with schema_context("schaerbeek"), pytest.raises((Invalid, Forbidden)):
        create_household(actor=tenant_db["cpas_referent"].actor(), name="Famille H.", members=[(person, "head")])
