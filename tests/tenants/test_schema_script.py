"""A new schema made by replaying the recorded script is the schema the migrations make."""

from django.db import connection
from django_tenants.utils import schema_exists

from tenants import schemas
from tenants.models import SchemaScript

# Every structural fact of a schema, its name taken out so two schemas compare.
CATALOGUE = {
    "columns": """
        SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, is_identity,
               replace(coalesce(column_default, ''), %(schema)s || '.', '')
        FROM information_schema.columns WHERE table_schema = %(schema)s""",
    "constraints": """
        SELECT c.relname, k.conname, k.contype, k.condeferrable,
               replace(pg_get_constraintdef(k.oid), %(schema)s || '.', '')
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %(schema)s""",
    "indexes": """
        SELECT tablename, indexname, replace(indexdef, %(schema)s || '.', '')
        FROM pg_indexes WHERE schemaname = %(schema)s""",
    "triggers": """
        SELECT c.relname, t.tgname, replace(pg_get_triggerdef(t.oid), %(schema)s || '.', '')
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %(schema)s AND NOT t.tgisinternal""",
    "functions": """
        SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = %(schema)s""",
    "sequences": """
        SELECT sequencename, data_type, start_value, increment_by, last_value
        FROM pg_sequences WHERE schemaname = %(schema)s""",
}


def _catalogue(schema: str) -> dict:
    found = {}
    with connection.cursor() as cursor:
        for part, query in CATALOGUE.items():
            cursor.execute(query, {"schema": schema})
            found[part] = sorted(cursor.fetchall(), key=repr)
        cursor.execute(f'SELECT code, label_fr, label_nl, label_en, position FROM "{schema}".directory_needdomain')
        found["need domains"] = sorted(cursor.fetchall())
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')
        found["migrations"] = sorted(cursor.fetchall())
    return found


def test_a_replayed_schema_is_the_migrated_schema(tenant_db):
    SchemaScript.objects.all().delete()
    assert schemas.create_schema("script_migrated") is False
    assert SchemaScript.objects.get().fingerprint == schemas.migrations_fingerprint()
    assert schemas.create_schema("script_replayed") is True

    migrated, replayed = _catalogue("script_migrated"), _catalogue("script_replayed")
    assert len(migrated["columns"]) > 100 and len(migrated["need domains"]) == 20
    assert migrated["triggers"], "the audit trail's append-only triggers"
    for part in CATALOGUE.keys() | {"need domains", "migrations"}:
        assert replayed[part] == migrated[part], part


def test_a_replayed_schema_keeps_the_audit_trail_append_only(tenant_db):
    schemas.create_schema("script_audit")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO script_audit.audit_auditevent (occurred_at, coordination_slug, action, object_type, detail)"
            " VALUES (now(), 'x', 'test', 'test', '{}') RETURNING id"
        )
        event_id = cursor.fetchone()[0]
        cursor.execute("SAVEPOINT before_update")
        try:
            cursor.execute("UPDATE script_audit.audit_auditevent SET action = 'changed' WHERE id = %s", [event_id])
        except Exception as refused:
            assert "append-only" in str(refused)
        else:
            raise AssertionError("the update went through")
        cursor.execute("ROLLBACK TO SAVEPOINT before_update")


def test_changed_migrations_are_migrated_for_real_and_recorded_again(tenant_db, monkeypatch):
    schemas.create_schema("script_first")
    monkeypatch.setattr(schemas, "migrations_fingerprint", lambda: "f" * 64)
    assert schemas.create_schema("script_after_change") is False
    assert list(SchemaScript.objects.values_list("fingerprint", flat=True)) == ["f" * 64]
    assert schemas.create_schema("script_next") is True
    assert schema_exists("script_next")


def test_the_fingerprint_follows_the_migration_files(tenant_db, monkeypatch):
    before = schemas.migrations_fingerprint()
    assert before == schemas.migrations_fingerprint()
    monkeypatch.setattr(schemas.django, "__version__", "0.0-other")
    assert schemas.migrations_fingerprint() != before


def test_sql_that_names_the_schema_is_not_recorded():
    plain = ['CREATE TABLE "a" ("id" integer)', 'INSERT INTO "a" VALUES (1)']
    assert schemas._as_script(plain, "forest") == 'CREATE TABLE "a" ("id" integer);\nINSERT INTO "a" VALUES (1);\n'
    # django-tenants pointing the path at the schema, and its introspection reads, are left out
    housekeeping = ['SET search_path = "forest","public"', "SHOW search_path", "SELECT 1 WHERE 'forest' = 'forest'"]
    assert schemas._as_script(housekeeping + plain, "forest") == schemas._as_script(plain, "forest")
    # anything else that names the schema or moves the path makes the recording unusable
    assert schemas._as_script([*plain, 'CREATE VIEW v AS SELECT * FROM "forest"."a"'], "forest") is None
    assert schemas._as_script([*plain, "SET search_path = public"], "forest") is None
    assert schemas._as_script([*plain, "SELECT setval('forest.a_id_seq', 3)"], "forest") is None
    # a schema whose name is part of a longer word is not mistaken for it
    assert schemas._as_script(['CREATE TABLE "audit_event" ("id" integer)'], "audit") is not None


def test_reads_are_not_recorded():
    introspection = "SELECT c.relname FROM pg_catalog.pg_class c WHERE pg_catalog.pg_table_is_visible(c.oid)"
    lookup = 'SELECT "t"."id" FROM "t" WHERE "t"."code" = \'x\' LIMIT 21'
    plain = ['CREATE TABLE "t" ("id" integer)', 'INSERT INTO "t" VALUES (1)']
    assert schemas._as_script([introspection, plain[0], lookup, plain[1]], "forest") == schemas._as_script(
        plain, "forest"
    )
    # reads that write are kept
    assert "setval" in schemas._as_script(["SELECT setval('t_id_seq', 3)"], "forest")
    assert "INTO" in schemas._as_script(['SELECT * INTO "copy" FROM "t"'], "forest")


def test_the_recorded_script_scans_no_catalogue(tenant_db):
    """Replaying it costs the same however many schemas the database holds."""
    SchemaScript.objects.all().delete()
    schemas.create_schema("script_no_reads")
    script = SchemaScript.objects.get().script
    assert "pg_class" not in script and "pg_catalog" not in script
    assert "CREATE TABLE" in script


def test_the_script_is_prepared_ahead_of_the_first_provisioning(tenant_db):
    SchemaScript.objects.all().delete()
    assert schemas.prepare_script() is True
    assert SchemaScript.objects.get().fingerprint == schemas.migrations_fingerprint()
    assert not schema_exists(schemas.RECORDING_SCHEMA)
    assert schemas.prepare_script() is False  # already there: nothing done
    assert schemas.create_schema("script_after_deploy") is True
