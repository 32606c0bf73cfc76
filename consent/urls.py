"""Pages of consents: recording and withdrawing one, the form to sign and the receipt
(included by maillage.urls_tenant)."""

from django.urls import path

from consent import views

urlpatterns = [
    path("persons/<uuid:public_id>/consents/new/", views.consent_create, name="consent_create"),
    path("persons/<uuid:public_id>/consent-form/", views.consent_form_document, name="consent_form_document"),
    path("consents/<uuid:public_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("consents/<uuid:public_id>/receipt/", views.consent_receipt, name="consent_receipt"),
]
