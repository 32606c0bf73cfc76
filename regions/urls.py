"""A coordination's figures against its region (included by maillage.urls_tenant)."""

from django.urls import path

from regions import views

urlpatterns = [
    path("indicators/", views.coordination_indicators, name="coordination_indicators"),
]
