# The consent's person is now persons.Person, on the same table: state only.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('consent', '0002_sensitive_category'),
        ('persons', '0001_persons_and_households_from_referrals'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='consent',
                    name='person',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='consents', to='persons.person'),
                ),
            ],
        ),
    ]
