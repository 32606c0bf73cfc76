"""/healthz says the process answers, without touching the database; /readyz checks the
database, the broker and a worker's heartbeat against the real PostgreSQL and Redis, and
names the check that fails."""

import socket
import time
import uuid

import pytest
import redis
from django.conf import settings
from django.db import connection

from maillage import health


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def heartbeat_key(settings):
    """A key of this test's own: parallel runs share the Redis server."""
    key = settings.MAILLAGE_WORKER_HEARTBEAT_KEY = f"test:worker-heartbeat:{uuid.uuid4()}"
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    yield key
    broker.delete(key)


def test_healthz_answers_without_the_database(client):
    # No database access is allowed in this test: one query would fail the request.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_carries_the_security_headers_and_is_not_stored(client):
    response = client.get("/healthz")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_whatever_the_host(client):
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200


def test_readyz_is_200_when_the_database_the_broker_and_a_worker_are_up(tenant_db, client, heartbeat_key):
    health.beat_heart()
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "broker": "ok", "worker": "ok"}}


def test_readyz_needs_no_sign_in_and_no_coordination(tenant_db, client, heartbeat_key):
    health.beat_heart()
    assert client.get("/readyz").status_code == 200
    assert client.get("/c/schaerbeek/readyz").status_code == 404


def test_readyz_is_503_when_the_heartbeat_is_stale(tenant_db, client, heartbeat_key):
    health.beat_heart(now=time.time() - settings.MAILLAGE_WORKER_HEARTBEAT_MAX_AGE - 5)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready",
        "checks": {"database": "ok", "broker": "ok", "worker": "stale"},
    }


def test_readyz_is_503_when_no_worker_ever_wrote_a_heartbeat(tenant_db, client, heartbeat_key):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "missing"


def test_readyz_is_503_when_redis_is_unreachable(tenant_db, client, heartbeat_key, settings):
    health.beat_heart()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "broker": "unreachable", "worker": "unknown"}


def test_readyz_is_503_when_the_database_is_unreachable(tenant_db, client, heartbeat_key, monkeypatch):
    health.beat_heart()
    # The readiness check opens a connection of its own from these settings; the test's
    # connection, already open, is untouched.
    monkeypatch.setitem(connection.settings_dict, "PORT", str(_closed_port()))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "unreachable", "broker": "ok", "worker": "ok"}


def test_readyz_leaves_the_requests_connection_on_its_schema(tenant_db, heartbeat_key):
    connection.set_schema("schaerbeek")
    health.readiness()
    assert connection.schema_name == "schaerbeek"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        assert cursor.fetchone()[0] == "schaerbeek"
