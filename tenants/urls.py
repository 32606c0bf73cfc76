"""Public pages: home, sign-in, account, password reset (included by maillage.urls_public)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from tenants import views
from tenants.forms import PasswordResetForm

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("accounts/", views.account, name="account"),
    path("accounts/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("accounts/token/", views.api_token, name="api_token"),
    path("accounts/token/<uuid:public_id>/revoke/", views.revoke_api_token, name="api_token_revoke"),
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
]
