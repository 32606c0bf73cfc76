"""The OpenAPI schema and its documentation page, for members of the coordination."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from maillage.api import ActorAPIView


class SchemaView(ActorAPIView, SpectacularAPIView):
    pass


class DocsView(ActorAPIView, SpectacularSwaggerSplitView):
    pass
