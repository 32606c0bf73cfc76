from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    """Persons and households followed by an organisation (referrals and notes come next)."""

    name = "referrals"
    verbose_name = _("Persons and referrals")
