"""Provision a coordination: schema, lead organisation and first coordinator."""

import time

from django.core.management.base import BaseCommand, CommandError

from maillage.actor import Actor
from maillage.errors import DomainError
from members.provisioning import CommuneInput, provision_coordination


def _commune(value: str) -> CommuneInput:
    name, sep, nis = value.rpartition(":")
    if not sep:
        raise CommandError(f"--commune takes NAME:NIS, e.g. Schaerbeek:21015 (got {value!r})")
    return CommuneInput(name=name, nis_code=nis)


class Command(BaseCommand):
    help = "Create a local coordination with its schema, lead organisation and first coordinator."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--region", required=True, help="brussels, wallonia or flanders")
        parser.add_argument("--commune", action="append", default=[], help="NAME:NIS, repeatable")
        parser.add_argument("--lead-organisation", required=True)
        parser.add_argument("--lead-kind", required=True, help="bapa, cri, cpas, association, …")
        parser.add_argument("--coordinator-email", required=True)
        parser.add_argument("--coordinator-name", default="")
        parser.add_argument("--response-days", type=int, default=5)
        parser.add_argument("--registration-months", type=int, default=None)

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            coordination = provision_coordination(
                actor=Actor.system(),
                name=options["name"],
                slug=options["slug"],
                region=options["region"],
                communes=[_commune(c) for c in options["commune"]],
                lead_organisation_name=options["lead_organisation"],
                lead_organisation_kind=options["lead_kind"],
                coordinator_email=options["coordinator_email"],
                coordinator_name=options["coordinator_name"],
                referral_response_working_days=options["response_days"],
                registration_deadline_months=options["registration_months"],
            )
        except DomainError as error:
            lines = [f"{field}: {' '.join(str(m) for m in msgs)}" for field, msgs in error.fields.items()]
            raise CommandError("Nothing was created. " + ("; ".join(lines) or str(error.message))) from None
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Created {coordination.name} (schema {coordination.schema_name}) at {coordination.url} in {elapsed:.2f} s"
        )
