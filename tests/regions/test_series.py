"""Month-by-month series on the dashboard: referrals sent and response times, with gaps
for the months without a figure."""

import re

from django.utils import translation

from regions.charts import line_series, time_series
from regions.indicators import INDICATORS, Cell, compute, parse_period
from regions.labels import DimensionLabels
from regions.models import IndicatorValue
from regions.selectors import NO_FIGURE, monthly_series
from tests.regions.conftest import dashboard_with_parts

PERIOD = "2026-10"  # the series covers 2025-10 … 2026-09


def _snapshot(world, month: str, **values) -> None:
    """A month computed for Schaerbeek, with these indicators' totals (no dimension)."""
    IndicatorValue.objects.create(coordination=world.schaerbeek, period=month, indicator="active_accounts", value=6)
    for indicator, value in values.items():
        IndicatorValue.objects.create(coordination=world.schaerbeek, period=month, indicator=indicator, value=value)


def test_a_month_never_computed_is_a_gap_and_a_computed_one_without_answers_has_no_figure(tenant_db):
    _snapshot(tenant_db, "2026-08", days_to_response_median=3.5)
    _snapshot(tenant_db, "2026-09")  # computed, fewer than 5 answers: no duration stored
    months, series = monthly_series(
        region="brussels", period=parse_period(PERIOD), indicators=["days_to_response_median", "referrals_sent"]
    )
    assert months[0] == "2025-10" and months[-1] == "2026-09"
    durations = series["days_to_response_median"][tenant_db.schaerbeek.pk]
    assert durations[-2] == Cell(3.5, "3.5")
    assert durations[-1] == NO_FIGURE
    assert durations[0] is None  # never computed
    assert series["referrals_sent"][tenant_db.schaerbeek.pk][-1] == Cell(0.0, "0")  # computed: none sent


def test_monthly_counts_are_suppressed_like_the_table(tenant_db):
    _snapshot(tenant_db, "2026-09")
    IndicatorValue.objects.create(
        coordination=tenant_db.schaerbeek, period="2026-09", indicator="referrals_sent", dimension="sent", value=3
    )
    _months, series = monthly_series(region="brussels", period=parse_period(PERIOD), indicators=["referrals_sent"])
    assert series["referrals_sent"][tenant_db.schaerbeek.pk][-1] == Cell(None, "<5")


def test_the_dashboard_tables_the_median_days_per_month(tenant_db, login, client):
    compute(parse_period(PERIOD))
    _snapshot(tenant_db, "2026-08", days_to_response_median=3.5, days_to_completion_median=12.25)
    _snapshot(tenant_db, "2026-09")
    login(tenant_db["regional_admin"], verified=False)
    body = dashboard_with_parts(client, f"/region/brussels/?period={PERIOD}", HTTP_ACCEPT_LANGUAGE="en")
    table = body[body.index('id="table-durations"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr><th scope=\"row\">Schaerbeek</th><td>([^<]+)</td>(.*?)</tr>", table)
    assert [measure for measure, _cells in rows] == [
        str(INDICATORS["days_to_response_median"]["label"]),
        str(INDICATORS["days_to_completion_median"]["label"]),
    ]
    answer_cells = re.findall(r"<td>(.*?)</td>", rows[0][1])
    assert answer_cells[-2] == "3.5"
    assert "no figure" in answer_cells[-1] and "no figure" in answer_cells[0]
    assert re.findall(r"<td>(.*?)</td>", rows[1][1])[-2] == "12.2"
    assert 'id="chart-durations"' in body


def test_a_duration_line_breaks_where_a_month_has_no_figure():
    points = [(1.0, "1.0"), (2.0, "2.0"), None, (3.0, "3.0"), (4.0, "4.0"), (None, "")]
    svg = line_series(
        ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"],
        [("Schaerbeek", [points])],
        measures=["Median days to an answer"],
        chart_id="d",
        title="Durations",
        described_by="t",
    )
    assert svg.count("<polyline") == 2  # Jan–Feb, then Apr–May: nothing drawn across March or June
    assert svg.count("<circle") == 4
    assert 'aria-describedby="t"' in svg and '<title id="d-title">Durations</title>' in svg


def test_a_second_measure_differs_by_more_than_colour():
    svg = line_series(
        ["2026-01", "2026-02"],
        [("<b>Evil</b>", [[(1.0, "1.0"), (2.0, "2.0")], [(5.0, "5.0"), (6.0, "6.0")]])],
        measures=["answer", "completion"],
        chart_id="d",
        title="T",
        described_by="t",
    )
    assert 'stroke-dasharray="5 3"' in svg  # dashed, with square marks
    assert len(re.findall(r'<rect x="[^"]+" y="[^"]+" width="6" height="6"', svg)) == 2
    assert "<b>" not in svg and "&lt;b&gt;Evil&lt;/b&gt;" in svg


def test_a_month_without_a_figure_draws_no_column():
    svg = time_series(
        ["2026-01", "2026-02"], [("A", [(None, ""), (7.0, "7")])], chart_id="m", title="T", described_by="t"
    )
    bars = re.findall(r'<rect x="[^"]+" y="[^"]+" width="26.0"', svg)
    assert len(bars) == 1


def test_breakdowns_of_the_new_indicators_are_named_in_the_readers_language():
    with translation.override("en"):
        labels = DimensionLabels()
        assert labels.label("referrals_by_recipient_kind", "bapa_cri") == "BAPA or CRI"
        assert labels.label("offer_languages", "uk") == "Ukrainian"
        assert labels.label("person_languages", "ar") == "Arabic"
        assert labels.label("referrals_by_domain", "housing") == "Housing"
        assert labels.label("referral_steps", "completed") == "Completed"
        assert labels.label("open_offers", "language") == "Learning French or Dutch"  # a need domain
