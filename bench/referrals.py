#!/usr/bin/env python3
"""Time a CPAS inbox holding 10,000 referrals, and the cost of sending one referral.

    python3 platform/dev.py services start
    .venv/bin/python bench/referrals.py [REFERRALS]

Works in a throwaway database (maillage_bench) on the local cluster, dropped at the end.

Inbox: GET /c/<slug>/api/v1/referrals/inbox/ through django.test.Client, signed in as a
CPAS reference person whose second factor is verified, for page sizes 50 and 200; one
warm-up request counts the SQL queries (statements, plus in brackets the `SET search_path`
django-tenants sends) and lists the statements that repeat within one request; then 20
timed requests: median and p95.

Send: create_referral + send_referral through the services (checks, timeline, audit,
notification rows, e-mails on commit), 50 runs, in two ways: e-mail tasks only queued
(`apply_async` recorded, as a broker would take them), and e-mail tasks run inline (Celery
eager, locmem e-mail backend), which adds the worker's cost to the same request.
"""

import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import _data as data  # noqa: E402  (the rows the benches write)
from _common import (  # noqa: E402  (bench/ is the script folder)
    STATUSES,
    bench_bapa_and_cpas,
    configure,
    p95,
    provision_bench_coordination,
    record_housing_consent,
    seat,
    signed_in_client,
    throwaway_database,
)

# Another name through MAILLAGE_BENCH_DB lets two benchmarks run side by side.
BENCH_DB = configure(os.environ.get("MAILLAGE_BENCH_DB", "maillage_bench"), inline_tasks=True)

RUNS = 20
SEND_RUNS = 50
PAGE_SIZES = (50, 200)
REFERENCE_PERSONS = 2
SEED = 20261123
SLUG = "bench-referrals"


def fill(worker, cpas, count: int, rng: random.Random) -> None:
    """Persons, consents and referrals written in bulk, not through the services:
    create_person + record_consent + create_referral + send_referral validate, lock, write
    the timeline and audit events one referral at a time (the send benchmark below times
    exactly that), which would take minutes for 10,000. The inbox benchmark measures reads,
    so it needs the rows as the services leave them, not the path that wrote them."""
    from django.db import connection, transaction
    from django.utils import timezone

    from consent.models import Consent
    from persons.models import Person
    from referrals.deadlines import add_working_days
    from referrals.models import Referral

    now = timezone.now()
    domains = data.domains_by_code()
    statuses = rng.choices(list(STATUSES), list(STATUSES.values()), k=count)
    with transaction.atomic():
        persons = Person.objects.bulk_create(
            (data.person_row(rng, worker.organisation, worker.user) for _ in range(count)), batch_size=2000
        )
        given = [now - timedelta(days=rng.randint(1, 360)) for _ in range(count)]
        consents = Consent.objects.bulk_create(
            (
                data.consent_row(person, worker.organisation, given_at=given_at, recorded_by=worker.user)
                for person, given_at in zip(persons, given, strict=True)
            ),
            batch_size=2000,
        )
        referral_codes = [rng.sample(data.CODES, rng.choice([1, 1, 2])) for _ in range(count)]
        Consent.recipients.through.objects.bulk_create(
            (Consent.recipients.through(consent=c, organisation=cpas) for c in consents), batch_size=5000
        )
        Consent.domains.through.objects.bulk_create(
            data.consent_domain_rows(consents, referral_codes, domains), batch_size=5000
        )
        referrals = []
        parties = {"from_organisation": worker.organisation, "sender": worker.user, "to_organisation": cpas}
        for person, consent, given_at, status in zip(persons, consents, given, statuses, strict=True):
            sent_at = given_at + timedelta(hours=rng.randint(1, 48))
            due = add_working_days(timezone.localdate(sent_at), 5)
            # Not the coordination's sequence: a benchmark's rows, numbered apart.
            reference = f"BEN-{sent_at.year}-{len(referrals) + 1:06d}"
            referrals.append(
                data.prompt_referral_row(person, consent, status, sent_at, due, now, reference=reference, **parties)
            )
        referrals = Referral.objects.bulk_create(referrals, batch_size=2000)
        Referral.domains.through.objects.bulk_create(
            data.referral_domain_rows(referrals, referral_codes, domains), batch_size=5000
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"filled: {count} persons, {count} consents, {count} referrals to {cpas.name} ({dict(Counter(statuses))})")


def _shape(sql: str) -> str:
    """A statement with its literals blanked, to see which one repeats."""
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    sql = re.sub(r"IN \((\?, )*\?\)", "IN (...)", sql)
    return re.sub(r"\s+", " ", sql)


def _statements(queries) -> list[str]:
    """The SQL of a capture, without the `SET search_path` django-tenants adds."""
    return [q["sql"] for q in queries if not q["sql"].startswith("SET search_path")]


def _kind(sql: str) -> str:
    """'SELECT referrals_referral', 'INSERT audit_auditevent', 'BEGIN'... for a summary."""
    verb = sql.split(None, 1)[0].upper()
    match = re.search(r'(?:FROM|INTO|UPDATE)\s+"(\w+)"', sql)
    if verb == "SAVEPOINT" or verb == "RELEASE":
        return verb
    return f"{verb} {match.group(1)}" if match else verb


def measure_inbox(reader, count: int) -> None:

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in_client(reader)

    print(f"inbox of {count} referrals, {RUNS} runs after one warm-up:")
    print(f"{'page size':>9} {'rows':>5} {'median':>9} {'p95':>9} {'queries':>12} {'in SQL':>9}")
    repeats, slowest = {}, {}
    for size in PAGE_SIZES:
        url = f"/c/{SLUG}/api/v1/referrals/inbox/?page_size={size}"
        connection.set_schema_to_public()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (response.status_code, response.content[:300])
        body = response.json()
        assert body["count"] >= count, body.get("count")
        rows = len(body["results"])
        # captured_queries reads the connection's log at each access: take it once, now.
        queries = list(captured.captured_queries)
        sql = [q for q in queries if not q["sql"].startswith("SET search_path")]
        sql_ms = sum(float(q["time"]) for q in sql) * 1000
        repeats[size] = Counter(_shape(q["sql"]) for q in sql)
        slowest[size] = sorted(sql, key=lambda q: -float(q["time"]))[:3]
        timings = []
        for _ in range(RUNS):
            connection.set_schema_to_public()
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        print(
            f"{size:>9} {rows:>5} {statistics.median(timings):>7.1f}ms {p95(timings):>7.1f}ms "
            f"{len(sql):>5} (+{len(queries) - len(sql)}) {sql_ms:>7.1f}ms"
        )
    for size in PAGE_SIZES:
        print(f"slowest statements of the warm-up request, page size {size}:")
        for q in slowest[size]:
            print(f"  {float(q['time']) * 1000:>5.0f}ms  {_shape(q['sql'])[:150]}")
    small, large = (repeats[s] for s in PAGE_SIZES)
    growing = {shape: (small[shape], large[shape]) for shape in large if large[shape] > small[shape]}
    if not growing:
        print("query count does not grow with the page size")
        return
    print(f"statements that repeat per row (page {PAGE_SIZES[0]} -> {PAGE_SIZES[1]}):")
    for shape, (a, b) in sorted(growing.items(), key=lambda item: -item[1][1]):
        print(f"  {a:>4} -> {b:>4}  {shape[:400]}")


def measure_send(worker, cpas) -> None:
    import logging
    from unittest import mock

    from django.core import mail
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from notifications.tasks import send_notification_email
    from persons.services import PersonInput, create_person
    from referrals.services import ReferralInput, create_referral, send_referral

    def prepared(n: int):
        out = []
        for i in range(n):
            person = create_person(actor=worker, data=PersonInput("Amina", f"Bench{i}", birth_year=1990))
            consent = record_housing_consent(worker, person, cpas)
            out.append((person, consent))
        return out

    def run(label: str, pairs) -> list[str]:
        in_service, total, queries_service, queries_total = [], [], [], []
        statements: list[str] = []
        for person, consent in pairs:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                with transaction.atomic():
                    referral = create_referral(
                        actor=worker,
                        data=ReferralInput(
                            person=person, to_organisation=cpas, domains=["housing"], reason="Logement", consent=consent
                        ),
                    )
                    send_referral(actor=worker, referral=referral)
                    in_service.append((time.perf_counter() - started) * 1000)
                    queries_service.append(len(_statements(captured.captured_queries)))
                total.append((time.perf_counter() - started) * 1000)
            statements = _statements(captured.captured_queries)
            queries_total.append(len(statements))
        print(
            f"{label:<32} services {statistics.median(in_service):>5.1f}ms "
            f"({statistics.median(queries_service):.0f} statements); "
            f"with commit and e-mail tasks {statistics.median(total):>5.1f}ms, p95 {p95(total):>5.1f}ms "
            f"({statistics.median(queries_total):.0f} statements)"
        )
        return statements

    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)  # one line per eager task otherwise
    print(f"send one referral to a CPAS with {REFERENCE_PERSONS} reference persons, {SEND_RUNS} runs:")
    run("warm-up", prepared(3))
    queued = []
    # maillage.delivery.queue_after_commit hands the task to the broker with apply_async.
    with mock.patch.object(send_notification_email, "apply_async", side_effect=lambda args, **_: queued.append(args)):
        sending = run("e-mail tasks queued", prepared(SEND_RUNS))
    mail.outbox = []
    mailing = run("e-mail tasks run inline (eager)", prepared(SEND_RUNS))
    print(
        f"  tasks queued: {len(queued)} ({len(queued) / SEND_RUNS:.0f} per referral); "
        f"e-mails sent inline: {len(mail.outbox)}"
    )
    print("  statements of one send (tasks queued):")
    for what, n in Counter(_kind(sql) for sql in sending).most_common():
        print(f"    {n:>3}  {what}")
    print("  added by the e-mail tasks, for both e-mails:")
    for what, n in (Counter(_kind(sql) for sql in mailing) - Counter(_kind(sql) for sql in sending)).most_common():
        print(f"    {n:>3}  {what}")


def main(count: int) -> None:
    with throwaway_database(BENCH_DB):
        from django_tenants.utils import schema_context

        from members.roles import Role

        coordination = provision_bench_coordination("Bench referrals", SLUG)
        with schema_context(coordination.schema_name):
            bapa, cpas = bench_bapa_and_cpas(coordination)
            worker = seat(coordination, "worker@bench.test", bapa, Role.WORKER)
            referents = [
                seat(coordination, f"referent{i}@bench.test", cpas, Role.CPAS_REFERENT)
                for i in range(REFERENCE_PERSONS)
            ]
            started = time.perf_counter()
            fill(worker, cpas, count, random.Random(SEED))
            print(f"fill time: {time.perf_counter() - started:.1f} s")
        measure_inbox(referents[0], count)
        with schema_context(coordination.schema_name):
            measure_send(worker, cpas)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
