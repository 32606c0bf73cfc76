"""Load the demo coordinations and accounts (idempotent) and print the logins."""

from django.core.management.base import BaseCommand

from demo.coordinations import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create the demo coordinations (Schaerbeek, Tournai), organisations and accounts."

    def handle(self, *args, **options):
        logins = load_demo()
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, what in logins:
            self.stdout.write(f"  {email:<45} {what}")
