from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Coordinations and accounts")

    def ready(self):
        # django-tenants finds its executors among MigrationExecutor's subclasses.
        from tenants import migrating  # noqa: F401
