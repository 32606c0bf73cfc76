#!/usr/bin/env python3
"""Time provisioning a coordination (schema + migrations + lead organisation + coordinator)
with 1 and with N existing schemas, and a national roll-out of 581 coordinations.

The first coordination runs the tenant migrations and records their SQL; the next ones
replay it (tenants/schemas.py). The coordinator is invited (no password, so no PBKDF2 hash
in the timing; the invitation e-mail task runs inline into a memory outbox).

    python3 platform/dev.py services start
    .venv/bin/python bench/provisioning.py [N] [--migrate]

Provisions max(N + 5, 581) coordinations one after the other (N defaults to 600) and prints
the median time of the five provisioned with 1 to 5 existing schemas, of the five provisioned
with N to N + 4, and the total of the first 581. With --migrate it also times a no-op
`migrate_schemas` over all of them, with the standard, multiprocessing and replay executors.

Works in a throwaway database (maillage_bench) on the local cluster, dropped at the end.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import configure, throwaway_database  # noqa: E402  (bench/ is the script folder)

BENCH_DB = configure(os.environ.get("MAILLAGE_BENCH_DB", "maillage_bench"), inline_tasks=True)
NATIONAL = 581  # Belgium's communes


def main(existing: int, migrate: bool) -> None:
    import logging

    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
    with throwaway_database(BENCH_DB) as migrated_in:
        print(f"migrate public schema: {migrated_in:.2f} s")
        from maillage.actor import Actor
        from members.provisioning import CommuneInput, provision_coordination

        total = max(existing + 5, NATIONAL)
        timings = []
        for i in range(total):
            started = time.perf_counter()
            provision_coordination(
                actor=Actor.system(),
                name=f"Bench {i}",
                slug=f"bench-{i}",
                region="wallonia",
                communes=[CommuneInput(f"Commune {i}", f"{50000 + i:05d}")],
                lead_organisation_name="CRI",
                lead_organisation_kind="cri",
                coordinator_email=f"coordinator{i}@bench.test",
            )
            timings.append(time.perf_counter() - started)
            if (i + 1) % 100 == 0:
                print(f"  {i + 1}/{total} provisioned, last {timings[-1] * 1000:.0f} ms", flush=True)
        few, many = timings[1:6], timings[existing : existing + 5]
        print(f"provision the first coordination (migrations run, their SQL recorded): {timings[0] * 1000:.0f} ms")
        print(
            f"provision with 1 to 5 existing schemas: median {statistics.median(few) * 1000:.0f} ms, "
            f"max {max(few) * 1000:.0f} ms"
        )
        print(
            f"provision with {existing} to {existing + 4} existing schemas: median "
            f"{statistics.median(many) * 1000:.0f} ms, max {max(many) * 1000:.0f} ms"
        )
        print(
            f"provision {NATIONAL} coordinations one after the other: {sum(timings[:NATIONAL]):.0f} s (target < 300 s)"
        )

        if not migrate:
            return
        from django.db import connections

        connections.close_all()
        for executor in ("replay", "multiprocessing", "standard"):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "manage.py", "migrate_schemas", f"--executor={executor}", "-v", "0"],
                cwd=ROOT,
                env={**os.environ},
                check=True,
            )
            print(
                f"migrate_schemas, nothing to apply, {total} coordinations, {executor}: "
                f"{time.perf_counter() - started:.2f} s",
                flush=True,
            )


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 600, "--migrate" in sys.argv[1:])
