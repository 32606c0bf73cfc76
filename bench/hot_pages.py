#!/usr/bin/env python3
"""The hot pages against the SQL that returns the same data, side by side in one run.

    python3 platform/dev.py services start
    .venv/bin/python bench/hot_pages.py [--keep] [--reuse]

One coordination, filled in bulk: 200 organisations and 5,000 offers (as
bench/directory_search.py fills them), 2,000 persons each with a consent to the CPAS, and
10,000 referrals from the BAPA to the CPAS (as bench/referrals.py fills them); and, in the
public schema, 318 Walloon territories with thirteen months of indicator snapshots for the
regional dashboard (rows only: the dashboard reads snapshots, never the coordinations'
schemas).

Each page is requested through django.test.Client (DEBUG off, the session signed in with
its second factor verified, the connection settings of maillage.settings), alternating with
its floor: the hand-written SQL that returns the rows the page shows, run on a kept
connection. Both are timed RUNS times after one warm-up; the bench prints the medians and
their ratio, and the bytes of the response (as sent, gzip included when the page compresses).

Works in a throwaway database (maillage_bench_hot), dropped at the end unless --keep;
--reuse measures again what an earlier --keep run left.
"""

import os
import random
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# The fillers of the other benches; their configure() runs at import, so ours runs last.
import _data as data  # noqa: E402  (the rows the benches write)
import directory_search as directory_bench  # noqa: E402
from _common import (  # noqa: E402  (bench/ is the script folder)
    STATUSES,
    configure,
    create_database,
    drop_database,
    migrate_public_schema,
    provision_bench_coordination,
    seat,
)

BENCH_DB = configure(os.environ.get("MAILLAGE_BENCH_DB", "maillage_bench_hot"), inline_tasks=True)

RUNS = int(os.environ.get("MAILLAGE_BENCH_RUNS", "15"))
PERSONS = 2000
REFERRALS = 10000
OFFERS = 5000
TERRITORIES = 318
SEED = 20261204
SLUG = "bench-hot"
# The dashboard's HTML for these 318 territories before it was split, kept and compressed
# (measured by this bench on the commit before).
OLD_DASHBOARD_BYTES = 4_210_731


def fill_referrals(worker, bapa, cpas, rng: random.Random) -> None:
    """Persons, one consent each to the CPAS, referrals and their first event, in bulk."""
    from django.db import connection, transaction
    from django.utils import timezone

    from consent.models import Consent
    from persons.models import Person
    from referrals.deadlines import add_working_days
    from referrals.models import Referral, ReferralEvent

    now = timezone.now()
    domains = data.domains_by_code()
    with transaction.atomic():
        persons = Person.objects.bulk_create(
            (data.person_row(rng, bapa, worker) for _ in range(PERSONS)), batch_size=2000
        )
        given = [now - timedelta(days=rng.randint(1, 300)) for _ in range(PERSONS)]
        consents = Consent.objects.bulk_create(
            (
                data.consent_row(person, bapa, given_at=given_at, recorded_by=worker)
                for person, given_at in zip(persons, given, strict=True)
            ),
            batch_size=2000,
        )
        Consent.recipients.through.objects.bulk_create(
            (Consent.recipients.through(consent=c, organisation=cpas) for c in consents), batch_size=5000
        )
        Consent.domains.through.objects.bulk_create(
            data.consent_domain_rows(consents, [data.CODES] * len(consents), domains), batch_size=5000
        )
        statuses = rng.choices(list(STATUSES), list(STATUSES.values()), k=REFERRALS)
        referrals, referral_codes = [], []
        parties = {"from_organisation": bapa, "sender": worker, "to_organisation": cpas}
        for n, status in enumerate(statuses):
            i = rng.randrange(PERSONS)
            sent_at = given[i] + timedelta(hours=rng.randint(1, 24 * 60))
            sent_at = min(sent_at, now - timedelta(minutes=n))
            due = add_working_days(timezone.localdate(sent_at), 5)
            reference = f"BEN-{sent_at.year}-{n + 1:06d}"
            referrals.append(
                data.prompt_referral_row(
                    persons[i], consents[i], status, sent_at, due, now, reference=reference, **parties
                )
            )
            referral_codes.append(rng.sample(data.CODES, rng.choice([1, 1, 2])))
        referrals = Referral.objects.bulk_create(referrals, batch_size=2000)
        Referral.domains.through.objects.bulk_create(
            data.referral_domain_rows(referrals, referral_codes, domains), batch_size=5000
        )
        ReferralEvent.objects.bulk_create(data.sent_events(referrals, worker, bapa), batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"filled: {PERSONS} persons with a consent, {REFERRALS} referrals to {cpas.name}", flush=True)


def fill_region(rng: random.Random):
    """318 Walloon territories (Coordination rows without schemas: the dashboard reads only
    the public schema) with the indicators of the last complete month and the 12 before."""
    from django.db import connection, transaction
    from django.utils import timezone

    from regions.indicators import INDICATORS, last_complete_month, parse_period
    from regions.models import IndicatorValue
    from tenants.models import Coordination, CoordinationCommune

    period = parse_period(last_complete_month())
    months, month = [], period
    for _ in range(14):
        months.append(month.label)
        month = parse_period(f"{(month.start - timedelta(days=1)):%Y-%m}")
    domains = list(directory_bench.TITLES)
    breakdowns = {
        "open_offers": domains,
        "referrals_sent": list(STATUSES),
        "referrals_by_domain": domains[:8],
        "member_organisations": ["association", "cpas", "ngo", "public_service"],
        "offer_languages": ["fr", "nl", "ar", "en", "uk"],
        "person_languages": ["ar", "uk", "ti", "prs", "fr"],
        "referrals_by_recipient_kind": ["cpas", "association", "ngo"],
    }
    now = timezone.now()
    with transaction.atomic():
        territories = Coordination.objects.bulk_create(
            Coordination(
                name=f"Commune wallonne {i:03d}", slug=f"wal-{i:03d}", schema_name=f"wal_{i:03d}", region="wallonia"
            )
            for i in range(TERRITORIES)
        )
        CoordinationCommune.objects.bulk_create(
            CoordinationCommune(coordination=t, name=t.name, nis_code=f"{50000 + i:05d}")
            for i, t in enumerate(territories)
        )
        values = []
        for t in territories:
            size = rng.choice([1, 1, 1, 2, 3, 8])
            for label in months:
                for name, spec in INDICATORS.items():
                    if spec["kind"] == "flag":
                        values.append(
                            IndicatorValue(coordination=t, period=label, indicator=name, value=1.0, computed_at=now)
                        )
                    elif spec["kind"] in ("duration", "share"):
                        value = float(rng.randint(2, 30) if spec["kind"] == "duration" else rng.randint(40, 100))
                        values.append(
                            IndicatorValue(coordination=t, period=label, indicator=name, value=value, computed_at=now)
                        )
                    else:
                        for dimension in breakdowns.get(name, [""]):
                            if rng.random() < 0.7:
                                value = float(rng.randint(0, 30) * size)
                                values.append(
                                    IndicatorValue(
                                        coordination=t,
                                        period=label,
                                        indicator=name,
                                        dimension=dimension,
                                        value=value,
                                        computed_at=now,
                                    )
                                )
        IndicatorValue.objects.bulk_create(values, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"filled: {TERRITORIES} territories, {len(values)} indicator values over {len(months)} months", flush=True)
    return period


def signed_in(user):
    import logging

    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    logging.getLogger("axes").setLevel(logging.WARNING)
    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.filter(user=user).first()
    if device:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


# --- The floors: the rows each page shows, by hand-written SQL -------------------------

IN_FORCE = "c.state = 'given' AND c.withdrawn_at IS NULL AND c.expires_at > now()"

INBOX = """
SELECT r.public_id, r.reference, r.status, r.urgency, r.sent_at, r.response_due, r.overdue_since,
       p.public_id, p.given_name, p.family_name, o.public_id, o.name,
       (SELECT array_agg(d.code) FROM referrals_referral_domains rd
          JOIN directory_needdomain d ON d.id = rd.needdomain_id WHERE rd.referral_id = r.id)
FROM referrals_referral r
JOIN referrals_person p ON p.id = r.person_id
JOIN directory_organisation o ON o.id = r.from_organisation_id
JOIN consent_consent c ON c.id = r.consent_id
WHERE r.to_organisation_id = %(org)s AND r.status <> 'draft' AND NOT r.awaiting_triage AND IN_FORCE
ORDER BY r.sent_at DESC, r.created_at DESC, r.id DESC LIMIT %(limit)s
""".replace("IN_FORCE", IN_FORCE)
INBOX_COUNT = "SELECT count(*) FROM referrals_referral r WHERE r.to_organisation_id = %(org)s AND r.status <> 'draft'"

WORK = """
SELECT r.public_id, r.status, r.urgency, r.response_due, r.overdue_since, p.public_id, p.given_name,
       p.family_name, o.name
FROM referrals_referral r
JOIN referrals_person p ON p.id = r.person_id
JOIN directory_organisation o ON o.id = r.from_organisation_id
JOIN consent_consent c ON c.id = r.consent_id
WHERE r.to_organisation_id = %(org)s AND r.status IN ('sent', 'received') AND NOT r.awaiting_triage AND IN_FORCE
ORDER BY r.urgency = 'urgent' DESC, r.response_due, r.id
""".replace("IN_FORCE", IN_FORCE)

REFERRAL = [
    """SELECT r.*, p.given_name, p.family_name, p.public_id, fo.name, tor.name, c.public_id, c.categories,
       (SELECT array_agg(d.code) FROM referrals_referral_domains rd
          JOIN directory_needdomain d ON d.id = rd.needdomain_id WHERE rd.referral_id = r.id)
    FROM referrals_referral r JOIN referrals_person p ON p.id = r.person_id
    JOIN directory_organisation fo ON fo.id = r.from_organisation_id
    JOIN directory_organisation tor ON tor.id = r.to_organisation_id
    JOIN consent_consent c ON c.id = r.consent_id
    WHERE r.public_id = %(referral)s AND r.to_organisation_id = %(org)s AND IN_FORCE""".replace("IN_FORCE", IN_FORCE),
    """SELECT e.from_status, e.to_status, e.at, o.name FROM referrals_referralevent e
    JOIN referrals_referral r ON r.id = e.referral_id LEFT JOIN directory_organisation o ON o.id = e.organisation_id
    WHERE r.public_id = %(referral)s ORDER BY e.at, e.id""",
    """SELECT n.public_id, n.text, n.created_at FROM referrals_casenote n
    JOIN referrals_referral r ON r.id = n.referral_id WHERE r.public_id = %(referral)s""",
]

PERSON = [
    """SELECT p.* FROM referrals_person p WHERE p.public_id = %(person)s""",
    """SELECT c.public_id, c.given_at, c.expires_at, c.state, c.categories FROM consent_consent c
    JOIN referrals_person p ON p.id = c.person_id
    WHERE p.public_id = %(person)s AND IN_FORCE""".replace("IN_FORCE", IN_FORCE),
    """SELECT r.public_id, r.reference, r.status, r.sent_at, r.response_due, fo.name, tor.name,
       e.from_status, e.to_status, e.at
    FROM referrals_referral r JOIN referrals_person p ON p.id = r.person_id
    JOIN directory_organisation fo ON fo.id = r.from_organisation_id
    JOIN directory_organisation tor ON tor.id = r.to_organisation_id
    LEFT JOIN referrals_referralevent e ON e.referral_id = r.id
    WHERE p.public_id = %(person)s ORDER BY r.sent_at DESC""",
    """SELECT n.public_id, n.text, n.created_at FROM referrals_casenote n
    JOIN referrals_person p ON p.id = n.person_id WHERE p.public_id = %(person)s""",
]

SEARCH = """
WITH found AS (
  SELECT o.id, o.public_id, o.title, o.description, o.capacity_status, o.languages, o.last_verified_at,
         o.organisation_id, o.primary_domain_id, ts_rank(o.search_vector, s.q) AS rank
  FROM directory_offer o,
       (SELECT websearch_to_tsquery('public.maillage_fr', %(q)s)
               || websearch_to_tsquery('public.maillage_nl', %(q)s) AS q) s
  WHERE o.search_vector @@ s.q AND (o.valid_until IS NULL OR o.valid_until >= current_date)
)
SELECT f.public_id, f.title, f.description, f.capacity_status, f.languages, f.last_verified_at,
       org.public_id, org.name, d.code, (SELECT count(*) FROM found)
FROM found f JOIN directory_organisation org ON org.id = f.organisation_id
JOIN directory_needdomain d ON d.id = f.primary_domain_id
ORDER BY f.rank DESC, f.title LIMIT %(limit)s
"""

DASHBOARD = """
SELECT c.id, c.name, c.slug, v.period, v.indicator, v.dimension, v.value, v.computed_at
FROM tenants_indicatorvalue v JOIN tenants_coordination c ON c.id = v.coordination_id
WHERE c.region = %(region)s AND (v.period = ANY((%(periods)s::text[])[1:2])
  OR (v.period = ANY(%(periods)s) AND v.indicator IN ('referrals_sent', 'days_to_response_median',
                                                     'days_to_completion_median') AND v.dimension = ''))
"""


def floor(statements, params, schema: str | None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if schema:
            cursor.execute(f'SET search_path = "{schema}", public')
        for sql in statements if isinstance(statements, list) else [statements]:
            cursor.execute(sql, params)
            cursor.fetchall()


def measure(pages) -> list[tuple]:
    from django.db import connection

    results = []
    print(f"{'page':<44} {'product':>9} {'floor':>8} {'ratio':>6} {'bytes sent':>11} {'queries':>8}", flush=True)
    for label, client, url, statements, params, schema in pages:
        from django.test.utils import CaptureQueriesContext

        response = client.get(url)
        assert response.status_code == 200, (label, response.status_code, response.content[:300])
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = len([q for q in captured.captured_queries if not q["sql"].startswith("SET search_path")])
        floor(statements, params, schema)
        product, bottom = [], []
        for _ in range(RUNS):
            started = time.perf_counter()
            response = client.get(url)
            product.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            floor(statements, params, schema)
            bottom.append((time.perf_counter() - started) * 1000)
        size = len(response.content) if not response.streaming else 0
        gzip = " gz" if response.get("Content-Encoding") == "gzip" else ""
        p, f = statistics.median(product), statistics.median(bottom)
        results.append((label, p, f, p / f, size))
        print(f"{label:<44} {p:>7.1f}ms {f:>6.1f}ms {p / f:>5.1f}× {size:>8}{gzip:>3} {queries:>8}", flush=True)
    return results


@contextmanager
def lever_off(name: str):
    """The product as it was before one lever, for a before/after in the same run."""
    from django.db import connection
    from django.test.utils import override_settings

    if name == "kept connections":
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = 0
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict["CONN_MAX_AGE"] = 60
    elif name == "no JIT compilation":
        with connection.cursor() as cursor:
            cursor.execute("SET jit = on")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET jit = off")
    elif name == "session refreshed once a minute":
        with override_settings(SESSION_SAVE_EVERY_REQUEST=True):
            yield
    elif name == "ids first, rows of the page after":
        same = lambda queryset: queryset  # noqa: E731
        with (
            mock.patch("referrals.views.LateRows", same),
            mock.patch("api.referrals.LateRows", same),
            mock.patch("work.selectors.LateRows", same),
        ):
            yield
    elif name == "long <select> written in Python":
        from django import forms

        from directory.forms import SearchForm

        fields = SearchForm.base_fields
        with (
            mock.patch.object(fields["language"], "widget", forms.Select()),
            mock.patch.object(fields["domain"], "widget", forms.Select()),
        ):
            yield
    elif name == "dashboard kept until the next snapshot":
        from django.core.cache.backends.dummy import DummyCache

        with mock.patch("regions.views.cache", DummyCache("none", {})):
            yield
    else:
        raise ValueError(name)


def measure_levers(pages) -> None:
    """Each lever off, then on, on the pages it touches, alternating: medians and bytes."""
    by_label = {page[0]: page for page in pages}
    levers = {
        "no JIT compilation": ["My work (CPAS reference person)", "person's file (timeline)"],
        "kept connections": ["CPAS inbox API, page of 50", 'directory API "logement"'],
        "session refreshed once a minute": ["CPAS inbox API, page of 50", 'directory API "logement"'],
        "ids first, rows of the page after": ["CPAS inbox page", "CPAS inbox API, page of 50"],
        "long <select> written in Python": ['directory page "logement"'],
        "dashboard kept until the next snapshot": [f"regional dashboard, {TERRITORIES} territories"],
    }
    print(f"levers, {RUNS} runs each, off and on alternating, medians:", flush=True)
    print(f"{'lever':<40} {'page':<40} {'off':>9} {'on':>9}", flush=True)
    for lever, labels in levers.items():
        for label in labels:
            _label, client, url, *_rest = by_label[label]
            off, on = [], []
            for _ in range(RUNS):
                with lever_off(lever):
                    started = time.perf_counter()
                    client.get(url)
                    off.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                client.get(url)
                on.append((time.perf_counter() - started) * 1000)
            print(
                f"{lever:<40} {label:<40} {statistics.median(off):>7.1f}ms {statistics.median(on):>7.1f}ms",
                flush=True,
            )
    _label, client, url, *_rest = by_label[f"regional dashboard, {TERRITORIES} territories"]
    plain = client.get(url, HTTP_ACCEPT_ENCODING="identity")
    squeezed = client.get(url)
    print(
        f"dashboard page on the wire: {len(plain.content):,} bytes plain, {len(squeezed.content):,} bytes gzip "
        f"(was {OLD_DASHBOARD_BYTES:,} bytes with every part inline, uncompressed)",
        flush=True,
    )
    for part in ("sent", "offers", "months", "durations"):
        response = client.get(url.replace("/?", f"/part/{part}/?") + "&fragment=1")
        print(f"  part {part}, fetched when opened: {len(response.content):,} bytes gzip", flush=True)


def main(keep: bool, reuse: bool) -> None:
    if not reuse:
        create_database(BENCH_DB)
    try:
        if not reuse:
            migrate_public_schema()
        import django

        django.setup()
        from django.conf import settings
        from django.db import connection
        from django_tenants.utils import schema_context

        from directory.models import Organisation
        from directory.services import create_organisation
        from maillage.actor import Actor
        from members.roles import Role
        from persons.models import Person
        from referrals.models import Referral
        from tenants.services import create_regional_administrator

        print(
            f"CONN_MAX_AGE {settings.DATABASES['default']['CONN_MAX_AGE']}, "
            f"SESSION_SAVE_EVERY_REQUEST {settings.SESSION_SAVE_EVERY_REQUEST}, DEBUG {settings.DEBUG}",
            flush=True,
        )
        started = time.perf_counter()
        if reuse:
            from regions.indicators import last_complete_month, parse_period
            from tenants.models import Coordination, RegionalAdministrator, User

            coordination = Coordination.objects.get(slug=SLUG)
            with schema_context(coordination.schema_name):
                cpas = Organisation.objects.get(name="CPAS bench")
                worker = User.objects.get(email="worker@bench.test")
                referent = User.objects.get(email="referent@bench.test")
                referral = Referral.objects.filter(handled_by=referent).get()
                person = Person.objects.get(pk=referral.person_id)
            admin = RegionalAdministrator.objects.get(region="wallonia")
            period = parse_period(last_complete_month())
            print(f"--reuse: {BENCH_DB} as an earlier --keep left it", flush=True)
        else:
            coordination = provision_bench_coordination("Bench hot pages", SLUG)
            rng = random.Random(SEED)
            with schema_context(coordination.schema_name):
                bapa = Organisation.objects.get(name="BAPA bench")
                directory_bench.fill(coordination, OFFERS, rng)
                cpas = create_organisation(actor=Actor.system(coordination), name="CPAS bench", kind="cpas")
                worker = seat(coordination, "worker@bench.test", bapa, Role.WORKER).user
                referent = seat(coordination, "referent@bench.test", cpas, Role.CPAS_REFERENT).user
                fill_referrals(worker, bapa, cpas, rng)
                referral = (
                    Referral.objects.filter(to_organisation=cpas, status="in_progress").order_by("-sent_at").first()
                )
                person = Person.objects.get(pk=referral.person_id)
                Referral.objects.filter(pk=referral.pk).update(handled_by=referent)
            connection.set_schema_to_public()
            period = fill_region(rng)
            admin = create_regional_administrator(
                actor=Actor.system(), email="wallonia@bench.test", region="wallonia", password="a-long-bench-password"
            )
            print(f"data set built in {time.perf_counter() - started:.0f} s", flush=True)

        reader = signed_in(referent)
        keeper = signed_in(worker)  # the file's own organisation: the whole timeline
        regional = signed_in(admin.user)
        org = {"org": cpas.pk}
        base = f"/c/{SLUG}"
        schema = coordination.schema_name
        months = [period.label]
        month = period
        for _ in range(13):
            from regions.indicators import parse_period

            month = parse_period(f"{(month.start - timedelta(days=1)):%Y-%m}")
            months.append(month.label)
        pages = [
            ("My work (CPAS reference person)", reader, f"{base}/work/", WORK, org, schema),
            ("CPAS inbox page", reader, f"{base}/referrals/inbox/", INBOX, {**org, "limit": 25}, schema),
            (
                "CPAS inbox API, page of 50",
                reader,
                f"{base}/api/v1/referrals/inbox/",
                [INBOX, INBOX_COUNT],
                {**org, "limit": 50},
                schema,
            ),
            (
                "referral page",
                reader,
                f"{base}/referrals/{referral.public_id}/",
                REFERRAL,
                {**org, "referral": referral.public_id},
                schema,
            ),
            (
                "person's file (timeline)",
                keeper,
                f"{base}/persons/{person.public_id}/",
                PERSON,
                {**org, "person": person.public_id},
                schema,
            ),
            (
                'directory page "logement"',
                reader,
                f"{base}/directory/?q=logement",
                SEARCH,
                {"q": "logement", "limit": 25},
                schema,
            ),
            (
                'directory API "logement"',
                reader,
                f"{base}/api/v1/offers/?q=logement",
                SEARCH,
                {"q": "logement", "limit": 50},
                schema,
            ),
            (
                f"regional dashboard, {TERRITORIES} territories",
                regional,
                f"/region/wallonia/?period={period.label}",
                DASHBOARD,
                {"region": "wallonia", "periods": months},
                None,
            ),
        ]
        print(f"{RUNS} runs each, product and floor alternating, medians:", flush=True)
        measure(pages)
        measure_levers(pages)
    finally:
        if keep:
            print(f"kept {BENCH_DB}")
        else:
            drop_database(BENCH_DB)


if __name__ == "__main__":
    main("--keep" in sys.argv[1:], "--reuse" in sys.argv[1:])
