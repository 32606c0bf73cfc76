"""URLs outside any coordination: home, sign-in, account, platform admin."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api.regions import RegionIndicatorsView
from regions import views as region_views
from tenants import views
from tenants.forms import PasswordResetForm

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("accounts/", views.account, name="account"),
    path("accounts/token/", views.api_token, name="api_token"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("region/<str:region>/", region_views.region_dashboard, name="region_dashboard"),
    path("region/<str:region>/export.csv", region_views.region_export_csv, name="region_export_csv"),
    path("region/<str:region>/export.xlsx", region_views.region_export_xlsx, name="region_export_xlsx"),
    path("region/<str:region>/compute/", region_views.region_compute, name="region_compute"),
    path("region/<str:region>/compute/<str:token>/", region_views.region_compute_status, name="region_compute_status"),
    path(
        "region/<str:region>/compute/<str:token>/progress/",
        region_views.region_compute_progress,
        name="region_compute_progress",
    ),
    path("api/v1/regions/<str:region>/indicators/", RegionIndicatorsView.as_view(), name="api_region_indicators"),
    path(settings.MAILLAGE_ADMIN_PATH, admin.site.urls),
]

handler404 = "maillage.views.not_found"
handler500 = "maillage.views.server_error"
