"""The consent form and receipt pages (included by maillage.urls_tenant)."""

from django.urls import path

from consent import views

urlpatterns = [
    path("persons/<uuid:public_id>/consent-form/", views.consent_form_document, name="consent_form_document"),
    path("consents/<uuid:public_id>/receipt/", views.consent_receipt, name="consent_receipt"),
]
