"""Every referral has its reference (given by 0007): required and unique from now on."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0007_referral_references_and_proposals"),
    ]

    operations = [
        migrations.AlterField(
            model_name="referral",
            name="reference",
            field=models.CharField(editable=False, max_length=24, unique=True, verbose_name="reference"),
        ),
    ]
