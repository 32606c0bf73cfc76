"""How the audit trail names what its events hold by id (members.selectors): the actor by
name (its e-mail address when it has none) or "system", the organisation by name, the
person by initials and the start of the id, never more; and the trail's page stays a
handful of queries however many events it shows."""

import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from audit.services import record_event
from maillage.actor import Actor
from members.selectors import audit_actor_choices, describe_audit_events
from persons.models import Person
from persons.services import anonymise_closed_files
from tenants.models import User
from tests.factories import PersonFactory


def _latest(action: str) -> AuditEvent:
    return AuditEvent.objects.select_related("actor").filter(action=action).latest("id")


def test_a_person_is_named_by_initials_and_short_id(tenant_db):
    person = PersonFactory(actor="bapa_worker", given_name="Samira", family_name="Darwish")
    with schema_context("schaerbeek"):
        (event,) = describe_audit_events([_latest("person.created")])
    assert event.person_reference == f"S.D. {str(person.public_id)[:8]}"
    assert event.actor_name == "Sarah Bapa"
    assert event.organisation_name == "VIA — BAPA Schaerbeek"


def test_an_anonymised_person_keeps_the_short_id_only(tenant_db):
    person = PersonFactory(actor="bapa_worker", closed_at=timezone.now() - timedelta(days=3 * 365))
    with schema_context("schaerbeek"):
        anonymise_closed_files(actor=Actor.system(tenant_db.schaerbeek))
        assert Person.objects.get(pk=person.pk).anonymised_at is not None
        (event,) = describe_audit_events([_latest("person.created")])
    assert event.person_reference == str(person.public_id)[:8]


def test_an_account_without_a_name_is_shown_by_its_address_and_the_system_as_system(tenant_db):
    nameless = User.objects.create_user("nameless@schaerbeek.test")
    with schema_context("schaerbeek"):
        coordinator = tenant_db["coordinator"].actor()
        record_event(actor=dataclasses.replace(coordinator, user=nameless), action="join_link.renewed")
        record_event(actor=Actor.system(tenant_db.schaerbeek), action="offer.reminder_sent")
        with translation.override("fr"):
            named, system = describe_audit_events([_latest("join_link.renewed"), _latest("offer.reminder_sent")])
    assert named.actor_name == "nameless@schaerbeek.test"
    assert named.action_label == "Lien d'adhésion renouvelé"
    assert system.actor is None
    assert system.actor_name == "système"


def test_the_filter_offers_this_coordinations_members_only(tenant_db):
    with schema_context("schaerbeek"):
        labels = [label for _, label in audit_actor_choices(actor=tenant_db["coordinator"].actor())]
    assert "Marc Cpas — CPAS de Schaerbeek" in labels
    assert not any("Tournai" in label for label in labels)


@pytest.mark.parametrize("events", [5, 40])
def test_the_trail_page_costs_the_same_few_queries(tenant_db, login, client, django_assert_max_num_queries, events):
    for index in range(events // 5):
        PersonFactory(actor="bapa_worker" if index % 2 else "cpas_referent", reads=4)
    login(tenant_db["coordinator"])
    with django_assert_max_num_queries(22):
        assert client.get("/c/schaerbeek/audit/").status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get("/c/schaerbeek/api/v1/audit-events/").status_code == 200
