"""Existing coordinations migrated once for real, then by replaying the recorded SQL."""

from django.db import connection
from django.db.migrations import Migration, RunPython
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import AddField
from django.test.utils import CaptureQueriesContext

from tenants import migrating, schemas
from tests.tenants.test_schema_script import _catalogue

# Three columns and a constraint, nothing computed from rows: replayable.
LATEST = ("meetings", "0002_meeting_cancellation")
BEFORE = ("meetings", "0001_meetings_actions_and_action_plan")


def _schema_before_latest(name: str) -> None:
    schemas.create_schema(name)
    connection.set_schema(name)
    try:
        MigrationExecutor(connection).migrate([BEFORE])
    finally:
        connection.set_schema_to_public()


def _columns(name: str, table: str) -> set:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
            [name, table],
        )
        return {row[0] for row in cursor.fetchall()}


def test_a_replayed_migration_leaves_the_schema_a_real_one_leaves(tenant_db):
    for name in ("mig_real", "mig_replayed", "mig_also_replayed"):
        _schema_before_latest(name)
    schemas.create_schema("mig_new")
    assert "cancelled_at" not in _columns("mig_real", "meetings_meeting")

    outcome = migrating.migrate_existing(["mig_real", "mig_replayed", "mig_also_replayed", "mig_new"])

    assert outcome.migrated == ["mig_real"]
    assert outcome.replayed == ["mig_replayed", "mig_also_replayed"]
    assert outcome.up_to_date == 1 and not outcome.failed
    real = _catalogue("mig_real")
    for name in ("mig_replayed", "mig_also_replayed"):
        replayed = _catalogue(name)
        for part in real:
            assert replayed[part] == real[part], (name, part)
    # A new schema never unapplied a migration: its migration table's sequence is one behind.
    new = _catalogue("mig_new")
    for catalogue in (new, real):
        catalogue["sequences"] = [row for row in catalogue["sequences"] if row[0] != "django_migrations_id_seq"]
    for part in real:
        assert new[part] == real[part], part


def test_schemas_with_nothing_to_apply_cost_no_more_queries_than_one(tenant_db):
    names = ["mig_done_a", "mig_done_b", "mig_done_c"]
    for name in names:
        schemas.create_schema(name)
    with CaptureQueriesContext(connection) as one:
        migrating.migrate_existing(names[:1])
    with CaptureQueriesContext(connection) as three:
        outcome = migrating.migrate_existing(names)
    assert outcome.up_to_date == 3 and not outcome.migrated and not outcome.replayed
    assert len(three) == len(one)


def test_a_plan_that_computes_from_rows_is_not_replayed():
    computed = Migration("0099_computed", "meetings")
    computed.operations = [AddField("meeting", "x", None), RunPython(RunPython.noop)]
    plain = Migration("0099_plain", "meetings")
    plain.operations = [AddField("meeting", "x", None)]
    assert migrating.replayable([(plain, False)])
    assert not migrating.replayable([(plain, False), (computed, False)])
    assert not migrating.replayable([(plain, True)])  # unapplying: done schema by schema


def test_the_replay_executor_is_offered_to_migrate_schemas():
    from django_tenants.migration_executors import get_executor

    assert get_executor("replay") is migrating.ReplayExecutor
