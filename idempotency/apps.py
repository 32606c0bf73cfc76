from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdempotencyConfig(AppConfig):
    """The responses kept for API requests sent with an Idempotency-Key, so a retry is
    answered, not carried out again."""

    name = "idempotency"
    verbose_name = _("Idempotent requests")
