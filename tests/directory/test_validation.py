"""Bad input to the directory: a 400 naming the field, and nothing stored."""

import pytest
from django_tenants.utils import schema_context

from directory.models import Offer, Organisation


def _offer(world, **overrides):
    payload = {
        "organisation": str(world["cpas_referent"].organisation_public_id),
        "title": "Permanence",
        "primary_domain": "social_rights",
    }
    payload.update(overrides)
    return payload


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"opening_hours": [{"weekday": 1, "opens_at": "14:00", "closes_at": "09:00"}]}, "opening_hours"),
        ({"valid_from": "2026-09-01", "valid_until": "2026-01-31"}, "valid_until"),
        ({"primary_domain": "astrology"}, "primary_domain"),
        ({"secondary_domains": ["housing", "astrology"]}, "secondary_domains"),
        ({"languages": ["xx-nope"]}, "languages"),
        ({"age_min": 30, "age_max": 18}, "age_max"),
        ({"places": [{"street": "Rue X 1", "postcode": "10300", "city": "Schaerbeek"}]}, "places"),
        ({"capacity_status": "sometimes"}, "capacity_status"),
        ({"title": ""}, "title"),
        ({"is_online": True, "online_url": ""}, "online_url"),
    ],
)
def test_bad_offer_is_400_naming_the_field_and_stores_nothing(tenant_db, token_client, overrides, field):
    with schema_context("schaerbeek"):
        before = Offer.objects.count()
    response = token_client(tenant_db["cpas_referent"]).post(
        "/c/schaerbeek/api/v1/offers/", _offer(tenant_db, **overrides), format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    with schema_context("schaerbeek"):
        assert Offer.objects.count() == before


@pytest.mark.parametrize("number", ["0403.019.262", "123", "BE 0403 019 26"])
def test_invalid_enterprise_number_is_refused(tenant_db, token_client, number):
    response = token_client(tenant_db["coordinator"]).post(
        "/c/schaerbeek/api/v1/organisations/",
        {"name": "Test asbl", "kind": "association", "enterprise_number": number},
        format="json",
    )
    assert response.status_code == 400
    assert "enterprise_number" in response.json()["fields"]
    with schema_context("schaerbeek"):
        assert not Organisation.objects.filter(name="Test asbl").exists()


def test_valid_enterprise_number_is_normalised(tenant_db, token_client):
    response = token_client(tenant_db["coordinator"]).post(
        "/c/schaerbeek/api/v1/organisations/",
        {"name": "Test asbl", "kind": "association", "enterprise_number": "BE 0403.019.261"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["enterprise_number"] == "0403019261"


def test_web_form_shows_schedule_error(tenant_db, login, client):
    world = tenant_db
    login(world["cpas_referent"])
    response = client.post(
        f"/c/schaerbeek/directory/organisations/{world['cpas_referent'].organisation_public_id}/offers/new/",
        {
            "title": "Permanence",
            "primary_domain": "social_rights",
            "capacity_status": "open",
            "cost": "free",
            "access": "drop_in",
            "day1_1_open": "14:00",
            "day1_1_close": "09:00",
        },
    )
    assert response.status_code == 400
    assert "14:00" in response.content.decode()
