#!/usr/bin/env python3
"""Fault suite for e-mail delivery: every notice e-mailed exactly once, whatever breaks.

    .venv/bin/python bench/faults.py [--only NAME ...] [--burst 40]

Starts its own PostgreSQL (port 54360) and Redis (port 56410, append-only file, fsync
every second) in a private data folder (/var/lib/maillage/faults-delivery, or
MAILLAGE_FAULTS_DIR), a gunicorn web server (port 8460), a Celery worker (prefork, 2
children) and Celery beat, with the file e-mail backend. It never touches the shared
servers. Load goes through the API: a social worker's token posts referrals to a CPAS
whose one reference person gets a notice per referral; each notice's e-mail carries the
header X-Maillage-Notice: <notice id>, so the e-mails written to the mail folder are
counted per notice.

Faults, each during a burst of referrals: the worker SIGKILLed (and restarted), pool
children SIGKILLed (one every half second, 20 times), Redis shut down for 30 s, Redis
SIGKILLed with messages queued (worker stopped), Redis frozen (SIGSTOP) for 20 s,
PostgreSQL restarted mid-burst (the requests it misses answer 500: nothing can be saved),
PostgreSQL down for 10 s while the burst's tasks wait in the queue (worker paused), the
mail folder made unwritable for 30 s (a file where the folder was). After recovery
the suite waits (at most WAIT seconds) until every notice of the burst is e-mailed, then
prints per fault: notices, sent once, lost, sent twice or more, 500 and other 5xx answers
(503 while the database is away; 599 for no answer at all), referrals
saved versus 201 answers, the slowest answer, how often the worker had to be restarted
because it ended by itself (the suite restarts it, as a supervisor would), and the
seconds from recovery to the last e-mail.

The sweeper's timings are shortened for the run (every 15 s, notices older than 30 s,
failed ones after 60 s; retries capped at 20 s, visibility timeout 60 s), through the
settings' environment variables; production keeps the defaults in maillage/settings.py.
Everything it started is stopped at the end (the data folder is kept for the logs).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = ROOT / ".venv" / "bin"
PG_PORT, REDIS_PORT, HTTP_PORT = 54360, 56410, 8460
SHARED_PORTS = {54340, 56390}  # the other helpers' servers: never ours
DATA = Path(os.environ.get("MAILLAGE_FAULTS_DIR", "/var/lib/maillage/faults-delivery"))
SLUG = "faults"
WAIT = 240
HEADER = re.compile(r"^X-Maillage-Notice: ([0-9a-f-]{36})$", re.MULTILINE)

assert PG_PORT not in SHARED_PORTS and REDIS_PORT not in SHARED_PORTS

os.environ.update(MAILLAGE_DATA_DIR=str(DATA), MAILLAGE_PG_PORT=str(PG_PORT), MAILLAGE_REDIS_PORT=str(REDIS_PORT))
_spec = importlib.util.spec_from_file_location("maillage_dev", ROOT / "platform" / "dev.py")
dev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dev)


def say(message: str) -> None:
    print(f"[faults {time.strftime('%H:%M:%S')}] {message}", flush=True)


def app_env() -> dict:
    return dev.app_env(
        DATA,
        DATABASE_URL=f"postgres://maillage@127.0.0.1:{PG_PORT}/maillage",
        CELERY_BROKER_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
        CELERY_RESULT_BACKEND=f"redis://127.0.0.1:{REDIS_PORT}/1",
        EMAIL_URL="filemail://",
        EMAIL_FILE_PATH=str(DATA / "mail"),
        MAILLAGE_SITE_URL=f"http://127.0.0.1:{HTTP_PORT}",
        MAILLAGE_EMAIL_SWEEP_EVERY="15",
        MAILLAGE_EMAIL_SWEEP_AFTER="30",
        MAILLAGE_EMAIL_FAILED_RETRY_AFTER="60",
        MAILLAGE_EMAIL_RETRY_MAX_DELAY="20",
        CELERY_VISIBILITY_TIMEOUT="60",
        DEBUG="0",
        LOG_LEVEL="INFO",
    )


# --- The processes -----------------------------------------------------------------------


class Stack:
    """Every process the suite starts, so that `stop_all` ends exactly those."""

    def __init__(self) -> None:
        self.redis: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.beat: subprocess.Popen | None = None
        self.web: subprocess.Popen | None = None
        self.pg_started = False
        self.logs = DATA / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)

    def _spawn(self, name: str, cmd: list[str]) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115  (the child keeps writing to it)
        return subprocess.Popen(cmd, env=app_env(), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)

    # PostgreSQL: platform/dev.py's cluster functions, on our own data folder and port.
    def start_pg(self) -> None:
        dev.start_postgres(DATA)
        self.pg_started = True

    def stop_pg(self) -> None:
        dev.stop_postgres(DATA, quiet=True)

    # Redis: our own process in the foreground, so that it can be killed.
    def start_redis(self) -> None:
        folder = DATA / "redis"
        folder.mkdir(exist_ok=True)
        cmd = [dev.redis_server(), "--bind", "127.0.0.1", "--port", str(REDIS_PORT), "--dir", str(folder)]
        cmd += ["--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--protected-mode", "yes"]
        self.redis = self._spawn("redis", cmd)
        for _ in range(100):
            if (dev._redis_command("PING") or "").startswith("+PONG"):
                return
            time.sleep(0.1)
        raise RuntimeError("Redis did not start; see logs/redis.log")

    def stop_redis(self, sig=signal.SIGTERM) -> None:
        if self.redis is not None and self.redis.poll() is None:
            self.redis.send_signal(sig)
            self.redis.wait(timeout=30)
        self.redis = None

    def start_worker(self) -> None:
        celery = str(PY / "celery")
        self.worker = self._spawn("worker", [celery, "-A", "maillage", "worker", "-l", "info", "-c", "2"])

    def stop_worker(self, sig=signal.SIGTERM) -> None:
        if self.worker is None:
            return
        children = self.pool_children()
        if self.worker.poll() is None:
            self.worker.send_signal(sig)
            try:
                self.worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.worker.kill()
                self.worker.wait()
        for pid in children:  # a SIGKILLed parent leaves its children to end on their own
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.worker = None

    def revive_worker(self) -> int:
        """Restarts the worker if it ended on its own, as a process supervisor (systemd's
        Restart=always) does in production; returns 1 when it did."""
        if self.worker is None or self.worker.poll() is None:
            return 0
        say(f"the worker ended by itself (exit {self.worker.returncode}); restarting it as a supervisor would")
        self.worker = None
        self.start_worker()
        return 1

    def pool_children(self) -> list[int]:
        if self.worker is None:
            return []
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.worker.pid)], capture_output=True, text=True)
        return [int(pid) for pid in out.stdout.split()]

    def start_beat(self) -> None:
        celery = str(PY / "celery")
        schedule = str(DATA / "celerybeat-schedule")
        self.beat = self._spawn("beat", [celery, "-A", "maillage", "beat", "-l", "info", "--schedule", schedule])

    def start_web(self) -> None:
        cmd = [str(PY / "gunicorn"), "maillage.wsgi", "-b", f"127.0.0.1:{HTTP_PORT}", "-w", "2", "--timeout", "60"]
        self.web = self._spawn("web", cmd)
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{HTTP_PORT}/", timeout=2)
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the web server did not start; see logs/web.log")

    def resume(self) -> None:
        """Lets a process that a fault stopped (SIGSTOP) hear the signals that end it."""
        for process in (self.redis, self.worker):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGCONT)
        for pid in self.pool_children():
            os.kill(pid, signal.SIGCONT)

    def stop_all(self) -> None:
        try:
            self.resume()
        except OSError:
            pass
        for process in (self.web, self.beat):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        for stop in (self.stop_worker, self.stop_redis):
            try:
                stop()
            except (OSError, subprocess.TimeoutExpired):
                say(f"{stop.__name__} failed; killing what is left")
        for process in (self.worker, self.redis):
            if process is not None and process.poll() is None:
                process.kill()
        if self.pg_started:
            self.stop_pg()


# --- The platform's data -----------------------------------------------------------------


def setup_data(persons: int) -> dict:
    """Runs in a child process (Django set up there, not here): a coordination, a BAPA worker
    with an API token, a CPAS with one reference person, and persons whose consent covers
    a housing referral to the CPAS."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    django.setup()
    from _common import provision_bench_coordination, record_housing_consent
    from django_tenants.utils import schema_context

    from directory.services import create_organisation
    from maillage.actor import Actor
    from members.roles import Role
    from members.services import add_member
    from persons.services import PersonInput, create_person
    from tenants.models import User
    from tenants.services import issue_api_token

    coordination = provision_bench_coordination("Faults", SLUG, lead="BAPA faults", domain="faults.test")
    with schema_context(coordination.schema_name):
        system = Actor.system(coordination)
        bapa = create_organisation(actor=system, name="Service social faults", kind="ngo")
        cpas = create_organisation(actor=system, name="CPAS faults", kind="cpas")
        worker = User.objects.create_user("worker@faults.test", password="a-long-bench-password", full_name="Worker")
        referent = User.objects.create_user("cpas@faults.test", password="a-long-bench-password", full_name="CPAS")
        membership = add_member(actor=system, user=worker, organisation=bapa, role=Role.WORKER)
        add_member(actor=system, user=referent, organisation=cpas, role=Role.CPAS_REFERENT)
        actor = Actor(user=worker, membership=membership, organisation=bapa, coordination=coordination)
        ids = []
        for n in range(persons):
            person = create_person(actor=actor, data=PersonInput(given_name=f"Personne{n}", family_name="Faults"))
            record_housing_consent(actor, person, cpas, explanation_language="fr")
            ids.append(str(person.public_id))
        issued = issue_api_token(actor=actor, label="faults", scope="read_write", days=1, second_factor=True)
    return {"schema": coordination.schema_name, "token": issued.key, "cpas": str(cpas.public_id), "persons": ids}


def prepare(stack: Stack, persons: int) -> dict:
    if DATA.exists():
        dev.stop_postgres(DATA, quiet=True)
        shutil.rmtree(DATA)
    DATA.mkdir(parents=True)
    (DATA / "static").mkdir()
    (DATA / "mail").mkdir()
    stack.logs.mkdir(parents=True, exist_ok=True)
    stack.start_pg()
    dev.ensure_database("maillage")
    stack.start_redis()
    env = app_env()
    say("migrating")
    dev.manage(env, "migrate_schemas", "--shared", "-v", "0")
    dev.manage(env, "prepare_schema_script")
    say(f"creating the coordination and {persons} persons with a consent")
    out = subprocess.run(
        [str(PY / "python"), __file__, "--setup", str(persons)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- Load and counts ---------------------------------------------------------------------


class Load:
    def __init__(self, world: dict) -> None:
        self.world = world
        self.persons = iter(world["persons"])

    def post(self) -> int:
        body = json.dumps(
            {
                "person": next(self.persons),
                "to_organisation": self.world["cpas"],
                "domains": ["housing"],
                "reason": "Logement",
                "send": True,
            }
        ).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{HTTP_PORT}/c/{SLUG}/api/v1/referrals/",
            data=body,
            headers={"Authorization": f"Token {self.world['token']}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310  (our own http URL)
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 599  # no answer at all (connection refused, timeout)


def sql(query: str, params=()) -> list:
    import psycopg

    with psycopg.connect(f"postgresql://maillage@127.0.0.1:{PG_PORT}/maillage", autocommit=True) as conn:
        return conn.execute(query, params).fetchall()


# The schema name comes from our own setup, not from input.
def notices_since(world: dict, since: datetime) -> set[str]:
    query = f'SELECT public_id FROM "{world["schema"]}".members_notification WHERE created_at >= %s AND by_email'  # noqa: S608
    return {str(row[0]) for row in sql(query, (since,))}


def referrals_since(world: dict, since: datetime) -> int:
    query = f'SELECT count(*) FROM "{world["schema"]}".referrals_referral WHERE created_at >= %s'  # noqa: S608
    return sql(query, (since,))[0][0]


def emails_by_notice() -> Counter:
    counts: Counter = Counter()
    for path in (DATA / "mail").glob("*"):
        if path.is_file():
            counts.update(HEADER.findall(path.read_text(errors="replace")))
    return counts


# --- The faults --------------------------------------------------------------------------


def run_fault(name: str, stack: Stack, load: Load, burst: int, *, before=None, at=None, fault_at=12, recover=None):
    """Posts `burst` referrals; `before()` first, `at()` after `fault_at` posts, `recover()`
    after the last; then waits until every notice of the burst is e-mailed."""
    say(f"{name}: burst of {burst}")
    since = datetime.now(UTC) - timedelta(seconds=1)
    statuses: Counter = Counter()
    slow = 0.0
    if before:
        before()
    for n in range(burst):
        if n == fault_at and at:
            at()
        started = time.monotonic()
        statuses[load.post()] += 1
        slow = max(slow, time.monotonic() - started)
    if recover:
        recover()
    recovered = time.monotonic()
    notices = notices_since(load.world, since)
    last_seen = None
    revived = 0
    while time.monotonic() - recovered < WAIT:
        revived += stack.revive_worker()
        counts = emails_by_notice()
        if all(counts[notice] >= 1 for notice in notices):
            last_seen = time.monotonic() - recovered
            break
        time.sleep(2)
    time.sleep(5)  # anything sent twice arrives now or never
    counts = emails_by_notice()
    created = sum(count for status, count in statuses.items() if status == 201)
    row = {
        "fault": name,
        "notices": len(notices),
        "sent once": sum(1 for notice in notices if counts[notice] == 1),
        "lost": sum(1 for notice in notices if counts[notice] == 0),
        "sent twice+": sum(1 for notice in notices if counts[notice] > 1),
        "500": statuses[500],
        "other 5xx": sum(count for status, count in statuses.items() if status > 500),
        "201": created,
        "saved": referrals_since(load.world, since),
        "slowest POST s": round(slow, 1),
        "worker restarts": revived,
        "all sent after s": "-" if last_seen is None else round(last_seen),
    }
    say(f"{name}: {row}")
    return row


def faults(stack: Stack) -> dict:
    def kill_worker() -> None:
        time.sleep(1)  # some tasks taken and running
        stack.stop_worker(signal.SIGKILL)

    def restart_worker() -> None:
        time.sleep(5)
        stack.start_worker()

    def kill_pool_children() -> None:
        """A child killed every half second for 10 s: some of them while sending."""

        def keep_killing() -> None:
            for _ in range(20):
                time.sleep(0.5)
                children = stack.pool_children()
                if children:
                    os.kill(children[0], signal.SIGKILL)

        threading.Thread(target=keep_killing, daemon=True).start()

    def stop_redis() -> None:
        stack.stop_redis()
        stop_redis.at = time.monotonic()

    def start_redis_after_30s() -> None:
        time.sleep(max(0.0, 30 - (time.monotonic() - stop_redis.at)))
        stack.start_redis()

    def crash_redis() -> None:
        time.sleep(0.5)
        stack.stop_redis(signal.SIGKILL)
        stack.start_redis()
        stack.start_worker()

    def restart_pg() -> None:
        stack.stop_pg()
        threading.Timer(3, stack.start_pg).start()

    def pause_worker() -> None:
        # Stopped, not killed: the burst's tasks wait in Redis, as behind a busy worker.
        for pid in [stack.worker.pid, *stack.pool_children()]:
            os.kill(pid, signal.SIGSTOP)

    def pg_down_under_queued_tasks() -> None:
        stack.stop_pg()
        for pid in [stack.worker.pid, *stack.pool_children()]:
            os.kill(pid, signal.SIGCONT)
        time.sleep(10)  # the queued tasks meet a database that is down
        stack.start_pg()

    def freeze_redis() -> None:
        stack.redis.send_signal(signal.SIGSTOP)
        freeze_redis.thaw = threading.Timer(20, lambda: stack.redis.send_signal(signal.SIGCONT))
        freeze_redis.thaw.start()

    def thawed() -> None:
        freeze_redis.thaw.join()

    def break_mail() -> None:
        (DATA / "mail").rename(DATA / "mail.aside")
        (DATA / "mail").write_text("not a folder")  # the file backend then raises ImproperlyConfigured
        break_mail.at = time.monotonic()

    def fix_mail() -> None:
        time.sleep(max(0.0, 30 - (time.monotonic() - break_mail.at)))
        (DATA / "mail").unlink()
        (DATA / "mail.aside").rename(DATA / "mail")

    def wait_for_pg() -> None:
        for _ in range(60):
            if dev.pg_running(DATA / "postgres"):
                return
            time.sleep(1)

    return {
        "none (baseline)": {},
        "worker SIGKILL": {"at": kill_worker, "recover": restart_worker},
        "pool children SIGKILL x20": {"at": kill_pool_children, "fault_at": 2},
        "Redis down 30 s": {"at": stop_redis, "recover": start_redis_after_30s},
        "Redis SIGKILL, queued": {"before": lambda: stack.stop_worker(), "recover": crash_redis},
        "Redis frozen 20 s (SIGSTOP)": {"at": freeze_redis, "recover": thawed},
        "PostgreSQL restart mid-burst": {"at": restart_pg, "recover": wait_for_pg},
        "PostgreSQL down 10 s, tasks queued": {"before": pause_worker, "recover": pg_down_under_queued_tasks},
        "mail folder unwritable 30 s": {"at": break_mail, "recover": fix_mail},
    }


def table(rows: list[dict]) -> str:
    columns = list(rows[0])
    widths = [max(len(str(c)), *(len(str(r[c])) for r in rows)) for c in columns]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(r[c]).ljust(w) for c, w in zip(columns, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", help="run only the faults whose name contains one of these words")
    parser.add_argument("--burst", type=int, default=40)
    parser.add_argument("--setup", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup is not None:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(setup_data(args.setup)))
        return 0
    stack = Stack()
    rows = []
    try:
        plan = faults(stack)
        if args.only:
            plan = {k: v for k, v in plan.items() if any(w.lower() in k.lower() for w in args.only)}
        world = prepare(stack, persons=args.burst * len(plan) + 10)
        stack.start_web()
        stack.start_worker()
        stack.start_beat()
        time.sleep(5)
        load = Load(world)
        for name, steps in plan.items():
            rows.append(run_fault(name, stack, load, args.burst, **steps))
    finally:
        say("stopping everything this suite started")
        stack.stop_all()
        if rows:
            print()
            print(table(rows), flush=True)
            print(f"\nlogs: {stack.logs}", flush=True)
    return 0 if rows and all(r["lost"] == 0 and r["sent twice+"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
