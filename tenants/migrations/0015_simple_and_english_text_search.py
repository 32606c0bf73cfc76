"""Two more text-search configurations for the directory's search, beside maillage_fr and
maillage_nl (0003): words as written, accents ignored (prefix matching as one types needs
the unstemmed word), and English (the need domains' English labels and English queries).
Created once in the public schema, found by every coordination's schema as public.*.
"""

from django.db import migrations

FORWARD = """
CREATE TEXT SEARCH CONFIGURATION public.maillage_simple ( COPY = pg_catalog.simple );
ALTER TEXT SEARCH CONFIGURATION public.maillage_simple
    ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, simple;
CREATE TEXT SEARCH CONFIGURATION public.maillage_en ( COPY = pg_catalog.english );
ALTER TEXT SEARCH CONFIGURATION public.maillage_en
    ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, english_stem;
"""

BACKWARD = """
DROP TEXT SEARCH CONFIGURATION public.maillage_en;
DROP TEXT SEARCH CONFIGURATION public.maillage_simple;
"""


class Migration(migrations.Migration):
    dependencies = [("tenants", "0014_dutch_names")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
