#!/usr/bin/env python3
"""Many people at once on the national data set: gunicorn on loopback, a bounded asyncio client.

    .venv/bin/python bench/national.py --scale 0.25      # builds maillage_national once
    .venv/bin/python bench/load.py [--sessions 200] [--duration 120] [--workers 5] [--saturation]

Starts gunicorn as the README recommends for production (`maillage.wsgi`, sync workers,
2 × cores + 1 of them, DEBUG off; over plain HTTP on 127.0.0.1, so without the production
switch that redirects to HTTPS) against the database bench/national.py keeps
(MAILLAGE_BENCH_DB, default maillage_national). Each session belongs to an account of the
data set (a CPAS reference person or an association's worker, in coordinations drawn in
proportion to their referrals), signed in with the second factor verified: its session is
written to the session table as a sign-in leaves it, so no password hashing or TOTP typing
is timed. Each session then clicks through My work, the CPAS inbox (reference persons),
referral pages, a directory search and person files (workers), thinking 10 to 30 s between
clicks (1 s with --saturation, to find the throughput the server saturates at). Sessions
start spread over the first think time, are measured for --duration seconds, and stop.

Prints per page: requests, errors (anything but 200, or no answer in 60 s), p50, p95, p99;
the throughput; the CPU per request of the web workers (from /proc, exact) and of
PostgreSQL (the whole cluster's, shared with whatever else runs on it, so an upper bound);
and at the end the resident memory of the web workers and of PostgreSQL (proportional set
size, so shared buffers are counted once).
"""

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import configure  # noqa: E402

BENCH_DB = configure(os.environ.get("MAILLAGE_BENCH_DB", "maillage_national"))
PORT = int(os.environ.get("MAILLAGE_LOAD_PORT", "8471"))
SEED = 20261204
# The mix of clicks, per kind of account.
MIX = {
    "referent": {"my_work": 3, "inbox": 4, "referral": 4, "directory": 1},
    "worker": {"my_work": 3, "person": 3, "referral": 2, "directory": 2},
}
LOG = ROOT / "var" / f"load-{PORT}.log"
TICKS = os.sysconf("SC_CLK_TCK")


def prepare_sessions(count: int) -> list[dict]:
    """Signed-in sessions with their URLs, written to the session table."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_tenants.utils import schema_context

    from members.models import Membership
    from persons.models import Person
    from referrals.models import Referral
    from tenants.models import Coordination

    rng = random.Random(SEED)
    coordinations = list(Coordination.objects.exclude(schema_name="public").order_by("pk"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname, (SELECT reltuples FROM pg_class c WHERE c.relnamespace = n.oid "
            "AND c.relname = 'referrals_referral') FROM pg_namespace n WHERE nspname = ANY(%s)",
            [[c.schema_name for c in coordinations]],
        )
        weight = {schema: max(float(n or 0), 1.0) for schema, n in cursor.fetchall()}
    picked = rng.choices(coordinations, [weight[c.schema_name] for c in coordinations], k=count)
    sessions, used = [], set()
    for coordination in picked:
        with schema_context(coordination.schema_name):
            memberships = list(
                Membership.objects.filter(is_active=True, role__in=["cpas_referent", "worker"])
                .exclude(user_id__in=used)
                .select_related("user", "organisation")
            )
            if not memberships:
                continue
            membership = rng.choice(memberships)
            used.add(membership.user_id)
            kind = "referent" if membership.role == "cpas_referent" else "worker"
            org = membership.organisation
            base = f"/c/{coordination.slug}/"
            referrals = (
                Referral.objects.filter(to_organisation=org)
                if kind == "referent"
                else Referral.objects.filter(from_organisation=org)
            )
            urls = {
                "my_work": [base + "work/"],
                "inbox": [base + "referrals/inbox/"],
                "referral": [
                    f"{base}referrals/{p}/"
                    for p in referrals.order_by("-sent_at").values_list("public_id", flat=True)[:30]
                ],
                "directory": [base + f"directory/?q={q}" for q in ("logement", "français", "social", "scolaire")],
                "person": [
                    f"{base}persons/{p}/"
                    for p in Person.objects.filter(organisation=org)
                    .order_by("-created_at")
                    .values_list("public_id", flat=True)[:30]
                ],
            }
        user = membership.user
        device = TOTPDevice.objects.filter(user=user).first()
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        store.set_expiry(24 * 3600)
        store.create()
        mix = {page: n for page, n in MIX[kind].items() if urls[page]}
        sessions.append(
            {"kind": kind, "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}", "urls": urls, "mix": mix}
        )
    connection.close()
    return sessions


def start_gunicorn(workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "0",
        "MAILLAGE_DEMO_RELAX_2FA": "0",
        "CELERY_BROKER_URL": os.environ.get(
            "CELERY_BROKER_URL", f"redis://127.0.0.1:{os.environ.get('MAILLAGE_REDIS_PORT', '56379')}/14"
        ),
    }
    LOG.parent.mkdir(exist_ok=True)
    log = open(LOG, "w")  # noqa: SIM115  (lives as long as the server)
    LOG.parent.mkdir(exist_ok=True)
    web = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "maillage.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(workers),
            "--timeout",
            "60",
            "--backlog",
            "2048",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
            return web
        except urllib.error.HTTPError:
            return web
        except OSError:
            time.sleep(0.2)
    web.terminate()
    raise RuntimeError(f"gunicorn did not start; see {LOG}")


def children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def cpu_seconds(pid: int, *, reaped: bool = False) -> float:
    """utime + stime of a process (with reaped=True, plus its children that ended)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if reaped else 0)
    return ticks / TICKS


def postgres_pids() -> list[int]:
    out = subprocess.run(["pgrep", "-u", "postgres"], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def postmaster() -> int:
    pids = postgres_pids()
    parents = {
        p: int(Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[1])
        for p in pids
        if Path(f"/proc/{p}").exists()
    }
    return next(p for p, parent in parents.items() if parent not in parents)


def pss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except (FileNotFoundError, PermissionError):
            pass
    return total / 1024


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


async def run(sessions: list[dict], duration: float, think: tuple[float, float]) -> tuple[dict, int, float]:
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request otherwise
    results: dict[str, list] = defaultdict(list)
    issued: list[int] = []
    limits = httpx.Limits(max_connections=len(sessions), max_keepalive_connections=0)
    measuring_from = time.monotonic() + think[1]
    stop_at = measuring_from + duration

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{PORT}", limits=limits, timeout=60) as client:

        async def one(session: dict, rng: random.Random) -> None:
            await asyncio.sleep(rng.uniform(0, think[1]))  # spread the starts
            pages, weights = list(session["mix"]), list(session["mix"].values())
            while time.monotonic() < stop_at:
                page = rng.choices(pages, weights)[0]
                url = rng.choice(session["urls"][page])
                started = time.monotonic()
                try:
                    response = await client.get(url, headers={"Cookie": session["cookie"]})
                    status = response.status_code
                except httpx.HTTPError:
                    status = 0
                issued.append(status)
                if started >= measuring_from:
                    results[page].append((time.monotonic() - started, status))
                await asyncio.sleep(rng.uniform(*think))

        started = time.monotonic()
        await asyncio.gather(*(one(s, random.Random(f"{SEED}-{i}")) for i, s in enumerate(sessions)))
    return results, len(issued), time.monotonic() - started


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--saturation", action="store_true", help="1 s think times instead of 10-30 s")
    args = parser.parse_args()
    think = (1.0, 1.0) if args.saturation else (10.0, 30.0)

    sessions = prepare_sessions(args.sessions)
    kinds = defaultdict(int)
    for s in sessions:
        kinds[s["kind"]] += 1
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}; {BENCH_DB}; {len(sessions)} sessions ({dict(kinds)}), think "
        f"{think[0]:.0f}-{think[1]:.0f} s, {args.duration:.0f} s measured; gunicorn {args.workers} sync workers",
        flush=True,
    )
    web = start_gunicorn(args.workers)
    try:
        workers = children(web.pid)
        master = postmaster()
        web_before = sum(cpu_seconds(p) for p in workers) + cpu_seconds(web.pid, reaped=True)
        pg_before = cpu_seconds(master, reaped=True) + sum(cpu_seconds(p) for p in postgres_pids())
        results, issued, elapsed = asyncio.run(run(sessions, args.duration, think))
        workers_now = children(web.pid)
        web_cpu = sum(cpu_seconds(p) for p in workers_now) + cpu_seconds(web.pid, reaped=True) - web_before
        pg_cpu = cpu_seconds(master, reaped=True) + sum(cpu_seconds(p) for p in postgres_pids()) - pg_before
        web_rss = [rss_mib(p) for p in workers_now]
        web_pss = pss_mib(workers_now)
        pg_pss = pss_mib(postgres_pids())
    finally:
        web.terminate()
        web.wait(timeout=30)

    total = sum(len(r) for r in results.values())
    errors = sum(1 for r in results.values() for _, status in r if status != 200)
    print(f"{'page':<10} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    everything = []
    for page in ("my_work", "inbox", "referral", "directory", "person"):
        rows = results.get(page, [])
        if not rows:
            continue
        times = [t * 1000 for t, _ in rows]
        everything += times
        bad = sum(1 for _, status in rows if status != 200)
        print(
            f"{page:<10} {len(rows):>8} {bad:>6} {percentile(times, 50):>8.0f} {percentile(times, 95):>8.0f} "
            f"{percentile(times, 99):>8.0f}"
        )
    if everything:
        print(
            f"{'all':<10} {total:>8} {errors:>6} {percentile(everything, 50):>8.0f} {percentile(everything, 95):>8.0f} "
            f"{percentile(everything, 99):>8.0f}"
        )
    statuses = defaultdict(int)
    for r in results.values():
        for _, status in r:
            statuses[status] += 1
    print(f"statuses: {dict(statuses)}; throughput {total / args.duration:.1f} requests/s over {args.duration:.0f} s")
    all_requests = max(issued, 1)
    print(
        f"CPU per request ({issued} requests in the whole run, ramp included): "
        f"web workers {web_cpu / all_requests * 1000:.0f} ms, "
        f"PostgreSQL {pg_cpu / all_requests * 1000:.0f} ms (cluster-wide, an upper bound); run {elapsed:.0f} s"
    )
    print(
        f"memory at the end: web workers {', '.join(f'{m:.0f}' for m in web_rss)} MiB resident "
        f"({web_pss:.0f} MiB proportional in all); PostgreSQL cluster {pg_pss:.0f} MiB proportional "
        f"(shared buffers counted once)"
    )


if __name__ == "__main__":
    main()
