from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharterConfig(AppConfig):
    """Organisations joining the coordination and adopting its data-sharing charter."""

    name = "charter"
    label = "charter"
    verbose_name = _("Membership and charter")
