"""The seed migration froze regions/data/population.csv; the two still agree."""

import importlib

from regions.population import SEED, parse_population_file

migration = importlib.import_module("tenants.migrations.0008_seed_commune_population")


def test_the_seed_migration_holds_the_figures_of_the_seed_file():
    parsed = parse_population_file(SEED.read_bytes(), file_name=SEED.name)
    assert parsed.provisional
    assert [(f.nis_code, f.name, f.population) for f in parsed.figures] == migration.SEED
    assert {f.reference_date for f in parsed.figures} == {migration.REFERENCE_DATE}
