"""The local runner (platform/dev.py) restarts a Celery worker or beat that dies, with a
growing wait between quick deaths, and gives up after a few of them in a row, saying each
time what it does; it reads /readyz to say when the platform is ready; its Redis keeps an
append-only file.

Real short-lived processes; the clock is the test's, so that the waits are exact and the
tests do not sleep through them."""

import http.server
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_runner():
    # platform/ is no package (the standard library owns the name): load the file itself.
    spec = importlib.util.spec_from_file_location("maillage_dev_runner", ROOT / "platform" / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dev = _load_runner()


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _python(code: str):
    return lambda: subprocess.Popen([sys.executable, "-c", code])


def _died(supervised) -> None:
    supervised.process.wait(timeout=10)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def supervised(clock):
    made = []

    def _make(code="import sys; sys.exit(3)", **options):
        settings = {"first_delay": 1, "max_delay": 8, "quick_seconds": 30, "give_up_after": 4, **options}
        process = dev.Supervised("the Celery worker", _python(code), clock=clock, **settings)
        made.append(process)
        return process

    yield _make
    for process in made:
        process.stop(timeout=5)


def test_a_process_that_dies_is_restarted_after_the_first_delay(supervised, clock, capsys):
    worker = supervised()
    worker.start()
    first = worker.process.pid
    _died(worker)
    worker.check()
    assert f"the Celery worker (pid {first}) exited with code 3; restarting it in 1 s" in capsys.readouterr().out
    clock.now += 0.5
    worker.check()
    assert worker.process.pid == first
    clock.now += 0.5
    worker.check()
    assert worker.process.pid != first
    assert f"the Celery worker restarted (pid {worker.process.pid})" in capsys.readouterr().out


def test_quick_deaths_in_a_row_double_the_wait(supervised, clock, capsys):
    worker = supervised()
    worker.start()
    waits = []
    for _ in range(3):
        _died(worker)
        worker.check()
        waits.append(worker.restart_at - clock.now)
        clock.now = worker.restart_at
        worker.check()
    assert waits == [1, 2, 4]


def test_the_wait_stops_growing_at_the_longest(supervised, clock):
    worker = supervised(give_up_after=10)
    worker.start()
    waits = []
    for _ in range(6):
        _died(worker)
        worker.check()
        waits.append(worker.restart_at - clock.now)
        clock.now = worker.restart_at
        worker.check()
    assert waits == [1, 2, 4, 8, 8, 8]


def test_after_n_quick_deaths_it_is_no_longer_restarted_and_the_runner_says_so(supervised, clock, capsys):
    worker = supervised(log=Path("/tmp/worker.log"))
    worker.start()
    for _ in range(3):
        _died(worker)
        worker.check()
        clock.now = worker.restart_at
        worker.check()
    last = worker.process.pid
    _died(worker)
    worker.check()
    out = capsys.readouterr().out
    assert (
        f"the Celery worker (pid {last}) exited with code 3, 4 times in a row within 30 s of starting: "
        "no longer restarting it; see /tmp/worker.log"
    ) in out
    assert worker.given_up
    clock.now += 3600
    worker.check()
    assert worker.process.pid == last


def test_a_death_after_a_long_run_starts_the_count_again(supervised, clock):
    worker = supervised()
    worker.start()
    for _ in range(3):
        _died(worker)
        worker.check()
        clock.now = worker.restart_at
        worker.check()
    clock.now += 31  # this one ran longer than quick_seconds
    _died(worker)
    worker.check()
    assert worker.restart_at - clock.now == 1
    assert not worker.given_up


def test_a_process_killed_by_a_signal_is_named_so(supervised, capsys):
    worker = supervised("import time; time.sleep(60)")
    worker.start()
    os.kill(worker.process.pid, signal.SIGKILL)
    _died(worker)
    worker.check()
    assert f"(pid {worker.process.pid}) was killed by SIGKILL; restarting it in 1 s" in capsys.readouterr().out


def test_a_running_process_is_left_alone(supervised, clock, capsys):
    worker = supervised("import time; time.sleep(60)")
    worker.start()
    pid = worker.process.pid
    clock.now += 100
    worker.check()
    assert worker.process.pid == pid and worker.process.poll() is None
    assert capsys.readouterr().out == ""


def test_stop_ends_the_process_without_a_restart(supervised, clock, capsys):
    worker = supervised("import time; time.sleep(60)")
    worker.start()
    worker.stop(timeout=5)
    assert worker.process.returncode == -signal.SIGTERM
    clock.now += 100
    worker.check()
    assert capsys.readouterr().out == ""


def test_on_the_real_clock_a_crash_loop_ends_in_well_under_a_second(capsys):
    beat = dev.Supervised(
        "Celery beat", _python("import sys; sys.exit(1)"), first_delay=0.01, quick_seconds=5, give_up_after=3
    )
    beat.start()
    deadline = dev.time.monotonic() + 10
    while not beat.given_up and dev.time.monotonic() < deadline:
        beat.check()
        dev.time.sleep(0.01)
    lines = [line for line in capsys.readouterr().out.splitlines() if "Celery beat" in line]
    assert beat.given_up
    assert sum("exited with code 1" in line for line in lines) == 3
    assert sum("restarted" in line for line in lines) == 2
    assert "no longer restarting it" in lines[-1]


class _Probe(http.server.BaseHTTPRequestHandler):
    status = 200
    body = b'{"status": "ready", "checks": {"database": "ok", "broker": "ok", "worker": "ok"}}'

    def do_GET(self):
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def probe_server(monkeypatch):
    def _serve(status: int, body: bytes):
        handler = type("Handler", (_Probe,), {"status": status, "body": body})
        server = http.server.HTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        monkeypatch.setattr(dev, "HTTP_PORT", server.server_address[1])

    servers = []
    yield _serve
    for server in servers:
        server.shutdown()
        server.server_close()


def test_readiness_is_true_when_readyz_answers_200(probe_server):
    probe_server(200, _Probe.body)
    assert dev.readiness() == (True, "")


def test_readiness_names_the_failing_checks(probe_server):
    probe_server(503, b'{"status": "not ready", "checks": {"database": "ok", "broker": "ok", "worker": "stale"}}')
    assert dev.readiness() == (False, "worker stale")


def test_readiness_is_false_while_the_web_server_does_not_answer(monkeypatch):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        monkeypatch.setattr(dev, "HTTP_PORT", sock.getsockname()[1])
    assert dev.readiness() == (False, "")


def test_the_run_loop_restarts_a_dying_worker_until_the_web_server_ends(monkeypatch, capsys):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        monkeypatch.setattr(dev, "HTTP_PORT", sock.getsockname()[1])
    web = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1.2)"])
    worker = dev.Supervised("the Celery worker", _python("import sys; sys.exit(3)"), first_delay=0.1)
    worker.start()
    dev.supervise(web, [worker])
    out = capsys.readouterr().out
    assert web.returncode == 0
    assert "the Celery worker" in out and "exited with code 3; restarting it in 0.1 s" in out
    assert "the Celery worker restarted" in out
    worker.stop(timeout=5)


def test_the_runners_redis_keeps_an_append_only_file_synced_every_second(monkeypatch, tmp_path):
    started = []
    answers = iter([None, "+PONG\r\n"])
    monkeypatch.setattr(dev, "_redis_command", lambda command: next(answers))
    monkeypatch.setattr(dev, "redis_server", lambda: "/usr/bin/redis-server")
    monkeypatch.setattr(dev, "sh", lambda cmd, **kwargs: started.append(cmd))
    assert dev.start_redis(tmp_path) is True
    options = dict(zip(started[0][1::2], started[0][2::2], strict=False))
    assert options["--appendonly"] == "yes"
    assert options["--appendfsync"] == "everysec"
    assert options["--dir"] == str(tmp_path / "redis")
