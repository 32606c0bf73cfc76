"""What every benchmark needs: SQL on the local cluster outside Django (to create and drop
its throwaway database), Django pointed at that database, and a coordination to work in."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = os.environ.get("MAILLAGE_PG_PORT", "54329")

# Invented names for the persons the benches write.
GIVEN = ["Amina", "Yusuf", "Olena", "Mariam", "Ahmad", "Fatima", "Tesfaye", "Sara", "Omar", "Nadia", "Ivan", "Leila"]
FAMILY = ["Haddad", "Rahimi", "Kovalenko", "Tesfay", "Diallo", "Benali", "Popescu", "Ahmadi", "Mensah", "Karimi"]
# Referral statuses, weighted roughly as a year of referrals to a CPAS would leave them.
STATUSES = {
    "sent": 8,
    "received": 7,
    "accepted": 20,
    "in_progress": 15,
    "completed": 30,
    "not_completed": 5,
    "declined": 10,
    "cancelled": 5,
}


def psql(sql: str, dbname: str = "postgres", params=None):
    """Runs one statement in autocommit; returns the rows when it has any."""
    import psycopg

    with psycopg.connect(f"postgresql://maillage@127.0.0.1:{PORT}/{dbname}", autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def configure(database: str, *, inline_tasks: bool = False) -> str:
    """Points Django at the bench database; call it before anything imports Django.
    With inline_tasks, Celery tasks run eagerly and e-mails stay in memory, so no broker
    and no SMTP server are needed."""
    os.environ["DATABASE_URL"] = f"postgres://maillage@127.0.0.1:{PORT}/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    if inline_tasks:
        os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
        os.environ["EMAIL_URL"] = "memorymail://"
        os.environ["DEBUG"] = "0"
    return database


def create_database(database: str) -> None:
    psql(f'DROP DATABASE IF EXISTS "{database}"')
    psql(f'CREATE DATABASE "{database}"')


def migrate_public_schema() -> float:
    """Runs the shared apps' migrations; returns the seconds they took."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "migrate_schemas", "--shared", "-v", "0"],
        cwd=ROOT,
        env={**os.environ},
        check=True,
    )
    return time.perf_counter() - started


def drop_database(database: str) -> None:
    from django.db import connections

    connections.close_all()
    psql(f'DROP DATABASE IF EXISTS "{database}"')


@contextmanager
def throwaway_database(database: str):
    """Creates and migrates the database, sets Django up, and drops the database at the
    end whatever happens; yields the seconds the public schema's migration took."""
    create_database(database)
    try:
        migrated_in = migrate_public_schema()

        import django

        django.setup()
        yield migrated_in
    finally:
        drop_database(database)


def provision_bench_coordination(name: str, slug: str, *, lead: str = "BAPA bench", domain: str = "bench.test"):
    """One Brussels coordination led by the organisation `lead`, its coordinator at `domain`."""
    from maillage.actor import Actor
    from members.provisioning import CommuneInput, provision_coordination

    return provision_coordination(
        actor=Actor.system(),
        name=name,
        slug=slug,
        region="brussels",
        communes=[CommuneInput("Schaerbeek", "21015")],
        lead_organisation_name=lead,
        lead_organisation_kind="bapa",
        coordinator_email=f"coordinator@{domain}",
        coordinator_password="a-long-bench-password",
    )


def seat(coordination, email: str, organisation, role: str):
    """A member of `organisation` whose second factor is set up; returns its Actor."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from maillage.actor import Actor
    from members.services import add_member
    from tenants.models import User

    user = User.objects.create_user(email, password="a-long-bench-password", full_name=email.split("@")[0])
    TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    membership = add_member(actor=Actor.system(coordination), user=user, organisation=organisation, role=role)
    return Actor(user=user, membership=membership, organisation=organisation, coordination=coordination)


def signed_in_client(actor):
    """A django.test.Client signed in as the actor, second factor verified, that counts
    every query of a request (Django resets the log when a request starts otherwise)."""
    import logging

    from django.core.signals import request_started
    from django.db import reset_queries
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    request_started.disconnect(reset_queries)
    logging.getLogger("axes").setLevel(logging.WARNING)
    client = Client()
    client.force_login(actor.user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=actor.user).persistent_id
    session.save()
    return client


def bench_bapa_and_cpas(coordination):
    """The bench coordination's BAPA, and a CPAS created beside it."""
    from directory.models import Organisation
    from directory.services import create_organisation
    from maillage.actor import Actor

    bapa = Organisation.objects.get(name="BAPA bench")
    cpas = create_organisation(actor=Actor.system(coordination), name="CPAS bench", kind="cpas")
    return bapa, cpas


def record_housing_consent(actor, person, cpas, *, explanation_language: str = "ar"):
    """Through the service: the person's identity and situation opened to the CPAS for housing."""
    from consent.services import ConsentInput, record_consent

    return record_consent(
        actor=actor,
        person=person,
        data=ConsentInput(
            recipients=[cpas.public_id],
            domains=["housing"],
            categories=["identity", "situation"],
            purpose="Logement",
            method="oral_witnessed",
            witness_name="Collègue",
            explanation_language=explanation_language,
        ),
    )


def p95(timings: list[float]) -> float:
    timings = sorted(timings)
    return timings[max(0, round(0.95 * len(timings)) - 1)]


def timed_compute(period):
    """The nightly snapshot's compute(period), run from the public schema: its seconds, the
    values it stored and the statements it ran."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from regions.indicators import compute

    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        stored = compute(period)
        elapsed = time.perf_counter() - started
    return elapsed, stored, captured.captured_queries
