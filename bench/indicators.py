#!/usr/bin/env python3
"""Time the regional comparison over as many coordinations as Belgium has communes.

    python3 platform/dev.py services start
    .venv/bin/python bench/indicators.py [N] [--reuse]

Works in a throwaway database (MAILLAGE_BENCH_DB, default maillage_bench_indicators) on
the local cluster. Provisions N coordinations (default 600; Belgium has 581 communes)
spread over the three regions like the communes are (19 / 262 / 300), fills each with a
year of realistic volumes, then times:

1. `compute(parse_period(<last complete month>))` over all of them, and counts the SQL
   statements it runs (one SELECT per indicator, then the snapshot delete and insert).
   Target from the issue: under 2 minutes on 2 cores.
2. `comparison_table()` (regions.table) for the largest region, and the whole dashboard page (with and without
   the per-1,000-inhabitants view) as a regional administrator gets it. Target: 300 ms.

Provisioning replays the recorded tenant schema script (~0.5 s each, ~5 minutes for 600).
With --reuse the database is kept at the end, and a later run keeps the bench
coordinations it finds (up to N), provisions only the missing ones (an interrupted run
resumes) and, when all N are there, measures only.
"""

import logging
import os
import random
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
    configure,
    create_database,
    drop_database,
    migrate_public_schema,
    psql,
    timed_compute,
)

# Another name through MAILLAGE_BENCH_DB lets two benchmarks run side by side.
BENCH_DB = configure(os.environ.get("MAILLAGE_BENCH_DB", "maillage_bench_indicators"), inline_tasks=True)

SEED = 20261123
RUNS = 10
# Communes per region: the bench spreads its coordinations the same way.
REGIONS = {"brussels": 19, "wallonia": 262, "flanders": 300}
KINDS = ["association", "association", "association", "ngo", "citizen_initiative", "public_service", "cri", "bapa"]
DOMAINS = ["housing", "social_rights", "language", "health", "administrative", "employment", "education"]
CAPACITY = {"open": 70, "waiting_list": 15, "full": 10, "closed": 5}


def existing_coordinations() -> int:
    """Bench coordinations already in the database, or -1 when there is no usable one."""
    if not psql("SELECT 1 FROM pg_database WHERE datname = %s", params=[BENCH_DB]):
        return -1
    try:
        return psql("SELECT count(*) FROM tenants_coordination WHERE slug LIKE 'bench-%'", BENCH_DB)[0][0]
    except Exception:  # no public schema yet: not reusable
        return -1


def fill(coordination, coordinator, rng: random.Random) -> dict:
    """Organisations, offers, accounts, persons, consents and referrals written in bulk,
    not through the services: create_offer, create_person, record_consent, create_referral
    and send_referral validate, lock and write audit events one row at a time, which for
    ~180,000 referrals over 600 coordinations would take hours. The benchmark measures the
    indicator reads, so it needs the rows as the services leave them, not the path that
    wrote them (bench/referrals.py times that path)."""
    from django.db import transaction
    from django.utils import timezone

    from consent.models import Consent
    from directory.models import NeedDomain, Offer, Organisation
    from members.models import Membership
    from members.roles import Role
    from persons.models import Person
    from referrals.deadlines import add_working_days
    from referrals.models import Referral
    from tenants.models import CoordinationAccess, User

    now = timezone.now()
    today = timezone.localdate()
    domains = {d.code: d for d in NeedDomain.objects.filter(code__in=DOMAINS)}
    codes = list(domains)
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            [Organisation(name=f"CPAS de {coordination.name}", kind="cpas")]
            + [
                Organisation(name=f"Organisation {j} — {coordination.name}", kind=rng.choice(KINDS))
                for j in range(rng.randint(10, 40) - 2)
            ]
        )
        cpas = organisations[0]
        organisations = [cpas, *Organisation.objects.exclude(pk=cpas.pk)]
        Offer.objects.bulk_create(
            Offer(
                organisation=rng.choice(organisations),
                title=f"Offre {j}",
                title_fr=f"Offre {j}",
                primary_domain=domains[rng.choice(codes)],
                capacity_status=rng.choices(list(CAPACITY), list(CAPACITY.values()))[0],
                valid_until=None if rng.random() < 0.8 else today + timedelta(days=rng.randint(-200, 300)),
                last_verified_by=coordinator,
            )
            for j in range(rng.randint(30, 150))
        )
        # A few more accounts: a CPAS reference person in most coordinations, workers elsewhere.
        users = User.objects.bulk_create(
            User(email=f"{role}{j}@{coordination.slug}.bench.test", full_name=f"Bench {j}", password="!")
            for j, role in enumerate((["referent"] if rng.random() < 0.7 else []) + ["worker"] * rng.randint(2, 8))
        )
        Membership.objects.bulk_create(
            Membership(
                user=user,
                organisation=cpas if user.email.startswith("referent") else rng.choice(organisations[1:]),
                role=Role.CPAS_REFERENT if user.email.startswith("referent") else Role.WORKER,
            )
            for user in users
        )
        CoordinationAccess.objects.bulk_create(CoordinationAccess(user=u, coordination=coordination) for u in users)

        count = rng.randint(50, 500)
        keepers = [rng.choice(organisations[1:]) for _ in range(count)]
        persons = Person.objects.bulk_create(data.person_row(rng, keeper, coordinator) for keeper in keepers)
        given = [now - timedelta(days=rng.randint(1, 420), hours=rng.randint(0, 23)) for _ in range(count)]
        consents = Consent.objects.bulk_create(
            data.consent_row(person, keeper, given_at=given_at, recorded_by=coordinator, created_at=given_at)
            for person, keeper, given_at in zip(persons, keepers, given, strict=True)
        )
        consent_codes = [rng.sample(codes, rng.choice([1, 2, 2, 3])) for _ in range(count)]
        Consent.recipients.through.objects.bulk_create(
            Consent.recipients.through(consent=c, organisation=cpas) for c in consents
        )
        Consent.domains.through.objects.bulk_create(data.consent_domain_rows(consents, consent_codes, domains))

        referrals, referral_codes = [], []
        for _ in range(rng.randint(50, 600)):
            i = rng.randrange(count)
            status, sent_at = data.drawn_sending(rng, now)
            due = add_working_days(timezone.localdate(sent_at), coordination.referral_response_working_days)
            answered_at = data.drawn_answer(rng, status, sent_at)
            # Not the coordination's sequence: a benchmark's rows, numbered apart.
            reference = f"BEN-{sent_at.year}-{len(referrals) + 1:06d}"
            parties = {"from_organisation": keepers[i], "sender": coordinator, "to_organisation": cpas}
            referrals.append(
                data.dated_referral_row(
                    persons[i], consents[i], status, sent_at, due, answered_at, today, reference=reference, **parties
                )
            )
            referral_codes.append(consent_codes[i][:1])
        referrals = Referral.objects.bulk_create(referrals, batch_size=2000)
        Referral.domains.through.objects.bulk_create(data.referral_domain_rows(referrals, referral_codes, domains))
    return {"organisations": len(organisations), "persons": count, "referrals": len(referrals)}


def provision(first: int, count: int) -> None:
    from django.db import connection
    from django_tenants.utils import schema_context

    from maillage.actor import Actor
    from members.provisioning import CommuneInput, provision_coordination
    from tenants.models import User

    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)  # the password e-mail task, once each
    started = time.perf_counter()
    totals: Counter = Counter()
    for i in range(first, count):
        # One generator per coordination: a resumed run fills the rest exactly as one run would.
        rng = random.Random(f"{SEED}-{i}")
        region = rng.choices(list(REGIONS), list(REGIONS.values()))[0]
        coordination = provision_coordination(
            actor=Actor.system(),
            name=f"Commune {i}",
            slug=f"bench-{i}",
            region=region,
            communes=[CommuneInput(f"Commune {i}", f"{10000 + i:05d}")],
            lead_organisation_name=f"Coordination {i}",
            lead_organisation_kind=rng.choice(["bapa", "cri", "association"]),
            coordinator_email=f"coordinator{i}@bench.test",
        )
        coordinator = User.objects.get(email=f"coordinator{i}@bench.test")
        with schema_context(coordination.schema_name):
            totals.update(fill(coordination, coordinator, rng))
        totals[region] += 1
        if (i + 1) % 25 == 0 or i + 1 == count:
            elapsed = time.perf_counter() - started
            print(
                f"  provisioned and filled {i + 1}/{count} in {elapsed:.0f} s "
                f"(about {elapsed / (i + 1 - first) * (count - i - 1):.0f} s to go)",
                flush=True,
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"provisioned {count - first} coordinations in {time.perf_counter() - started:.0f} s: "
        + ", ".join(f"{r} {totals[r]}" for r in REGIONS)
        + f"; {totals['organisations']} organisations, {totals['persons']} persons with consents, "
        f"{totals['referrals']} referrals",
        flush=True,
    )


def measure() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from regions.indicators import INDICATORS, last_complete_month, parse_period
    from regions.table import comparison_table
    from tenants.models import Coordination

    period = parse_period(last_complete_month())
    coordinations = Coordination.objects.exclude(schema_name="public").count()
    for attempt in ("first", "second"):
        elapsed, stored, captured_queries = timed_compute(period)
        queries = [q for q in captured_queries if not q["sql"].startswith("SET search_path")]
        selects = [q for q in queries if " UNION ALL " in q["sql"]]
        kinds = Counter(q["sql"].split(None, 1)[0].upper() for q in queries if q not in selects)
        print(
            f"compute({period.label}) over {coordinations} coordinations, {attempt} run: {elapsed:.2f} s "
            f"(target < 120 s), {stored} values stored; {len(queries)} SQL statements: "
            f"{len(selects)} indicator SELECTs (one per indicator, {len(INDICATORS)} indicators), and "
            + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
            + " (coordination list, snapshot replace)",
            flush=True,
        )
        if attempt == "first":
            slowest = sorted(selects, key=lambda q: -float(q["time"]))[:3]
            print("  slowest indicator statements: " + ", ".join(f"{float(q['time']):.2f} s" for q in slowest))

    by_region = Counter(Coordination.objects.exclude(schema_name="public").values_list("region", flat=True))
    region, size = by_region.most_common(1)[0]
    timings = []
    for _ in range(RUNS + 1):
        started = time.perf_counter()
        table = comparison_table(region=region, period=period)
        timings.append((time.perf_counter() - started) * 1000)
    timings = timings[1:]  # the first one warms the connection
    with CaptureQueriesContext(connection) as captured:
        comparison_table(region=region, period=period)
    print(
        f"comparison_table({region}, {period.label}), {size} coordinations x {len(table.columns)} indicators, "
        f"{RUNS} runs: "
        f"median {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms (target < 300 ms), "
        f"{len(captured.captured_queries)} SQL statements",
        flush=True,
    )
    dashboard(region, size, period)


def dashboard(region: str, size: int, period) -> None:
    """The whole dashboard page, as a regional administrator's browser gets it (table,
    charts, twelve-month series, definitions), through Django's test client."""
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from maillage.actor import Actor
    from tenants.models import RegionalAdministrator
    from tenants.services import create_regional_administrator

    admin = RegionalAdministrator.objects.filter(region=region).select_related("user").first()
    if admin is None:
        admin = create_regional_administrator(
            actor=Actor.system(), email=f"bench.{region}@bench.test", region=region, password="a-long-bench-password"
        )
    client = Client()
    client.force_login(admin.user, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/region/{region}/?period={period.label}"
    for per in ("", "&per=1000"):
        timings = []
        for _ in range(RUNS + 1):
            started = time.perf_counter()
            response = client.get(url + per)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        timings = timings[1:]
        from django.db import connection

        with CaptureQueriesContext(connection) as captured:
            client.get(url + per)
        print(
            f"dashboard page {url + per}, {size} coordinations, {RUNS} runs: "
            f"median {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms (target < 300 ms), "
            f"{len(captured.captured_queries)} SQL statements, "
            f"{len(response.content) / 1e6:.1f} MB of HTML",
            flush=True,
        )


def main(count: int, reuse: bool) -> None:
    found = existing_coordinations()
    # --reuse keeps what an earlier run (or an interrupted one) provisioned, and adds the rest.
    reusing = reuse and 0 < found <= count
    first = found if reusing else 0
    if reuse and not reusing:
        print(f"--reuse: {BENCH_DB} holds {max(found, 0)} bench coordinations, not up to {count}: starting afresh")
    try:
        if not reusing:
            create_database(BENCH_DB)
            migrate_public_schema()
        else:
            print(f"--reuse: {BENCH_DB} already holds {found} of {count} bench coordinations")

        import django

        django.setup()
        if first < count:
            print(f"provisioning {count - first} coordinations (schema script replayed, ~0.3 s each), filling each:")
            provision(first, count)
        measure()
    finally:
        if not reuse:
            drop_database(BENCH_DB)
        else:
            print(f"kept {BENCH_DB} for the next --reuse run")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 600, "--reuse" in sys.argv[1:])
