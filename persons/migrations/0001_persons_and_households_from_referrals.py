# Person, Household and HouseholdMember move from referrals to persons, keeping their
# tables, indexes and constraints: this migration only tells Django's state where they
# now live (see referrals 0006 and consent 0003). The database does not change.

import django.contrib.postgres.fields
import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('directory', '0003_seed_need_domains'),
        ('referrals', '0005_triage'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Household',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('name', models.CharField(help_text="How the team calls it, e.g. 'Family A.'", max_length=120, verbose_name='name')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='households', to='directory.organisation')),
                    ],
                    options={
                        'db_table': 'referrals_household',
                        'ordering': ['name', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Person',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('given_name', models.CharField(max_length=100, verbose_name='given name')),
                        ('family_name', models.CharField(max_length=100, verbose_name='family name')),
                        ('birth_date', models.DateField(blank=True, null=True, verbose_name='birth date')),
                        ('birth_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='birth year')),
                        ('languages', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=8), blank=True, default=list, size=None, verbose_name='languages')),
                        ('preferred_language', models.CharField(blank=True, max_length=8, verbose_name='preferred language')),
                        ('french_level', models.CharField(blank=True, choices=[('none', 'None'), ('a1', 'A1'), ('a2', 'A2'), ('b1', 'B1'), ('b2', 'B2'), ('c1', 'C1'), ('c2', 'C2'), ('native', 'First language')], max_length=8, verbose_name='French level')),
                        ('dutch_level', models.CharField(blank=True, choices=[('none', 'None'), ('a1', 'A1'), ('a2', 'A2'), ('b1', 'B1'), ('b2', 'B2'), ('c1', 'C1'), ('c2', 'C2'), ('native', 'First language')], max_length=8, verbose_name='Dutch level')),
                        ('literacy', models.CharField(blank=True, choices=[('literate', 'Reads and writes'), ('other_script', 'Reads and writes another script only'), ('partial', 'Reads and writes a little'), ('not_literate', 'Does not read or write')], max_length=16, verbose_name='literacy')),
                        ('interpreter_needed', models.BooleanField(default=False, verbose_name='interpreter needed')),
                        ('interpreter_language', models.CharField(blank=True, max_length=8, verbose_name='interpreter language')),
                        ('status', models.CharField(blank=True, choices=[('refugee', 'Refugee'), ('subsidiary_protection', 'Subsidiary protection'), ('family_reunification', 'Family reunification'), ('temporary_protection', 'Temporary protection'), ('regularised', 'Regularised'), ('applicant', 'Applicant for international protection'), ('other', 'Other')], max_length=32, verbose_name='status')),
                        ('commune_registration_date', models.DateField(blank=True, null=True, verbose_name='registered in the commune on')),
                        ('programme_registration_date', models.DateField(blank=True, null=True, verbose_name='registered in the integration programme on')),
                        ('national_number_encrypted', models.TextField(blank=True, editable=False)),
                        ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='file closed on')),
                        ('anonymised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='persons', to='directory.organisation', verbose_name='organisation')),
                    ],
                    options={
                        'db_table': 'referrals_person',
                        'ordering': ['family_name', 'given_name', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HouseholdMember',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('relation', models.CharField(choices=[('head', 'Reference person'), ('partner', 'Partner'), ('child', 'Child'), ('parent', 'Parent'), ('sibling', 'Brother or sister'), ('other', 'Other relative')], max_length=16, verbose_name='relation')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('household', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='persons.household')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='household_links', to='persons.person')),
                    ],
                    options={
                        'db_table': 'referrals_householdmember',
                    },
                ),
                migrations.AddIndex(
                    model_name='person',
                    index=models.Index(fields=['birth_date'], name='referrals_p_birth_d_f2ff6b_idx'),
                ),
                migrations.AddIndex(
                    model_name='person',
                    index=models.Index(fields=['birth_year'], name='referrals_p_birth_y_f284d2_idx'),
                ),
                migrations.AddConstraint(
                    model_name='person',
                    constraint=models.CheckConstraint(condition=models.Q(('birth_year__isnull', True), models.Q(('birth_year__gte', 1900), ('birth_year__lte', 2100)), _connector='OR'), name='person_birth_year_range'),
                ),
                migrations.AddConstraint(
                    model_name='householdmember',
                    constraint=models.UniqueConstraint(fields=('household', 'person'), name='person_once_per_household'),
                ),
            ],
        ),
    ]
