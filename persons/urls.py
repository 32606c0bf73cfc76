"""Pages of the person's file (included by maillage.urls_tenant)."""

from django.urls import path

from persons import views

urlpatterns = [
    path("persons/", views.person_list, name="person_list"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<uuid:public_id>/", views.person_detail, name="person_detail"),
    path("persons/<uuid:public_id>/edit/", views.person_edit, name="person_edit"),
    path("persons/<uuid:public_id>/close/", views.person_close, name="person_close"),
    path("persons/<uuid:public_id>/household/", views.person_household, name="person_household"),
    path("persons/<uuid:public_id>/access-report/", views.access_report, name="access_report"),
]
