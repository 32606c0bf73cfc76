"""API routes outside any coordination: /api/v1/... (included by maillage.urls_public)."""

from django.urls import path

from api.regions import RegionIndicatorsView

urlpatterns = [
    path("api/v1/regions/<str:region>/indicators/", RegionIndicatorsView.as_view(), name="api_region_indicators"),
]
