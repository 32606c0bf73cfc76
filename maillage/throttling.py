"""API rate limits: per token (per account for a session), one rate for reads and one for
writes, counted in the shared cache (Redis) so that every worker process counts together.

Over the limit: 429 with Retry-After and the API's error body (maillage.api.exception_handler).
The rates are settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]), read at each request
so that a test may change them; a rate of None turns that limit off."""

import logging

from django.db import connection
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from maillage.actor import client_ip

logger = logging.getLogger(__name__)

READ = "read"
WRITE = "write"


def cache_key(key: str, key_prefix: str, version: int) -> str:
    """The cache's key function: prefixed with the database's name, so that two databases
    (a test run beside another, a staging copy on the same Redis) never share a counter."""
    return f"{connection.settings_dict['NAME']}:{key_prefix}:{version}:{key}"


class TokenRateThrottle(SimpleRateThrottle):
    cache_format = "api-rate:%(scope)s:%(ident)s"

    def __init__(self):
        # The rate depends on the request's method: chosen in allow_request.
        pass

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        auth = request.auth
        if getattr(auth, "public_id", None) is not None:
            ident = f"token:{auth.public_id}"
        elif request.user and request.user.is_authenticated and getattr(request.user, "public_id", None):
            ident = f"account:{request.user.public_id}"
        else:
            ident = f"address:{client_ip(request._request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view) -> bool:
        self.scope = READ if request.method in SAFE_METHODS else WRITE
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except Exception:
            # The limit protects the service; it must not take it down with the cache.
            logger.warning("API rate limit not counted: the cache is unavailable", exc_info=True)
            return True
