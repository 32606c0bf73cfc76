"""The OpenAPI schemas and their documentation page: a coordination's, for its members, and
the account's own routes outside any coordination (/api/v1/me/...), for anyone signed in.

Each schema names its absolute server, so that a generated client needs no base URL but
the schema's. Without credentials the schema answers 401 in the API's JSON error format,
whatever format was asked for."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer

from api.accounts import coordination_links
from maillage.api import AccountAPIView, ActorAPIView
from tenants.authentication import TokenScopePermission


class _ErrorsInJSON:
    """Errors in the API's JSON body rather than in the schema's YAML."""

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


class SchemaView(_ErrorsInJSON, ActorAPIView, SpectacularAPIView):
    # drf-spectacular serves with AllowAny; the scope rule still applies, so that a
    # harvesting token reads the HSDS routes alone. Authenticated first: 401, not 404.
    permission_classes = [IsAuthenticated, TokenScopePermission]

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        summary="This OpenAPI schema",
        description="Names this coordination's API as its only server: a client generated from it needs "
        "no other address.",
    )
    def get(self, request, *args, **kwargs):
        server = coordination_links(request.tenant)["server_url"]
        self.custom_settings = {"SERVERS": [{"url": server, "description": request.tenant.name}]}
        return super().get(request, *args, **kwargs)


class DocsView(_ErrorsInJSON, ActorAPIView, SpectacularSwaggerSplitView):
    permission_classes = [IsAuthenticated, TokenScopePermission]


class AccountSchemaView(_ErrorsInJSON, AccountAPIView, SpectacularAPIView):
    permission_classes = [IsAuthenticated, TokenScopePermission]
    urlconf = "api.urls_public"
    custom_settings = {
        "TITLE": "Maillage API: your account",
        "SERVERS": [{"url": settings.MAILLAGE_SITE_URL.rstrip("/")}],
    }
