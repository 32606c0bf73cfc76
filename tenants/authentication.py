"""API token authentication: django-rest-knox's header and hashing, our checks.

A request's token is found by its stored first characters with its user in one query, then
compared by digest. It is refused with 401 once revoked (its row deleted) or expired; where
the role requires a second factor, a token issued without one is refused by
maillage.api.ActorAPIView, which knows the role.
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
from tenants.models import ApiToken, TokenScope

# What each scope lets a token do, given the DRF request and view. A harvesting scope would
# read: safe methods, and only views that serve the HSDS routes.
SCOPE_RULES = {
    TokenScope.READ: lambda request, view: request.method in SAFE_METHODS,
    TokenScope.READ_WRITE: lambda request, view: True,
}


class ApiTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        try:
            key = token.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
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
        if not isinstance(request.auth, ApiToken):
            return True
        return SCOPE_RULES[TokenScope(request.auth.scope)](request, view)
