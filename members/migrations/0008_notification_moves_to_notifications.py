"""Notification now lives in the notifications app (its 0001), on the same table: drop it
from members' state only, the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0007_digest_opt_out_and_coordination_notices"),
        ("notifications", "0001_notification_from_members"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
        ),
    ]
