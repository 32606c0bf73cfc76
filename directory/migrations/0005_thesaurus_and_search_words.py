# The search thesaurus and the vocabulary misspelt words are corrected to. The vocabulary's
# trigram index needs pg_trgm (tenants 0012); the search document, maillage_simple and
# maillage_en (tenants 0014).

import django.contrib.postgres.indexes
import django.db.models.deletion
import django.utils.timezone
import uuid
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0004_offer_texts_in_three_languages'),
        ('tenants', '0012_trigram_extension'),
        ('tenants', '0015_simple_and_english_text_search'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('word', models.CharField(max_length=60, primary_key=True, serialize=False)),
            ],
            options={
                'indexes': [django.contrib.postgres.indexes.GinIndex(fields=['word'], name='search_word_trgm', opclasses=['gin_trgm_ops'])],
            },
        ),
        migrations.CreateModel(
            name='ThesaurusEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('is_local', models.BooleanField(default=False, verbose_name='added by the coordination')),
                ('domains', models.ManyToManyField(blank=True, related_name='+', to='directory.needdomain', verbose_name='need domains')),
            ],
            options={
                'verbose_name': 'thesaurus entry',
                'verbose_name_plural': 'thesaurus entries',
            },
        ),
        migrations.CreateModel(
            name='ThesaurusTerm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('text', models.CharField(max_length=80, verbose_name='term')),
                ('key', models.CharField(max_length=80, unique=True)),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='terms', to='directory.thesaurusentry')),
            ],
            options={
                'ordering': ['text'],
            },
        ),
    ]
