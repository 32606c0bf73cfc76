"""Pages of consents: withdrawing one and its receipt (included by maillage.urls_tenant).
Recording a consent and the form to sign hang off a person's file: persons.urls routes
them and hands the views the resolved person."""

from django.urls import path

from consent import views

urlpatterns = [
    path("consents/<uuid:public_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("consents/<uuid:public_id>/receipt/", views.consent_receipt, name="consent_receipt"),
]
