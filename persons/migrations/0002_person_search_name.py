# The names written for searching (persons.names), filled for the files that exist, and
# indexed for trigram similarity. pg_trgm lives in the public schema (tenants 0011); the
# index's operator class is found through the search path, so the recorded SQL replays in
# any new schema. In a new schema there is no file: the filling reads nothing.

import django.contrib.postgres.indexes
from django.db import migrations, models

from persons.names import search_key, search_name


def fill(apps, schema_editor):
    Person = apps.get_model("persons", "Person")
    persons = list(Person.objects.only("given_name", "family_name"))
    for person in persons:
        person.search_name = search_name(person.given_name, person.family_name)
        person.search_key = search_key(person.given_name, person.family_name)
    Person.objects.bulk_update(persons, ["search_name", "search_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("persons", "0001_persons_and_households_from_referrals"),
        ("tenants", "0012_trigram_extension"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="search_name",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="person",
            name="search_key",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="person",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_name"], name="person_search_name_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_key"], name="person_search_key_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
    ]
