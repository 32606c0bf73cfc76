"""Meetings and actions made through the services, as Schaerbeek's coordinator."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from directory.models import Organisation
from meetings.services import ActionInput, MeetingInput, create_action, create_meeting


def org_id(name: str):
    return Organisation.objects.get(name=name).public_id


@pytest.fixture
def make_meeting(tenant_db):
    """make_meeting(days=7, **MeetingInput fields) in Schaerbeek; days < 0 is in the past."""

    def _make(days: int = 7, schema: str = "schaerbeek", **fields):
        persona = tenant_db["coordinator"] if schema == "schaerbeek" else tenant_db["tournai_coordinator"]
        with schema_context(schema):
            fields.setdefault("title", "Réunion de coordination")
            fields.setdefault("starts_at", timezone.now().replace(microsecond=0) + timedelta(days=days))
            fields.setdefault("place", "Maison communale, salle 2")
            if days < 0:
                fields.setdefault("minutes", "Tour de table des organisations.")
            return create_meeting(actor=persona.actor(), data=MeetingInput(**fields))

    return _make


@pytest.fixture
def make_action(tenant_db):
    """make_action(owner="CPAS de Schaerbeek", due_in=10, **ActionInput fields) in Schaerbeek."""

    def _make(owner: str = "CPAS de Schaerbeek", due_in: int | None = 10, **fields):
        with schema_context("schaerbeek"):
            fields.setdefault("what", "Mettre à jour la liste des agences immobilières sociales")
            due_on = timezone.localdate() + timedelta(days=due_in) if due_in is not None else None
            return create_action(
                actor=tenant_db["coordinator"].actor(),
                data=ActionInput(owner=org_id(owner), due_on=due_on, **fields),
            )

    return _make
