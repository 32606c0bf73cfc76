"""Pages of the support plan, under the person's file (included by maillage.urls_tenant)."""

from django.urls import path

from plans import views

urlpatterns = [
    path("persons/<uuid:public_id>/plan/", views.plan_detail, name="plan_detail"),
    path("persons/<uuid:public_id>/plan/start/", views.plan_start, name="plan_start"),
    path("persons/<uuid:public_id>/plan/assessments/new/", views.assessment_create, name="plan_assessment_create"),
    path("persons/<uuid:public_id>/plan/commitments/new/", views.commitment_create, name="plan_commitment_create"),
    path(
        "persons/<uuid:public_id>/plan/commitments/<uuid:commitment_id>/status/",
        views.commitment_status,
        name="plan_commitment_status",
    ),
    path("persons/<uuid:public_id>/plan/piis/new/", views.piis_create, name="plan_piis_create"),
    path(
        "persons/<uuid:public_id>/plan/piis/<uuid:piis_id>/review/",
        views.piis_review,
        name="plan_piis_review",
    ),
    path("persons/<uuid:public_id>/plan/reviews/new/", views.review_create, name="plan_review_create"),
    path(
        "persons/<uuid:public_id>/plan/reviews/<uuid:review_id>/decisions/",
        views.decision_add,
        name="plan_decision_add",
    ),
    path("persons/<uuid:public_id>/plan/summary/", views.plan_summary, name="plan_summary"),
]
