#!/usr/bin/env python3
"""Time provisioning a coordination (schema + migrations + lead organisation + coordinator),
and a parallel `migrate_schemas` over all of them.

The first coordination runs the tenant migrations and records their SQL; the next ones
replay it (tenants/schemas.py). The coordinator gets a password here, so each run includes
one PBKDF2 hash (about 0.2 s); an invited coordinator gets none.

    python3 platform/dev.py services start
    .venv/bin/python bench/provisioning.py [N]

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

BENCH_DB = configure("maillage_bench")


def main(count: int) -> None:
    with throwaway_database(BENCH_DB) as migrated_in:
        print(f"migrate public schema: {migrated_in:.2f} s")
        from maillage.actor import Actor
        from members.provisioning import CommuneInput, provision_coordination

        timings = []
        for i in range(count):
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
                coordinator_password="a-long-bench-password",
            )
            timings.append(time.perf_counter() - started)
        first, replayed = timings[0], timings[1:]
        print(f"provision the first coordination (migrations run, their SQL recorded): {first * 1000:.0f} ms")
        if replayed:
            print(
                f"provision the next ones (recorded script replayed, {len(replayed)} runs): "
                f"median {statistics.median(replayed) * 1000:.0f} ms, max {max(replayed) * 1000:.0f} ms"
            )

        from django.db import connections

        connections.close_all()
        for executor in ("standard", "multiprocessing"):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "manage.py", "migrate_schemas", f"--executor={executor}", "-v", "0"],
                cwd=ROOT,
                env={**os.environ},
                check=True,
            )
            print(
                f"migrate_schemas, nothing to apply, {count} coordinations, {executor}: "
                f"{time.perf_counter() - started:.2f} s"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
