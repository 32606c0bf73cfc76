"""IndicatorValue and CommunePopulation moved from tenants to regions on the same tables:
the move changed Django's state only, in the public schema."""

from io import StringIO

import pytest
from django.core.management import call_command

from regions.models import CommunePopulation, IndicatorValue


def _statements(app: str, migration: str) -> list[str]:
    """The SQL `sqlmigrate` prints in the public schema, without comments and the
    transaction around it."""
    out = StringIO()
    call_command("sqlmigrate", app, migration, stdout=out)
    lines = (line.strip() for line in out.getvalue().splitlines())
    return [line for line in lines if line and not line.startswith("--") and line not in {"BEGIN;", "COMMIT;"}]


def test_indicator_models_keep_their_tables_and_names():
    assert IndicatorValue._meta.db_table == "tenants_indicatorvalue"
    assert [index.name for index in IndicatorValue._meta.indexes] == ["indicator_by_period"]
    assert [c.name for c in IndicatorValue._meta.constraints] == ["indicator_value_once"]
    assert CommunePopulation._meta.db_table == "tenants_communepopulation"
    assert [c.name for c in CommunePopulation._meta.constraints] == ["commune_population_nis_five_digits"]


def test_sqlmigrate_shows_ddl_in_the_public_schema(tenant_db):
    """The check below would see a statement: the migration that created the table prints one."""
    assert any(s.startswith("CREATE TABLE") for s in _statements("tenants", "0005_indicator_values"))


@pytest.mark.parametrize(
    ("app", "migration"),
    [("regions", "0001_indicator_models_from_tenants"), ("tenants", "0009_indicator_models_move_to_regions")],
)
def test_moving_the_indicator_models_sends_no_statement(tenant_db, app, migration):
    assert _statements(app, migration) == []


def test_populations_seeded_before_the_move_are_found(tenant_db):
    assert CommunePopulation.objects.filter(nis_code="21015").exists()  # tenants 0008's seed
