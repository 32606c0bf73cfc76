"""A PostgreSQL restart ends every connection. A read that meets it runs again on a new
connection, in its own coordination's schema; a write answers 503 with Retry-After and
leaves nothing half written; never a 500.

The connection is really ended: pg_terminate_backend from a second connection, at a chosen
query (an execute wrapper) or between requests. These tests therefore run without the
usual rolled-back transaction (the server would end it too) and write nothing they keep.
"""

import logging
import socket
import uuid
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from directory.models import Organisation
from maillage.api import exception_handler
from tenants.models import ApiToken
from tests.factories import api_token_for

BASE = "/c/schaerbeek"
ORGANISATIONS_API = f"{BASE}/api/v1/organisations/"
ORGANISATIONS_PAGE = f"{BASE}/directory/organisations/"


@pytest.fixture
def live_db(db, world):
    """A connection of its own in autocommit stands in for the default one: the server
    may end it, while the test's transaction (on the usual connection, left aside) stays
    intact and is rolled back as always."""
    aside = connections["default"]
    live = connections.create_connection("default")
    live.set_schema_to_public()
    connections["default"] = live
    try:
        yield world
    finally:
        live.close()
        connections["default"] = aside


@pytest.fixture
def coordinator_api(live_db):
    user = live_db["coordinator"].user
    key = api_token_for(user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    yield api
    connection.close()
    with schema_context("public"):
        ApiToken.objects.filter(user=user).delete()


def _terminate(pid: int) -> None:
    other = connections.create_connection("default")
    other.set_schema_to_public()
    try:
        with other.cursor() as cursor:
            # Waits (up to 5 s) until the backend is gone, as after a real shutdown.
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone()[0] is True
    finally:
        other.close()


def _terminate_current_connection() -> None:
    connection.ensure_connection()
    _terminate(connection.connection.info.backend_pid)


@contextmanager
def connection_ended_at(prefix: str, times: int = 1):
    """Ends the connection just before each of the next `times` queries starting with
    `prefix`, which then meets the closed connection."""
    left = [times]

    def end_then_execute(execute, sql, params, many, context):
        if left[0] and sql.lstrip().startswith(prefix):
            left[0] -= 1
            _terminate(context["connection"].connection.info.backend_pid)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(end_then_execute):
        yield left
    assert left[0] == 0, f"no query started with {prefix!r}"


def _schaerbeek_organisations() -> set[str]:
    connection.close()
    with schema_context("schaerbeek"):
        return set(Organisation.objects.values_list("name", flat=True))


def test_a_read_after_the_database_restarted_is_answered(live_db, coordinator_api, caplog):
    expected = _schaerbeek_organisations()
    _terminate_current_connection()
    with caplog.at_level(logging.WARNING, logger="maillage.middleware"):
        response = coordinator_api.get(ORGANISATIONS_API)
    assert response.status_code == 200
    assert {row["name"] for row in response.json()["results"]} == expected
    assert "reconnecting" in caplog.text


def test_an_api_read_that_loses_its_connection_runs_again_in_its_coordination(live_db, coordinator_api, caplog):
    expected = _schaerbeek_organisations()
    with (
        caplog.at_level(logging.WARNING, logger="maillage.middleware"),
        connection_ended_at('SELECT COUNT(*) AS "__count" FROM "directory_organisation"'),
    ):
        response = coordinator_api.get(ORGANISATIONS_API)
    assert response.status_code == 200
    assert {row["name"] for row in response.json()["results"]} == expected
    assert "running it again" in caplog.text


def test_a_page_read_that_loses_its_connection_runs_again_in_its_coordination(live_db, login, caplog):
    client = login(live_db["coordinator"], on=Client())
    try:
        with (
            caplog.at_level(logging.WARNING, logger="maillage.middleware"),
            connection_ended_at('SELECT "directory_organisation"."id"'),
        ):
            response = client.get(ORGANISATIONS_PAGE)
        assert response.status_code == 200
        assert "VIA — BAPA Schaerbeek" in response.content.decode()
        assert "CPAS de Tournai" not in response.content.decode()
        assert "running it again" in caplog.text
    finally:
        connection.close()
        client.logout()


def test_a_write_that_loses_its_connection_is_a_503_and_leaves_nothing(live_db, coordinator_api):
    name = f"Blip {uuid.uuid4()}"
    # The organisation's row is written, then its audit event meets the ended connection.
    with connection_ended_at('INSERT INTO "audit_auditevent"'):
        response = coordinator_api.post(ORGANISATIONS_API, {"name": name, "kind": "association"}, format="json")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"] == "unavailable"
    assert name not in _schaerbeek_organisations()


def test_a_read_that_fails_twice_is_a_503_in_the_api_format(live_db, coordinator_api):
    with connection_ended_at('SELECT COUNT(*) AS "__count" FROM "directory_organisation"', times=2):
        response = coordinator_api.get(ORGANISATIONS_API)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert set(response.json()) == {"error", "detail"}
    assert response.json()["error"] == "unavailable"


def test_a_page_that_fails_twice_is_a_503_page_with_the_security_headers(live_db, login):
    client = login(live_db["coordinator"], on=Client())
    try:
        with connection_ended_at('SELECT "directory_organisation"."id"', times=2):
            response = client.get(ORGANISATIONS_PAGE)
        assert response.status_code == 503
        assert response["Retry-After"] == "5"
        assert response["Content-Type"].startswith("text/html")
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    finally:
        connection.close()
        client.logout()


def test_a_lost_connection_outside_a_view_is_a_503_not_a_500(live_db):
    # Routing reads the coordination first and tries once more; both fail here.
    client = Client(raise_request_exception=False)
    with connection_ended_at('SELECT "tenants_domain"."id"', times=2):
        response = client.post(f"{BASE}/directory/organisations/new/", {"name": "x"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


def test_the_api_handler_maps_a_lost_connection_in_a_write_to_503():
    class Request:
        database_retry = "none"

    response = exception_handler(OperationalError("server closed the connection unexpectedly"), {"request": Request()})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.data["error"] == "unavailable"


def test_a_request_while_postgresql_refuses_connections_is_a_503(live_db, monkeypatch):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "PORT", str(closed_port))
    response = Client(raise_request_exception=False).get(ORGANISATIONS_API)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"] == "unavailable"
