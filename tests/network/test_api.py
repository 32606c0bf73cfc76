"""GET /c/<slug>/api/v1/network/: nodes, edges and gaps, counts only."""

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from api import network as network_api
from tests.network.conftest import PERIOD, PERSON_NAMES, TODAY

URL = "/c/schaerbeek/api/v1/network/"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(network_api, "_today", lambda: TODAY)


def _get(token_client, persona, **params):
    return token_client(persona).get(URL, params)


def test_edges_carry_the_counts_between_organisations(known, tenant_db, token_client):
    body = _get(token_client, tenant_db["bapa_worker"], period=PERIOD).json()
    edges = {(e["source"], e["target"]): e for e in body["edges"]}
    to_cpas = edges[(str(known.bapa.public_id), str(known.cpas.public_id))]
    assert {k: to_cpas[k] for k in ("sent", "accepted", "answered", "unanswered", "overdue")} == {
        "sent": 6,
        "accepted": 2,
        "answered": 3,
        "unanswered": 3,
        "overdue": 1,
    }
    assert len(edges) == 3
    assert body["period"] == {"start": "2026-01-01", "end": "2026-03-31", "code": "2026-Q1"}


def test_nodes_carry_kind_domains_and_flags(known, tenant_db, token_client):
    body = _get(token_client, tenant_db["observer"], period=PERIOD).json()
    nodes = {n["name"]: n for n in body["nodes"]}
    assert nodes["CPAS de Schaerbeek"]["kind"] == "cpas"
    assert nodes["CPAS de Schaerbeek"]["domains"] == ["housing", "social_rights"]
    assert nodes["SESO"]["flags"] == ["mostly_unanswered"]
    assert (nodes["SESO"]["received"], nodes["SESO"]["left_unanswered"]) == (3, 2)
    assert nodes["Exil"]["flags"] == ["inactive"]
    assert nodes["SESO"]["id"] == str(known.seso.public_id)


def test_gaps_name_organisations_by_id_and_domains_by_code(known, tenant_db, token_client):
    gaps = _get(token_client, tenant_db["volunteer"], period=PERIOD).json()["gaps"]
    assert gaps["no_cpas"] is False
    assert gaps["cpas_without_referent"] == []
    assert gaps["mostly_unanswered"] == [
        {"organisation": str(known.seso.public_id), "received": 3, "left_unanswered": 2}
    ]
    assert gaps["inactive"] == [str(known.exil.public_id)]
    assert "legal_aid" in gaps["uncovered_domains"] and "housing" not in gaps["uncovered_domains"]


def test_api_carries_no_person_data(known, tenant_db, token_client):
    text = json.dumps(_get(token_client, tenant_db["coordinator"], period=PERIOD).json())
    for name in PERSON_NAMES:
        assert name not in text
    for public_id in [*known.person_ids, *known.referral_ids]:
        assert str(public_id) not in text


def test_date_range_is_accepted(known, tenant_db, token_client):
    body = _get(token_client, tenant_db["bapa_worker"], start="2026-02-20", end="2026-02-21").json()
    assert [(e["sent"], e["unanswered"]) for e in body["edges"]] == [(2, 2)]  # the two to SESO


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "2026-Q5"}, "period"),
        ({"start": "2026-01-01"}, "end"),
        ({"start": "2026-04-01", "end": "2026-01-01"}, "end"),
        ({"period": "2026-01", "end": "2026-01-31"}, "period"),
    ],
)
def test_bad_period_is_a_400_naming_the_field(tenant_db, token_client, params, field):
    response = _get(token_client, tenant_db["bapa_worker"], **params)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid"
    assert field in response.json()["fields"]


def test_foreigner_gets_404(known, tenant_db, token_client):
    response = _get(token_client, tenant_db["foreigner"])
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_regional_administrator_gets_404(tenant_db, token_client):
    assert _get(token_client, tenant_db["regional_admin"]).status_code == 404


def test_tournai_sees_its_own_network_only(known, tenant_db, token_client):
    body = token_client(tenant_db["foreigner"]).get("/c/tournai/api/v1/network/", {"period": PERIOD}).json()
    assert {n["name"] for n in body["nodes"]} == {"CPAS de Tournai", "Plateforme associative tournaisienne"}
    assert body["edges"] == []


def test_network_route_is_in_the_valid_openapi_schema():
    schema = SchemaGenerator(urlconf="maillage.urls_tenant").get_schema(request=None, public=True)
    validate_schema(schema)
    operation = schema["paths"]["/api/v1/network/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"period", "start", "end"}


def test_api_query_count_is_constant(known, tenant_db, token_client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tenants.utils import schema_context

    from directory.services import create_organisation
    from maillage.actor import Actor

    api = token_client(tenant_db["bapa_worker"])
    with CaptureQueriesContext(connection) as small:
        api.get(URL, {"period": PERIOD})
    with schema_context("schaerbeek"):
        for index in range(10):
            create_organisation(actor=Actor.system(tenant_db.schaerbeek), name=f"Asbl {index}", kind="association")
    connection.set_schema_to_public()
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = api.get(URL, {"period": PERIOD}).json()
    assert len(body["nodes"]) == 15
