"""The database itself refuses to change or remove an audit event, in every schema.

Plain SQL rather than django-pgtrigger: pgtrigger puts a shared helper function in the
public schema that each schema's migration would re-create, and migrations of many
coordinations run in parallel.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();
"""

BACKWARD = """
DROP TRIGGER audit_event_no_truncate ON audit_auditevent;
DROP TRIGGER audit_event_append_only ON audit_auditevent;
DROP FUNCTION audit_event_is_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_events")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
