"""A real Celery worker process runs a coordination's task in that coordination's schema,
and writes the heartbeat /readyz reads."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from directory.models import Organisation
from maillage.celery import app
from members.tasks import coordination_health

ROOT = Path(__file__).resolve().parents[1]
# Parallel runs share the Redis server: this worker beats under a key of its own.
HEARTBEAT_KEY = f"test:worker-heartbeat:{uuid.uuid4()}"


@pytest.fixture(scope="module")
def worker(world):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MAILLAGE_WORKER_HEARTBEAT_KEY": HEARTBEAT_KEY,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "maillage",
            "worker",
            "--pool",
            "solo",
            "-l",
            "warning",
            "-Q",
            "pytest-worker",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield process
    finally:
        app.conf.task_always_eager = eager
        redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(HEARTBEAT_KEY)
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.parametrize("schema", ["schaerbeek", "tournai"])
def test_worker_runs_the_task_in_the_coordinations_schema(tenant_db, worker, schema):
    with schema_context(schema):
        expected = Organisation.objects.count()
    result = coordination_health.apply_async(args=[schema], queue="pytest-worker")
    outcome = result.get(timeout=60)
    assert outcome["schema"] == schema
    assert outcome["organisations"] == expected
    assert worker.poll() is None


def test_worker_writes_its_heartbeat(tenant_db, worker):
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    deadline = time.monotonic() + 60
    while broker.get(HEARTBEAT_KEY) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    stamp = broker.get(HEARTBEAT_KEY)
    assert stamp is not None
    assert time.time() - float(stamp) < settings.MAILLAGE_WORKER_HEARTBEAT_MAX_AGE


def test_worker_runs_the_next_task_after_its_database_connections_were_ended(tenant_db, worker):
    assert coordination_health.apply_async(args=["schaerbeek"], queue="pytest-worker").get(timeout=60)
    # As a PostgreSQL restart would: every other connection to this run's database ends.
    # Celery's Django fix-up closes the worker's connections around each task, so the
    # next task starts on a new one.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    outcome = coordination_health.apply_async(args=["schaerbeek"], queue="pytest-worker").get(timeout=60)
    assert outcome["schema"] == "schaerbeek"
    assert worker.poll() is None
