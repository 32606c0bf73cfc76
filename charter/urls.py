"""Pages of membership requests and the charter (included by maillage.urls_tenant)."""

from django.urls import path

from charter import views

urlpatterns = [
    path("join/", views.join, name="charter_join"),
    path("join/<str:token>/", views.join_with_link, name="charter_join_link"),
    path("membership-requests/", views.membership_requests, name="membership_requests"),
    path("membership-requests/join-link/renew/", views.renew_join_link, name="join_link_renew"),
    path("membership-requests/<uuid:public_id>/", views.membership_request_detail, name="membership_request_detail"),
    path(
        "membership-requests/<uuid:public_id>/approve/",
        views.membership_request_approve,
        name="membership_request_approve",
    ),
    path(
        "membership-requests/<uuid:public_id>/refuse/",
        views.membership_request_refuse,
        name="membership_request_refuse",
    ),
    path("charter/", views.charter, name="charter"),
    path("charter/adopt/", views.charter_adopt, name="charter_adopt"),
    path("charter/versions/new/", views.charter_version_new, name="charter_version_new"),
    path("charter/versions/<uuid:public_id>/", views.charter_version, name="charter_version"),
    path("charter/versions/<uuid:public_id>/edit/", views.charter_version_edit, name="charter_version_edit"),
    path("charter/versions/<uuid:public_id>/publish/", views.charter_version_publish, name="charter_version_publish"),
    path("charter/versions/<uuid:public_id>/print/", views.charter_version_print, name="charter_version_print"),
]
