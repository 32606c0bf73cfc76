# Person, Household and HouseholdMember now live in persons (persons 0001), on the same
# tables: referrals' foreign keys point there and the models leave referrals' state.
# State only: the database does not change.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('consent', '0003_person_from_persons'),
        ('persons', '0001_persons_and_households_from_referrals'),
        ('referrals', '0005_triage'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='referral',
                    name='person',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='persons.person'),
                ),
                migrations.AlterField(
                    model_name='referral',
                    name='household',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='persons.household'),
                ),
                migrations.AlterField(
                    model_name='casenote',
                    name='person',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='case_notes', to='persons.person'),
                ),
                migrations.DeleteModel(name='HouseholdMember'),
                migrations.DeleteModel(name='Household'),
                migrations.DeleteModel(name='Person'),
            ],
        ),
    ]
