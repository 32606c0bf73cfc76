"""Headers every response carries: no caching of what a signed-in member reads inside a
coordination, and the security headers on error pages too."""

from django.http import HttpResponse

from tests.factories import PersonFactory, ReferralFactory

BASE = "/c/schaerbeek"


def _not_stored(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_person_page_is_not_stored(tenant_db, login, client):
    person = PersonFactory()
    login(tenant_db["bapa_worker"])
    response = client.get(f"{BASE}/persons/{person.public_id}/")
    assert response.status_code == 200
    assert _not_stored(response), response.get("Cache-Control")


def test_persons_api_is_not_stored(tenant_db, token_client):
    PersonFactory()
    response = token_client(tenant_db["bapa_worker"]).get(f"{BASE}/api/v1/persons/")
    assert response.status_code == 200
    assert _not_stored(response), response.get("Cache-Control")


def test_referral_page_is_not_stored(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    login(tenant_db["bapa_worker"])
    response = client.get(f"{BASE}/referrals/{referral.public_id}/")
    assert response.status_code == 200
    assert _not_stored(response), response.get("Cache-Control")


def test_a_view_that_sets_its_own_cache_control_keeps_it(tenant_db, rf):
    from maillage.headers import NoStoreMiddleware

    request = rf.get(f"{BASE}/meetings/feed/x/")
    request.tenant = tenant_db.schaerbeek
    request.user = tenant_db["bapa_worker"].user
    own = HttpResponse()
    own["Cache-Control"] = "private, max-age=900"
    assert NoStoreMiddleware(lambda r: own)(request)["Cache-Control"] == "private, max-age=900"


def test_unknown_coordination_404_carries_the_security_headers(tenant_db, client):
    response = client.get("/c/nowhere/")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
