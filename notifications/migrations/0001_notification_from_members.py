"""The Notification model moves from members to notifications. Its table stays where it is
(members_notification, with its index and constraint names): only Django's state changes,
so no statement reaches the database (members 0008 drops it from members' state)."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("members", "0007_digest_opt_out_and_coordination_notices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        (
                            "kind",
                            models.CharField(
                                choices=[('offers_to_verify', 'Offers to verify'), ('referral_sent', 'New referral'), ('referral_accepted', 'Referral accepted'), ('referral_declined', 'Referral declined'), ('referral_completed', 'Referral closed'), ('referral_cancelled', 'Referral cancelled'), ('referral_consent_withdrawn', 'Consent withdrawn on a referral'), ('referral_due_soon', 'Referral to answer soon'), ('referral_overdue', 'Referral past its answer deadline'), ('referral_note', 'New note on a referral'), ('referral_to_triage', 'Referral to triage'), ('membership_requested', 'An organisation asks to join'), ('membership_decided', 'Membership request decided'), ('charter_to_adopt', 'Data-sharing charter to adopt'), ('meeting_planned', 'Coordination meeting planned'), ('action_due', 'Follow-up action due soon')],
                                max_length=32,
                            ),
                        ),
                        ("params", models.JSONField(blank=True, default=dict)),
                        ("url", models.CharField(blank=True, max_length=300)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        ("emailed_at", models.DateTimeField(blank=True, editable=False, null=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "members_notification",
                        "ordering": ["-created_at"],
                        "indexes": [models.Index(fields=["recipient", "read_at"], name="notification_unread")],
                    },
                ),
            ],
        ),
    ]
