"""Pages of the notifications app (included by maillage.urls_tenant)."""

from django.urls import path

from notifications import views

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.mark_all_notifications_read, name="notifications_read"),
    path("notifications/<uuid:public_id>/open/", views.open_notification, name="notification_open"),
    path("notifications/<uuid:public_id>/read/", views.mark_notification_read, name="notification_read"),
    path("digest/", views.digest_settings, name="digest_settings"),
]
