"""Migrating existing coordinations: once for real, then the recorded SQL replayed.

`migrate_schemas` with django-tenants' executors loads the migration graph and renders the
project state in every schema: about 0.5 s per schema with nothing to apply and 2 s for a
migration adding one column, so 5 to 20 minutes for 600 coordinations in one process, and
only twice as fast on two cores with `--executor=multiprocessing`.

`migrate_schemas --executor=replay` (settings: `MAILLAGE_MIGRATION_LOCK_TIMEOUT`) reads what
every schema has applied in one query and groups the schemas that applied the same
migrations. A group with nothing to apply costs nothing more. In a group with something to
apply, the first schema is migrated for real while its SQL is recorded (as for new schemas,
tenants/schemas.py); the others replay that SQL, each in its own short transaction, so a
coordination's tables are locked only while its own statements run. Each replay waits at most
the lock timeout for its locks (a long request holding one does not queue every other request
behind the migration) and is tried again later.

Replaying is only right when the SQL does not depend on the data: a plan with a `RunPython`
operation (whose writes were computed from the first schema's rows) is migrated for real in
every schema of its group, as is any recording that names its schema or moves the search
path. `tests/tenants/test_migrating.py` checks that a replayed migration leaves the schema a
real one leaves.
"""

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.migrations.executor import MigrationExecutor as DjangoExecutor
from django_tenants.migration_executors.base import MigrationExecutor, run_migrations
from psycopg import sql as pgsql

from tenants.schemas import _as_script, _recording

log = logging.getLogger(__name__)

RETRIES = 5


@dataclass
class Outcome:
    up_to_date: int = 0
    migrated: list[str] = field(default_factory=list)
    replayed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    longest_transaction: float = 0.0  # seconds: how long a schema's tables stayed locked at most


def migrate_existing(schema_names: list[str], *, lock_timeout: str | None = None) -> Outcome:
    """Brings every schema in `schema_names` (each with its migration table) to the current
    migrations; see the module's docstring."""
    lock_timeout = lock_timeout or settings.MAILLAGE_MIGRATION_LOCK_TIMEOUT
    outcome = Outcome()
    for schemas in _grouped_by_applied(schema_names):
        first, others = schemas[0], schemas[1:]
        plan, script = _migrate(first, lock_timeout, outcome)
        if not plan:
            outcome.up_to_date += len(schemas)
            continue
        for schema in others:
            if script is None:
                _migrate(schema, lock_timeout, outcome)
            else:
                _replay(schema, script, lock_timeout, outcome)
    return outcome


def replayable(plan) -> bool:
    """Whether the SQL of `plan` is the same in every schema that applied the same migrations."""
    return all(
        operation.reduces_to_sql for migration, backwards in plan for operation in migration.operations
    ) and not any(backwards for _, backwards in plan)


def _grouped_by_applied(schema_names: list[str]) -> list[list[str]]:
    """The schemas, grouped by the set of migrations each has applied, in one query."""
    if not schema_names:
        return []
    union = pgsql.SQL(" UNION ALL ").join(
        pgsql.SQL("SELECT {}::text, app || '.' || name FROM {}.django_migrations").format(
            pgsql.Literal(schema), pgsql.Identifier(schema)
        )
        for schema in schema_names
    )
    applied = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(union.as_string())
        for schema, migration in cursor.fetchall():
            applied[schema].add(migration)
    groups = defaultdict(list)
    for schema in schema_names:
        groups[frozenset(applied[schema])].append(schema)
    return list(groups.values())


def _migrate(schema: str, lock_timeout: str, outcome: Outcome):
    """Migrates `schema` for real; returns the plan and the replayable script (or None)."""
    statements: list[str] = []
    started = time.perf_counter()
    try:
        with transaction.atomic():
            _lock_timeout(lock_timeout)
            connection.set_schema(schema)
            executor = DjangoExecutor(connection)
            targets = executor.loader.graph.leaf_nodes()
            plan = executor.migration_plan(targets)
            if not plan:
                return plan, None
            with _recording(statements):
                executor.migrate(targets, plan=plan)
    finally:
        connection.set_schema_to_public()
    outcome.longest_transaction = max(outcome.longest_transaction, time.perf_counter() - started)
    outcome.migrated.append(schema)
    return plan, _as_script(statements, schema) if replayable(plan) else None


def _replay(schema: str, script: str, lock_timeout: str, outcome: Outcome) -> None:
    for attempt in range(RETRIES):
        started = time.perf_counter()
        try:
            with transaction.atomic():
                _lock_timeout(lock_timeout)
                connection.set_schema(schema)
                with connection.cursor() as cursor:
                    cursor.execute(script)
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != "55P03":  # lock_not_available
                raise
            log.warning("schema %s: a lock was not granted in %s, attempt %d", schema, lock_timeout, attempt + 1)
            time.sleep(2**attempt)
            continue
        finally:
            connection.set_schema_to_public()
        outcome.longest_transaction = max(outcome.longest_transaction, time.perf_counter() - started)
        outcome.replayed.append(schema)
        return
    outcome.failed.append(schema)


def _lock_timeout(value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [value])


class ReplayExecutor(MigrationExecutor):
    """`migrate_schemas --executor=replay`. A targeted run (an app label, a migration name,
    --fake, --plan, --check, --prune) goes schema by schema the usual way."""

    codename = "replay"
    TARGETED = ("app_label", "migration_name", "fake", "fake_initial", "plan", "check_unapplied", "prune")

    def run_migrations(self, tenants=None):
        tenants = list(tenants or [])
        if self.PUBLIC_SCHEMA_NAME in tenants:
            run_migrations(self.args, self.options, self.codename, self.PUBLIC_SCHEMA_NAME)
            tenants.remove(self.PUBLIC_SCHEMA_NAME)
        if not tenants:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_schema FROM information_schema.tables "
                "WHERE table_name = 'django_migrations' AND table_schema = ANY(%s)",
                [tenants],
            )
            with_table = {row[0] for row in cursor.fetchall()}
        targeted = any(self.options.get(option) for option in self.TARGETED)
        for schema in tenants:
            if targeted or schema not in with_table:
                run_migrations(self.args, self.options, self.codename, schema)
        if targeted:
            return
        started = time.perf_counter()
        outcome = migrate_existing([s for s in tenants if s in with_table])
        if int(self.options.get("verbosity", 1)) >= 1:
            self.stdout_write(outcome, time.perf_counter() - started)
        if outcome.failed:
            raise SystemExit(f"locks not granted in {len(outcome.failed)} schemas: {', '.join(outcome.failed)}")

    @staticmethod
    def stdout_write(outcome: Outcome, seconds: float) -> None:
        print(
            f"[replay] {outcome.up_to_date} schemas up to date, {len(outcome.migrated)} migrated, "
            f"{len(outcome.replayed)} replayed in {seconds:.1f} s; longest transaction "
            f"{outcome.longest_transaction:.2f} s",
            flush=True,
        )
