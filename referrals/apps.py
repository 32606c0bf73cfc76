from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    """Referrals between organisations, their deadlines, and shared case notes."""

    name = "referrals"
    verbose_name = _("Referrals")
