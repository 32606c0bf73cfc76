"""The OpenAPI schema and its documentation page, for members of the coordination."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from maillage.api import ActorAPIView
from tenants.authentication import TokenScopePermission


class SchemaView(ActorAPIView, SpectacularAPIView):
    # drf-spectacular serves with AllowAny; the scope rule still applies, so that a
    # harvesting token reads the HSDS routes alone.
    permission_classes = [TokenScopePermission]


class DocsView(ActorAPIView, SpectacularSwaggerSplitView):
    permission_classes = [TokenScopePermission]
