"""Notification moved from members to notifications on the same table: the move changed
Django's state only, so existing coordinations keep their notices."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context

from notifications.models import Notification
from notifications.services import notify


def _statements(app: str, migration: str) -> list[str]:
    """The SQL `sqlmigrate` prints in a coordination's schema, without comments and the
    transaction around it."""
    out = StringIO()
    with schema_context("schaerbeek"):
        call_command("sqlmigrate", app, migration, stdout=out)
    lines = (line.strip() for line in out.getvalue().splitlines())
    return [line for line in lines if line and not line.startswith("--") and line not in {"BEGIN;", "COMMIT;"}]


def test_notification_keeps_its_table_and_index():
    assert Notification._meta.db_table == "members_notification"
    assert [index.name for index in Notification._meta.indexes] == ["notification_unread"]


def test_sqlmigrate_shows_ddl_in_a_coordination_schema(tenant_db):
    """The check below would see a statement: the migration that created the table prints one."""
    assert any(s.startswith("CREATE TABLE") for s in _statements("members", "0002_notifications"))


@pytest.mark.parametrize(
    ("app", "migration"),
    [("notifications", "0001_notification_from_members"), ("members", "0008_notification_moves_to_notifications")],
)
def test_moving_notification_sends_no_statement(tenant_db, app, migration):
    assert _statements(app, migration) == []


def test_notices_are_written_to_the_existing_table(tenant_db):
    with schema_context("schaerbeek"):
        user = tenant_db["coordinator"].user
        notify([user], kind=Notification.Kind.CHARTER_TO_ADOPT, params={}, url="charter/", email=False)
        with connection.cursor() as cursor:
            cursor.execute("SELECT kind FROM members_notification WHERE recipient_id = %s", [user.pk])
            assert cursor.fetchall() == [("charter_to_adopt",)]
