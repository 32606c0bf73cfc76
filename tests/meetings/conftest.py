"""Meetings and actions made through the factories, as the coordinator."""

import pytest
from django_tenants.utils import schema_context

from directory.models import Organisation
from tests.factories import ActionFactory, MeetingFactory


def org_id(name: str):
    return Organisation.objects.get(name=name).public_id


@pytest.fixture
def make_meeting(tenant_db):
    """make_meeting(days=7, **MeetingInput fields) in Schaerbeek; days < 0 is in the past."""

    def _make(days: int = 7, schema: str = "schaerbeek", **fields):
        coordinator = "coordinator" if schema == "schaerbeek" else "tournai_coordinator"
        return MeetingFactory(actor=coordinator, days=days, **fields)

    return _make


@pytest.fixture
def make_action(tenant_db):
    """make_action(owner="CPAS de Schaerbeek", due_in=10, **ActionInput fields) in Schaerbeek."""

    def _make(owner: str = "CPAS de Schaerbeek", due_in: int | None = 10, **fields):
        with schema_context("schaerbeek"):
            return ActionFactory(owner=org_id(owner), due_in=due_in, **fields)

    return _make
