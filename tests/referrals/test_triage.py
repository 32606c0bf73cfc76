"""Triage: with the setting on, referrals to the CPAS wait for a coordinator."""

import pytest
from django_tenants.utils import schema_context

from maillage.errors import Conflict, Forbidden
from referrals import services
from referrals.selectors import inbox
from tenants.models import Coordination
from tests.factories import ReferralFactory


@pytest.fixture
def triaging(tenant_db):
    Coordination.objects.filter(slug="schaerbeek").update(referral_routing="triage")
    tenant_db.schaerbeek.referral_routing = "triage"
    yield tenant_db
    tenant_db.schaerbeek.referral_routing = "direct"


def test_a_referral_to_the_cpas_waits_for_triage(triaging):
    world = triaging
    referral = ReferralFactory(status="sent")
    assert referral.awaiting_triage and referral.response_due is None
    with schema_context("schaerbeek"):
        assert not inbox(actor=world["cpas_referent"].actor()).filter(pk=referral.pk).exists()


def test_the_coordinator_passes_it_on_and_the_deadline_starts(triaging, token_client):
    world = triaging
    referral = ReferralFactory(status="sent")
    api = token_client(world["coordinator"])
    queue = api.get("/c/schaerbeek/api/v1/referrals/triage/").json()["results"]
    assert [row["id"] for row in queue] == [str(referral.public_id)]
    assert "person" not in queue[0]
    assert (
        api.post(f"/c/schaerbeek/api/v1/referrals/{referral.public_id}/triage/", {}, format="json").status_code == 200
    )
    with schema_context("schaerbeek"):
        referral.refresh_from_db()
        assert not referral.awaiting_triage and referral.response_due is not None
        assert inbox(actor=world["cpas_referent"].actor()).filter(pk=referral.pk).exists()


def test_triage_to_an_organisation_the_consent_does_not_cover_is_400(triaging, token_client):
    world = triaging
    referral = ReferralFactory(status="sent")
    response = token_client(world["coordinator"]).post(
        f"/c/schaerbeek/api/v1/referrals/{referral.public_id}/triage/",
        {"to_organisation": str(world["outsider"].organisation_public_id)},
        format="json",
    )
    assert response.status_code == 400
    assert "to_organisation" in response.json()["fields"]


def test_only_coordinators_triage(triaging):
    world = triaging
    referral = ReferralFactory(status="sent")
    with schema_context("schaerbeek"), pytest.raises(Forbidden):
        services.triage_referral(actor=world["bapa_worker"].actor(), referral=referral)


def test_triaging_twice_is_a_conflict(triaging):
    world = triaging
    referral = ReferralFactory(status="sent")
    with schema_context("schaerbeek"):
        services.triage_referral(actor=world["coordinator"].actor(), referral=referral)
        with pytest.raises(Conflict):
            services.triage_referral(actor=world["coordinator"].actor(), referral=referral)


def test_direct_routing_skips_triage(tenant_db):
    referral = ReferralFactory(status="sent")
    assert not referral.awaiting_triage and referral.response_due is not None


def test_triage_page_for_coordinators(triaging, login, client):
    world = triaging
    referral = ReferralFactory(status="sent")
    login(world["coordinator"])
    page = client.get("/c/schaerbeek/referrals/triage/").content.decode()
    assert str(referral.public_id) in page and "Darwish" not in page
    response = client.post("/c/schaerbeek/referrals/triage/", {"referral": str(referral.public_id)})
    assert response.status_code == 302
    login(world["bapa_worker"])
    assert client.get("/c/schaerbeek/referrals/triage/").status_code == 403
