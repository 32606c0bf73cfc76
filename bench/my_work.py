#!/usr/bin/env python3
"""Time "My work" and the person's timeline in a coordination holding 10,000 referrals
between 2,000 persons.

    python3 platform/dev.py services start
    .venv/bin/python bench/my_work.py [REFERRALS] [PERSONS]

Works in a throwaway database (maillage_bench_work) on the local cluster, dropped at the end.

The data, written in bulk (not through the services, which would take minutes; the reads
need the rows as the services leave them): a BAPA keeps 2,000 files, each with a consent
in force that opens identity, situation and case notes to the CPAS, two shared notes (one
by each side) and five referrals to the CPAS with their "sent" timeline rows. Referrals
sent within the last two weeks are in any state; older ones were answered long ago
(accepted, in progress, completed, declined...), as a year of a CPAS's work leaves them.
One file in ten has a commune registration date, so that some programme deadlines fall
near. The CPAS's first reference person has taken 300 referrals; the BAPA worker has 200
files assigned.

Measured through django.test.Client, signed in with the second factor verified: the My
work page and GET /api/v1/me/work/, for the CPAS reference person and the BAPA worker, and
the file's page (its timeline) and GET /api/v1/persons/<id>/timeline/ for a file with its
five referrals, read by the BAPA worker (its own file) and by the CPAS (through the
consent). One warm-up request counts the SQL statements (the `SET search_path` statements
django-tenants adds are counted apart); then 20 timed requests: median and p95. The
target is under 100 ms each, server side, on a machine that is not shared.
"""

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import _data as data  # noqa: E402  (the rows the benches write)
from _common import (  # noqa: E402  (bench/ is the script folder)
    bench_bapa_and_cpas,
    configure,
    p95,
    provision_bench_coordination,
    seat,
    signed_in_client,
    throwaway_database,
)

BENCH_DB = configure(os.environ.get("MAILLAGE_BENCH_DB", "maillage_bench_work"), inline_tasks=True)

RUNS = int(os.environ.get("MAILLAGE_BENCH_RUNS", "20"))
# With MAILLAGE_BENCH_SLOWEST=n, the n slowest statements of each warm-up request.
SLOWEST = int(os.environ.get("MAILLAGE_BENCH_SLOWEST", "0"))
SQL_SHOWN = 900
SEED = 20261204
SLUG = "bench-work"
RECENT_DAYS = 14
# Older referrals were answered: how a year of a CPAS's work leaves them.
SETTLED = {"accepted": 15, "in_progress": 15, "completed": 45, "not_completed": 8, "declined": 12, "cancelled": 5}
RECENT = {"sent": 30, "received": 25, "accepted": 20, "in_progress": 10, "declined": 10, "cancelled": 5}
TAKEN_REFERRALS = 300
ASSIGNED_FILES = 200


def _file(rng: random.Random, worker, today):
    """A person kept by the worker's organisation; one in ten has a commune registration date."""
    person = data.person_row(rng, worker.organisation, worker.user)
    person.commune_registration_date = today - timedelta(days=rng.randint(1, 1100)) if rng.random() < 0.1 else None
    return person


def fill(worker, referent, cpas, *, referrals: int, persons: int, rng: random.Random) -> None:
    from django.contrib.auth.models import Permission
    from django.db import connection, transaction
    from django.utils import timezone

    from consent.models import Consent
    from persons.models import WORK_ON_PERSON, Person, PersonAssignment
    from referrals.deadlines import add_working_days
    from referrals.models import WORK_ON_REFERRAL, CaseNote, Referral, ReferralAssignment, ReferralEvent

    now = timezone.now()
    today = timezone.localdate()
    domains = data.domains_by_code()
    with transaction.atomic():
        files = Person.objects.bulk_create(
            (_file(rng, worker, today) for _ in range(persons)),
            batch_size=2000,
        )
        given = [now - timedelta(days=rng.randint(30, 360)) for _ in files]
        consents = Consent.objects.bulk_create(
            (
                data.consent_row(
                    person,
                    worker.organisation,
                    given_at=given_at,
                    recorded_by=worker.user,
                    categories=["identity", "situation", "case_notes"],
                    expires_at=now + timedelta(days=rng.randint(30, 330)),
                )
                for person, given_at in zip(files, given, strict=True)
            ),
            batch_size=2000,
        )
        Consent.recipients.through.objects.bulk_create(
            (Consent.recipients.through(consent=c, organisation=cpas) for c in consents), batch_size=5000
        )
        Consent.domains.through.objects.bulk_create(
            data.consent_domain_rows(consents, [data.CODES] * len(consents), domains), batch_size=5000
        )
        rows, chosen = [], []
        for i in range(referrals):
            person, consent = files[i % persons], consents[i % persons]
            sent_at = now - timedelta(days=rng.randint(0, 360), hours=rng.randint(0, 23))
            pool = RECENT if (now - sent_at).days < RECENT_DAYS else SETTLED
            status = rng.choices(list(pool), list(pool.values()))[0]
            due = add_working_days(timezone.localdate(sent_at), 5)
            chosen.append(rng.sample(data.CODES, rng.choice([1, 1, 2])))
            rows.append(
                data.referral_row(
                    person,
                    consent,
                    status,
                    sent_at,
                    due,
                    min(sent_at + timedelta(days=2), now) if status not in data.UNANSWERED else None,
                    min(sent_at + timedelta(days=30), now) if status in data.CLOSED else None,
                    from_organisation=worker.organisation,
                    sender=worker.user,
                    to_organisation=cpas,
                    urgency="urgent" if rng.random() < 0.1 else "normal",
                    # Not the coordination's sequence: a benchmark's rows, numbered apart.
                    reference=f"BEW-{sent_at.year}-{i + 1:06d}",
                )
            )
        made = Referral.objects.bulk_create(rows, batch_size=2000)
        Referral.domains.through.objects.bulk_create(data.referral_domain_rows(made, chosen, domains), batch_size=5000)
        ReferralEvent.objects.bulk_create(data.sent_events(made, worker.user, worker.organisation), batch_size=5000)
        CaseNote.objects.bulk_create(
            (
                CaseNote(
                    person=person,
                    organisation=organisation,
                    author=author.user,
                    domain=domains["housing"],
                    text="Rendez-vous fixé, documents à apporter.",
                    audience="consented",
                    created_at=now - timedelta(days=rng.randint(0, 200)),
                )
                for person in files
                for organisation, author in ((worker.organisation, worker), (cpas, referent))
            ),
            batch_size=5000,
        )
        open_received = [r for r in made if r.status in ("sent", "received", "accepted", "in_progress")]
        work_on_referral = Permission.objects.get(codename=WORK_ON_REFERRAL)
        ReferralAssignment.objects.bulk_create(
            ReferralAssignment(user=referent.user, permission=work_on_referral, content_object=r)
            for r in rng.sample(open_received, min(TAKEN_REFERRALS, len(open_received)))
        )
        work_on_person = Permission.objects.get(codename=WORK_ON_PERSON)
        PersonAssignment.objects.bulk_create(
            PersonAssignment(user=worker.user, permission=work_on_person, content_object=p)
            for p in rng.sample(files, min(ASSIGNED_FILES, persons))
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"filled: {persons} files, {persons} consents, {2 * persons} notes, {referrals} referrals "
        f"({sum(r.status in ('sent', 'received') for r in made)} waiting for the CPAS's answer)"
    )


def measure(label: str, client, url: str) -> float:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    queries = list(captured.captured_queries)
    sql = [q for q in queries if not q["sql"].startswith("SET search_path")]
    sql_ms = sum(float(q["time"]) for q in sql) * 1000
    timings = []
    for _ in range(RUNS):
        connection.set_schema_to_public()
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    print(
        f"{label:<44} {median:>7.1f}ms {p95(timings):>7.1f}ms {len(sql):>5} (+{len(queries) - len(sql)}) "
        f"{sql_ms:>7.1f}ms {len(response.content) // 1024:>5}kB",
        flush=True,
    )
    if SLOWEST:
        for q in sorted(sql, key=lambda q: -float(q["time"]))[:SLOWEST]:
            text = " ".join(q["sql"].split())
            # The columns tell little: from the first FROM on.
            text = text[text.find(" FROM ") :] if " FROM " in text else text
            print(f"    {float(q['time']) * 1000:>6.1f}ms  {text[:SQL_SHOWN]}", flush=True)
    return median


def main(referrals: int, persons: int) -> None:
    with throwaway_database(BENCH_DB):
        from django_tenants.utils import schema_context

        from members.roles import Role
        from persons.models import Person

        coordination = provision_bench_coordination("Bench my work", SLUG)
        with schema_context(coordination.schema_name):
            bapa, cpas = bench_bapa_and_cpas(coordination)
            worker = seat(coordination, "worker@bench.test", bapa, Role.WORKER)
            referent = seat(coordination, "referent@bench.test", cpas, Role.CPAS_REFERENT)
            seat(coordination, "referent2@bench.test", cpas, Role.CPAS_REFERENT)
            started = time.perf_counter()
            fill(worker, referent, cpas, referrals=referrals, persons=persons, rng=random.Random(SEED))
            print(f"fill time: {time.perf_counter() - started:.1f} s")
            # A file followed through a referral the CPAS accepted: both sides read its timeline.
            person = Person.objects.filter(referrals__status="accepted").order_by("pk").first()
        root = f"/c/{SLUG}/"
        as_worker, as_referent = signed_in_client(worker), signed_in_client(referent)
        print(f"{RUNS} runs after one warm-up; today {date.today()}:")
        print(f"{'':<44} {'median':>9} {'p95':>9} {'queries':>11} {'in SQL':>9} {'size':>7}")
        medians = [
            measure("My work, CPAS reference person (page)", as_referent, f"{root}work/"),
            measure("My work, CPAS reference person (API)", as_referent, f"{root}api/v1/me/work/"),
            measure("My work, BAPA worker (page)", as_worker, f"{root}work/"),
            measure("My work, BAPA worker (API)", as_worker, f"{root}api/v1/me/work/"),
            measure("timeline, BAPA worker, own file (page)", as_worker, f"{root}persons/{person.public_id}/"),
            measure(
                "timeline, BAPA worker, own file (API)", as_worker, f"{root}api/v1/persons/{person.public_id}/timeline/"
            ),
            measure("timeline, CPAS through the consent (page)", as_referent, f"{root}persons/{person.public_id}/"),
            measure(
                "timeline, CPAS through the consent (API)",
                as_referent,
                f"{root}api/v1/persons/{person.public_id}/timeline/",
            ),
        ]
        slow = [m for m in medians if m >= 100]
        print("all under 100 ms" if not slow else f"{len(slow)} of {len(medians)} at 100 ms or more")


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 10000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 2000,
    )
