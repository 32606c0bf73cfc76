from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only audit trail, in the public schema and in every coordination's schema."""

    name = "audit"
    label = "audit"
    verbose_name = _("Audit trail")
