"""Pages of the notifications app (included by maillage.urls_tenant)."""

from django.urls import path

from notifications import views

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("digest/", views.digest_settings, name="digest_settings"),
]
