"""Pages of the network map (included by maillage.urls_tenant)."""

from django.urls import path

from network import views

urlpatterns = [
    path("network/", views.network_map_page, name="network_map"),
]
