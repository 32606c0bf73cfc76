"""API routes outside any coordination: /api/v1/... (included by maillage.urls_public)."""

from django.urls import path

from api.accounts import MyCoordinationsView, MyTokenRevokeView, MyTokensView
from api.docs import AccountSchemaView
from api.regions import RegionIndicatorsView

urlpatterns = [
    path("api/v1/me/tokens/", MyTokensView.as_view(), name="api_my_tokens"),
    path("api/v1/me/tokens/<uuid:public_id>/revoke/", MyTokenRevokeView.as_view(), name="api_my_token_revoke"),
    path("api/v1/me/coordinations/", MyCoordinationsView.as_view(), name="api_my_coordinations"),
    path("api/v1/schema/", AccountSchemaView.as_view(), name="api_account_schema"),
    path("api/v1/regions/<str:region>/indicators/", RegionIndicatorsView.as_view(), name="api_region_indicators"),
]
