"""Accent-insensitive French and Dutch text search, shared by every coordination.

Created once in the public schema (extensions and configurations are database objects);
each coordination's schema finds them as public.maillage_fr / public.maillage_nl.
"""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
CREATE TEXT SEARCH CONFIGURATION public.maillage_fr ( COPY = pg_catalog.french );
ALTER TEXT SEARCH CONFIGURATION public.maillage_fr
    ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, french_stem;
CREATE TEXT SEARCH CONFIGURATION public.maillage_nl ( COPY = pg_catalog.dutch );
ALTER TEXT SEARCH CONFIGURATION public.maillage_nl
    ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, dutch_stem;
"""

BACKWARD = """
DROP TEXT SEARCH CONFIGURATION public.maillage_nl;
DROP TEXT SEARCH CONFIGURATION public.maillage_fr;
"""


class Migration(migrations.Migration):
    dependencies = [("tenants", "0002_public_coordination")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
