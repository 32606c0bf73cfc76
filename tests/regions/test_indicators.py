"""Regional indicators: one statement per indicator across schemas, known values, suppression."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from directory.models import NeedDomain, Offer, Organisation
from maillage.errors import Invalid
from persons.models import Person
from referrals import references, services
from referrals.models import Referral
from regions.indicators import INDICATORS, compute, parse_period, parse_region, present
from regions.models import IndicatorValue
from tenants.models import Coordination
from tests.factories import ReferralFactory

BRUSSELS = ZoneInfo("Europe/Brussels")
MARCH = parse_period("2025-03")  # 1 March 00:00 to 1 April 00:00, Brussels time


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
            referral = ReferralFactory()
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


def test_only_counts_durations_and_shares_leave_a_schema():
    for name, spec in INDICATORS.items():
        assert spec["kind"] in {"count", "duration", "flag", "share"}, name
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
            services.send_referral(actor=world["bapa_worker"].actor(), referral=ReferralFactory())
    connection.set_schema_to_public()
    now = timezone.now()
    label = f"{now.year}-{now.month:02d}"
    compute(parse_period(label))
    login(world["regional_admin"], verified=False)
    body = client.get(f"/api/v1/regions/brussels/indicators/?period={label}").json()
    sent = next(t for t in body["indicators"] if t["code"] == "referrals_sent")
    assert sent["coordinations"][0]["values"] == {"sent": "<5"}


def test_compute_task_runs_for_a_period(tenant_db):
    from regions.tasks import compute_indicators

    assert compute_indicators.apply(kwargs={"period": "2026-11"}).get() >= 1


# --- The breakdowns, durations, shares and languages ---------------------------------------
# Known rows written straight into Schaerbeek (and Tournai), then computed for March 2025.


def _at(month: int, day: int, hour: int = 12, minute: int = 0, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


def _organisation(name: str, kind: str) -> Organisation:
    return Organisation.objects.filter(name=name).first() or Organisation.objects.create(name=name, kind=kind)


class Referrals:
    """Referrals of one person (the first is a draft never sent, so it counts nowhere),
    from the BAPA to the CPAS unless told otherwise."""

    def __init__(self, world):
        self.template = ReferralFactory()

    def add(self, *, domains=("housing",), **fields) -> Referral:
        fields.setdefault("from_organisation", self.template.from_organisation)
        fields.setdefault("to_organisation", self.template.to_organisation)
        fields.setdefault("status", "sent")
        fields.setdefault("reference", references.new_reference(fields.get("created_at") or timezone.now()))
        referral = Referral.objects.create(
            person=self.template.person,
            sender=self.template.sender,
            consent=self.template.consent,
            reason="Logement",
            **fields,
        )
        referral.domains.set(NeedDomain.objects.filter(code__in=domains))
        return referral


def _compute(*names: str) -> None:
    connection.set_schema_to_public()
    compute(MARCH, indicators=list(names))


def test_referrals_by_domain_count_each_referral_once_under_its_first_domain(tenant_db):
    with schema_context("schaerbeek"):
        referrals = Referrals(tenant_db)
        # housing comes before social_rights, language before health, in the taxonomy.
        referrals.add(sent_at=_at(3, 1, 0, 0), domains=["social_rights", "housing"])
        referrals.add(sent_at=_at(3, 10), domains=["housing"])
        for _ in range(3):
            referrals.add(sent_at=_at(3, 12), domains=["language"])
        referrals.add(sent_at=_at(3, 31, 23, 59), domains=["health", "language"])
        referrals.add(sent_at=_at(2, 28, 23, 59), domains=["housing"])  # before the period
        referrals.add(sent_at=_at(4, 1, 0, 0), domains=["housing"])  # after it
    _compute("referrals_by_domain")
    assert _values(tenant_db.schaerbeek, "2025-03", "referrals_by_domain") == {"housing": 2.0, "language": 4.0}
    assert _values(tenant_db.tournai, "2025-03", "referrals_by_domain") == {}


def test_referrals_by_recipient_kind_fall_in_four_buckets(tenant_db):
    with schema_context("schaerbeek"):
        referrals = Referrals(tenant_db)
        exil = _organisation("Exil", "association")
        sent = _at(3, 5)
        for _ in range(2):
            referrals.add(sent_at=sent)  # to the CPAS
        referrals.add(sent_at=sent, from_organisation=exil, to_organisation=referrals.template.from_organisation)
        referrals.add(sent_at=sent, to_organisation=_organisation("CRI de Bruxelles", "cri"))
        referrals.add(sent_at=sent, to_organisation=exil)
        referrals.add(sent_at=sent, to_organisation=_organisation("Médecins du Monde", "ngo"))
        referrals.add(sent_at=sent, to_organisation=_organisation("Plate-forme citoyenne", "citizen_initiative"))
        referrals.add(sent_at=sent, to_organisation=_organisation("Commune de Schaerbeek", "commune"))
        referrals.add(sent_at=sent, to_organisation=_organisation("Actiris", "public_service"))
        referrals.add(sent_at=sent, to_organisation=_organisation("Autre service", "other"))
        referrals.add(sent_at=_at(2, 5), to_organisation=exil)  # before the period
    _compute("referrals_by_recipient_kind")
    assert _values(tenant_db.schaerbeek, "2025-03", "referrals_by_recipient_kind") == {
        "cpas": 2.0,
        "bapa_cri": 2.0,
        "association": 3.0,
        "other": 3.0,
    }


def test_referral_steps_count_each_step_on_the_day_it_happened(tenant_db):
    with schema_context("schaerbeek"):
        referrals = Referrals(tenant_db)
        # Sent before, accepted in the period: one acceptance.
        referrals.add(status="in_progress", sent_at=_at(2, 20), answered_at=_at(3, 3))
        # Accepted and completed in the period: one of each.
        referrals.add(status="completed", sent_at=_at(3, 2), answered_at=_at(3, 5), closed_at=_at(3, 20))
        # Accepted before, completed in the period: one completion.
        referrals.add(status="completed", sent_at=_at(2, 1), answered_at=_at(2, 10), closed_at=_at(3, 10))
        # Declined in the period: one decline (answered and closed the same moment).
        referrals.add(status="declined", sent_at=_at(3, 1), answered_at=_at(3, 7), closed_at=_at(3, 7))
        # Accepted in the period, then cancelled: still one acceptance.
        referrals.add(status="cancelled", sent_at=_at(3, 1), answered_at=_at(3, 8), closed_at=_at(3, 9))
        # Accepted before, not completed in the period: nothing.
        referrals.add(status="not_completed", sent_at=_at(2, 1), answered_at=_at(2, 2), closed_at=_at(3, 12))
        # Accepted just after the period, cancelled unanswered in it: nothing.
        referrals.add(status="accepted", sent_at=_at(3, 25), answered_at=_at(4, 1, 0, 30))
        referrals.add(status="cancelled", sent_at=_at(3, 1), closed_at=_at(3, 15))
    _compute("referral_steps")
    assert _values(tenant_db.schaerbeek, "2025-03", "referral_steps") == {
        "accepted": 3.0,
        "declined": 1.0,
        "completed": 2.0,
    }


def _completed(referrals, days: list[int]) -> None:
    """Referrals completed in March after the given numbers of days."""
    for count in days:
        closed = _at(3, 3 + count % 20)
        referrals.add(status="completed", sent_at=closed - timedelta(days=count), answered_at=closed, closed_at=closed)


def test_days_to_completion_of_the_referrals_completed_in_the_period(tenant_db):
    with schema_context("schaerbeek"):
        referrals = Referrals(tenant_db)
        _completed(referrals, [2, 4, 6, 8, 30])
        # Not counted: completed after the period, not completed, declined.
        referrals.add(status="completed", sent_at=_at(3, 1), closed_at=_at(4, 2))
        referrals.add(status="not_completed", sent_at=_at(3, 1), closed_at=_at(3, 2))
        referrals.add(status="declined", sent_at=_at(3, 1), answered_at=_at(3, 2), closed_at=_at(3, 2))
    _compute("days_to_completion_median", "days_to_completion_p90")
    schaerbeek = tenant_db.schaerbeek
    assert _values(schaerbeek, "2025-03", "days_to_completion_median") == {"": 6.0}
    # 90th percentile of 2, 4, 6, 8, 30: 8 + 0.6 × (30 − 8).
    assert _values(schaerbeek, "2025-03", "days_to_completion_p90") == {"": pytest.approx(21.2)}


@pytest.mark.parametrize(("completed", "shown"), [(4, False), (5, True)])
def test_days_to_completion_need_five_completed_referrals(tenant_db, completed, shown):
    with schema_context("schaerbeek"):
        _completed(Referrals(tenant_db), [3] * completed)
    _compute("days_to_completion_median", "days_to_completion_p90")
    expected = {"": 3.0} if shown else {}
    assert _values(tenant_db.schaerbeek, "2025-03", "days_to_completion_median") == expected
    assert _values(tenant_db.schaerbeek, "2025-03", "days_to_completion_p90") == expected


def test_cpas_answered_in_time_counts_days_in_belgian_time_and_leaves_out_the_undecided(tenant_db):
    with schema_context("schaerbeek"):
        referrals = Referrals(tenant_db)
        exil = _organisation("Exil", "association")
        sent = _at(3, 3)
        # In time: at 23:30 on the due day, a decline the day before, an answer the day before.
        referrals.add(status="accepted", sent_at=sent, response_due=date(2025, 3, 10), answered_at=_at(3, 10, 23, 30))
        referrals.add(status="declined", sent_at=sent, response_due=date(2025, 3, 12), answered_at=_at(3, 11))
        referrals.add(status="accepted", sent_at=sent, response_due=date(2025, 3, 14), answered_at=_at(3, 13))
        # Late: at 00:30 the day after (still the due day in UTC: days are counted in
        # Belgian time), never answered, cancelled unanswered after the deadline.
        referrals.add(status="accepted", sent_at=sent, response_due=date(2025, 3, 10), answered_at=_at(3, 11, 0, 30))
        referrals.add(status="sent", sent_at=sent, response_due=date(2025, 3, 12))
        referrals.add(status="cancelled", sent_at=sent, response_due=date(2025, 3, 14), closed_at=_at(3, 20))
        # Left out: cancelled before the deadline, awaiting triage (no deadline), not yet
        # due, to an association, sent before the period.
        referrals.add(status="cancelled", sent_at=sent, response_due=date(2025, 3, 14), closed_at=_at(3, 13))
        referrals.add(status="sent", sent_at=sent, awaiting_triage=True)
        referrals.add(status="sent", sent_at=sent, response_due=timezone.localdate() + timedelta(days=30))
        referrals.add(status="sent", sent_at=sent, to_organisation=exil, response_due=date(2025, 3, 10))
        referrals.add(status="accepted", sent_at=_at(2, 3), response_due=date(2025, 2, 10), answered_at=_at(2, 20))
        # Two more in time and two more late, so that neither side numbers 1 to 4.
        for _ in range(2):
            referrals.add(status="accepted", sent_at=sent, response_due=date(2025, 3, 10), answered_at=_at(3, 4))
            referrals.add(status="sent", sent_at=sent, response_due=date(2025, 3, 10))
    _compute("cpas_answered_in_time")
    assert _values(tenant_db.schaerbeek, "2025-03", "cpas_answered_in_time") == {"": 50.0}  # 5 of 10


@pytest.mark.parametrize(("count", "expected"), [(4, {}), (5, {"": 100.0})])
def test_cpas_answered_in_time_needs_five_referrals(tenant_db, count, expected):
    with schema_context("schaerbeek"):
        referrals = Referrals(tenant_db)
        for _ in range(count):
            referrals.add(status="accepted", sent_at=_at(3, 3), response_due=date(2025, 3, 10), answered_at=_at(3, 4))
        # Not yet due: does not make up the five.
        referrals.add(status="sent", sent_at=_at(3, 3), response_due=timezone.localdate() + timedelta(days=30))
    _compute("cpas_answered_in_time")
    assert _values(tenant_db.schaerbeek, "2025-03", "cpas_answered_in_time") == expected


@pytest.mark.parametrize(("late", "expected"), [(0, {"": 100.0}), (1, {}), (4, {}), (5, {"": 50.0})])
def test_a_share_is_not_shown_when_those_late_number_one_to_four(tenant_db, late, expected):
    """With the total known elsewhere, "83 % of 6" would give away one late answer."""
    with schema_context("schaerbeek"):
        referrals = Referrals(tenant_db)
        for _ in range(5):
            referrals.add(status="accepted", sent_at=_at(3, 3), response_due=date(2025, 3, 10), answered_at=_at(3, 4))
        for _ in range(late):
            referrals.add(status="sent", sent_at=_at(3, 3), response_due=date(2025, 3, 10))
    _compute("cpas_answered_in_time")
    assert _values(tenant_db.schaerbeek, "2025-03", "cpas_answered_in_time") == expected


def _person(organisation, **fields) -> Person:
    fields.setdefault("created_at", _at(1, 10))
    return Person.objects.create(organisation=organisation, given_name="Amina", family_name="Haddad", **fields)


def _registered(organisation, commune: date, programme: date | None, **fields) -> Person:
    return _person(organisation, commune_registration_date=commune, programme_registration_date=programme, **fields)


def test_programme_registration_in_time_uses_each_coordinations_deadline(tenant_db):
    Coordination.objects.filter(pk=tenant_db.schaerbeek.pk).update(registration_deadline_months=6)
    Coordination.objects.filter(pk=tenant_db.tournai.pk).update(registration_deadline_months=3)
    with schema_context("schaerbeek"):
        exil = _organisation("Exil", "association")
        # Deadlines (6 months on) in March 2025.
        _registered(exil, date(2024, 9, 1), date(2025, 3, 1))  # on the deadline day: in time
        _registered(exil, date(2024, 9, 10), date(2025, 2, 1))  # before: in time
        _registered(exil, date(2024, 9, 30), date(2025, 3, 30))  # on the deadline day: in time
        _registered(exil, date(2024, 9, 15), date(2025, 3, 16))  # a day late
        _registered(exil, date(2024, 9, 20), None)  # not registered
        # Left out: deadline 28 February, deadline 1 April, anonymised, no commune date.
        _registered(exil, date(2024, 8, 31), None)
        _registered(exil, date(2024, 10, 1), None)
        _registered(exil, date(2024, 9, 5), None, anonymised_at=_at(3, 1))
        _registered(exil, None, None)
        # Two more in time, three more late: neither side numbers 1 to 4.
        for _ in range(2):
            _registered(exil, date(2024, 9, 10), date(2025, 2, 1))
        for _ in range(3):
            _registered(exil, date(2024, 9, 20), None)
    with schema_context("tournai"):
        cpas = _organisation("CPAS de Tournai", "cpas")
        # Deadlines (3 months on) in March 2025; with Schaerbeek's 6 they would fall in June.
        for _ in range(5):
            _registered(cpas, date(2024, 12, 5), date(2025, 3, 1))
        for _ in range(5):
            _registered(cpas, date(2024, 12, 5), date(2025, 3, 6))
    _compute("programme_registered_in_time")
    assert _values(tenant_db.schaerbeek, "2025-03", "programme_registered_in_time") == {"": 50.0}  # 5 of 10
    assert _values(tenant_db.tournai, "2025-03", "programme_registered_in_time") == {"": 50.0}  # 5 of 10


@pytest.mark.parametrize(("count", "expected"), [(4, {}), (5, {"": 100.0})])
def test_programme_registration_in_time_needs_five_files(tenant_db, count, expected):
    Coordination.objects.filter(pk=tenant_db.schaerbeek.pk).update(registration_deadline_months=6)
    with schema_context("schaerbeek"):
        exil = _organisation("Exil", "association")
        for _ in range(count):
            _registered(exil, date(2024, 9, 10), date(2025, 1, 10))
    _compute("programme_registered_in_time")
    assert _values(tenant_db.schaerbeek, "2025-03", "programme_registered_in_time") == expected


def test_a_person_who_moved_counts_once_where_the_file_went_with_the_deadline_carried(tenant_db):
    Coordination.objects.filter(pk=tenant_db.schaerbeek.pk).update(registration_deadline_months=6)
    Coordination.objects.filter(pk=tenant_db.tournai.pk).update(registration_deadline_months=3)
    with schema_context("tournai"):
        cpas = _organisation("CPAS de Tournai", "cpas")
        # Deadlines (3 months on) in March 2025: the files left behind when the families moved.
        for _ in range(5):
            _registered(cpas, date(2024, 12, 5), None, moved_at=_at(1, 10), closed_at=_at(1, 10))
    with schema_context("schaerbeek"):
        via = _organisation("VIA — BAPA Schaerbeek", "bapa")
        # The files opened on arrival: no commune date here, the deadline carried from Tournai
        # (5 March); five registered in time, five late.
        for registered in [date(2025, 3, 1)] * 5 + [date(2025, 3, 20)] * 5:
            _registered(via, None, registered, programme_due_carried=date(2025, 3, 5))
    _compute("programme_registered_in_time")
    assert _values(tenant_db.tournai, "2025-03", "programme_registered_in_time") == {}
    assert _values(tenant_db.schaerbeek, "2025-03", "programme_registered_in_time") == {"": 50.0}


def test_offer_languages_count_open_offers_once_per_language(tenant_db, make_offer):
    for i in range(6):
        make_offer(f"Permanence {i}", languages=["fr", "nl"])
    make_offer("Liste d'attente", languages=["fr", "ar"], capacity_status="waiting_list")
    make_offer("Complet", languages=["ar"], capacity_status="full")
    make_offer("Sans langue")
    ended = make_offer("Fini en mars", languages=["ar"])
    with schema_context("schaerbeek"):
        Offer.objects.filter(pk=ended.pk).update(valid_until=date(2025, 3, 31))
    _compute("offer_languages")
    values = _values(tenant_db.schaerbeek, "2025-03", "offer_languages")
    assert values == {"fr": 7.0, "nl": 6.0, "ar": 1.0}
    shown = {key: cell.shown for key, cell in present(values, "count").items()}
    assert shown == {"fr": "7", "nl": "—", "ar": "<5"}


def test_person_languages_count_the_files_open_at_the_end_of_the_period(tenant_db):
    with schema_context("schaerbeek"):
        exil = _organisation("Exil", "association")
        for _ in range(5):
            _person(exil, languages=["ar", "fr"])
        _person(exil, languages=["uk"], closed_at=_at(4, 15))  # closed after the period
        _person(exil, languages=["uk"], closed_at=_at(4, 1, 0, 0))  # closed as it ends
        _person(exil, languages=["uk"], closed_at=_at(3, 15))  # closed during it: left out
        _person(exil, languages=["ti"], created_at=_at(4, 2))  # opened after it: left out
        _person(exil, languages=["ti"], anonymised_at=_at(3, 1))  # anonymised: left out
    _compute("person_languages")
    values = _values(tenant_db.schaerbeek, "2025-03", "person_languages")
    assert values == {"ar": 5.0, "fr": 5.0, "uk": 2.0}
    shown = {key: cell.shown for key, cell in present(values, "count").items()}
    assert shown == {"ar": "—", "fr": "5", "uk": "<5"}


def test_shares_are_shown_as_whole_percentages_without_suppression():
    cells = present({"": 83.333}, "share")
    assert cells[""].shown == "83 %" and cells[""].value == 83.333
    assert present({"": 3.0}, "share")[""].shown == "3 %"


def test_the_api_shows_a_share_as_a_percentage(tenant_db, login, client):
    Coordination.objects.filter(pk=tenant_db.schaerbeek.pk).update(registration_deadline_months=6)
    with schema_context("schaerbeek"):
        exil = _organisation("Exil", "association")
        for _ in range(6):
            _registered(exil, date(2024, 9, 10), date(2025, 1, 10))
        for _ in range(9):
            _registered(exil, date(2024, 9, 10), None)
    _compute("programme_registered_in_time")
    login(tenant_db["regional_admin"], verified=False)
    body = client.get("/api/v1/regions/brussels/indicators/?period=2025-03").json()
    share = next(t for t in body["indicators"] if t["code"] == "programme_registered_in_time")
    assert share["kind"] == "share"
    assert share["coordinations"][0]["values"] == {"": "40 %"}  # 6 of 15
