"""Rate limits per token: a rate for reads and one for writes, over them 429 with
Retry-After and the API's error body; counted in the shared cache."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from maillage.throttling import TokenRateThrottle
from tests.factories import api_token_for

ME = "/c/schaerbeek/api/v1/me/"


@pytest.fixture
def rates(settings):
    def _set(read="3/min", write="2/min"):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"read": read, "write": write}}

    return _set


def _client(user, **kwargs) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user, **kwargs)}")
    return api


def test_reads_over_the_rate_get_429_with_retry_after(tenant_db, rates):
    rates(read="3/min")
    api = _client(tenant_db["bapa_worker"].user)
    statuses = [api.get(ME).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get(ME)
    assert response.json()["error"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


def test_each_token_has_its_own_count(tenant_db, rates):
    rates(read="1/min")
    first, second = _client(tenant_db["bapa_worker"].user), _client(tenant_db["bapa_worker"].user)
    assert [first.get(ME).status_code, first.get(ME).status_code] == [200, 429]
    assert second.get(ME).status_code == 200


def test_writes_have_their_own_lower_rate(tenant_db, rates):
    rates(read="100/min", write="1/min")
    api = _client(tenant_db["bapa_worker"].user)
    body = {"given_name": "Amina", "family_name": "Test"}
    first = api.post("/c/schaerbeek/api/v1/persons/", body, format="json")
    second = api.post("/c/schaerbeek/api/v1/persons/", body, format="json")
    assert first.status_code != 429 and second.status_code == 429
    assert api.get(ME).status_code == 200


def test_the_count_is_kept_in_the_shared_cache(settings):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert TokenRateThrottle.cache is cache


def test_an_unreachable_cache_lets_requests_through(tenant_db, rates, monkeypatch):
    rates(read="1/min")

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(TokenRateThrottle.cache, "get", broken)
    api = _client(tenant_db["bapa_worker"].user)
    assert [api.get(ME).status_code, api.get(ME).status_code] == [200, 200]
