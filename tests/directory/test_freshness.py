"""Keeping offers current: "to verify" after 180 days, one-click confirmation, and which
offers are due a reminder (the reminder itself is a notice: tests/notifications/
test_offer_reminders.py)."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from directory.models import Offer
from directory.selectors import freshness, offers_needing_a_reminder
from directory.services import mark_offers_reminded
from maillage.actor import Actor


def _age(offer, days):
    with schema_context("schaerbeek"):
        Offer.objects.filter(pk=offer.pk).update(last_verified_at=timezone.now() - timedelta(days=days))
        return Offer.objects.get(pk=offer.pk)


def test_offer_unverified_for_90_days_needs_a_reminder_until_reminded(tenant_db, make_offer):
    stale = _age(make_offer("Ancienne permanence"), 95)
    make_offer("Offre récente")
    with schema_context("schaerbeek"):
        assert list(offers_needing_a_reminder()) == [stale]
        mark_offers_reminded(actor=Actor.system(tenant_db.schaerbeek), offers=[stale])
        assert not offers_needing_a_reminder().exists()
        assert Offer.objects.get(pk=stale.pk).last_reminded_at is not None


def test_offer_becomes_to_verify_after_180_days(tenant_db, make_offer):
    offer = make_offer()
    assert freshness(_age(offer, 100)) == "remind"
    assert freshness(_age(offer, 181)) == "to_verify"


def test_search_results_flag_offers_to_verify(tenant_db, make_offer, login, client):
    _age(make_offer("Vieille offre"), 200)
    login(tenant_db["bapa_worker"])
    page = client.get("/c/schaerbeek/directory/").content.decode()
    assert "Vieille offre" in page and "À vérifier" in page


def test_one_click_confirms_still_accurate(tenant_db, make_offer, login, client):
    offer = _age(make_offer(), 200)
    login(tenant_db["cpas_referent"])
    response = client.post(f"/c/schaerbeek/directory/offers/{offer.public_id}/verify/")
    assert response.status_code == 302
    with schema_context("schaerbeek"):
        refreshed = Offer.objects.get(pk=offer.pk)
    assert freshness(refreshed) == "ok"
    assert refreshed.last_verified_by == tenant_db["cpas_referent"].user
