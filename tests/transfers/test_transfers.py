"""Transfers between coordinations: the handover, its idempotence, its refusals and its
isolation (nothing of Tournai readable from Schaerbeek beyond what was handed over)."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from consent.models import Consent, DataCategory
from consent.policies import covering_transfer, what_the_transfer_lacks
from consent.selectors import consents_of
from consent.services import withdraw_consent
from maillage.errors import Conflict, Forbidden, Invalid, NotFound
from notifications.models import Notification
from persons.models import Person
from persons.selectors import get_person_for, persons_visible_to, programme_deadline
from persons.services import open_arrived_file
from referrals.models import Referral
from tests.factories import ConsentFactory, PersonFactory
from transfers import selectors, services
from transfers.models import Transfer, TransferState


def _accept(world, transfer, persona="bapa_worker"):
    with schema_context("schaerbeek"):
        return services.accept_transfer(actor=world[persona].actor(), transfer=transfer)


def _arrived_files(transfer) -> int:
    with schema_context("schaerbeek"):
        return Person.objects.filter(arrived_by_transfer=transfer.public_id).count()


def test_a_pending_transfer_holds_ids_and_codes_only(family):
    transfer = family["transfer"]
    assert transfer.state == TransferState.PENDING
    assert transfer.origin_person == family["person"].public_id
    assert transfer.categories == ["identity", "situation"]
    values = " ".join(str(v) for v in Transfer.objects.filter(pk=transfer.pk).values().first().values())
    assert "Amina" not in values and "Haddad" not in values


def test_starting_tells_the_receiving_organisation_and_both_trails(family, tenant_db):
    transfer = family["transfer"]
    with schema_context("schaerbeek"):
        notice = Notification.objects.get(kind="transfer_received", recipient=tenant_db["bapa_worker"].user)
        assert notice.params == {"transfer": str(transfer.public_id)}
        assert AuditEvent.objects.filter(action="transfer.offered", object_public_id=transfer.public_id).exists()
        assert not Notification.objects.filter(kind="transfer_received", recipient=tenant_db["cpas_referent"].user)
    with schema_context("tournai"):
        assert AuditEvent.objects.filter(action="transfer.started", person_public_id=family["person"].public_id)


def test_acceptance_opens_one_file_with_what_the_consent_covers(family, tenant_db):
    origin = family["person"]
    arrived = _accept(tenant_db, family["transfer"])
    assert (arrived.given_name, arrived.family_name, arrived.birth_date) == (
        origin.given_name,
        origin.family_name,
        origin.birth_date,
    )
    assert arrived.status == origin.status and arrived.literacy == origin.literacy
    assert arrived.organisation.public_id == tenant_db["bapa_worker"].organisation_public_id
    assert arrived.arrived_from == "CPAS de Tournai (Tournai)"
    transfer = Transfer.objects.get(pk=family["transfer"].pk)
    assert transfer.state == TransferState.ACCEPTED and transfer.arrived_person == arrived.public_id
    assert transfer.parts == ["identity", "situation", "programme_deadline"]


def test_the_programme_deadline_does_not_restart(family, tenant_db):
    origin = family["person"]
    due_in_tournai = origin.commune_registration_date + relativedelta(months=3)
    arrived = _accept(tenant_db, family["transfer"])
    # Schaerbeek reckons 6 months; the deadline stays the one reckoned in Tournai.
    assert programme_deadline(arrived, 6).due == due_in_tournai


def test_the_origin_file_stays_marked_moved_and_closed(family, tenant_db):
    _accept(tenant_db, family["transfer"])
    with schema_context("tournai"):
        origin = Person.objects.get(pk=family["person"].pk)
        assert origin.moved_at is not None and origin.closed_at is not None
        assert origin.anonymised_at is None  # retention takes it as any closed file
        assert AuditEvent.objects.filter(action="person.moved", person_public_id=origin.public_id).exists()
        assert AuditEvent.objects.filter(action="transfer.handed_over").exists()
    assert Transfer.objects.get(pk=family["transfer"].pk).origin_done_at is not None


def test_acceptance_is_audited_in_the_receiving_coordination(family, tenant_db):
    arrived = _accept(tenant_db, family["transfer"])
    with schema_context("schaerbeek"):
        assert AuditEvent.objects.filter(action="transfer.accepted", person_public_id=arrived.public_id).exists()
        assert AuditEvent.objects.filter(action="person.arrived", person_public_id=arrived.public_id).exists()


def test_a_doubled_acceptance_is_a_clear_error_and_one_file(family, tenant_db):
    _accept(tenant_db, family["transfer"])
    with pytest.raises(Conflict) as refused:
        _accept(tenant_db, family["transfer"])
    assert refused.value.code == "transfer_accepted"
    assert _arrived_files(family["transfer"]) == 1


def test_the_origin_side_runs_once(family, tenant_db):
    _accept(tenant_db, family["transfer"])
    assert services.complete_origin_side(transfer=family["transfer"]) is False
    with schema_context("tournai"):
        assert AuditEvent.objects.filter(action="transfer.handed_over").count() == 1


def test_a_cut_short_origin_side_is_finished_by_the_job(family, tenant_db, monkeypatch):
    monkeypatch.setattr(services, "complete_origin_side", lambda *, transfer: False)
    _accept(tenant_db, family["transfer"])
    monkeypatch.undo()
    assert services.finish_origin_sides() == 1
    with schema_context("tournai"):
        assert Person.objects.get(pk=family["person"].pk).moved_at is not None


def test_consent_withdrawn_before_acceptance_is_refused_and_nothing_created(family, tenant_db):
    with schema_context("tournai"):
        withdraw_consent(actor=tenant_db["foreigner"].actor(), consent=family["consent"], reason="Elle reste")
    assert Transfer.objects.get(pk=family["transfer"].pk).state == TransferState.CANCELLED
    with pytest.raises(Conflict):
        _accept(tenant_db, family["transfer"])
    assert _arrived_files(family["transfer"]) == 0
    with schema_context("tournai"):
        assert Person.objects.get(pk=family["person"].pk).moved_at is None


def test_consent_expired_before_acceptance_is_refused_at_acceptance(family, tenant_db):
    with schema_context("tournai"):
        moment = timezone.now()
        Consent.objects.filter(pk=family["consent"].pk).update(
            given_at=moment - timedelta(days=400), expires_at=moment - timedelta(days=1)
        )
    with pytest.raises(Conflict) as refused:
        _accept(tenant_db, family["transfer"])
    assert refused.value.code == "consent_not_in_force"
    assert _arrived_files(family["transfer"]) == 0
    assert Transfer.objects.get(pk=family["transfer"].pk).state == TransferState.PENDING


def test_an_inactive_receiving_coordination_refuses_acceptance(family, tenant_db):
    tenant_db.schaerbeek.__class__.objects.filter(pk=tenant_db.schaerbeek.pk).update(is_active=False)
    with pytest.raises(Conflict):
        _accept(tenant_db, family["transfer"])
    assert _arrived_files(family["transfer"]) == 0


def test_a_transfer_to_an_inactive_coordination_is_refused(tenant_db):
    person = PersonFactory(actor="foreigner")
    tenant_db.schaerbeek.__class__.objects.filter(pk=tenant_db.schaerbeek.pk).update(is_active=False)
    with schema_context("tournai"), pytest.raises(Invalid) as refused:
        services.start_transfer(
            actor=tenant_db["foreigner"].actor(),
            person=person,
            coordination_slug="schaerbeek",
            organisation_public_id=tenant_db["bapa_worker"].organisation_public_id,
        )
    assert "coordination" in refused.value.fields


def test_a_transfer_to_the_same_coordination_is_refused(tenant_db):
    person = PersonFactory(actor="foreigner")
    with schema_context("tournai"), pytest.raises(Invalid) as refused:
        services.start_transfer(
            actor=tenant_db["foreigner"].actor(),
            person=person,
            coordination_slug="tournai",
            organisation_public_id=tenant_db["tournai_coordinator"].organisation_public_id,
        )
    assert "coordination" in refused.value.fields


def test_a_transfer_without_a_consent_naming_the_organisation_is_refused(tenant_db):
    person = PersonFactory(actor="foreigner")
    with schema_context("tournai"), pytest.raises(Invalid) as refused:
        services.start_transfer(
            actor=tenant_db["foreigner"].actor(),
            person=person,
            coordination_slug="schaerbeek",
            organisation_public_id=tenant_db["bapa_worker"].organisation_public_id,
        )
    assert "consent" in refused.value.fields


def test_a_consent_naming_another_organisation_does_not_open_this_one(family, tenant_db):
    with schema_context("tournai"), pytest.raises(Invalid) as refused:
        services.start_transfer(
            actor=tenant_db["foreigner"].actor(),
            person=PersonFactory(actor="foreigner"),
            coordination_slug="schaerbeek",
            organisation_public_id=tenant_db["cpas_referent"].organisation_public_id,
            consent_public_id=family["consent"].public_id,
        )
    assert "consent" in refused.value.fields


def test_a_second_pending_transfer_of_the_same_file_is_refused(family, tenant_db):
    with schema_context("tournai"), pytest.raises(Conflict):
        services.start_transfer(
            actor=tenant_db["foreigner"].actor(),
            person=family["person"],
            coordination_slug="schaerbeek",
            organisation_public_id=tenant_db["bapa_worker"].organisation_public_id,
        )


def test_only_the_organisation_following_the_person_starts_a_transfer(family, tenant_db):
    with schema_context("tournai"), pytest.raises(Forbidden):
        services.start_transfer(
            actor=tenant_db["tournai_coordinator"].actor(),
            person=family["person"],
            coordination_slug="schaerbeek",
            organisation_public_id=tenant_db["bapa_worker"].organisation_public_id,
        )


def test_another_organisation_neither_sees_nor_accepts(family, tenant_db):
    with schema_context("schaerbeek"):
        other = tenant_db["cpas_referent"].actor()
        with pytest.raises(NotFound):
            selectors.get_transfer_for(actor=other, public_id=family["transfer"].public_id)
        assert not selectors.incoming_transfers(actor=other).exists()
        with pytest.raises(Forbidden):
            services.accept_transfer(actor=other, transfer=family["transfer"])
    assert _arrived_files(family["transfer"]) == 0


def test_the_origin_cannot_accept_its_own_transfer(family, tenant_db):
    with schema_context("tournai"), pytest.raises(Forbidden):
        services.accept_transfer(actor=tenant_db["foreigner"].actor(), transfer=family["transfer"])


def test_declining_hands_nothing_over_and_tells_the_origin(family, tenant_db):
    with schema_context("schaerbeek"):
        services.decline_transfer(actor=tenant_db["bapa_worker"].actor(), transfer=family["transfer"])
    assert Transfer.objects.get(pk=family["transfer"].pk).state == TransferState.DECLINED
    assert _arrived_files(family["transfer"]) == 0
    with schema_context("tournai"):
        assert Person.objects.get(pk=family["person"].pk).moved_at is None
        assert Notification.objects.filter(kind="transfer_decided", recipient=tenant_db["foreigner"].user).exists()
    with pytest.raises(Conflict):
        _accept(tenant_db, family["transfer"])


def test_nothing_of_the_origin_is_readable_beyond_what_was_handed_over(family, tenant_db):
    arrived = _accept(tenant_db, family["transfer"])
    with schema_context("schaerbeek"):
        bapa = tenant_db["bapa_worker"].actor()
        assert list(persons_visible_to(actor=bapa).filter(arrived_by_transfer__isnull=False)) == [arrived]
        with pytest.raises(NotFound):
            get_person_for(actor=bapa, public_id=family["person"].public_id)
        assert not consents_of(actor=bapa, person=arrived).exists()
        assert not Referral.objects.filter(person=arrived).exists()
        # The CPAS of Schaerbeek was not named: the new file is VIA's alone.
        with pytest.raises(NotFound):
            get_person_for(actor=tenant_db["cpas_referent"].actor(), public_id=arrived.public_id)


def test_a_consent_sharing_identity_only_hands_the_situation_not_over(tenant_db):
    via = tenant_db["bapa_worker"].organisation_public_id
    person = PersonFactory(
        actor="foreigner",
        complete=True,
        commune_registration_date=timezone.localdate() - timedelta(days=10),
        programme_registration_date=None,
    )
    ConsentFactory(
        actor="foreigner",
        person=person,
        recipients=[],
        recipients_elsewhere=[f"schaerbeek/{via}"],
        categories=["identity"],
    )
    with schema_context("tournai"):
        transfer = services.start_transfer(
            actor=tenant_db["foreigner"].actor(),
            person=person,
            coordination_slug="schaerbeek",
            organisation_public_id=via,
        )
    arrived = _accept(tenant_db, transfer)
    assert (arrived.status, arrived.literacy, arrived.commune_registration_date) == ("", "", None)
    # The deadline still crosses: the receiving organisation must meet it.
    assert arrived.programme_due_carried == person.commune_registration_date + relativedelta(months=3)


@pytest.mark.parametrize(
    ("change", "covers"),
    [
        ({}, True),
        ({"categories": ["situation"]}, False),
        ({"state": "withdrawn"}, False),
        ({"state": "expired"}, False),
        ({"elsewhere": "cpas_referent"}, False),
    ],
)
def test_the_transfer_rule_agrees_in_sql_and_in_memory(tenant_db, change, covers):
    named = tenant_db[change.get("elsewhere", "bapa_worker")].organisation_public_id
    via = tenant_db["bapa_worker"].organisation_public_id
    consent = ConsentFactory(
        actor="foreigner",
        recipients=[],
        recipients_elsewhere=[f"schaerbeek/{named}"],
        categories=change.get("categories", ["identity", "situation"]),
        state=change.get("state", "given"),
        person=PersonFactory(actor="foreigner"),
    )
    with schema_context("tournai"):
        consent = Consent.objects.prefetch_related("recipients_elsewhere").get(pk=consent.pk)
        in_sql = covering_transfer(coordination_id=tenant_db.schaerbeek.pk, organisation_public_id=via).filter(
            pk=consent.pk
        )
        lacks = what_the_transfer_lacks(consent, coordination_id=tenant_db.schaerbeek.pk, organisation_public_id=via)
        assert in_sql.exists() is covers
        assert (not lacks) is covers


def test_a_consent_naming_an_organisation_elsewhere_opens_nothing_here(family, tenant_db):
    with schema_context("tournai"):
        coordinator = tenant_db["tournai_coordinator"].actor()
        with pytest.raises(NotFound):
            get_person_for(actor=coordinator, public_id=family["person"].public_id)
    assert DataCategory.IDENTITY in family["consent"].categories


@pytest.mark.parametrize(
    "value",
    ["tournai/{via}", "nowhere/{via}", "schaerbeek/00000000-0000-4000-8000-000000000000", "schaerbeek"],
)
def test_a_consent_naming_no_organisation_of_another_coordination_is_refused(tenant_db, value):
    via = tenant_db["bapa_worker"].organisation_public_id
    with pytest.raises(Invalid) as refused:
        ConsentFactory(
            actor="foreigner",
            person=PersonFactory(actor="foreigner"),
            recipients=[],
            recipients_elsewhere=[value.format(via=via)],
        )
    assert "recipients_elsewhere" in refused.value.fields


def test_a_second_file_for_the_same_transfer_is_refused_below_the_transfer_lock(family, tenant_db):
    arrived = _accept(tenant_db, family["transfer"])
    with schema_context("schaerbeek"), pytest.raises(Conflict):
        open_arrived_file(
            actor=tenant_db["bapa_worker"].actor(),
            transfer_public_id=family["transfer"].public_id,
            arrived_from="CPAS de Tournai (Tournai)",
            identity={"given_name": arrived.given_name, "family_name": arrived.family_name},
        )
    assert _arrived_files(family["transfer"]) == 1


def test_the_arrived_file_has_a_unique_transfer_id_in_the_database(tenant_db):
    field = Person._meta.get_field("arrived_by_transfer")
    assert field.unique and field.null


def test_a_partial_withdrawal_that_keeps_the_organisation_elsewhere_keeps_the_transfer(tenant_db):
    via = tenant_db["bapa_worker"].organisation_public_id
    local = tenant_db["tournai_coordinator"].organisation_public_id
    person = PersonFactory(actor="foreigner", given_name="Lina", family_name="Saleh")
    consent = ConsentFactory(
        actor="foreigner", person=person, recipients=[local], recipients_elsewhere=[f"schaerbeek/{via}"]
    )
    with schema_context("tournai"):
        actor = tenant_db["foreigner"].actor()
        transfer = services.start_transfer(
            actor=actor, person=person, coordination_slug="schaerbeek", organisation_public_id=via
        )
        remainder = withdraw_consent(actor=actor, consent=consent, reason="Plus besoin", recipients=[local])
    transfer.refresh_from_db()
    assert transfer.state == TransferState.PENDING and transfer.consent == remainder.public_id
    assert _accept(tenant_db, transfer).given_name == "Lina"
