from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    """A family that moves: its file handed over to an organisation of another coordination."""

    name = "transfers"
    verbose_name = _("Transfers between coordinations")
