"""The regional administrators' dashboard (included by maillage.urls_public)."""

from django.urls import path

from regions import views

urlpatterns = [
    path("region/<str:region>/", views.region_dashboard, name="region_dashboard"),
    path("region/<str:region>/part/<slug:part>/", views.region_dashboard_part, name="region_dashboard_part"),
    path("region/<str:region>/territory/<slug:slug>/", views.region_territory, name="region_territory"),
    path("region/<str:region>/export.csv", views.region_export_csv, name="region_export_csv"),
    path("region/<str:region>/export.xlsx", views.region_export_xlsx, name="region_export_xlsx"),
    path("region/<str:region>/compute/", views.region_compute, name="region_compute"),
    path("region/<str:region>/compute/<str:token>/", views.region_compute_status, name="region_compute_status"),
    path(
        "region/<str:region>/compute/<str:token>/progress/",
        views.region_compute_progress,
        name="region_compute_progress",
    ),
]
