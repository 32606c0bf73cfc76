"""API route of the network map (included by api.urls)."""

from django.urls import path

from api import network

urlpatterns = [
    path("network/", network.NetworkMapView.as_view(), name="api_network"),
]
