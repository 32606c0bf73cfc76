"""The row for the public schema: path routing needs it to serve pages outside /c/."""

from django.conf import settings
from django.db import migrations


def create_public(apps, schema_editor):
    Coordination = apps.get_model("tenants", "Coordination")
    Domain = apps.get_model("tenants", "Domain")
    public, _ = Coordination.objects.get_or_create(
        schema_name="public", defaults={"name": "Maillage", "slug": "public", "region": ""}
    )
    # Host routing finds the main site by its host name.
    Domain.objects.get_or_create(
        domain=settings.MAILLAGE_BASE_DOMAIN, defaults={"tenant": public, "is_primary": True}
    )


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_coordinations_and_accounts")]

    operations = [migrations.RunPython(create_public, migrations.RunPython.noop)]
