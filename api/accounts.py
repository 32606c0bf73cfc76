"""The signed-in account's own API, outside any coordination (/api/v1/me/...): its tokens
and the coordinations it belongs to, so that an integrator starts from a session and
finds every coordination's API base without reading a page."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from idempotency.decorators import idempotent
from maillage.api import AccountAPIView, Pagination, validated
from maillage.errors import Forbidden
from tenants import selectors, services
from tenants.models import PERSONAL_SCOPES, ApiToken, HarvestingToken

# --- Tokens ----------------------------------------------------------------------------


class ApiTokenSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    label = serializers.CharField()
    scope = serializers.ChoiceField(choices=[(s.value, s.label) for s in PERSONAL_SCOPES])
    token_key = serializers.CharField(help_text="The key's first characters, to recognise it; never the key")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    second_factor = serializers.BooleanField(help_text="Issued from a session verified with a second factor")


class IssuedApiTokenSerializer(ApiTokenSerializer):
    key = serializers.CharField(help_text="The token itself, shown this once: only its digest is stored")


class ApiTokenInputSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=80, help_text="What uses it, e.g. the weekly export script")
    scope = serializers.ChoiceField(choices=[(s.value, s.label) for s in PERSONAL_SCOPES])
    days = serializers.IntegerField(
        min_value=1,
        max_value=settings.MAILLAGE_API_TOKEN_MAX_DAYS,
        help_text="How long it works, in days",
    )


def _page(view, rows, serializer_class) -> Response:
    """One page of a list, as every list of the API answers it."""
    paginator = view.pagination_class()
    page = paginator.paginate_queryset(rows, view.request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


class MyTokensView(AccountAPIView):
    pagination_class = Pagination

    @extend_schema(responses=ApiTokenSerializer(many=True), summary="My API tokens (never their keys)")
    def get(self, request, *args, **kwargs):
        return _page(self, selectors.api_tokens_of(request.user), ApiTokenSerializer)

    @extend_schema(
        request=ApiTokenInputSerializer,
        responses={201: IssuedApiTokenSerializer},
        summary="Issue an API token (from a signed-in session only)",
        description=(
            "Only from a signed-in session, verified with the second factor wherever the platform "
            "requires one; a token cannot issue tokens. The key is in this response alone. Not "
            "idempotent: a response holding a key is never kept, so a retry issues a second token "
            "(revoke the one you did not get)."
        ),
    )
    def post(self, request, *args, **kwargs):
        # Deliberately without @idempotent: a kept response would store the key in clear
        # for a day, where only its digest is stored otherwise.
        if not self.signed_in_with_session():
            raise Forbidden(
                _("A token cannot issue tokens: sign in and issue it from your session."), code="session_required"
            )
        verified = request._request.user.is_verified()
        if settings.MAILLAGE_REQUIRE_2FA and not verified:
            raise Forbidden(_("Two-factor authentication is required."), code="two_factor_required")
        values = validated(ApiTokenInputSerializer, request.data)
        issued = services.issue_api_token(
            actor=self.actor,
            label=values["label"],
            scope=values["scope"],
            days=values["days"],
            second_factor=verified,
        )
        data = {**ApiTokenSerializer(issued.token).data, "key": issued.key}
        return Response(data, status=status.HTTP_201_CREATED)


class MyTokenRevokeView(AccountAPIView):
    # Any token may end itself, a read-only one too: its scope does not limit this.
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description="Revoked")},
        summary="Revoke one of my API tokens",
        description="From a session, any of your tokens; with a token, that token itself.",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        if isinstance(request.auth, HarvestingToken):
            raise Forbidden()
        if isinstance(request.auth, ApiToken) and request.auth.public_id != public_id:
            raise Forbidden(
                _("A token can revoke only itself: revoke the others from your session."), code="session_required"
            )
        services.revoke_api_token(actor=self.actor, public_id=public_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Coordinations ---------------------------------------------------------------------


class MyCoordinationSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    region = serializers.CharField()
    url = serializers.URLField(help_text="Its pages")
    api_url = serializers.URLField(help_text="Its API base, e.g. <api_url>referrals/")
    server_url = serializers.URLField(help_text="Its schema's server: the schema's paths (/api/v1/...) go after it")
    schema_url = serializers.URLField(help_text="Its OpenAPI schema")


def coordination_links(coordination) -> dict:
    """A coordination's absolute addresses, as its schema's `servers` names them."""
    root = coordination.absolute_url.rstrip("/")
    return {
        "url": root + "/",
        "api_url": root + "/api/v1/",
        "server_url": root,
        "schema_url": root + "/api/v1/schema/",
    }


class MyCoordinationsView(AccountAPIView):
    pagination_class = Pagination

    @extend_schema(responses=MyCoordinationSerializer(many=True), summary="The coordinations I belong to")
    def get(self, request, *args, **kwargs):
        rows = [
            {"slug": c.slug, "name": c.name, "region": c.region, **coordination_links(c)}
            for c in selectors.coordinations_of(request.user)
        ]
        return _page(self, rows, MyCoordinationSerializer)
