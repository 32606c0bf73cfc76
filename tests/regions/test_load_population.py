"""`manage.py load_population`: Statbel's file in, the seed of the demo and the tests, and
a bad file changes nothing."""

from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from demo.territories import read_plan
from regions.models import CommunePopulation
from regions.population import SEED, parse_population_file

# Statbel's detailed file: one row per commune, sex, nationality, civil status and age.
HEADER = (
    "CD_REFNIS|TX_DESCR_NL|TX_DESCR_FR|CD_DSTR_REFNIS|TX_ADM_DSTR_DESCR_NL|TX_ADM_DSTR_DESCR_FR|CD_PROV_REFNIS|"
    "TX_PROV_DESCR_NL|TX_PROV_DESCR_FR|CD_RGN_REFNIS|TX_RGN_DESCR_NL|TX_RGN_DESCR_FR|CD_SEX|CD_NATLTY|TX_NATLTY_FR|"
    "TX_NATLTY_NL|CD_CIV_STS|TX_CIV_STS_FR|TX_CIV_STS_NL|CD_AGE|MS_POPULATION"
)


def _row(nis: str, nl: str, fr: str, sex: str, age: int, population: int) -> str:
    region = "04000" if nis.startswith("21") else "03000"
    return (
        f"{nis}|{nl}|{fr}|21000|Arr. Brussel|Arr. de Bruxelles||||{region}|Gewest|Région|{sex}|ETR|Étrangers|"
        f"Vreemdelingen|1|Célibataire|Ongehuwd|{age}|{population}"
    )


STATBEL = "\n".join(
    [
        HEADER,
        _row("21015", "Schaarbeek", "Schaerbeek", "F", 30, 61_000),
        _row("21015", "Schaarbeek", "Schaerbeek", "M", 30, 59_500),
        _row("21015", "Schaarbeek", "Schaerbeek", "M", 31, 12_542),
        _row("57081", "Doornik", "Tournai", "F", 40, 69_611),
    ]
)


def _file(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _load(path, *args) -> str:
    out = StringIO()
    call_command("load_population", str(path), *args, stdout=out)
    return out.getvalue()


def _figures() -> dict:
    return {
        row.nis_code: (row.name, row.population, row.reference_date, row.is_provisional)
        for row in CommunePopulation.objects.filter(nis_code__in=["21015", "57081"])
    }


def test_statbel_detailed_file_is_added_up_per_commune(tenant_db, tmp_path):
    out = _load(_file(tmp_path, "TF_SOC_POP_STRUCT_2024.txt", STATBEL))
    assert _figures() == {
        "21015": ("Schaerbeek", 133_042, date(2024, 1, 1), False),  # 61,000 + 59,500 + 12,542
        "57081": ("Tournai", 69_611, date(2024, 1, 1), False),
    }
    assert CommunePopulation.objects.get(nis_code="21015").source == "Statbel, TF_SOC_POP_STRUCT_2024.txt"
    assert "2 communes" in out and "reference date 2024-01-01" in out


def test_the_per_commune_variant_with_semicolons_and_a_year_column(tenant_db, tmp_path):
    text = "CD_REFNIS;TX_DESCR_NL;TX_DESCR_FR;CD_YEAR;MS_POPULATION\n04000;Brussels;Bruxelles;2025;1249597\n"
    text += "21015;Schaarbeek;Schaerbeek;2025;133500\n"
    out = _load(_file(tmp_path, "population.csv", text, "cp1252"))
    assert _figures()["21015"] == ("Schaerbeek", 133_500, date(2025, 1, 1), False)
    assert not CommunePopulation.objects.filter(nis_code="04000").exists()  # a region, not a commune
    assert "1 rows of regions, provinces or arrondissements skipped" in out


def test_an_excel_file_is_read_too(tenant_db, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["CD_REFNIS", "TX_DESCR_FR", "MS_POPULATION"])
    sheet.append([57081, "Tournai", 69611])
    buffer = BytesIO()
    workbook.save(buffer)
    path = tmp_path / "Pop_2024.xlsx"
    path.write_bytes(buffer.getvalue())
    _load(path, "--reference-date", "2024-01-01")
    assert _figures()["57081"] == ("Tournai", 69_611, date(2024, 1, 1), False)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("pop.csv", "NIS;NAME;POP\n21015;Schaerbeek;1\n", "Missing columns: CD_REFNIS, MS_POPULATION"),
        ("pop_2024.txt", HEADER + "\n" + _row("21015", "S", "S", "F", 1, 10).replace("|10", "|ten"), "Line 2"),
        ("pop_2024.txt", HEADER + "\n" + _row("2101", "S", "S", "F", 1, 10).replace("2101|", "21O15|"), "Line 2"),
        ("pop.txt", STATBEL, "--reference-date"),
        ("pop_2024.txt", "", "The file is empty."),
    ],
)
def test_a_bad_file_changes_nothing_and_says_why(tenant_db, tmp_path, name, text, message):
    before = _figures()
    with pytest.raises(CommandError) as raised:
        _load(_file(tmp_path, name, text))
    assert str(raised.value).startswith("Nothing was changed.")
    assert message in str(raised.value)
    assert _figures() == before


def test_one_bad_line_keeps_the_good_ones_out_too(tenant_db, tmp_path):
    before = _figures()
    text = STATBEL + "\n" + _row("57081", "Doornik", "Tournai", "M", 41, 12).replace("|12", "|-12")
    with pytest.raises(CommandError) as raised:
        _load(_file(tmp_path, "TF_SOC_POP_STRUCT_2024.txt", text))
    assert "Line 6: MS_POPULATION '-12' is not a whole number." in str(raised.value)
    assert _figures() == before


def test_a_missing_file_is_a_clear_error(tenant_db, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        _load(tmp_path / "nowhere.txt")


def test_a_dry_run_changes_nothing(tenant_db, tmp_path):
    before = _figures()
    out = _load(_file(tmp_path, "TF_SOC_POP_STRUCT_2024.txt", STATBEL), "--dry-run")
    assert "Nothing was changed" in out
    assert _figures() == before


def test_statbel_replaces_the_provisional_seed(tenant_db, tmp_path):
    assert CommunePopulation.objects.get(nis_code="21015").is_provisional  # seeded by the migration
    _load(_file(tmp_path, "TF_SOC_POP_STRUCT_2024.txt", STATBEL))
    assert not CommunePopulation.objects.get(nis_code="21015").is_provisional


def test_the_seed_covers_the_demo_and_test_communes():
    parsed = parse_population_file(SEED.read_bytes(), file_name=SEED.name)
    codes = {figure.nis_code for figure in parsed.figures}
    assert {"21015", "57081", *(t.nis_code for t in read_plan().territories)} <= codes
    assert parsed.provisional
    assert all(figure.population > 10_000 for figure in parsed.figures)


def test_the_seed_cites_its_source_and_says_it_is_provisional():
    text = SEED.read_text()
    assert "Statbel" in text and "statbel.fgov.be/fr/open-data/population-par-lieu-de-residence" in text
    assert "TO BE REPLACED BY THE OFFICIAL FILE" in text
