"""The row for the public schema: path routing needs it to serve pages outside /c/."""

from django.db import migrations


def create_public(apps, schema_editor):
    Coordination = apps.get_model("tenants", "Coordination")
    Coordination.objects.get_or_create(
        schema_name="public", defaults={"name": "Maillage", "slug": "public", "region": ""}
    )


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_coordinations_and_accounts")]

    operations = [migrations.RunPython(create_public, migrations.RunPython.noop)]
