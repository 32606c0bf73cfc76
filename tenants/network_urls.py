"""Pages of the network map and of the weekly digest setting (included by
maillage.urls_tenant)."""

from django.urls import path

from tenants import digest_views, network_views

urlpatterns = [
    path("network/", network_views.network_map_page, name="network_map"),
    path("digest/", digest_views.digest_settings, name="digest_settings"),
]
