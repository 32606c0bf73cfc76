#!/usr/bin/env python3
"""Local runner: virtualenv, PostgreSQL and Redis as local processes, then the platform or the tests.

    python3 platform/dev.py run        # the platform with demo data (Ctrl-C stops everything)
    python3 platform/dev.py test [...] # lint, then the test suite (arguments go to pytest)
    python3 platform/dev.py services start|stop|status

Standard library only: it runs before the virtualenv exists. PostgreSQL refuses to run as
root, so as root its binaries run as the `postgres` user, whose data folder must be
reachable by that user (a checkout under /root is not: mode 0700). Environment:

    MAILLAGE_DATA_DIR     where PostgreSQL and Redis keep their data (see default_data_dir)
    MAILLAGE_PG_PORT      PostgreSQL port on 127.0.0.1 (54329)
    MAILLAGE_REDIS_PORT   Redis port on 127.0.0.1 (56379)
    MAILLAGE_HTTP_PORT    web server port on 127.0.0.1 (8000)
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"
PG_USER_NAME = "postgres"
DB_ROLE = "maillage"
DB_NAME = "maillage"

PG_PORT = int(os.environ.get("MAILLAGE_PG_PORT", "54329"))
REDIS_PORT = int(os.environ.get("MAILLAGE_REDIS_PORT", "56379"))
HTTP_PORT = int(os.environ.get("MAILLAGE_HTTP_PORT", "8000"))


def say(message: str) -> None:
    print(f"[maillage] {message}", flush=True)


def fail(message: str) -> None:
    print(f"[maillage] error: {message}", file=sys.stderr, flush=True)
    sys.exit(2)


def is_root() -> bool:
    return os.geteuid() == 0


def sh(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, **kwargs)


# --- Packages ------------------------------------------------------------------------


def ensure_venv() -> None:
    if not PY.exists():
        say("creating the virtualenv in .venv")
        try:
            sh([sys.executable, "-m", "venv", str(VENV)])
        except subprocess.CalledProcessError:
            fail("python3 -m venv failed: install the venv module (Debian/Ubuntu: apt-get install python3-venv).")
    lock = ROOT / "requirements.lock"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    stamp = VENV / ".lock.sha256"
    if not stamp.exists() or stamp.read_text() != digest:
        say("installing the locked dependencies (requirements.lock)")
        # The lock carries hashes, so pip checks every file it installs against them.
        sh([str(PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(lock)])
        stamp.write_text(digest)


def import_contracts_configured() -> bool:
    if (ROOT / ".importlinter").exists():
        return True
    with (ROOT / "pyproject.toml").open("rb") as f:
        return "importlinter" in tomllib.load(f).get("tool", {})


def lint() -> None:
    """Fails before any server starts or test runs, naming the command that fixes it."""
    checks = [
        (["ruff", "check", "."], "fix with .venv/bin/ruff check --fix . (or by hand)"),
        (["ruff", "format", "--check", "."], "fix with .venv/bin/ruff format ."),
    ]
    if import_contracts_configured():
        # Without a cache folder in the checkout: the whole analysis takes well under a second.
        checks.append((["lint-imports", "--no-cache"], "an import contract is broken (see above)"))
    for cmd, remedy in checks:
        say(f"lint: {' '.join(cmd)}")
        if subprocess.run([str(VENV / "bin" / cmd[0]), *cmd[1:]], cwd=ROOT).returncode != 0:
            fail(f"lint failed: {' '.join(cmd)}; {remedy}")


def pg_bin_dir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    return Path(candidates[-1]).parent if candidates else None


def redis_server() -> str | None:
    return shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def ensure_os_packages(*, browser: bool = False) -> None:
    """PostgreSQL and Redis always; Debian's chromium for the browser tests."""
    missing = []
    if pg_bin_dir() is None:
        missing.append("postgresql")
    if redis_server() is None:
        missing.append("redis-server")
    if browser and chromium() is None:
        missing.append("chromium")
    if missing:
        apt = shutil.which("apt-get")
        if apt is None:
            fail(
                "PostgreSQL (13+) and Redis are needed and this system has no apt-get. Install "
                f"{' and '.join(missing)} with your package manager, then run this again."
            )
        prefix = [] if is_root() else (["sudo"] if shutil.which("sudo") else None)
        if prefix is None:
            fail(f"install {' '.join(missing)} (apt-get install {' '.join(missing)}) as root, then run this again.")
        say(f"installing {' '.join(missing)} from the OS packages")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        sh([*prefix, "apt-get", "update", "-qq"], env=env)
        sh(
            [*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
            env=env,
            stdout=subprocess.DEVNULL,
        )
    if is_root():
        try:
            pwd.getpwnam(PG_USER_NAME)
        except KeyError:
            fail("running as root needs the 'postgres' system user: apt-get install postgresql creates it.")


# --- Data folder ---------------------------------------------------------------------


def _reachable_by(path: Path, uid: int) -> bool:
    """Can `uid` traverse every folder down to `path`?"""
    for folder in [path, *path.parents]:
        if not folder.exists():
            continue
        st = folder.stat()
        if st.st_uid == uid:
            if not st.st_mode & 0o100:
                return False
        elif not st.st_mode & 0o001:
            return False
    return True


def default_data_dir() -> Path:
    """<checkout>/var, unless PostgreSQL (as `postgres`) could not reach it: then a folder
    under /var/lib/maillage named after the checkout."""
    local = ROOT / "var"
    if not is_root() or _reachable_by(local, pwd.getpwnam(PG_USER_NAME).pw_uid):
        return local
    tag = hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]
    return Path("/var/lib/maillage") / f"{ROOT.name}-{tag}"


def data_dir() -> Path:
    configured = os.environ.get("MAILLAGE_DATA_DIR")
    path = Path(configured).resolve() if configured else default_data_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- PostgreSQL ----------------------------------------------------------------------


def _as_pg(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", PG_USER_NAME, "--", *cmd] if is_root() else cmd


# The `postgres` user may not be able to enter the current folder (a checkout under /root).
PG_CWD = "/"


def pg_running(pgdata: Path) -> bool:
    bindir = pg_bin_dir()
    result = subprocess.run(
        _as_pg([str(bindir / "pg_ctl"), "-D", str(pgdata), "status"]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=PG_CWD,
    )
    return result.returncode == 0


def start_postgres(root: Path) -> bool:
    """Starts the cluster (creating it the first time). True when this call started it."""
    bindir = pg_bin_dir()
    pgdata = root / "postgres"
    if is_root():
        pg = pwd.getpwnam(PG_USER_NAME)
        if not _reachable_by(root, pg.pw_uid):
            fail(
                f"the 'postgres' user cannot reach {root} (a parent folder is private, as /root is). "
                "Set MAILLAGE_DATA_DIR to a folder it can reach, e.g. /var/lib/maillage/mine."
            )
        if not pgdata.exists():
            pgdata.mkdir(mode=0o700)
        os.chown(pgdata, pg.pw_uid, pg.pw_gid)
    if not (pgdata / "PG_VERSION").exists():
        say(f"creating the PostgreSQL cluster in {pgdata}")
        sh(
            _as_pg(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(pgdata),
                    "-U",
                    DB_ROLE,
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            stdout=subprocess.DEVNULL,
            cwd=PG_CWD,
        )
    if pg_running(pgdata):
        return False
    options = (
        f"-c listen_addresses=127.0.0.1 -p {PG_PORT} -c unix_socket_directories= "
        "-c synchronous_commit=off -c max_connections=200"
    )
    log = pgdata / "server.log"
    say(f"starting PostgreSQL on 127.0.0.1:{PG_PORT}")
    try:
        sh(
            _as_pg(
                [str(bindir / "pg_ctl"), "-D", str(pgdata), "-l", str(log), "-w", "-t", "60", "-o", options, "start"]
            ),
            stdout=subprocess.DEVNULL,
            cwd=PG_CWD,
        )
    except subprocess.CalledProcessError:
        fail(f"PostgreSQL did not start; see {log} (is port {PG_PORT} taken? set MAILLAGE_PG_PORT)")
    return True


def stop_postgres(root: Path, quiet: bool = False) -> None:
    pgdata = root / "postgres"
    if pg_running(pgdata):
        if not quiet:
            say("stopping PostgreSQL")
        subprocess.run(
            _as_pg([str(pg_bin_dir() / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"]),
            stdout=subprocess.DEVNULL,
            cwd=PG_CWD,
        )


def ensure_database(name: str) -> None:
    psql = [str(pg_bin_dir() / "psql"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", DB_ROLE, "-d", "postgres", "-tAc"]
    exists = subprocess.run(
        [*psql, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"], capture_output=True, text=True, check=True
    ).stdout.strip()
    if exists != "1":
        say(f"creating the database {name}")
        sh([*psql, f'CREATE DATABASE "{name}"'], stdout=subprocess.DEVNULL)


# --- Redis ---------------------------------------------------------------------------


def _redis_command(command: str) -> str | None:
    try:
        with socket.create_connection(("127.0.0.1", REDIS_PORT), timeout=1) as conn:
            conn.sendall(f"{command}\r\n".encode())
            return conn.recv(64).decode(errors="replace")
    except OSError:
        return None


def start_redis(root: Path) -> bool:
    if (_redis_command("PING") or "").startswith("+PONG"):
        if (_redis_command("CONFIG GET appendonly") or "").endswith("no\r\n"):
            say(
                f"Redis on port {REDIS_PORT} runs without its append-only file (started before it was "
                "turned on); `services stop` then `services start` restarts it with it"
            )
        return False
    folder = root / "redis"
    folder.mkdir(exist_ok=True)
    say(f"starting Redis on 127.0.0.1:{REDIS_PORT}")
    sh(
        [
            redis_server(),
            "--bind",
            "127.0.0.1",
            "--port",
            str(REDIS_PORT),
            "--dir",
            str(folder),
            "--daemonize",
            "yes",
            "--pidfile",
            str(folder / "redis.pid"),
            "--logfile",
            str(folder / "redis.log"),
            # The broker's queue is the only thing kept in Redis: the append-only file,
            # synced every second, loses at most a second of queued tasks on a crash
            # (snapshots alone could lose a minute of them).
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--save",
            "60 1",
            "--protected-mode",
            "yes",
        ]
    )
    for _ in range(50):
        if (_redis_command("PING") or "").startswith("+PONG"):
            return True
        time.sleep(0.1)
    fail(f"Redis did not start; see {folder / 'redis.log'} (is port {REDIS_PORT} taken? set MAILLAGE_REDIS_PORT)")
    return False


def stop_redis(quiet: bool = False) -> None:
    if _redis_command("PING"):
        if not quiet:
            say("stopping Redis")
        _redis_command("SHUTDOWN SAVE")


# --- Supervision ---------------------------------------------------------------------


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


class Supervised:
    """A background process (the Celery worker, beat) that the runner restarts when it dies.

    The first restart comes after `first_delay` seconds, and each death within
    `quick_seconds` of its start doubles the wait (up to `max_delay`), so a process that
    crashes at start-up does not spin; after `give_up_after` such deaths in a row the runner
    stops restarting it and says so. A process that ran longer than `quick_seconds` starts
    the count again. Call `check()` often; it does nothing while the process runs.
    """

    def __init__(
        self,
        name: str,
        start,
        *,
        log: Path | None = None,
        first_delay: float = 1.0,
        max_delay: float = 60.0,
        quick_seconds: float = 30.0,
        give_up_after: int = 5,
        clock=time.monotonic,
    ) -> None:
        self.name = name
        self._start = start
        self.log = log
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.quick_seconds = quick_seconds
        self.give_up_after = give_up_after
        self.clock = clock
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.quick_failures = 0
        self.restart_at: float | None = None
        self.given_up = False

    def start(self) -> None:
        self.process = self._start()
        self.started_at = self.clock()
        self.restart_at = None

    def check(self) -> None:
        if self.given_up or self.process is None:
            return
        now = self.clock()
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.start()
                say(f"{self.name} restarted (pid {self.process.pid})")
            return
        code = self.process.poll()
        if code is None:
            return
        quick = now - self.started_at < self.quick_seconds
        self.quick_failures = self.quick_failures + 1 if quick else 1
        where = f"; see {self.log}" if self.log else ""
        if quick and self.quick_failures >= self.give_up_after:
            self.given_up = True
            say(
                f"{self.name} (pid {self.process.pid}) {describe_exit(code)}, {self.quick_failures} times in a "
                f"row within {self.quick_seconds:g} s of starting: no longer restarting it{where}"
            )
            return
        delay = min(self.first_delay * 2 ** (self.quick_failures - 1), self.max_delay)
        self.restart_at = now + delay
        say(f"{self.name} (pid {self.process.pid}) {describe_exit(code)}; restarting it in {delay:g} s{where}")

    def stop(self, timeout: float = 20) -> None:
        """Terminates the process if it runs; no restart follows."""
        self.given_up = True
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def readiness() -> tuple[bool, str]:
    """(ready, the failing checks) from the web server's /readyz; (False, "") while it
    does not answer yet."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{HTTP_PORT}/readyz", timeout=3) as response:
            return response.status == 200, ""
    except urllib.error.HTTPError as error:
        try:
            checks = json.loads(error.read()).get("checks", {})
        except ValueError:
            return False, f"HTTP {error.code}"
        return False, ", ".join(f"{name} {state}" for name, state in checks.items() if state != "ok")
    except (OSError, ValueError):
        return False, ""


# --- Commands ------------------------------------------------------------------------


def app_env(root: Path, **extra: str) -> dict:
    return {
        **os.environ,
        "MAILLAGE_PG_PORT": str(PG_PORT),
        "MAILLAGE_REDIS_PORT": str(REDIS_PORT),
        "MAILLAGE_STATIC_ROOT": str(root / "static"),
        "MAILLAGE_MEDIA_ROOT": str(root / "media"),
        "CELERY_BEAT_SCHEDULE_FILENAME": str(root / "celerybeat-schedule"),
        **extra,
    }


def manage(env: dict, *args: str) -> None:
    sh([str(PY), str(ROOT / "manage.py"), *args], env=env, cwd=ROOT)


def start_services(*, browser: bool = False) -> tuple[Path, bool, bool]:
    ensure_venv()
    ensure_os_packages(browser=browser)
    root = data_dir()
    (root / "static").mkdir(exist_ok=True)
    say(f"data folder: {root}")
    started_pg = start_postgres(root)
    started_redis = start_redis(root)
    return root, started_pg, started_redis


def stop_services(root: Path, started_pg: bool, started_redis: bool, quiet: bool = False) -> None:
    # Only what this command started: a platform already running keeps its servers.
    if started_redis:
        stop_redis(quiet)
    if started_pg:
        stop_postgres(root, quiet)


def run() -> int:
    root, started_pg, started_redis = start_services()
    supervised: list[Supervised] = []
    web: subprocess.Popen | None = None

    def shutdown(*_args) -> None:
        # A second Ctrl-C (or a SIGTERM) while stopping must not leave the servers running.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        say("stopping…")
        children = [s.process for s in supervised if s.process is not None] + ([web] if web else [])
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
        stop_services(root, started_pg, started_redis)
        say(f"stopped. Data kept in {root}")

    def interrupt(*_args) -> None:
        raise KeyboardInterrupt

    # Ctrl-C and SIGTERM both stop everything, even when started from a shell that made
    # this process ignore SIGINT (background jobs); children then get default handlers.
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        ensure_database(DB_NAME)
        mail = root / "mail"
        mail.mkdir(exist_ok=True)
        relax = os.environ.get("MAILLAGE_DEMO_RELAX_2FA", "1")
        env = app_env(
            root,
            MAILLAGE_DEMO_RELAX_2FA=relax,
            EMAIL_URL=os.environ.get("EMAIL_URL", "filemail://"),
            EMAIL_FILE_PATH=os.environ.get("EMAIL_FILE_PATH", str(mail)),
            MAILLAGE_SITE_URL=os.environ.get("MAILLAGE_SITE_URL", f"http://127.0.0.1:{HTTP_PORT}"),
        )
        say("migrating the public schema and every coordination's schema")
        manage(env, "migrate_schemas", "--executor=replay", "-v", "0")
        manage(env, "prepare_schema_script")
        manage(env, "load_demo")
        celery = str(VENV / "bin" / "celery")
        worker_log_path = root / "celery-worker.log"
        beat_log_path = root / "celery-beat.log"
        worker_log = open(worker_log_path, "ab")
        beat_log = open(beat_log_path, "ab")
        supervised.append(
            Supervised(
                "the Celery worker",
                lambda: subprocess.Popen(
                    [celery, "-A", "maillage", "worker", "-l", "info", "-c", "2"],
                    env=env,
                    cwd=ROOT,
                    stdout=worker_log,
                    stderr=subprocess.STDOUT,
                ),
                log=worker_log_path,
            )
        )
        supervised.append(
            Supervised(
                "Celery beat",
                lambda: subprocess.Popen(
                    [celery, "-A", "maillage", "beat", "-l", "info", "--schedule", str(root / "celerybeat-schedule")],
                    env=env,
                    cwd=ROOT,
                    stdout=beat_log,
                    stderr=subprocess.STDOUT,
                ),
                log=beat_log_path,
            )
        )
        for process in supervised:
            process.start()
        web = subprocess.Popen([str(PY), "manage.py", "runserver", f"127.0.0.1:{HTTP_PORT}"], env=env, cwd=ROOT)
        say(f"Maillage: http://127.0.0.1:{HTTP_PORT}/  (Schaerbeek: /c/schaerbeek/, Tournai: /c/tournai/)")
        say(f"admin: http://127.0.0.1:{HTTP_PORT}/admin/  · API docs: /c/schaerbeek/api/v1/docs/")
        say(f"e-mails are written to {mail}; worker log {worker_log_path}")
        if relax == "1":
            say("demo: two-factor authentication is relaxed (MAILLAGE_DEMO_RELAX_2FA=0 to require it)")
        say("Ctrl-C stops everything; a worker or beat that dies is restarted")
        supervise(web, supervised)
    except KeyboardInterrupt:
        pass
    finally:
        shutdown()
    return 0


def supervise(web: subprocess.Popen, supervised: list[Supervised]) -> None:
    """Until the web server ends: restarts a worker or beat that dies, and says once when
    /readyz first answers 200 (or, after a minute, what it still waits for)."""
    started = time.monotonic()
    next_probe = started + 2
    ready = warned = False
    while web.poll() is None:
        for process in supervised:
            process.check()
        now = time.monotonic()
        if not ready and now >= next_probe:
            ready, failing = readiness()
            next_probe = now + 2
            if ready:
                say(f"ready: http://127.0.0.1:{HTTP_PORT}/readyz answers 200")
            elif not warned and now - started > 60:
                warned = True
                say(f"not ready yet after a minute{': ' + failing if failing else ''} (see /readyz)")
        time.sleep(0.5)


def test(pytest_args: list[str]) -> int:
    ensure_venv()
    lint()
    root, started_pg, started_redis = start_services(browser=True)
    try:
        env = app_env(
            root,
            MAILLAGE_ENV="test",
            MAILLAGE_TEST_DATABASE=f"test_maillage_{os.getpid()}",
            MAILLAGE_CHROMIUM=chromium() or "",
            DATABASE_URL=f"postgres://{DB_ROLE}@127.0.0.1:{PG_PORT}/{DB_NAME}",
            CELERY_BROKER_URL=f"redis://127.0.0.1:{REDIS_PORT}/1",
            CELERY_RESULT_BACKEND=f"redis://127.0.0.1:{REDIS_PORT}/1",
        )
        env.pop("MAILLAGE_DEMO_RELAX_2FA", None)
        return subprocess.run([str(PY), "-m", "pytest", *pytest_args], env=env, cwd=ROOT).returncode
    finally:
        # Quietly, so that pytest's summary stays the last line.
        stop_services(root, started_pg, started_redis, quiet=True)


def services(action: str) -> int:
    if action == "start":
        start_services()
        return 0
    root = data_dir()
    if action == "stop":
        stop_redis()
        stop_postgres(root)
        return 0
    if action == "status":
        print(f"data folder: {root}")
        print(f"postgres: {'running' if pg_running(root / 'postgres') else 'stopped'} (port {PG_PORT})")
        print(f"redis: {'running' if _redis_command('PING') else 'stopped'} (port {REDIS_PORT})")
        return 0
    fail("services takes start, stop or status")
    return 2


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "services"}:
        print(__doc__)
        return 2
    if argv[0] == "run":
        return run()
    if argv[0] == "test":
        return test(argv[1:])
    return services(argv[1] if len(argv) > 1 else "")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
