"""Creating a coordination's schema: migrate once, replay the recorded script after.

Running every tenant migration through Django's executor re-renders the migration state
after each operation and costs about 1.5 s per schema, almost all of it in Python. The SQL
those migrations send is the same for every new schema, because it never names the schema
(django-tenants puts it first on the search path). So the first schema created with a given
set of migrations is migrated for real while its SQL is recorded, with the values bound in;
the script is kept in the public schema under a fingerprint of the migration files, the
Django and django-tenants versions and the app lists; the next schemas replay it in one round
trip. Any change to a migration file or a version gives a new fingerprint, hence a real
migration and a new script.

The script keeps only what writes: the reads the migrations sent are left out. Most of them
are Django's introspection (the table list that `MigrationRecorder` asks for three times,
constraint and index lists), which scan the whole of `pg_class`: 9 ms with one schema, 0.2 to
0.3 s with 250, so replaying them made each new coordination slower than the last and a
national roll-out quadratic. A read changes nothing in a new schema, and whatever a migration
wrote after reading was recorded with its values bound in, so the replay needs none of them.
The other cost that grew with the number of schemas was the foreign keys from a coordination's
tables to `public.tenants_user`: each is two triggers on that one table (about 60 per schema,
35,000 for Belgium), every one added invalidates the table's cached description, which the next
statement rebuilds with all of them (60–80 ms at 380 schemas), and every connection's first
read of an account loads them all (and 3.5 MB of memory). So those columns carry no database
constraint (`db_constraint=False`): the ids come from signed-in accounts, and accounts are
deactivated, never deleted (the admin offers no delete). Replaying the script then costs about
1 s with 13 schemas and with 581 alike; with the constraints, 2 s and 6 s.

`tests/tenants/test_schema_script.py` checks that a replayed schema has exactly the columns,
constraints, indexes, triggers, functions and seed rows of a migrated one.

Existing schemas are migrated the usual way (`migrate_schemas`); this is about new ones.
`manage.py prepare_schema_script`, run after `migrate_schemas`, records the script ahead
of time, so that even the first coordination provisioned after a deployment is quick.
"""

import hashlib
import logging
import re
import sys
from contextlib import contextmanager
from importlib.metadata import version

import django
from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.utils import schema_context
from psycopg import ClientCursor
from psycopg import sql as pgsql

from tenants.models import SchemaScript

log = logging.getLogger(__name__)

SEARCH_PATH = re.compile(r"search_path", re.IGNORECASE)
READ_ONLY = re.compile(r"\s*(SELECT|WITH)\b", re.IGNORECASE)
# A SELECT that does one of these writes something (SELECT … INTO makes a table).
SIDE_EFFECTS = re.compile(
    r"\b(setval|nextval|set_config|pg_advisory\w*|pg_notify|INSERT|UPDATE|DELETE|INTO)\b", re.IGNORECASE
)
# Part of the fingerprint: a change to what the script keeps records it again.
SCRIPT_FORMAT = "writes-only"


def create_schema(schema_name: str) -> bool:
    """Creates and fills `schema_name` inside the current transaction.

    Returns True when a recorded script was replayed, False when the migrations ran.
    """
    fingerprint = migrations_fingerprint()
    script = SchemaScript.objects.filter(fingerprint=fingerprint).values_list("script", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute(pgsql.SQL("CREATE SCHEMA {}").format(pgsql.Identifier(schema_name)).as_string())
    with schema_context(schema_name):
        if script is not None:
            with connection.cursor() as cursor:
                cursor.execute(script)
            return True
        statements = _migrate_recording(schema_name)
    script = _as_script(statements, schema_name)
    if script is None:
        log.warning("the migrations of %s sent SQL that cannot be replayed elsewhere; not recorded", schema_name)
        return False
    SchemaScript.objects.exclude(fingerprint=fingerprint).delete()
    SchemaScript.objects.bulk_create(
        [SchemaScript(fingerprint=fingerprint, script=script, statement_count=len(statements))],
        ignore_conflicts=True,
    )
    return False


# Never a coordination's schema: those come from slugs, which start with a letter.
RECORDING_SCHEMA = "_schema_script_recording"


@transaction.atomic
def prepare_script() -> bool:
    """Records the script for the current migrations ahead of the first provisioning (run
    after `migrate_schemas` on deployment), in a schema dropped at once. Returns False when
    a script for these migrations already exists."""
    if SchemaScript.objects.filter(fingerprint=migrations_fingerprint()).exists():
        return False
    create_schema(RECORDING_SCHEMA)
    with connection.cursor() as cursor:
        cursor.execute(pgsql.SQL("DROP SCHEMA {} CASCADE").format(pgsql.Identifier(RECORDING_SCHEMA)).as_string())
    return SchemaScript.objects.filter(fingerprint=migrations_fingerprint()).exists()


def migrations_fingerprint() -> str:
    """A hash of everything that decides the SQL a new schema's migrations send."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256()
    parts = (SCRIPT_FORMAT, django.__version__, version("django-tenants"), *settings.SHARED_APPS, "|")
    for part in (*parts, *settings.TENANT_APPS):
        digest.update(part.encode() + b"\0")
    for key in sorted(loader.disk_migrations):
        module = sys.modules[loader.disk_migrations[key].__module__]
        digest.update("/".join(key).encode() + b"\0")
        with open(module.__file__, "rb") as source:
            digest.update(source.read())
    return digest.hexdigest()


def _migrate_recording(schema_name: str) -> list[str]:
    """Runs every migration in the new schema; returns the SQL sent, values bound in.

    As django-tenants' `migrate_schemas` does, the migration table is made with `public`
    off the search path, else the public one would be found. The post-migrate signal is not
    sent: its receivers fill content types and permissions, which live in `public` and are
    filled when the public schema is migrated.
    """
    statements: list[str] = []
    with _recording(statements):
        connection.set_schema(schema_name, include_public=False)
        MigrationRecorder(connection).ensure_schema()
        connection.set_schema(schema_name)
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        executor.migrate(targets, plan=executor.migration_plan(targets))
    return statements


@contextmanager
def _recording(statements: list[str]):
    def record(execute, sql, params, many, context):
        if many:
            for one in params:
                statements.append(_bind(sql, one))
        else:
            statements.append(_bind(sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield


def _bind(sql: str, params) -> str:
    if params is None:
        return sql
    return ClientCursor(connection.connection).mogrify(sql, params)


def _as_script(statements: list[str], schema_name: str) -> str | None:
    """One script of the recorded statements, or None if one of them could not run elsewhere.

    Left out: django-tenants pointing the search path at this schema (with or without
    `public` after it; the replay runs with both, and a CREATE lands in the first), and every
    read (introspection, the ORM's lookups in data migrations), which changes nothing. Any
    other statement naming the schema or touching the search path makes the recording
    unusable.
    """
    names_schema = re.compile(rf"\b{re.escape(schema_name)}\b", re.IGNORECASE)
    own_path = re.compile(
        rf'\s*(SHOW search_path|SET search_path = "?{re.escape(schema_name)}"?(\s*,\s*"?public"?)?)\s*;?\s*',
        re.IGNORECASE,
    )
    kept = []
    for statement in statements:
        if own_path.fullmatch(statement):
            continue  # django-tenants setting the path to this schema: the replay runs there
        if READ_ONLY.match(statement) and not SIDE_EFFECTS.search(statement):
            continue  # a read: its cost grows with the number of schemas, its result is in the writes
        if SEARCH_PATH.search(statement) or names_schema.search(statement):
            return None
        kept.append(statement.rstrip().rstrip(";"))
    return ";\n".join(kept) + ";\n"
