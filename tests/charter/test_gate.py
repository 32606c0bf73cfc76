"""The charter gate: once a charter is published, an organisation that has not adopted its
current version neither sends nor receives referrals; without a charter nothing changes."""

import pytest
from django_tenants.utils import schema_context

from maillage.errors import Conflict, Invalid
from referrals import services
from referrals.models import Referral, ReferralStatus
from tenants.models import Coordination
from tests.charter.conftest import adopt, publish
from tests.factories import ReferralFactory


def _status(referral) -> str:
    return Referral.objects.get(pk=referral.pk).status


def test_without_a_charter_referrals_flow_as_before(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory()
        services.send_referral(actor=world["bapa_worker"].actor(), referral=referral)
        services.accept_referral(actor=world["cpas_referent"].actor(), referral=referral)
        assert _status(referral) == ReferralStatus.ACCEPTED


def test_an_organisation_that_has_not_adopted_cannot_send(charter, tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        adopt(world, "cpas_referent")
        referral = ReferralFactory()
        with pytest.raises(Invalid) as refused:
            services.send_referral(actor=world["bapa_worker"].actor(), referral=referral)
        assert set(refused.value.fields) == {"from_organisation"}
        message = refused.value.fields["from_organisation"][0]
        assert "VIA — BAPA Schaerbeek" in message and "version 1" in message
        assert refused.value.code == "charter_not_adopted"
        assert _status(referral) == ReferralStatus.DRAFT


def test_an_organisation_that_has_not_adopted_cannot_be_sent_a_referral(charter, tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        adopt(world, "bapa_worker")
        referral = ReferralFactory()
        with pytest.raises(Invalid) as refused:
            services.send_referral(actor=world["bapa_worker"].actor(), referral=referral)
        assert set(refused.value.fields) == {"to_organisation"}
        message = refused.value.fields["to_organisation"][0]
        assert "CPAS de Schaerbeek" in message and "version 1" in message and "recevoir" in message
        assert _status(referral) == ReferralStatus.DRAFT


def test_a_refused_send_leaves_no_timeline_row_or_notice(charter, tenant_db):
    from notifications.models import Notification
    from referrals.models import ReferralEvent

    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory()
        before = Notification.objects.filter(kind="referral_sent").count()
        with pytest.raises(Invalid):
            services.send_referral(actor=world["bapa_worker"].actor(), referral=referral)
        assert not ReferralEvent.objects.filter(referral=referral, to_status=ReferralStatus.SENT).exists()
        assert Notification.objects.filter(kind="referral_sent").count() == before


def test_when_both_adopted_the_current_version_the_referral_is_sent_and_accepted(charter, tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        adopt(world, "bapa_worker", "cpas_referent")
        referral = ReferralFactory()
        services.send_referral(actor=world["bapa_worker"].actor(), referral=referral)
        services.accept_referral(actor=world["cpas_referent"].actor(), referral=referral)
        assert _status(referral) == ReferralStatus.ACCEPTED


def test_a_recipient_that_has_not_adopted_cannot_accept(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="sent")
        publish(world)
        adopt(world, "bapa_worker")
        with pytest.raises(Conflict) as refused:
            services.accept_referral(actor=world["cpas_referent"].actor(), referral=referral)
        assert "CPAS de Schaerbeek" in str(refused.value.message) and "version 1" in str(refused.value.message)
        assert refused.value.code == "charter_not_adopted"
        assert _status(referral) == ReferralStatus.SENT


def test_a_new_version_blocks_again_until_it_is_adopted(charter, tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        adopt(world, "bapa_worker", "cpas_referent")
        first = ReferralFactory()
        services.send_referral(actor=world["bapa_worker"].actor(), referral=first)
        publish(world, title="Charte, version revue")
        second = ReferralFactory()
        with pytest.raises(Invalid) as refused:
            services.send_referral(actor=world["bapa_worker"].actor(), referral=second)
        assert "version 2" in refused.value.fields["from_organisation"][0]
        with pytest.raises(Conflict):
            services.accept_referral(actor=world["cpas_referent"].actor(), referral=first)
        adopt(world, "bapa_worker", "cpas_referent")
        services.send_referral(actor=world["bapa_worker"].actor(), referral=second)
        services.accept_referral(actor=world["cpas_referent"].actor(), referral=first)
        assert _status(second) == ReferralStatus.SENT
        assert _status(first) == ReferralStatus.ACCEPTED


@pytest.mark.parametrize(
    ("state", "side", "call"),
    [
        ("sent", "cpas_referent", lambda a, r: services.decline_referral(actor=a, referral=r, reason="no_capacity")),
        ("sent", "bapa_worker", lambda a, r: services.cancel_referral(actor=a, referral=r)),
        ("accepted", "cpas_referent", lambda a, r: services.complete_referral(actor=a, referral=r, outcome="other")),
        ("accepted", "cpas_referent", lambda a, r: services.start_referral(actor=a, referral=r)),
    ],
)
def test_closing_steps_stay_open_without_adoption(tenant_db, state, side, call):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status=state)
        publish(world)
        moved = call(world[side].actor(), referral)
        assert moved.status != state


def test_triage_to_an_organisation_that_has_not_adopted_is_refused(tenant_db):
    world = tenant_db
    Coordination.objects.filter(slug="schaerbeek").update(referral_routing="triage")
    world.schaerbeek.referral_routing = "triage"
    try:
        with schema_context("schaerbeek"):
            first = publish(world)
            adopt(world, "bapa_worker", "cpas_referent")
            referral = services.send_referral(actor=world["bapa_worker"].actor(), referral=ReferralFactory())
            assert referral.awaiting_triage
            publish(world, title="Version 2")
            adopt(world, "bapa_worker")
            with pytest.raises(Invalid) as refused:
                services.triage_referral(actor=world["coordinator"].actor(), referral=referral)
            assert "version 2" in refused.value.fields["to_organisation"][0]
            assert first.number == 1
    finally:
        world.schaerbeek.referral_routing = "direct"


def test_the_api_refuses_a_send_with_the_field_and_an_accept_with_409(charter, tenant_db, token_client):
    world = tenant_db
    with schema_context("schaerbeek"):
        adopt(world, "bapa_worker")
        draft = ReferralFactory()
        sent = ReferralFactory(row={"status": "sent"})  # the gate refuses to send it now: written straight
    response = token_client(world["bapa_worker"]).post(f"/c/schaerbeek/api/v1/referrals/{draft.public_id}/send/")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "charter_not_adopted"
    assert "CPAS de Schaerbeek" in body["fields"]["to_organisation"][0]
    response = token_client(world["cpas_referent"]).post(f"/c/schaerbeek/api/v1/referrals/{sent.public_id}/accept/")
    assert response.status_code == 409
    assert "version 1" in response.json()["detail"]


def test_the_refer_form_says_which_organisations_cannot_receive(charter, tenant_db, login, client):
    world = tenant_db
    with schema_context("schaerbeek"):
        adopt(world, "bapa_worker", "outsider")
        person = ReferralFactory().person
    login(world["bapa_worker"])
    page = client.get(f"/c/schaerbeek/persons/{person.public_id}/refer/").content.decode()
    assert "CPAS de Schaerbeek (ne peut pas recevoir : version 1 de la charte non adoptée)" in page
    assert "SESO (ne peut pas recevoir" not in page


def test_the_refer_page_shows_the_refusal_on_send(charter, tenant_db, login, client):
    world = tenant_db
    with schema_context("schaerbeek"):
        adopt(world, "bapa_worker")
        referral = ReferralFactory()
    login(world["bapa_worker"])
    response = client.post(f"/c/schaerbeek/referrals/{referral.public_id}/send/", follow=True)
    assert "pas adopté la version 1" in response.content.decode()
    with schema_context("schaerbeek"):
        assert _status(referral) == ReferralStatus.DRAFT
