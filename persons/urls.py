"""Pages of the person's file (included by maillage.urls_tenant). The consent pages that
hang off a file are routed here too: persons resolves the person and hands it to consent,
which sits below persons and does not read files itself."""

from django.urls import path

from consent import views as consent_views
from persons import views
from persons.views import with_person

urlpatterns = [
    path("persons/", views.person_list, name="person_list"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<uuid:public_id>/", views.person_detail, name="person_detail"),
    path("persons/<uuid:public_id>/edit/", views.person_edit, name="person_edit"),
    path("persons/<uuid:public_id>/close/", views.person_close, name="person_close"),
    path("persons/<uuid:public_id>/take/", views.person_take, name="person_take"),
    path("persons/<uuid:public_id>/hand-over/", views.person_hand_over, name="person_hand_over"),
    path("persons/<uuid:public_id>/reopen/", views.person_reopen, name="person_reopen"),
    path("persons/<uuid:public_id>/household/", views.person_household, name="person_household"),
    path("persons/<uuid:public_id>/access-report/", views.access_report, name="access_report"),
    path(
        "persons/<uuid:public_id>/consents/new/",
        with_person(consent_views.consent_create),
        name="consent_create",
    ),
    path(
        "persons/<uuid:public_id>/consent-form/",
        with_person(consent_views.consent_form_document),
        name="consent_form_document",
    ),
]
