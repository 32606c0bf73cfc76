"""Dates no one means: year 0, 1 or 9999 typed in a person's file, a referral's appointment,
a consent or an offer is a 400 naming the field (the one check, maillage.cleaning.check_date),
on the API as on the page."""

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from maillage.cleaning import EARLIEST, EARLIEST_BIRTH, check_date
from tests.factories import ConsentFactory, PersonFactory

PERSONS = "/c/schaerbeek/api/v1/persons/"


def _person(**fields):
    return {"given_name": "Amina", "family_name": "Haddad", **fields}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"birth_year": 0}, "birth_year"),
        ({"birth_year": 1899}, "birth_year"),
        ({"birth_date": "0001-01-01"}, "birth_date"),
        ({"commune_registration_date": "0001-01-01"}, "commune_registration_date"),
        ({"commune_registration_date": "9999-12-31"}, "commune_registration_date"),
        ({"programme_registration_date": "1999-12-31"}, "programme_registration_date"),
        ({"programme_registration_date": "9999-12-31"}, "programme_registration_date"),
    ],
)
def test_an_implausible_date_in_a_persons_file_is_400(tenant_db, token_client, fields, field):
    response = token_client(tenant_db["bapa_worker"]).post(PERSONS, _person(**fields), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]


def test_birth_year_zero_is_refused_on_the_page(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    response = client.post("/c/schaerbeek/persons/new/", _person(birth_year="0"))
    assert response.status_code == 400
    assert "1900" in response.content.decode()


def test_a_plausible_file_is_taken(tenant_db, token_client):
    fields = {
        "birth_year": 1990,
        "commune_registration_date": "1995-05-01",
        "programme_registration_date": "2024-01-15",
    }
    response = token_client(tenant_db["bapa_worker"]).post(PERSONS, _person(**fields), format="json")
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("appointment", ["0001-01-01T10:00:00Z", "9999-12-31T10:00:00+01:00", "1999-06-01T10:00:00Z"])
def test_an_appointment_in_an_implausible_year_is_400(tenant_db, token_client, appointment):
    consent = ConsentFactory(recipients=[tenant_db["cpas_referent"].organisation_public_id])
    with schema_context("schaerbeek"):
        person = consent.person.public_id
    response = token_client(tenant_db["bapa_worker"]).post(
        "/c/schaerbeek/api/v1/referrals/",
        {
            "person": str(person),
            "to_organisation": str(tenant_db["cpas_referent"].organisation_public_id),
            "domains": ["housing"],
            "reason": "Logement",
            "appointment_at": appointment,
        },
        format="json",
    )
    assert response.status_code == 400, response.json()
    assert "appointment_at" in response.json()["fields"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"given_at": "0001-01-01T00:00:00Z"}, "given_at"),
        ({"given_at": "9999-12-31T23:00:00Z"}, "given_at"),
        ({"expires_on": "9999-12-31"}, "expires_at"),
        ({"expires_on": "0001-01-01"}, "expires_at"),
    ],
)
def test_a_consent_in_an_implausible_year_is_400(tenant_db, token_client, fields, field):
    person = PersonFactory()
    body = {
        "recipients": [str(tenant_db["cpas_referent"].organisation_public_id)],
        "domains": ["housing"],
        "categories": ["identity"],
        "purpose": "Logement",
        "method": "oral_witnessed",
        "witness_name": "Collègue",
        "explanation_language": "fr",
        **fields,
    }
    response = token_client(tenant_db["bapa_worker"]).post(
        f"/c/schaerbeek/api/v1/persons/{person.public_id}/consents/", body, format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]


@pytest.mark.parametrize("field", ["valid_from", "valid_until"])
def test_an_offer_valid_in_year_one_is_400(tenant_db, token_client, field):
    response = token_client(tenant_db["cpas_referent"]).post(
        "/c/schaerbeek/api/v1/offers/",
        {
            "organisation": str(tenant_db["cpas_referent"].organisation_public_id),
            "title": "Permanence",
            "primary_domain": "social_rights",
            field: "0001-01-01",
        },
        format="json",
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]


@pytest.mark.parametrize(
    ("value", "earliest", "years_ahead", "ok"),
    [
        (date(1999, 12, 31), EARLIEST, 0, False),
        (EARLIEST, EARLIEST, 0, True),
        (date(1900, 1, 1), EARLIEST_BIRTH, 0, True),
        (date(1, 1, 1), EARLIEST_BIRTH, 0, False),
        (date(9999, 12, 31), EARLIEST, 5, False),
        (None, EARLIEST, 0, True),
        (datetime(2001, 1, 1, tzinfo=UTC), EARLIEST, 0, True),
        (datetime(1, 1, 1, tzinfo=UTC), EARLIEST, 0, False),
    ],
)
def test_check_date_keeps_dates_between_the_earliest_and_the_years_ahead(value, earliest, years_ahead, ok):
    errors: dict = {}
    check_date(value, "when", errors, earliest=earliest, years_ahead=years_ahead)
    assert ("when" not in errors) is ok


def test_today_plus_the_years_ahead_is_the_last_day_taken():
    today = timezone.localdate()
    errors: dict = {}
    check_date(today.replace(year=today.year + 2, day=min(today.day, 28)), "when", errors, years_ahead=2)
    assert not errors
