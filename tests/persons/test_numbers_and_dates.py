"""The national register number agrees with the birth date and has a serial that can be
issued; the programme registration does not come before the commune registration. Both
in persons.services, so the page and the API give the same 400."""

from datetime import date

import pytest
from django.utils import translation
from django_tenants.utils import schema_context

from maillage.errors import Invalid
from persons import national_number
from persons.services import PersonInput, update_person
from tests.factories import PersonFactory

PERSONS = "/c/schaerbeek/api/v1/persons/"


@pytest.fixture(autouse=True)
def english(client):
    """The messages as written (the tests' language is otherwise French)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def _number(first_nine: str, *, born_after_2000: bool = False) -> str:
    """Eleven digits with their check digits (97 minus the remainder; a 2 in front for 2000s births)."""
    base = int(("2" if born_after_2000 else "") + first_nine)
    return f"{first_nine}{97 - base % 97:02d}"


@pytest.mark.parametrize(
    ("number", "born", "year", "agrees"),
    [
        ("85073003328", date(1985, 7, 30), None, True),
        ("85073003328", date(1985, 7, 31), None, False),
        ("85073003328", None, 1985, True),
        ("85073003328", None, 1986, False),
        (_number("050730033", born_after_2000=True), date(2005, 7, 30), None, True),
        (_number("050730033", born_after_2000=True), date(1905, 7, 30), None, False),
        # 00 month: only the year is known to the register.
        (_number("850000033"), date(1985, 3, 1), None, True),
        (_number("850000033"), date(1984, 3, 1), None, False),
        # 00 day: year and month.
        (_number("850700033"), date(1985, 7, 12), None, True),
        (_number("850700033"), date(1985, 3, 12), None, False),
        # Nothing of the birth date was known when the number was issued.
        (_number("000001033"), date(1985, 3, 1), None, True),
        # No birth date on the file: nothing to compare.
        ("85073003328", None, None, True),
    ],
)
def test_the_number_agrees_with_the_birth_date(number, born, year, agrees):
    assert (national_number.contradictions(number, birth_date=born, birth_year=year) == []) is agrees


@pytest.mark.parametrize("serial", ["000", "999"])
def test_a_serial_never_issued_is_refused(serial):
    number = _number(f"850730{serial}")
    assert national_number.contradictions(number, birth_date=date(1985, 7, 30), birth_year=None)


def test_the_api_refuses_a_number_that_contradicts_the_birth_date(tenant_db, token_client):
    body = {"given_name": "Amina", "family_name": "Haddad", "birth_date": "1990-04-02"}
    body["national_number"] = "85073003328"
    response = token_client(tenant_db["bapa_worker"]).post(PERSONS, body, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"national_number"}


def test_the_page_refuses_it_in_the_same_words(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    response = client.post(
        "/c/schaerbeek/persons/new/",
        {"given_name": "Amina", "family_name": "Haddad", "birth_date": "1985-07-31", "national_number": "85073003328"},
    )
    assert response.status_code == 400
    assert "The national register number gives another birth date." in response.content.decode()


def test_a_new_birth_date_must_agree_with_the_number_kept(tenant_db):
    with schema_context("schaerbeek"):
        person = PersonFactory(birth_date=date(1985, 7, 30), national_number="85073003328")
        data = PersonInput(given_name="Samira", family_name="Darwish", birth_date=date(1987, 7, 30))
        with pytest.raises(Invalid) as error:
            update_person(actor=_bapa(tenant_db), person=person, data=data)
    assert set(error.value.fields) == {"birth_date"}


def _bapa(world):
    return world["bapa_worker"].actor()


@pytest.mark.parametrize("api", [True, False])
def test_the_programme_date_cannot_come_before_the_commune_registration(tenant_db, token_client, login, client, api):
    body = {
        "given_name": "Amina",
        "family_name": "Haddad",
        "commune_registration_date": "2025-03-01",
        "programme_registration_date": "2025-02-01",
    }
    message = "The programme registration cannot come before the commune registration."
    if api:
        response = token_client(tenant_db["bapa_worker"]).post(PERSONS, body, format="json")
        assert response.status_code == 400
        assert set(response.json()["fields"]) == {"programme_registration_date"}
    else:
        login(tenant_db["bapa_worker"])
        response = client.post("/c/schaerbeek/persons/new/", body)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_the_programme_on_the_day_of_the_commune_registration_is_taken(tenant_db, token_client):
    body = {
        "given_name": "Amina",
        "family_name": "Haddad",
        "commune_registration_date": "2025-03-01",
        "programme_registration_date": "2025-03-01",
    }
    assert token_client(tenant_db["bapa_worker"]).post(PERSONS, body, format="json").status_code == 201


def test_the_commune_registration_cannot_come_before_the_birth(tenant_db, token_client):
    body = {
        "given_name": "Amina",
        "family_name": "Haddad",
        "birth_date": "1990-04-02",
        "commune_registration_date": "1989-01-10",
    }
    response = token_client(tenant_db["bapa_worker"]).post(PERSONS, body, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"commune_registration_date"}
