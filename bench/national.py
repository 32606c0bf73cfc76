#!/usr/bin/env python3
"""All of Belgium in one database: build it once, keep it, print the national figures.

    python3 platform/dev.py services start
    .venv/bin/python bench/national.py [--scale 0.25] [--coordinations 581] [--rebuild]

At scale 1: 581 coordinations (Belgium's communes: 19 in Brussels, 262 in Wallonia, 300 in
Flanders), about 12,000 accounts, 250,000 persons, 1,000,000 referrals. Communes are spread
like Belgium's: a few large cities and many small communes (a log-normal of inhabitants with
the largest cities added), and every volume follows the inhabitants. `--scale` multiplies
the accounts, organisations, persons and referrals, not the coordinations: the figures that
grow with the number of schemas (provisioning, migrations, the snapshot) stay national.

Coordinations are provisioned through the service (the recorded schema script replayed),
then filled in bulk (bulk_create in batches, not the services: those validate, lock and
audit one row at a time, hours for a million referrals); the build says how long each part
took. The database (MAILLAGE_BENCH_DB, default maillage_national) is kept: the next run
measures only, unless --rebuild or a different --scale. bench/load.py drives it.

Figures printed:
- build time; provisioning with few and with many existing schemas (tenants/schemas.py);
- the nightly snapshot (regions.indicators.compute) over every coordination;
- a migration over every schema: the replay executor (tenants/migrating.py) against the
  standard executor on a sample, both on a real migration (three columns and a constraint)
  taken back first;
- the memory: the database's size on disk, the part every request touches (indexes and the
  hot tables), and what PostgreSQL holds now.
"""

import argparse
import math
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
from _common import FAMILY, GIVEN, configure, create_database, migrate_public_schema, psql, timed_compute  # noqa: E402

BENCH_DB = configure(os.environ.get("MAILLAGE_BENCH_DB", "maillage_national"), inline_tasks=True)

SEED = 20261204
REGIONS = {"brussels": 19, "wallonia": 262, "flanders": 300}
# The largest cities, inhabitants: the long tail comes from the log-normal.
CITIES = [530_000, 265_000, 205_000, 197_000, 188_000, 135_000, 125_000, 120_000, 105_000, 100_000]
ACCOUNTS, PERSONS, REFERRALS = 12_000, 250_000, 1_000_000
KINDS = ["association", "association", "association", "ngo", "citizen_initiative", "public_service"]
DOMAINS = ["housing", "social_rights", "language", "health", "administrative", "employment", "education"]
TITLES = ["Aide au logement", "Cours de français", "Permanence sociale", "Soutien scolaire", "Logement d'urgence"]
LANGUAGES = ["ar", "uk", "ti", "prs", "fr", "en", "ps", "so"]
BATCH = 5000
# The migration taken back and applied again over every schema: columns and a constraint.
MIGRATION = ("meetings", "0002_meeting_cancellation")
STANDARD_SAMPLE = 10


def inhabitants(count: int, rng: random.Random) -> list[int]:
    """Inhabitants per commune: the big cities, then a log-normal (median about 12,000)."""
    found = CITIES[: min(len(CITIES), count)]
    found += [max(1_000, min(95_000, int(rng.lognormvariate(9.4, 0.75)))) for _ in range(count - len(found))]
    rng.shuffle(found)
    return found


def shares(total: int, weights: list[float], minimum: int) -> list[int]:
    scale = sum(weights)
    return [max(minimum, round(total * w / scale)) for w in weights]


def plan(count: int, scale: float) -> list[dict]:
    rng = random.Random(SEED)
    people = inhabitants(count, rng)
    # Newcomers gather in cities a little more than inhabitants do.
    weights = [p**1.1 for p in people]
    regions = [r for r, n in REGIONS.items() for _ in range(n)]
    regions = (regions * math.ceil(count / len(regions)))[:count]
    rng.shuffle(regions)
    persons = shares(int(PERSONS * scale), weights, 5)
    referrals = shares(int(REFERRALS * scale), weights, 10)
    accounts = shares(int(ACCOUNTS * scale), [math.sqrt(w) for w in weights], 3)
    return [
        {
            "i": i,
            "region": regions[i],
            "inhabitants": people[i],
            "persons": persons[i],
            "referrals": referrals[i],
            "accounts": accounts[i],
            # About 16,000 organisations at scale 1.
            "organisations": max(4, min(400, round(3 + people[i] / 800 * scale))),
        }
        for i in range(count)
    ]


def provision(plans: list[dict]) -> list[float]:
    from maillage.actor import Actor
    from members.provisioning import CommuneInput, provision_coordination

    timings = []
    for p in plans:
        started = time.perf_counter()
        provision_coordination(
            actor=Actor.system(),
            name=f"Commune {p['i']}",
            slug=f"nat-{p['i']}",
            region=p["region"],
            communes=[CommuneInput(f"Commune {p['i']}", f"{10000 + p['i']:05d}")],
            lead_organisation_name=f"Coordination {p['i']}",
            lead_organisation_kind="bapa" if p["region"] == "brussels" else "cri",
            coordinator_email=f"coordinator{p['i']}@national.test",
        )
        timings.append(time.perf_counter() - started)
        if len(timings) % 100 == 0:
            print(f"  provisioned {len(timings)}/{len(plans)}, last {timings[-1] * 1000:.0f} ms", flush=True)
    return timings


def fill(p: dict, rng: random.Random) -> Counter:
    """One coordination's organisations, offers, accounts, persons, consents and referrals."""
    from django.db import transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from consent.models import Consent
    from directory.models import NeedDomain, Offer, Organisation
    from members.models import Membership
    from members.roles import Role
    from persons.models import Person
    from persons.names import search_key, search_name
    from referrals.deadlines import add_working_days
    from referrals.models import Referral
    from tenants.models import Coordination, CoordinationAccess, User

    coordination = Coordination.objects.get(slug=f"nat-{p['i']}")
    coordinator = User.objects.get(email=f"coordinator{p['i']}@national.test")
    now = timezone.now()
    today = timezone.localdate()
    domains = {d.code: d for d in NeedDomain.objects.filter(code__in=DOMAINS)}
    codes = list(domains)
    due_of: dict = {}
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            [Organisation(name=f"CPAS de {coordination.name}", kind="cpas")]
            + [
                Organisation(name=f"Organisation {j} — {coordination.name}", kind=rng.choice(KINDS))
                for j in range(p["organisations"] - 1)
            ]
        )
        cpas, others = organisations[0], organisations[1:]
        Offer.objects.bulk_create(
            (
                Offer(
                    organisation=rng.choice(organisations),
                    title=(title := f"{rng.choice(TITLES)} {j}"),
                    title_fr=title,
                    primary_domain=domains[rng.choice(codes)],
                    capacity_status=rng.choice(["open", "open", "waiting_list", "full"]),
                    languages=rng.sample(LANGUAGES, 2),
                    last_verified_by=coordinator,
                )
                for j in range(2 * p["organisations"])
            ),
            batch_size=BATCH,
        )
        # A CPAS reference person or two, the rest workers in the associations.
        roles = ["referent"] * min(2, p["accounts"] - 1) + ["worker"] * (p["accounts"] - 1 - min(2, p["accounts"] - 1))
        users = User.objects.bulk_create(
            User(email=f"{role}{j}@nat-{p['i']}.national.test", full_name=f"{rng.choice(GIVEN)} Bench", password="!")
            for j, role in enumerate(roles)
        )
        TOTPDevice.objects.bulk_create(TOTPDevice(user=u, name="bench", confirmed=True) for u in users)
        Membership.objects.bulk_create(
            Membership(
                user=user,
                organisation=cpas if user.email.startswith("referent") else rng.choice(others),
                role=Role.CPAS_REFERENT if user.email.startswith("referent") else Role.WORKER,
            )
            for user in users
        )
        CoordinationAccess.objects.bulk_create(CoordinationAccess(user=u, coordination=coordination) for u in users)
        workers = [u for u in users if not u.email.startswith("referent")] or [coordinator]

        count = p["persons"]
        keepers = [rng.choice(others) for _ in range(count)]
        partners = [rng.choice([o for o in others[:8] if o is not keeper]) for keeper in keepers]
        names = [(rng.choice(GIVEN), rng.choice(FAMILY)) for _ in range(count)]
        persons = Person.objects.bulk_create(
            (
                Person(
                    organisation=keeper,
                    given_name=given,
                    family_name=family,
                    search_name=search_name(given, family),
                    search_key=search_key(given, family),
                    birth_year=rng.randint(1950, 2008),
                    languages=rng.sample(LANGUAGES, 2),
                    created_by=rng.choice(workers),
                    created_at=now - timedelta(days=rng.randint(1, 700)),
                )
                for keeper, (given, family) in zip(keepers, names, strict=True)
            ),
            batch_size=BATCH,
        )
        given = [now - timedelta(days=rng.randint(1, 420), hours=rng.randint(0, 23)) for _ in range(count)]
        consents = Consent.objects.bulk_create(
            (
                data.consent_row(
                    person,
                    keeper,
                    given_at=given_at,
                    recorded_by=coordinator,
                    purpose="Orientation vers le CPAS et les partenaires",
                    created_at=given_at,
                )
                for person, keeper, given_at in zip(persons, keepers, given, strict=True)
            ),
            batch_size=BATCH,
        )
        consent_codes = [rng.sample(codes, rng.choice([1, 2, 2, 3])) for _ in range(count)]
        Consent.recipients.through.objects.bulk_create(
            (
                Consent.recipients.through(consent=c, organisation=o)
                for c, partner in zip(consents, partners, strict=True)
                for o in {cpas, partner}
            ),
            batch_size=BATCH,
        )
        Consent.domains.through.objects.bulk_create(
            data.consent_domain_rows(consents, consent_codes, domains), batch_size=BATCH
        )

        referrals, referral_codes = [], []
        for n in range(p["referrals"]):
            i = rng.randrange(count)
            status, sent_at = data.drawn_sending(rng, now)
            sent_day = timezone.localdate(sent_at)
            if sent_day not in due_of:
                due_of[sent_day] = add_working_days(sent_day, coordination.referral_response_working_days)
            due = due_of[sent_day]
            answered_at = data.drawn_answer(rng, status, sent_at)
            parties = {
                "sender": rng.choice(workers),
                "to_organisation": cpas if rng.random() < 0.6 else partners[i],
                "from_organisation": keepers[i],
            }
            reference = f"NAT-{sent_at.year}-{n + 1:07d}"
            referrals.append(
                data.dated_referral_row(
                    persons[i], consents[i], status, sent_at, due, answered_at, today, reference=reference, **parties
                )
            )
            referral_codes.append(consent_codes[i][:1])
        referrals = Referral.objects.bulk_create(referrals, batch_size=BATCH)
        Referral.domains.through.objects.bulk_create(
            data.referral_domain_rows(referrals, referral_codes, domains), batch_size=BATCH
        )
    return Counter(
        organisations=len(organisations),
        offers=2 * p["organisations"],
        accounts=len(users) + 1,
        persons=count,
        referrals=len(referrals),
    )


def build(args, plans: list[dict]) -> None:
    started = time.perf_counter()
    create_database(BENCH_DB)
    print(f"public schema migrated in {migrate_public_schema():.0f} s", flush=True)
    import django

    django.setup()
    import logging

    from django.db import connection
    from django_tenants.utils import schema_context

    from tenants.schemas import prepare_script

    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)  # the invitation e-mails
    prepare_script()
    load = os.getloadavg()[0]
    timings = provision(plans)
    print(
        f"provisioned {len(plans)} coordinations in {sum(timings):.0f} s (target < 300 s; load average "
        f"{load:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores); with 1 to 10 existing schemas: median "
        f"{statistics.median(timings[:10]) * 1000:.0f} ms; with {len(plans) - 10} to {len(plans) - 1}: median "
        f"{statistics.median(timings[-10:]) * 1000:.0f} ms",
        flush=True,
    )
    filled_from = time.perf_counter()
    totals: Counter = Counter()
    for p in plans:
        with schema_context(f"nat_{p['i']}"):
            totals.update(fill(p, random.Random(f"{SEED}-{p['i']}")))
        if (p["i"] + 1) % 50 == 0:
            elapsed = time.perf_counter() - filled_from
            print(f"  filled {p['i'] + 1}/{len(plans)} in {elapsed:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS public.bench_national (scale float, coordinations int, built_in float)"
        )
        cursor.execute("TRUNCATE public.bench_national")
        cursor.execute(
            "INSERT INTO public.bench_national VALUES (%s, %s, %s)",
            [args.scale, len(plans), time.perf_counter() - started],
        )
    print(
        f"filled in {time.perf_counter() - filled_from:.0f} s: "
        + ", ".join(f"{totals[k]:,} {k}" for k in ("organisations", "offers", "accounts", "persons", "referrals"))
        + f"; whole build {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def existing() -> tuple[float, int, float] | None:
    try:
        rows = psql("SELECT scale, coordinations, built_in FROM public.bench_national", BENCH_DB)
    except Exception:  # no database or no marker: an unfinished build
        return None
    return rows[0] if rows else None


def snapshot() -> None:

    from regions.indicators import last_complete_month, parse_period

    period = parse_period(last_complete_month())
    for attempt in ("first", "second"):
        elapsed, stored, captured_queries = timed_compute(period)
        selects = sorted((q for q in captured_queries if " UNION ALL " in q["sql"]), key=lambda q: -float(q["time"]))
        print(
            f"nightly snapshot compute({period.label}), {attempt} run: {elapsed:.1f} s (target < 60 s), "
            f"{stored} values, {len(selects)} SELECTs over all schemas, slowest "
            + ", ".join(f"{float(q['time']):.1f} s" for q in selects[:3]),
            flush=True,
        )


def migration(schemas: list[str]) -> None:
    """Takes MIGRATION back in every schema by its own SQL (seconds, not the executor's
    minutes), then applies it again: the replay executor over all, the standard one (what
    `migrate_schemas` does per schema) over a sample."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from tenants.migrating import migrate_existing

    connection.set_schema(schemas[0])
    executor = MigrationExecutor(connection)
    backwards = "\n".join(executor.loader.collect_sql([(executor.loader.get_migration(*MIGRATION), True)]))
    connection.set_schema_to_public()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for schema in schemas:
            cursor.execute(f'SET search_path = "{schema}", public')
            cursor.execute(backwards)
            cursor.execute("DELETE FROM django_migrations WHERE app = %s AND name = %s", list(MIGRATION))
    connection.set_schema_to_public()
    print(f"  {'.'.join(MIGRATION)} taken back in {len(schemas)} schemas in {time.perf_counter() - started:.0f} s")

    sample, rest = schemas[:STANDARD_SAMPLE], schemas[STANDARD_SAMPLE:]
    started = time.perf_counter()
    for schema in sample:
        connection.set_schema(schema)
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        executor.migrate(targets, plan=executor.migration_plan(targets))
    connection.set_schema_to_public()
    per_schema = (time.perf_counter() - started) / len(sample)
    print(
        f"a migration (3 columns and a constraint), standard executor: {per_schema:.2f} s per schema, "
        f"{per_schema * 600 / 60:.1f} min for 600 in one process",
        flush=True,
    )
    started = time.perf_counter()
    outcome = migrate_existing(rest + sample)
    print(
        f"the same migration, replay executor over the {len(schemas)} schemas ({len(rest)} still to migrate): "
        f"{time.perf_counter() - started:.1f} s (target < 300 s for 600): "
        f"{len(outcome.migrated)} migrated, {len(outcome.replayed)} replayed, "
        f"{outcome.up_to_date} up to date, {len(outcome.failed)} failed; longest transaction "
        f"{outcome.longest_transaction:.2f} s",
        flush=True,
    )
    started = time.perf_counter()
    outcome = migrate_existing(schemas)
    print(
        f"nothing to apply, replay executor over {len(schemas)} schemas: {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def memory() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT coalesce(sum(pg_indexes_size(c.oid)), 0), coalesce(sum(pg_table_size(c.oid)), 0) FROM pg_class c "
            "WHERE c.relkind = 'r' AND c.relname IN ('referrals_referral', 'referrals_person', 'consent_consent', "
            "'consent_consent_recipients', 'consent_consent_domains', 'referrals_referral_domains', "
            "'directory_offer', 'directory_organisation', 'members_membership')"
        )
        indexes, tables = cursor.fetchone()
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_class")
        relations = cursor.fetchone()[0]
    print(
        f"memory: database {total / 2**30:.2f} GiB on disk; the tables every hot page reads "
        f"{tables / 2**30:.2f} GiB and their indexes {indexes / 2**30:.2f} GiB; {relations:,} relations in "
        f"pg_class (each backend caches the catalogue rows it touches); shared_buffers here {buffers}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--coordinations", type=int, default=581)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--skip-migration", action="store_true")
    args = parser.parse_args()
    plans = plan(args.coordinations, args.scale)
    found = existing()
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}; database {BENCH_DB}, scale {args.scale}, {args.coordinations} coordinations: "
        + ", ".join(f"{sum(p[k] for p in plans):,} {k}" for k in ("accounts", "persons", "referrals")),
        flush=True,
    )
    if args.rebuild or found is None or found[:2] != (args.scale, args.coordinations):
        build(args, plans)
    else:
        print(f"reusing {BENCH_DB}, built in {found[2]:.0f} s (--rebuild to build it again)")
        import django

        django.setup()
    from tenants.models import Coordination

    snapshot()
    if not args.skip_migration:
        migration(list(Coordination.objects.exclude(schema_name="public").values_list("schema_name", flat=True)))
    memory()


if __name__ == "__main__":
    main()
