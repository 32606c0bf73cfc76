"""Records the SQL a new coordination's schema needs, ahead of the first provisioning."""

from django.core.management.base import BaseCommand

from tenants.schemas import prepare_script


class Command(BaseCommand):
    help = "Record the new-schema script for the current migrations (run after migrate_schemas)."

    def handle(self, *args, **options):
        if prepare_script():
            self.stdout.write("Recorded the new-schema script for the current migrations.")
        else:
            self.stdout.write("The new-schema script for the current migrations was already recorded.")
