"""Charter versions (drafts editable, published ones never) and adoptions through a named
representative who must be an active member of the organisation."""

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from charter import selectors, services
from charter.models import CharterAdoption
from directory.models import Organisation
from maillage.actor import Actor
from maillage.errors import Conflict, Forbidden, Invalid
from members.models import Membership
from notifications.models import Notification
from tests.charter.conftest import adopt, charter_input, publish


def test_a_draft_is_editable_and_publishing_numbers_it(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        coordinator = world["coordinator"].actor()
        draft = services.create_charter_draft(actor=coordinator, data=charter_input())
        assert draft.number is None and not draft.is_published
        services.update_charter_draft(actor=coordinator, version=draft, data=charter_input(retention="12 mois."))
        published = services.publish_charter(actor=coordinator, version=draft)
        assert published.number == 1 and published.retention == "12 mois."
        assert selectors.current_charter() == published
        assert AuditEvent.objects.filter(action="charter.published", object_public_id=published.public_id).exists()


def test_a_published_version_is_never_edited(charter, tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Conflict) as refused:
        services.update_charter_draft(
            actor=tenant_db["coordinator"].actor(), version=charter, data=charter_input(title="Autre")
        )
    assert refused.value.status == 409
    with schema_context("schaerbeek"):
        charter.refresh_from_db()
        assert charter.title == "Charte de partage"


def test_publishing_twice_is_a_conflict(charter, tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Conflict):
        services.publish_charter(actor=tenant_db["coordinator"].actor(), version=charter)


def test_a_new_version_leaves_the_old_one_as_it_was(charter, tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        second = publish(world, title="Charte 2027")
        charter.refresh_from_db()
        assert (charter.number, charter.title) == (1, "Charte de partage")
        assert (second.number, selectors.current_charter()) == (2, second)


def test_one_draft_at_a_time(tenant_db):
    with schema_context("schaerbeek"):
        coordinator = tenant_db["coordinator"].actor()
        services.create_charter_draft(actor=coordinator, data=charter_input())
        with pytest.raises(Conflict):
            services.create_charter_draft(actor=coordinator, data=charter_input())


def test_required_sections_are_named(tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Invalid) as refused:
        services.create_charter_draft(
            actor=tenant_db["coordinator"].actor(),
            data=charter_input(purposes="", secrecy_rules=" ", retention="", data_protection_contact=""),
        )
    assert set(refused.value.fields) == {"purposes", "secrecy_rules", "retention", "data_protection_contact"}


@pytest.mark.parametrize("persona", ["bapa_worker", "cpas_referent", "volunteer", "observer"])
def test_only_coordinators_write_the_charter(tenant_db, persona):
    with schema_context("schaerbeek"), pytest.raises(Forbidden):
        services.create_charter_draft(actor=tenant_db[persona].actor(), data=charter_input())


def test_publishing_asks_every_member_organisation_to_adopt(tenant_db, django_capture_on_commit_callbacks):
    world = tenant_db
    with django_capture_on_commit_callbacks(execute=True), schema_context("schaerbeek"):
        publish(world)
    with schema_context("schaerbeek"):
        told = set(Notification.objects.filter(kind="charter_to_adopt").values_list("recipient_id", flat=True))
        may_adopt = set(
            Membership.objects.filter(is_active=True, organisation__is_member=True)
            .exclude(role="observer")
            .values_list("user_id", flat=True)
        )
    assert told == may_adopt and world["observer"].user.pk not in told
    assert world["cpas_referent"].user.pk in told
    assert len(mail.outbox) == len(told)
    assert "charte de partage de données" in mail.outbox[0].body  # French, the default


def test_adoption_records_date_version_representative_and_account(charter, tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        adoption = services.adopt_charter(
            actor=world["cpas_referent"].actor(), representative="Jean-Luc Marchal", representative_title="Secrétaire"
        )
        assert adoption.charter == charter and adoption.organisation.name == "CPAS de Schaerbeek"
        assert adoption.representative_name == "Jean-Luc Marchal"
        assert adoption.adopted_by == world["cpas_referent"].user and adoption.adopted_at is not None
        event = AuditEvent.objects.get(action="charter.adopted")
        assert event.detail == {"number": 1, "organisation": str(adoption.organisation.public_id)}


def test_adopting_for_an_organisation_one_is_not_a_member_of_is_400(charter, tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        cpas = Organisation.objects.get(public_id=world["cpas_referent"].organisation_public_id)
        with pytest.raises(Invalid) as refused:
            services.adopt_charter(actor=world["bapa_worker"].actor(), organisation=cpas, representative="Sarah")
        assert "CPAS de Schaerbeek" in refused.value.fields["organisation"][0]
        assert not CharterAdoption.objects.exists()


def test_a_deactivated_member_cannot_adopt(charter, tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        actor = world["cpas_referent"].actor()
        Membership.objects.filter(pk=actor.membership.pk).update(is_active=False, deactivated_at="2026-11-01T10:00Z")
        actor.membership.refresh_from_db()
        with pytest.raises(Invalid) as refused:
            services.adopt_charter(actor=actor, representative="Marc")
        assert "organisation" in refused.value.fields


def test_adoption_needs_a_named_representative(charter, tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Invalid) as refused:
        services.adopt_charter(actor=tenant_db["cpas_referent"].actor(), representative="  ")
    assert set(refused.value.fields) == {"representative"}


def test_an_observer_cannot_adopt_for_its_organisation(charter, tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Forbidden):
        services.adopt_charter(actor=tenant_db["observer"].actor(), representative="Tom")


def test_adopting_twice_is_a_conflict(charter, tenant_db):
    with schema_context("schaerbeek"):
        adopt(tenant_db, "cpas_referent")
        with pytest.raises(Conflict):
            adopt(tenant_db, "cpas_referent")


def test_only_the_current_version_is_adopted(charter, tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        publish(world, title="Version 2")
        with pytest.raises(Invalid) as refused:
            services.adopt_charter(actor=world["cpas_referent"].actor(), representative="Marc", number=1)
        assert "version" in refused.value.fields
        assert services.adopt_charter(actor=world["cpas_referent"].actor(), representative="Marc", number=2)


def test_nothing_to_adopt_before_a_charter_is_published(tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Conflict):
        adopt(tenant_db, "cpas_referent")


def test_the_platform_records_an_adoption_for_an_organisation_without_accounts(charter, tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        organisation = Organisation.objects.get(name="Exil")
        adoption = services.adopt_charter(
            actor=Actor.system(world.schaerbeek), organisation=organisation, representative="Direction"
        )
        assert adoption.adopted_by is None


def test_adoption_status_lists_every_member_organisation_in_two_queries(
    charter, tenant_db, django_assert_max_num_queries
):
    world = tenant_db
    with schema_context("schaerbeek"):
        adopt(world, "cpas_referent", "bapa_worker")
        observer = world["observer"].actor()
        with django_assert_max_num_queries(2):
            rows = selectors.adoption_status(actor=observer, charter=charter)
            adopted = {row.organisation.name for row in rows if row.adoption}
        assert adopted == {"CPAS de Schaerbeek", "VIA — BAPA Schaerbeek"}
        assert {row.organisation.name for row in rows} >= {"Exil", "SESO"}


def test_drafts_are_hidden_from_non_coordinators(charter, tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        services.create_charter_draft(actor=world["coordinator"].actor(), data=charter_input(title="Brouillon"))
        assert [v.number for v in selectors.charter_versions_for(actor=world["bapa_worker"].actor())] == [1]
        assert len(selectors.charter_versions_for(actor=world["coordinator"].actor())) == 2


def test_another_coordination_has_its_own_charter(charter, tenant_db):
    world = tenant_db
    with schema_context("tournai"):
        assert selectors.current_charter() is None
        referral_gate = selectors.unadopted(
            [Organisation.objects.get(public_id=world["foreigner"].organisation_public_id)]
        )
        assert referral_gate == (None, [])
