"""The audit trail: written by services, refused to change by the database, read by coordinators."""

import csv
import io
import uuid

import pytest
from django.db import InternalError, ProgrammingError, connection, transaction
from django.test import override_settings
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from members.services import invite_member

REFUSED = (InternalError, ProgrammingError)


def _one_event(world):
    with schema_context("schaerbeek"):
        invite_member(
            actor=world["coordinator"].actor(),
            email="someone@x.be",
            organisation_public_id=world["bapa_worker"].organisation_public_id,
            role="volunteer",
        )
        return AuditEvent.objects.filter(action="member.invited").latest("id")


def test_service_writes_who_where_what(tenant_db):
    world = tenant_db
    event = _one_event(world)
    assert event.actor == world["coordinator"].user
    assert event.coordination_slug == "schaerbeek"
    assert event.organisation_public_id == world["coordinator"].organisation_public_id
    assert event.object_type == "invitation"
    assert "someone@x.be" not in str(event.detail)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET action = 'tampered'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
    ],
)
@pytest.mark.parametrize("schema", ["schaerbeek", "public"])
def test_database_refuses_to_change_audit_events(tenant_db, statement, schema):
    with schema_context(schema), connection.cursor() as cursor:
        if not statement.startswith("TRUNCATE"):  # (a pending FK check would block TRUNCATE first)
            cursor.execute(
                "INSERT INTO audit_auditevent (occurred_at, coordination_slug, action, object_type, detail)"
                " VALUES (now(), '', 'probe', '', '{}')"
            )
        with pytest.raises(REFUSED, match="append-only"), transaction.atomic():
            cursor.execute(statement)


def test_orm_update_and_delete_are_refused(tenant_db):
    event = _one_event(tenant_db)
    with schema_context("schaerbeek"):
        with pytest.raises(REFUSED), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
        with pytest.raises(REFUSED), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()
        assert AuditEvent.objects.get(pk=event.pk).action == "member.invited"


def test_request_id_and_ip_are_recorded(tenant_db, login, client):
    world = tenant_db
    login(world["coordinator"])
    request_id = uuid.uuid4()
    client.post(
        "/c/schaerbeek/api/v1/invitations/",
        {"email": "traced@x.be", "organisation": str(world["bapa_worker"].organisation_public_id), "role": "worker"},
        content_type="application/json",
        HTTP_X_REQUEST_ID=str(request_id),
        REMOTE_ADDR="192.0.2.7",
    )
    with schema_context("schaerbeek"):
        event = AuditEvent.objects.get(request_id=request_id)
    assert event.action == "member.invited"
    assert event.ip_address == "192.0.2.7"


def _recorded_ip(world, login, client, **headers) -> str | None:
    login(world["coordinator"])
    request_id = uuid.uuid4()
    response = client.post(
        "/c/schaerbeek/api/v1/invitations/",
        {"email": "traced@x.be", "organisation": str(world["bapa_worker"].organisation_public_id), "role": "worker"},
        content_type="application/json",
        HTTP_X_REQUEST_ID=str(request_id),
        **headers,
    )
    assert response.status_code == 201
    with schema_context("schaerbeek"):
        return AuditEvent.objects.get(request_id=request_id).ip_address


def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(tenant_db, login, client):
    ip = _recorded_ip(
        tenant_db,
        login,
        client,
        REMOTE_ADDR="192.0.2.7",
        HTTP_X_REAL_IP="198.51.100.9",
        HTTP_X_FORWARDED_FOR="198.51.100.10",
    )
    assert ip == "192.0.2.7"


@override_settings(MAILLAGE_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_a_trusted_proxy_forwards_the_client_address(tenant_db, login, client):
    assert _recorded_ip(tenant_db, login, client, REMOTE_ADDR="10.1.2.3", HTTP_X_REAL_IP="198.51.100.9") == (
        "198.51.100.9"
    )
    forwarded = "203.0.113.5, 198.51.100.10, 10.4.4.4"  # the client may have written the first one
    assert _recorded_ip(tenant_db, login, client, REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR=forwarded) == (
        "198.51.100.10"
    )


@override_settings(MAILLAGE_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_a_forwarded_value_that_is_no_address_is_ignored(tenant_db, login, client):
    ip = _recorded_ip(
        tenant_db, login, client, REMOTE_ADDR="10.1.2.3", HTTP_X_REAL_IP="<script>", HTTP_X_FORWARDED_FOR="x, y"
    )
    assert ip == "10.1.2.3"


def test_events_stay_in_their_coordination(tenant_db):
    _one_event(tenant_db)
    with schema_context("tournai"):
        assert not AuditEvent.objects.filter(coordination_slug="schaerbeek").exists()


def test_coordinator_reads_and_exports_the_trail(tenant_db, login, client):
    world = tenant_db
    _one_event(world)
    login(world["coordinator"])
    assert b"member.invited" in client.get("/c/schaerbeek/audit/").content
    response = client.get("/c/schaerbeek/audit/export.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["occurred_at", "actor_email", "organisation_id", "action"]
    assert any(row[3] == "member.invited" for row in rows[1:])


@pytest.mark.parametrize("persona", ["bapa_worker", "cpas_referent", "volunteer", "observer"])
def test_other_roles_cannot_read_the_trail(tenant_db, login, client, api_client, persona):
    login(tenant_db[persona])
    assert client.get("/c/schaerbeek/audit/").status_code == 403
    assert client.get("/c/schaerbeek/audit/export.csv").status_code == 403
    assert client.get("/c/schaerbeek/api/v1/audit-events/").status_code == 403


def test_api_lists_events_for_the_coordinator(tenant_db, login, client):
    _one_event(tenant_db)
    login(tenant_db["coordinator"])
    body = client.get("/c/schaerbeek/api/v1/audit-events/").json()
    assert any(e["action"] == "member.invited" for e in body["results"])
