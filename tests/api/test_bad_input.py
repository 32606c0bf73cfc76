"""Bad input gets a 400 that says what is wrong, never a 500: bodies that are not JSON
objects, JSON nested without end, NUL characters in a query, periods no calendar holds."""

import json

import pytest
from rest_framework.test import APIClient

from maillage.errors import Invalid
from maillage.exports import spreadsheet_safe
from regions.indicators import parse_period

NOT_OBJECTS = ["[]", '["title"]', '"text"', "3", "null"]


def _send(api: APIClient, method: str, path: str, raw: str):
    return api.generic(method, path, raw, content_type="application/json")


@pytest.mark.parametrize("raw", NOT_OBJECTS)
def test_changing_an_organisation_with_a_body_that_is_not_an_object_is_400(tenant_db, token_client, raw):
    world = tenant_db
    path = f"/c/schaerbeek/api/v1/organisations/{world['cpas_referent'].organisation_public_id}/"
    response = _send(token_client(world["coordinator"]), "PATCH", path, raw)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid"
    assert body["fields"]["non_field_errors"]


@pytest.mark.parametrize("raw", NOT_OBJECTS)
@pytest.mark.parametrize("method", ["PATCH", "PUT"])
def test_changing_an_offer_with_a_body_that_is_not_an_object_is_400(tenant_db, make_offer, token_client, method, raw):
    offer = make_offer()
    path = f"/c/schaerbeek/api/v1/offers/{offer.public_id}/"
    response = _send(token_client(tenant_db["cpas_referent"]), method, path, raw)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid"
    assert body["fields"]["non_field_errors"]


WRITES = [
    ("POST", "invitations/"),
    ("POST", "persons/"),
    ("POST", "referrals/"),
    ("POST", "organisations/"),
    ("POST", "offers/"),
    ("POST", "need-domains/"),
    ("POST", "households/"),
    ("POST", "meetings/"),
    ("POST", "actions/"),
    ("POST", "objectives/"),
    ("POST", "charter/versions/"),
    ("POST", "membership-requests/"),
    ("POST", "hsds/import/"),
]


@pytest.mark.parametrize("raw", ["[]", '"text"', "3", "null"])
@pytest.mark.parametrize(("method", "route"), WRITES)
def test_no_write_answers_500_to_a_body_that_is_not_an_object(tenant_db, token_client, method, route, raw):
    api = token_client(tenant_db["coordinator"])
    api.raise_request_exception = False
    response = _send(api, method, f"/c/schaerbeek/api/v1/{route}", raw)
    assert response.status_code < 500


def test_json_nested_without_end_is_400(tenant_db, token_client):
    raw = "[" * 50_000 + "]" * 50_000
    response = _send(token_client(tenant_db["cpas_referent"]), "POST", "/c/schaerbeek/api/v1/persons/", raw)
    assert response.status_code == 400
    assert response.json()["error"] == "parse_error"


def test_json_nested_deeper_than_the_limit_is_400(tenant_db, token_client):
    value: object = "x"
    for _ in range(100):
        value = {"given_name": value}
    response = _send(
        token_client(tenant_db["cpas_referent"]), "POST", "/c/schaerbeek/api/v1/persons/", json.dumps(value)
    )
    assert response.status_code == 400
    assert response.json()["error"] == "parse_error"


def test_ordinary_json_still_reads(tenant_db, token_client):
    body = {"given_name": "Amina", "family_name": "Haddad", "birth_year": 1990}
    response = _send(
        token_client(tenant_db["cpas_referent"]), "POST", "/c/schaerbeek/api/v1/persons/", json.dumps(body)
    )
    assert response.status_code == 201


def test_nul_in_the_persons_api_query_is_400(tenant_db, token_client):
    response = token_client(tenant_db["cpas_referent"]).get("/c/schaerbeek/api/v1/persons/?q=%00")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid"
    assert body["fields"]["q"]


def test_nul_in_the_person_list_query_is_400(tenant_db, login, client):
    login(tenant_db["cpas_referent"])
    response = client.get("/c/schaerbeek/persons/?q=%00")
    assert response.status_code == 400


@pytest.mark.parametrize("label", ["9999-12", "0000-01", "1999-12", "2101", "0000-Q1", "9999"])
def test_a_period_outside_2000_to_2100_is_invalid(label):
    with pytest.raises(Invalid) as raised:
        parse_period(label)
    assert "period" in raised.value.fields


@pytest.mark.parametrize("label", ["2000-01", "2100-12", "2100-Q4", "2100", "2026-11"])
def test_a_period_between_2000_and_2100_reads(label):
    assert parse_period(label).label == label


@pytest.mark.parametrize("label", ["9999-12", "0000-01"])
def test_a_period_outside_the_calendar_is_400_on_the_regional_api(tenant_db, login, client, label):
    login(tenant_db["regional_admin"], verified=False)
    response = client.get(f"/api/v1/regions/brussels/indicators/?period={label}")
    assert response.status_code == 400
    assert response.json()["fields"]["period"]


@pytest.mark.parametrize("label", ["9999-12", "0000-01"])
@pytest.mark.parametrize("page", ["", "export.csv", "export.xlsx"])
def test_a_period_outside_the_calendar_is_400_on_the_regional_pages(tenant_db, login, client, label, page):
    login(tenant_db["regional_admin"], verified=False)
    response = client.get(f"/region/brussels/{page}?period={label}")
    assert response.status_code == 400
    assert "2000" in response.content.decode() and "2100" in response.content.decode()


@pytest.mark.parametrize("label", ["9999-12", "0000-01"])
def test_a_period_outside_the_calendar_is_400_on_the_coordinator_api(tenant_db, token_client, label):
    response = token_client(tenant_db["coordinator"]).get(f"/c/schaerbeek/api/v1/indicators/?period={label}")
    assert response.status_code == 400
    assert response.json()["fields"]["period"]


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "＝1+1", "＋1", "－1", "＠SUM(A1)"],
)
def test_a_cell_that_could_start_a_formula_is_written_as_text(value):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Schaerbeek", "12", "", " =1", "a=b", "2026-11"])
def test_an_ordinary_cell_is_left_alone(value):
    assert spreadsheet_safe(value) == value
