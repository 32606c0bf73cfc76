"""Liveness and readiness, for a load balancer, an orchestrator or the local runner.

/healthz: the process answers (no database, no Redis). /readyz: the database and the broker
answer and a Celery worker has written its heartbeat lately; 503 otherwise. Both are
answered by `HealthMiddleware`, before coordination routing (which reads the database) and
whatever the Host header (a probe often calls by address), without sign-in, behind the same
security headers as every response. The bodies name each check and its state, nothing more:
no version, no host name, no error text.
"""

import time

import redis
from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connections
from django.http import JsonResponse
from django.utils.cache import patch_cache_control

# How often a worker writes its heartbeat (maillage.celery.Heartbeat); readiness accepts
# one up to settings.MAILLAGE_WORKER_HEARTBEAT_MAX_AGE seconds old.
HEARTBEAT_SECONDS = 15
# A stopped platform leaves no heartbeat behind for long.
HEARTBEAT_KEEP_SECONDS = 24 * 3600
PROBE_TIMEOUT_SECONDS = 3


def _broker() -> redis.Redis:
    return redis.Redis.from_url(
        settings.CELERY_BROKER_URL,
        socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
        socket_timeout=PROBE_TIMEOUT_SECONDS,
    )


def beat_heart(now: float | None = None) -> None:
    """Records that a worker is alive, in the broker's Redis."""
    stamp = time.time() if now is None else now
    with _broker() as broker:
        broker.set(settings.MAILLAGE_WORKER_HEARTBEAT_KEY, f"{stamp:.3f}", ex=HEARTBEAT_KEEP_SECONDS)


def database_state() -> str:
    # A connection of its own, opened and closed here: the request's connection, its
    # schema and any transaction stay untouched, and a dead server shows as such.
    db = connections.create_connection("default")
    db.settings_dict = {
        **db.settings_dict,
        "OPTIONS": {**db.settings_dict.get("OPTIONS", {}), "connect_timeout": PROBE_TIMEOUT_SECONDS},
    }
    db.set_schema_to_public()
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except DatabaseError:
        return "unreachable"
    finally:
        db.close()


def broker_and_worker_states() -> tuple[str, str]:
    try:
        with _broker() as broker:
            broker.ping()
            stamp = broker.get(settings.MAILLAGE_WORKER_HEARTBEAT_KEY)
    except (redis.RedisError, OSError):
        return "unreachable", "unknown"
    if stamp is None:
        return "ok", "missing"
    try:
        age = time.time() - float(stamp)
    except ValueError:
        return "ok", "missing"
    return "ok", ("ok" if age <= settings.MAILLAGE_WORKER_HEARTBEAT_MAX_AGE else "stale")


def readiness() -> dict:
    broker, worker = broker_and_worker_states()
    checks = {"database": database_state(), "broker": broker, "worker": worker}
    return {"status": "ready" if all(state == "ok" for state in checks.values()) else "not ready", "checks": checks}


def _answer(body: dict, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    patch_cache_control(response, no_store=True)
    return response


def healthz(request) -> JsonResponse:
    return _answer({"status": "ok"}, 200)


def readyz(request) -> JsonResponse:
    body = readiness()
    return _answer(body, 200 if body["status"] == "ready" else 503)


class HealthMiddleware:
    """Answers GET and HEAD on /healthz and /readyz; every other request passes on."""

    VIEWS = {"/healthz": healthz, "/readyz": readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = self.VIEWS.get(request.path_info)
        if view is not None and request.method in {"GET", "HEAD"}:
            return view(request)
        return self.get_response(request)
