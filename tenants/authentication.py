"""API token authentication: django-rest-knox's header and hashing, our checks.

A request's token is found by its stored first characters with its user in one query, then
compared by digest. It is refused with 401 once revoked (its row deleted) or expired; where
the role requires a second factor, a token issued without one is refused by
maillage.api.ActorAPIView, which knows the role.

A harvesting key (HARVESTING_KEY_PREFIX) is a coordination's, not an account's: it
authenticates a Harvester, which no membership, role or organisation comes with; it is
refused with 403 while its coordination does not allow harvesting, and its scope rule lets
it read the HSDS routes of that coordination alone.
"""

from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from tenants import selectors, services
from tenants.models import HARVESTING_KEY_PREFIX, ApiToken, HarvestingToken, TokenScope


def _harvests_here(request, view) -> bool:
    # `harvestable` is set by the base view of the HSDS read routes (api.directory.HsdsAPIView).
    tenant = getattr(request, "tenant", None)
    return (
        request.method in SAFE_METHODS
        and getattr(view, "harvestable", False) is True
        and tenant is not None
        and request.auth.coordination_id == tenant.pk
    )


# What each scope lets a token do, given the DRF request and view.
SCOPE_RULES = {
    TokenScope.READ: lambda request, view: request.method in SAFE_METHODS,
    TokenScope.READ_WRITE: lambda request, view: True,
    TokenScope.HSDS: _harvests_here,
}


class Harvester:
    """Who a harvesting token authenticates: a coordination's harvesting client, not an
    account. Authenticated, so that DRF's IsAuthenticated lets the scope rule decide; no
    primary key, no membership, no second factor."""

    pk = id = None
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = is_superuser = False

    def __init__(self, token: HarvestingToken):
        self.token = token

    def is_verified(self) -> bool:
        return False

    def __str__(self) -> str:
        return f"harvester {self.token.token_key}"


class ApiTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        try:
            key = token.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if key.startswith(HARVESTING_KEY_PREFIX):
            return self._harvester(key)
        digest = hash_token(key)
        candidates = selectors.api_tokens_starting_with(key[: CONSTANTS.TOKEN_KEY_LENGTH])
        api_token = next((t for t in candidates if compare_digest(digest, t.digest)), None)
        if api_token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."), code="invalid_token")
        now = timezone.now()
        if api_token.expiry <= now:
            raise exceptions.AuthenticationFailed(_("This token has expired."), code="token_expired")
        if not api_token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."), code="invalid_token")
        services.note_api_token_use(api_token, now=now)
        return api_token.user, api_token

    def _harvester(self, key: str):
        digest = hash_token(key)
        candidates = selectors.harvesting_tokens_starting_with(key[: CONSTANTS.TOKEN_KEY_LENGTH])
        token = next((t for t in candidates if compare_digest(digest, t.digest)), None)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."), code="invalid_token")
        now = timezone.now()
        if token.expiry <= now:
            raise exceptions.AuthenticationFailed(_("This token has expired."), code="token_expired")
        if not token.coordination.harvesting_allowed or not token.coordination.is_active:
            raise exceptions.PermissionDenied(
                _("This coordination does not allow harvesting at present."), code="harvesting_off"
            )
        services.note_api_token_use(token, now=now)
        return Harvester(token), token


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema names token authentication (as it did with DRF's tokens)."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")


class TokenScopePermission(BasePermission):
    """A token acts only within its scope; a session is not limited by one."""

    message = _("This token's scope does not allow this request.")
    code = "token_scope"

    def has_permission(self, request, view) -> bool:
        if not isinstance(request.auth, ApiToken | HarvestingToken):
            return True
        return SCOPE_RULES[TokenScope(request.auth.scope)](request, view)
