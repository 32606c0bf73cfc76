"""The demo data files: every shipped file reads, and a mistake in one is reported with the
file and the entry, in words a coordinator editing the data can act on."""

import pytest

from demo import schema
from demo.charter import DemoCharter
from demo.coordinations import DemoAccounts
from demo.directory import read_site
from demo.meetings import DemoPlan
from demo.plans import DemoFamilyPlan
from demo.referrals import DemoPersons, DemoReferrals
from demo.territories import read_plan
from demo.transfers import DemoTransfers

SHIPPED = {
    "coordinations.yaml": DemoAccounts,
    "persons.yaml": dict[str, DemoPersons],
    "referrals.yaml": dict[str, DemoReferrals],
    "meetings.yaml": dict[str, DemoPlan],
    "charter.yaml": dict[str, DemoCharter],
    "plans.yaml": dict[str, DemoFamilyPlan],
    "transfers.yaml": DemoTransfers,
}

OFFER = """\
postcode: "1030"
city: Schaerbeek
organisations:
  - {name: Exil, kind: association, street: Avenue Louis Bertrand 88}
offers:
  - organisation: Exil
    title: Consultations
    domain: mental_health
    description: Pour adultes.
"""


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(schema, "DATA", tmp_path)

    def write(name: str, text: str):
        (tmp_path / name).write_text(text, encoding="utf-8")

    return write


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_shipped_file_reads(name):
    assert schema.read(name, SHIPPED[name])


def test_the_shipped_directories_and_territories_read():
    assert (len(read_site("schaerbeek").offers), len(read_site("tournai").offers)) == (45, 38)
    assert read_site("namur") is None  # no directory file: no demo directory
    assert len(read_plan().territories) == 6


def test_a_valid_offer_reads_with_its_defaults(data_dir):
    data_dir("directory-x.yaml", OFFER)
    offer = read_site("x").offers[0]
    assert (offer.languages, offer.access, offer.places) == (["fr"], "appointment", None)


def test_an_unknown_key_names_the_file_the_entry_and_the_expected_keys(data_dir):
    data_dir("directory-x.yaml", OFFER + "    hourz: 1-5 9:00-12:00\n")
    with pytest.raises(schema.DemoDataError) as error:
        read_site("x")
    message = str(error.value)
    assert message.startswith("demo/data/directory-x.yaml: offers[0] \"Consultations\": unknown key 'hourz'")
    assert "hours" in message.split("expected one of:")[1]


def test_a_missing_key_is_named(data_dir):
    data_dir("directory-x.yaml", OFFER.replace("    domain: mental_health\n", ""))
    with pytest.raises(schema.DemoDataError, match=r'offers\[0\] "Consultations": missing key \'domain\''):
        read_site("x")


def test_a_number_where_text_is_expected_suggests_quotes(data_dir):
    data_dir("directory-x.yaml", OFFER.replace('postcode: "1030"', "postcode: 1030"))
    with pytest.raises(schema.DemoDataError, match=r"directory-x.yaml: postcode: expected str, got int 1030 \(put it"):
        read_site("x")


def test_a_value_outside_its_choices_lists_them(data_dir):
    data_dir("directory-x.yaml", OFFER + "    access: walk_in\n")
    with pytest.raises(schema.DemoDataError, match=r"access: 'walk_in' is not one of: .*drop_in"):
        read_site("x")


def test_opening_hours_that_do_not_read_are_refused(data_dir):
    data_dir("directory-x.yaml", OFFER + "    hours: lundi 9h-12h\n")
    with pytest.raises(schema.DemoDataError, match=r'offers\[0\] "Consultations": hours: \'lundi 9h-12h\''):
        read_site("x")


def test_an_offer_of_an_unlisted_organisation_is_refused(data_dir):
    data_dir("directory-x.yaml", OFFER.replace("  - organisation: Exil", "  - organisation: Exile"))
    with pytest.raises(schema.DemoDataError, match="organisation 'Exile' is not among the file's organisations"):
        read_site("x")


def test_a_day_is_either_in_the_past_or_to_come(data_dir):
    data_dir("offsets.yaml", "- {days_ago: 3}\n- {in_days: 2}\n- {days_ago: 3, in_days: 2}\n")
    with pytest.raises(schema.DemoDataError, match=r"offsets.yaml\[2\]: give exactly one of"):
        schema.read("offsets.yaml", list[schema.Offset])


def test_a_day_offset_counts_from_today():
    from datetime import date

    assert schema.Offset(days_ago=3).day(date(2026, 3, 2)) == date(2026, 2, 27)
    assert schema.Offset(in_days=2).day(date(2026, 3, 2)) == date(2026, 3, 4)


def test_a_step_of_a_referral_history_must_be_known(data_dir):
    text = (
        "schaerbeek:\n  sender: A\n  receiver: B\n  reason: R\n  persons: []\n  partner_consent:\n"
        "    {categories: [identity], purpose: P, method: oral_witnessed}\n  partner_reason: R\n"
        "  partner_flows: []\n  referrals:\n    - {person: Samira, state: sent, history: [sendd]}\n"
    )
    data_dir("referrals.yaml", text)
    with pytest.raises(
        schema.DemoDataError, match=r"referrals.yaml: schaerbeek > referrals\[0\] \"Samira\": do: 'sendd' is not one of"
    ):
        schema.read("referrals.yaml", dict[str, DemoReferrals])


def test_broken_yaml_names_the_file(data_dir):
    data_dir("meetings.yaml", "schaerbeek: [unclosed\n")
    with pytest.raises(schema.DemoDataError, match=r"demo/data/meetings\.yaml: not valid YAML"):
        schema.read("meetings.yaml", dict[str, DemoPlan])
