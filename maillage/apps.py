"""The admin app's configuration when the platform requires a second factor. Apart from
maillage.admin_site, which imports the admin forms: an app configuration is loaded before
the models are."""

from django.contrib.admin.apps import AdminConfig


class OTPAdminConfig(AdminConfig):
    default_site = "maillage.admin_site.MaillageOTPAdminSite"
