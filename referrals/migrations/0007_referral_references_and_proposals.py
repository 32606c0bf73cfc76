"""Referral references (SCH-2026-0042) with their per-year counter, given to existing
referrals in creation order; the other appointment a recipient may propose.

Replayed on new schemas (tenants.schemas): there the table is empty, so the data step
sends one read and writes nothing; the coordination's letters come from the schema being
migrated, never from SQL recorded elsewhere.
"""

import re

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def _code(schema_name: str) -> str:
    # As referrals.references.coordination_code, frozen here.
    return (re.sub(r"[^A-Za-z0-9]", "", schema_name).upper() + "XXX")[:3]


def give_references(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    ReferenceCounter = apps.get_model("referrals", "ReferenceCounter")
    referrals = list(Referral.objects.filter(reference__isnull=True).order_by("created_at", "pk").only("created_at"))
    if not referrals:
        return
    code = _code(schema_editor.connection.schema_name)
    last: dict[int, int] = {}
    for referral in referrals:
        year = timezone.localtime(referral.created_at).year
        last[year] = last.get(year, 0) + 1
        referral.reference = f"{code}-{year}-{last[year]:04d}"
    Referral.objects.bulk_update(referrals, ["reference"], batch_size=1000)
    ReferenceCounter.objects.bulk_create(ReferenceCounter(year=year, last=number) for year, number in last.items())


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0003_seed_need_domains'),
        ('referrals', '0006_persons_move_to_persons'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ReferenceCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(unique=True)),
                ('last', models.PositiveIntegerField(default=0)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.AddField(
            model_name='referral',
            name='reference',
            field=models.CharField(editable=False, max_length=24, null=True, verbose_name='reference'),
        ),
        migrations.AlterField(
            model_name='referral',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('sent', 'Sent'), ('received', 'Received'), ('appointment_proposed', 'Other appointment proposed'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('in_progress', 'In progress'), ('completed', 'Completed'), ('not_completed', 'Not completed'), ('cancelled', 'Cancelled'), ('consent_withdrawn', 'Consent withdrawn')], default='draft', max_length=20),
        ),
        migrations.AlterField(
            model_name='referralevent',
            name='from_status',
            field=models.CharField(blank=True, choices=[('draft', 'Draft'), ('sent', 'Sent'), ('received', 'Received'), ('appointment_proposed', 'Other appointment proposed'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('in_progress', 'In progress'), ('completed', 'Completed'), ('not_completed', 'Not completed'), ('cancelled', 'Cancelled'), ('consent_withdrawn', 'Consent withdrawn')], max_length=20),
        ),
        migrations.AlterField(
            model_name='referralevent',
            name='to_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('sent', 'Sent'), ('received', 'Received'), ('appointment_proposed', 'Other appointment proposed'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('in_progress', 'In progress'), ('completed', 'Completed'), ('not_completed', 'Not completed'), ('cancelled', 'Cancelled'), ('consent_withdrawn', 'Consent withdrawn')], max_length=20),
        ),
        migrations.CreateModel(
            name='AppointmentProposal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('appointment_at', models.DateTimeField(verbose_name='appointment')),
                ('appointment_place', models.CharField(blank=True, max_length=200, verbose_name='appointment place')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('state', models.CharField(choices=[('pending', 'Waiting for the sender'), ('accepted', 'Accepted'), ('declined', 'Declined')], default='pending', max_length=12)),
                ('answered_at', models.DateTimeField(blank=True, null=True)),
                ('answer_note', models.TextField(blank=True, verbose_name='answer')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.organisation')),
                ('proposed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('referral', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='proposals', to='referrals.referral')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('state', 'pending')), fields=('referral',), name='one_pending_proposal_per_referral')],
            },
        ),
        migrations.RunPython(give_references, migrations.RunPython.noop),
    ]
