"""Trigram similarity (pg_trgm) for the tolerant search of persons' names.

Created once in the public schema, as unaccent (0003): each coordination's schema finds its
functions, operators and operator classes through the search path ("<schema>", public), so
the persons migration that indexes names with gin_trgm_ops replays in any new schema.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tenants", "0011_harvesting_tokens")]

    operations = [
        migrations.RunSQL(
            "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;",
            migrations.RunSQL.noop,
        )
    ]
