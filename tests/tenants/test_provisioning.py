"""Provisioning a coordination: all of it, or nothing."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from audit.models import AuditEvent
from directory.models import Organisation
from maillage.actor import Actor
from maillage.errors import Invalid
from members.models import Membership
from members.provisioning import CommuneInput, provision_coordination
from members.roles import Role
from tenants.models import Coordination, CoordinationAccess, User


def _provision(**overrides):
    arguments = {
        "actor": Actor.system(),
        "name": "Forest",
        "slug": "forest",
        "region": "brussels",
        "communes": [CommuneInput("Forest", "21007")],
        "lead_organisation_name": "Convivial",
        "lead_organisation_kind": "bapa",
        "coordinator_email": "coordination@forest.test",
        "coordinator_password": "a-long-password-for-forest",
    }
    arguments.update(overrides)
    return provision_coordination(**arguments)


def test_provisioning_creates_schema_lead_organisation_and_coordinator(tenant_db):
    coordination = _provision()
    assert schema_exists("forest")
    assert coordination.registration_deadline_months == 6
    assert [c.nis_code for c in coordination.communes.all()] == ["21007"]
    with schema_context("forest"):
        lead = Organisation.objects.get()
        membership = Membership.objects.get()
    assert lead.name == "Convivial" and lead.public_id == coordination.lead_organisation_public_id
    assert membership.role == Role.COORDINATOR and membership.user.email == "coordination@forest.test"
    assert CoordinationAccess.objects.filter(coordination=coordination, user=membership.user, is_active=True).exists()
    assert AuditEvent.objects.filter(action="coordination.provisioned").exists()


def test_wallonia_defaults_to_three_months(tenant_db):
    coordination = _provision(slug="mons", name="Mons", region="wallonia", communes=[CommuneInput("Mons", "53053")])
    assert coordination.registration_deadline_months == 3


def test_new_coordinator_without_password_gets_a_setup_email(tenant_db, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        _provision(coordinator_password=None)
    assert mailoutbox[0].to == ["coordination@forest.test"]
    assert "/accounts/reset/" in mailoutbox[0].body


def test_duplicate_slug_is_refused_and_creates_nothing(tenant_db):
    users_before = User.objects.count()
    with pytest.raises(Invalid) as raised:
        _provision(slug="schaerbeek", coordinator_email="another@forest.test")
    assert "slug" in raised.value.fields
    assert User.objects.count() == users_before
    assert Coordination.objects.filter(slug="schaerbeek").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"slug": "Bad Slug!"}, "slug"),
        ({"region": "atlantis"}, "region"),
        ({"communes": []}, "communes"),
        ({"communes": [CommuneInput("Forest", "2100")]}, "communes"),
        ({"lead_organisation_kind": "bank"}, "lead_organisation_kind"),
        ({"coordinator_email": "nobody"}, "coordinator_email"),
        ({"referral_response_working_days": 0}, "referral_response_working_days"),
    ],
)
def test_bad_input_names_the_field_and_creates_no_schema(tenant_db, overrides, field):
    with pytest.raises(Invalid) as raised:
        _provision(**overrides)
    assert field in raised.value.fields
    assert not schema_exists("forest")


def test_failure_after_the_schema_rolls_the_schema_back(tenant_db, monkeypatch):
    import members.provisioning as services

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "create_organisation", broken)
    with pytest.raises(RuntimeError):
        _provision()
    connection.set_schema_to_public()
    assert not schema_exists("forest")
    assert not Coordination.objects.filter(slug="forest").exists()


def test_command_reports_a_duplicate_slug_clearly(tenant_db):
    with pytest.raises(CommandError, match=r"Nothing was created.*slug"):
        call_command(
            "create_coordination",
            "--name",
            "Schaerbeek bis",
            "--slug",
            "schaerbeek",
            "--region",
            "brussels",
            "--commune",
            "Schaerbeek:21015",
            "--lead-organisation",
            "X",
            "--lead-kind",
            "bapa",
            "--coordinator-email",
            "x@y.be",
        )


def test_command_rejects_a_malformed_commune(tenant_db):
    with pytest.raises(CommandError, match="NAME:NIS"):
        call_command(
            "create_coordination",
            "--name",
            "Ixelles",
            "--slug",
            "ixelles",
            "--region",
            "brussels",
            "--commune",
            "Ixelles",
            "--lead-organisation",
            "X",
            "--lead-kind",
            "bapa",
            "--coordinator-email",
            "x@y.be",
        )
