"""Regional indicators: one statement per indicator across schemas, known values, suppression."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from maillage.errors import Invalid
from referrals import services
from referrals.models import Referral
from tenants.indicators import INDICATORS, compute, parse_period, parse_region, present
from tenants.models import IndicatorValue
from tests.referrals.test_lifecycle import _referral


def _values(coordination, period, indicator):
    return dict(
        IndicatorValue.objects.filter(coordination=coordination, period=period, indicator=indicator).values_list(
            "dimension", "value"
        )
    )


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-11", "2026-11-01", "2026-12-01"),
        ("2026-12", "2026-12-01", "2027-01-01"),
        ("2026-Q4", "2026-10-01", "2027-01-01"),
        ("2026-Q1", "2026-01-01", "2026-04-01"),
        ("2026", "2026-01-01", "2027-01-01"),
    ],
)
def test_periods(text, start, end):
    period = parse_period(text)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


@pytest.mark.parametrize("text", ["", "2026-13", "2026-Q5", "november", "26-11"])
def test_unknown_period_is_invalid(text):
    with pytest.raises(Invalid) as raised:
        parse_period(text)
    assert "period" in raised.value.fields


def test_unknown_region_is_invalid():
    with pytest.raises(Invalid):
        parse_region("atlantis")


def test_known_data_gives_hand_computed_values(tenant_db):
    world = tenant_db
    now = timezone.now()
    period = parse_period(f"{now.year}-{now.month:02d}")
    with schema_context("schaerbeek"):
        sent = []
        for _ in range(6):
            referral = _referral(world)
            sent.append(services.send_referral(actor=world["bapa_worker"].actor(), referral=referral))
        for referral in sent[:5]:
            services.accept_referral(actor=world["cpas_referent"].actor(), referral=referral)
        # Answers after exactly 1, 2, 3, 4 and 5 days.
        for days, referral in enumerate(sent[:5], start=1):
            Referral.objects.filter(pk=referral.pk).update(answered_at=referral.sent_at + timedelta(days=days))
        services.decline_referral(actor=world["cpas_referent"].actor(), referral=sent[5], reason="no_capacity")
        Referral.objects.filter(pk=sent[5].pk).update(answered_at=sent[5].sent_at + timedelta(days=10))
    connection.set_schema_to_public()
    compute(period)
    schaerbeek, tournai = world.schaerbeek, world.tournai
    assert _values(schaerbeek, period.label, "referrals_sent") == {"accepted": 5.0, "declined": 1.0}
    assert _values(schaerbeek, period.label, "days_to_response_median") == {"": 3.5}
    assert _values(schaerbeek, period.label, "cpas_referent_designated") == {"": 1.0}
    assert _values(tournai, period.label, "cpas_referent_designated") == {"": 0.0}
    assert _values(tournai, period.label, "referrals_sent") == {}
    assert _values(schaerbeek, period.label, "consents_in_force") == {"": 6.0}


def test_one_statement_per_indicator_whatever_the_number_of_coordinations(tenant_db):
    period = parse_period("2026-11")
    with CaptureQueriesContext(connection) as queries:
        compute(period)
    selects = [q for q in queries.captured_queries if "UNION ALL" in q["sql"] or 'FROM "schaerbeek"' in q["sql"]]
    assert len(selects) == len(INDICATORS)


def test_recomputing_replaces_the_snapshot(tenant_db):
    period = parse_period("2026-11")
    first = compute(period)
    assert compute(period) == first
    assert IndicatorValue.objects.filter(period="2026-11").count() == first


def test_small_counts_are_suppressed():
    cells = present({"a": 12, "b": 3, "c": 7}, "count")
    assert cells["b"].shown == "<5" and cells["b"].value is None


def test_a_lone_suppressed_cell_takes_the_next_smallest_with_it():
    cells = present({"a": 12, "b": 3, "c": 7}, "count")
    assert cells["c"].value is None  # otherwise 22 − 12 − 7 gives b away
    assert cells["a"].shown == "12"


def test_two_suppressed_cells_need_no_more():
    cells = present({"a": 12, "b": 3, "c": 2}, "count")
    assert cells["a"].shown == "12"
    assert cells["b"].shown == cells["c"].shown == "<5"


def test_zero_is_not_suppressed():
    assert present({"a": 0, "b": 9}, "count")["a"].shown == "0"


def test_only_counts_and_durations_leave_a_schema():
    for name, spec in INDICATORS.items():
        assert spec["kind"] in {"count", "duration", "flag"}, name
        sql = spec["sql"].lower()
        for column in ("given_name", "family_name", "birth_date", "national_number", "text", "reason", "email"):
            assert column not in sql, (name, column)


def test_regional_administrator_reads_their_region(tenant_db, login, client):
    compute(parse_period("2026-11"))
    login(tenant_db["regional_admin"], verified=False)
    body = client.get("/api/v1/regions/brussels/indicators/?period=2026-11").json()
    slugs = {row["slug"] for table in body["indicators"] for row in table["coordinations"]}
    assert slugs == {"schaerbeek"}


def test_regional_administrator_of_brussels_gets_404_for_wallonia(tenant_db, login, client):
    login(tenant_db["regional_admin"], verified=False)
    response = client.get("/api/v1/regions/wallonia/indicators/?period=2026-11")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


@pytest.mark.parametrize(
    "path", ["/api/v1/regions/atlantis/indicators/", "/api/v1/regions/brussels/indicators/?period=x"]
)
def test_unknown_region_or_period_is_400(tenant_db, login, client, path):
    login(tenant_db["regional_admin"], verified=False)
    response = client.get(path)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid"


def test_coordination_members_are_not_regional_administrators(tenant_db, login, client):
    login(tenant_db["coordinator"])
    assert client.get("/api/v1/regions/brussels/indicators/?period=2026-11").status_code == 404


def test_the_api_shows_no_count_below_five(tenant_db, login, client):
    world = tenant_db
    with schema_context("schaerbeek"):
        for _ in range(3):
            services.send_referral(actor=world["bapa_worker"].actor(), referral=_referral(world))
    connection.set_schema_to_public()
    now = timezone.now()
    label = f"{now.year}-{now.month:02d}"
    compute(parse_period(label))
    login(world["regional_admin"], verified=False)
    body = client.get(f"/api/v1/regions/brussels/indicators/?period={label}").json()
    sent = next(t for t in body["indicators"] if t["code"] == "referrals_sent")
    assert sent["coordinations"][0]["values"] == {"sent": "<5"}


def test_compute_task_runs_for_a_period(tenant_db):
    from tenants.tasks import compute_indicators

    assert compute_indicators.apply(kwargs={"period": "2026-11"}).get() >= 1
