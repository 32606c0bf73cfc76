"""Load inhabitants per commune from Statbel's file, for the figures per 1,000 inhabitants."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regions.models import CommunePopulation
from regions.population import STATBEL_URL, PopulationFileError, parse_population_file, store_populations


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--reference-date takes a date such as 2024-01-01 (got {value!r})")


class Command(BaseCommand):
    help = (
        "Load the population of each commune from Statbel's open data file "
        f"(CD_REFNIS, TX_DESCR_FR/NL, MS_POPULATION; {STATBEL_URL}), or from a file in the format of "
        "regions/data/population.csv. The whole file is checked first: any problem, and nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Statbel's .txt (pipe-separated), .csv or .xlsx file")
        parser.add_argument("--reference-date", type=_date, default=None, help="when the file does not say, 2024-01-01")
        parser.add_argument("--dry-run", action="store_true", help="check the file and say what would change")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Nothing was changed: cannot read {path} ({error.strerror}).")
        try:
            parsed = parse_population_file(data, file_name=path.name, reference_date=options["reference_date"])
        except PopulationFileError as error:
            raise CommandError("Nothing was changed. " + " ".join(error.problems)) from None
        dates = sorted({figure.reference_date for figure in parsed.figures})
        summary = (
            f"{len(parsed.figures)} communes, {sum(f.population for f in parsed.figures)} inhabitants, "
            f"reference date {', '.join(d.isoformat() for d in dates)}"
            + (f", {parsed.skipped} rows of regions, provinces or arrondissements skipped" if parsed.skipped else "")
        )
        if options["dry_run"]:
            self.stdout.write(f"Checked {path.name}: {summary}. Nothing was changed (--dry-run).")
            return
        source = f"Statbel, {path.name}" if not parsed.provisional else f"{path.name} (provisional)"
        created, updated = store_populations(parsed, model=CommunePopulation, source=source)
        self.stdout.write(f"Loaded {path.name}: {summary}; {created} new, {updated} replaced.")
