"""The platform admin behind the second factor when the platform requires one
(MAILLAGE_REQUIRE_2FA; maillage.apps.OTPAdminConfig, chosen in settings' INSTALLED_APPS):
it changes e-mail addresses and staff flags, so a password alone must not open it."""

from django_otp.admin import OTPAdminSite


class MaillageOTPAdminSite(OTPAdminSite):
    """django-otp's admin site under the usual name, so that "admin:" URLs still resolve."""

    def __init__(self, name: str = "admin"):
        super().__init__(name)
