"""Helpers of the charter tests: a published charter in Schaerbeek, adoptions by persona."""

import pytest
from django_tenants.utils import schema_context

from charter import services
from charter.services import CharterInput


def charter_input(**overrides) -> CharterInput:
    values = {
        "title": "Charte de partage",
        "purposes": "Orienter les personnes avec leur accord.",
        "secrecy_rules": "Secret professionnel partagé : consentement, besoin d'en connaître.",
        "retention": "24 mois après la clôture du dossier.",
        "data_protection_contact": "dpo@example.test",
    }
    values.update(overrides)
    return CharterInput(**values)


def publish(world, **overrides):
    """Writes and publishes the next version (inside the Schaerbeek schema)."""
    coordinator = world["coordinator"].actor()
    draft = services.create_charter_draft(actor=coordinator, data=charter_input(**overrides))
    return services.publish_charter(actor=coordinator, version=draft)


def adopt(world, *personas):
    """Each persona adopts the current version for their organisation (inside the schema)."""
    return [
        services.adopt_charter(actor=world[name].actor(), representative=f"Représentant {name}") for name in personas
    ]


@pytest.fixture
def charter(tenant_db):
    """Version 1 published in Schaerbeek, adopted by nobody yet."""
    with schema_context("schaerbeek"):
        return publish(tenant_db)
