"""The regional comparison: indicators per coordination and period, aggregates only.

This is the one module that reads across coordinations. Each indicator is ONE SQL
statement over every schema (UNION ALL), never a Python loop per schema, and only counts,
durations and shares leave a schema. Figures are shown through `present()`, which suppresses
small counts (1 to 4 show as "<5") and any figure of the same breakdown that would let
someone recompute a suppressed one.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.errors import Invalid
from regions.models import IndicatorValue
from tenants.models import Coordination, Region

SMALL = 5  # counts from 1 to SMALL - 1 are suppressed

# Names of the codes the SQL below returns, in the words of the apps that own them (the
# same msgids, so the same translations): this module reads those apps only through its
# SQL. tests/regions/test_labels.py checks that they match referrals.ReferralStatus and
# directory.OrganisationKind.
REFERRAL_STATUS_LABELS = {
    "draft": _("Draft"),
    "sent": _("Sent"),
    "received": _("Received"),
    "appointment_proposed": _("Other appointment proposed"),
    "accepted": _("Accepted"),
    "declined": _("Declined"),
    "in_progress": _("In progress"),
    "completed": _("Completed"),
    "not_completed": _("Not completed"),
    "cancelled": _("Cancelled"),
    "consent_withdrawn": _("Consent withdrawn"),
}
ORGANISATION_KIND_LABELS = {
    "bapa": _("Reception office for newcomers (BAPA)"),
    "cri": _("Regional integration centre (CRI)"),
    "cpas": _("Public social welfare centre (CPAS)"),
    "commune": _("Commune"),
    "association": _("Association"),
    "ngo": _("NGO"),
    "citizen_initiative": _("Citizen initiative"),
    "public_service": _("Public service"),
    "other": _("Other"),
}


@dataclass(frozen=True)
class Period:
    label: str  # 2026-11, 2026-Q4, 2026
    start: date
    end: date  # exclusive

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end, time.min))


def parse_period(value: str) -> Period:
    """'2026-11' (month), '2026-Q4' (quarter) or '2026' (year); anything else is a 400."""
    value = (value or "").strip()
    # Outside these years `date` itself fails (year 0, year 10000).
    if (m := re.match(r"(\d{4})", value)) and not 2000 <= int(m[1]) <= 2100:
        raise Invalid(fields={"period": [_("Choose a year between 2000 and 2100.")]})
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            end = date(year + (month == 12), month % 12 + 1, 1)
            return Period(value, date(year, month, 1), end)
    elif m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        year, quarter = int(m[1]), int(m[2])
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
        return Period(value, start, end)
    elif m := re.fullmatch(r"(\d{4})", value):
        year = int(m[1])
        return Period(value, date(year, 1, 1), date(year + 1, 1, 1))
    raise Invalid(fields={"period": [_("A month (2026-11), a quarter (2026-Q4) or a year (2026).")]})


def parse_region(value: str) -> str:
    if value not in Region.values:
        raise Invalid(fields={"region": [_("Choose brussels, wallonia or flanders.")]})
    return value


# A share is shown only from 5 cases, and only when neither the cases that meet the rule
# nor those that miss it number 1 to 4: with the total known (another figure may give it),
# "80 % of 5" would otherwise give away a count of 1. The engine adds this to every share,
# whose SQL selects from a subquery with a boolean column `in_time`.
SHARE_WITHOUT_SMALL_COUNTS = (
    " HAVING count(*) >= 5 AND count(*) FILTER (WHERE in_time) NOT BETWEEN 1 AND 4"
    " AND count(*) FILTER (WHERE NOT in_time) NOT BETWEEN 1 AND 4"
)

# Each indicator: a SELECT for one schema returning (dimension, value), with {schema} (the
# quoted schema name), {schema_name} (the schema name as a bound value, to find the
# coordination's own settings in the public table) and the bound values %(start)s / %(end)s
# (aware datetimes), %(start_date)s / %(end_date)s (the first day and the day after the
# period), %(today)s (the day of the computation) and %(tz)s (the time zone deadlines are
# counted in). The engine wraps it per schema and joins them with UNION ALL.
#
# "flow": True marks a count of events dated in the period (a quarter's is the sum of its
# months'): `regions.selectors` suppresses a quarter's or a year's figure when one of its
# months' is, or the hidden month would be the quarter minus the others.
#
# "label" says in full what is counted; "short" names the column of the comparison table
# (the label is a click away, in its definitions).
#
# Kinds: "count" (suppressed by `present()`), "flag" (0 or 1), "duration" (days) and "share"
# (a percentage, 0 to 100). Durations and shares are only computed from at least SMALL rows
# (HAVING count(*) >= 5 in their SQL), so they are shown as they are.
INDICATORS = {
    "member_organisations": {
        "short": _("Member organisations"),
        "label": _("Member organisations, by kind"),
        "kind": "count",
        "sql": "SELECT kind, count(*) FROM {schema}.directory_organisation WHERE is_member GROUP BY kind",
    },
    "cpas_referent_designated": {
        "short": _("CPAS reference person"),
        "label": _("CPAS reference person designated (1) or not (0)"),
        "kind": "flag",
        "sql": "SELECT '', count(*) > 0 FROM {schema}.members_membership WHERE role = 'cpas_referent' AND is_active",
    },
    "open_offers": {
        "short": _("Open offers"),
        "label": _("Open offers, by need domain"),
        "kind": "count",
        "sql": "SELECT d.code, count(*) FROM {schema}.directory_offer o "
        "JOIN {schema}.directory_needdomain d ON d.id = o.primary_domain_id "
        "WHERE o.capacity_status IN ('open', 'waiting_list') "
        "AND (o.valid_until IS NULL OR o.valid_until >= %(end_date)s) GROUP BY d.code",
    },
    "referrals_sent": {
        "flow": True,
        "short": _("Referrals sent"),
        "label": _("Referrals sent in the period, by status now"),
        "kind": "count",
        "sql": "SELECT status, count(*) FROM {schema}.referrals_referral "
        "WHERE sent_at >= %(start)s AND sent_at < %(end)s GROUP BY status",
    },
    "referrals_overdue": {
        "flow": True,
        "short": _("Referrals late"),
        "label": _("Referrals sent in the period and answered late or not at all"),
        "kind": "count",
        "sql": "SELECT '', count(*) FROM {schema}.referrals_referral "
        "WHERE sent_at >= %(start)s AND sent_at < %(end)s AND overdue_since IS NOT NULL",
    },
    "days_to_response_median": {
        "short": _("Days to answer (median)"),
        "label": _("Median days from sending to an answer"),
        "kind": "duration",
        "sql": "SELECT '', percentile_cont(0.5) WITHIN GROUP "
        "(ORDER BY extract(epoch FROM answered_at - sent_at) / 86400) FROM {schema}.referrals_referral "
        "WHERE sent_at >= %(start)s AND sent_at < %(end)s AND answered_at IS NOT NULL HAVING count(*) >= 5",
    },
    "days_to_response_p90": {
        "short": _("Days to answer (90th pct.)"),
        "label": _("90th percentile of days from sending to an answer"),
        "kind": "duration",
        "sql": "SELECT '', percentile_cont(0.9) WITHIN GROUP "
        "(ORDER BY extract(epoch FROM answered_at - sent_at) / 86400) FROM {schema}.referrals_referral "
        "WHERE sent_at >= %(start)s AND sent_at < %(end)s AND answered_at IS NOT NULL HAVING count(*) >= 5",
    },
    "consents_in_force": {
        "short": _("Consents in force"),
        "label": _("Consents in force at the end of the period"),
        "kind": "count",
        # In force at the end: given before, not yet expired, not withdrawn before, and
        # not replaced by a newer version before.
        "sql": "SELECT '', count(*) FROM {schema}.consent_consent c WHERE c.given_at < %(end)s "
        "AND c.expires_at >= %(end)s AND (c.withdrawn_at IS NULL OR c.withdrawn_at >= %(end)s) "
        "AND NOT EXISTS (SELECT 1 FROM {schema}.consent_consent n "
        "WHERE n.supersedes_id = c.id AND n.created_at < %(end)s)",
    },
    "active_accounts": {
        "short": _("Active accounts"),
        "label": _("Active accounts"),
        "kind": "count",
        "sql": "SELECT '', count(*) FROM {schema}.members_membership WHERE is_active",
    },
    "referrals_by_domain": {
        "flow": True,
        "short": _("Referrals by need domain"),
        "label": _(
            "Referrals sent in the period, by need domain (each referral counted once, under the first "
            "of its need domains in the taxonomy's order)"
        ),
        "kind": "count",
        # A referral names one or more domains and none is the main one: the first in the
        # taxonomy's order stands for it, so the breakdown adds up to the referrals sent.
        "sql": "SELECT picked.code, count(*) FROM (SELECT DISTINCT ON (r.id) n.code "
        "FROM {schema}.referrals_referral r JOIN {schema}.referrals_referral_domains rd ON rd.referral_id = r.id "
        "JOIN {schema}.directory_needdomain n ON n.id = rd.needdomain_id "
        "WHERE r.sent_at >= %(start)s AND r.sent_at < %(end)s ORDER BY r.id, n.position, n.code) picked "
        "GROUP BY picked.code",
    },
    "referrals_by_recipient_kind": {
        "flow": True,
        "short": _("Referrals by recipient"),
        "label": _(
            "Referrals sent in the period, by kind of receiving organisation: CPAS; BAPA or CRI; "
            "association (associations, NGOs, citizen initiatives); other (communes, public services, others)"
        ),
        "kind": "count",
        "sql": "SELECT CASE o.kind WHEN 'cpas' THEN 'cpas' WHEN 'bapa' THEN 'bapa_cri' WHEN 'cri' THEN 'bapa_cri' "
        "WHEN 'association' THEN 'association' WHEN 'ngo' THEN 'association' "
        "WHEN 'citizen_initiative' THEN 'association' ELSE 'other' END, count(*) "
        "FROM {schema}.referrals_referral r "
        "JOIN {schema}.directory_organisation o ON o.id = r.to_organisation_id "
        "WHERE r.sent_at >= %(start)s AND r.sent_at < %(end)s GROUP BY 1",
    },
    "referral_steps": {
        "flow": True,
        "short": _("Accepted, declined, completed"),
        "label": _(
            "Referrals accepted, declined and completed in the period, each counted on the day of that step, "
            "whenever the referral was sent (one accepted then completed counts in both)"
        ),
        "kind": "count",
        "additive": False,  # its parts overlap: no total
        # answered_at is set by accepting or declining, and only there; closed_at by every
        # closing step, so completion is closed_at with the (final) completed status.
        "sql": "SELECT s.step, count(*) FROM {schema}.referrals_referral r "
        "CROSS JOIN LATERAL (VALUES ('accepted', r.answered_at, r.status <> 'declined'), "
        "('declined', r.answered_at, r.status = 'declined'), "
        "('completed', r.closed_at, r.status = 'completed')) AS s(step, at, applies) "
        "WHERE s.applies AND s.at >= %(start)s AND s.at < %(end)s "
        "AND ((r.answered_at >= %(start)s AND r.answered_at < %(end)s) "
        "OR (r.closed_at >= %(start)s AND r.closed_at < %(end)s)) GROUP BY s.step",
    },
    "days_to_completion_median": {
        "short": _("Days to completion (median)"),
        "label": _(
            "Median days from sending to completion, of the referrals completed in the period "
            "(from at least 5 completed)"
        ),
        "kind": "duration",
        # Completed in the period, not sent in it: completion takes weeks, so the referrals
        # sent in a month and already completed at its end would be only the quick ones.
        "sql": "SELECT '', percentile_cont(0.5) WITHIN GROUP "
        "(ORDER BY extract(epoch FROM closed_at - sent_at) / 86400) FROM {schema}.referrals_referral "
        "WHERE status = 'completed' AND closed_at >= %(start)s AND closed_at < %(end)s "
        "AND sent_at IS NOT NULL HAVING count(*) >= 5",
    },
    "days_to_completion_p90": {
        "short": _("Days to completion (90th pct.)"),
        "label": _(
            "90th percentile of days from sending to completion, of the referrals completed in the period "
            "(from at least 5 completed)"
        ),
        "kind": "duration",
        "sql": "SELECT '', percentile_cont(0.9) WITHIN GROUP "
        "(ORDER BY extract(epoch FROM closed_at - sent_at) / 86400) FROM {schema}.referrals_referral "
        "WHERE status = 'completed' AND closed_at >= %(start)s AND closed_at < %(end)s "
        "AND sent_at IS NOT NULL HAVING count(*) >= 5",
    },
    "cpas_answered_in_time": {
        "short": _("CPAS answers in time"),
        "label": _(
            "Referrals to a CPAS sent in the period: percentage answered (accepted or declined) by the "
            "deadline. Those unanswered past the deadline count as late; those not yet due, awaiting triage "
            "or cancelled before the deadline are left out (from at least 5 referrals, and not shown when those "
            "in time or those late number 1 to 4)"
        ),
        "kind": "share",
        # The deadline is a day: an answer on that day, in Belgian time, is in time.
        "sql": "SELECT '', 100.0 * count(*) FILTER (WHERE in_time) / count(*) FROM ("
        "SELECT coalesce(r.answered_at IS NOT NULL "
        "AND (r.answered_at AT TIME ZONE %(tz)s)::date <= r.response_due, false) AS in_time "
        "FROM {schema}.referrals_referral r JOIN {schema}.directory_organisation o ON o.id = r.to_organisation_id "
        "WHERE o.kind = 'cpas' AND r.sent_at >= %(start)s AND r.sent_at < %(end)s AND r.response_due IS NOT NULL "
        "AND (r.answered_at IS NOT NULL OR (r.response_due < %(today)s AND (r.closed_at IS NULL "
        "OR (r.closed_at AT TIME ZONE %(tz)s)::date > r.response_due)))) AS s",
    },
    "programme_registered_in_time": {
        "short": _("Programme registrations in time"),
        "label": _(
            "Files of persons whose integration programme deadline (commune registration date plus the "
            "coordination's months) fell in the period: percentage registered in the programme by that "
            "deadline (from at least 5 files, and not shown when those in time or those late number 1 to 4; "
            "anonymised files are left out)"
        ),
        "kind": "share",
        # The deadline is in the coordination's settings (public table), found by the schema
        # name as a bound value. Anonymised files have lost both dates anyway; the filter
        # says it. A person followed by two organisations has two files and counts twice
        # (files are not matched across organisations). A person who moved counts once,
        # where the file went (with the deadline carried over): the origin's file, marked
        # moved, is left out.
        "sql": "SELECT '', 100.0 * count(*) FILTER (WHERE in_time) / count(*) FROM ("
        "SELECT coalesce(p.programme_registration_date <= p.deadline, false) AS in_time "
        "FROM (SELECT pe.programme_registration_date, coalesce(pe.programme_due_carried, "
        "(pe.commune_registration_date + make_interval(months => c.registration_deadline_months))::date) AS deadline "
        "FROM {schema}.referrals_person pe JOIN public.tenants_coordination c ON c.schema_name = {schema_name} "
        "WHERE (pe.commune_registration_date IS NOT NULL OR pe.programme_due_carried IS NOT NULL) "
        "AND pe.anonymised_at IS NULL AND pe.moved_at IS NULL) p "
        "WHERE p.deadline >= %(start_date)s AND p.deadline < %(end_date)s) AS s",
    },
    "offer_languages": {
        "short": _("Offers by language"),
        "label": _(
            "Open offers (taking people or with a waiting list, still valid at the end of the period), "
            "by language the service is given in (an offer in two languages counts in both)"
        ),
        "kind": "count",
        "additive": False,  # its parts overlap: no total
        "sql": "SELECT l.code, count(DISTINCT o.id) FROM {schema}.directory_offer o "
        "CROSS JOIN LATERAL unnest(o.languages) AS l(code) "
        # The same offers as open_offers.
        "WHERE o.capacity_status IN ('open', 'waiting_list') "
        "AND (o.valid_until IS NULL OR o.valid_until >= %(end_date)s) GROUP BY l.code",
    },
    "person_languages": {
        "short": _("Persons by language"),
        "label": _(
            "Files of persons followed at the end of the period (opened before its end, not closed by then, "
            "not anonymised), by language the person speaks (a person speaking two counts in both)"
        ),
        "kind": "count",
        "additive": False,  # its parts overlap: no total
        "sql": "SELECT l.code, count(DISTINCT p.id) FROM {schema}.referrals_person p "
        "CROSS JOIN LATERAL unnest(p.languages) AS l(code) "
        "WHERE p.created_at < %(end)s AND (p.closed_at IS NULL OR p.closed_at >= %(end)s) "
        "AND p.anonymised_at IS NULL GROUP BY l.code",
    },
}


def sub_periods(period: Period) -> list[str]:
    """The months of a quarter; the months and quarters of a year; none for a month."""
    label = period.label
    if "-Q" in label:
        year, quarter = int(label[:4]), int(label[-1])
        return [f"{year}-{month:02d}" for month in range(3 * quarter - 2, 3 * quarter + 1)]
    if len(label) == 4:
        return [f"{label}-{month:02d}" for month in range(1, 13)] + [f"{label}-Q{q}" for q in range(1, 5)]
    return []


def _coordinations(region: str | None = None):
    coordinations = Coordination.objects.exclude(schema_name="public").filter(is_active=True)
    if region:
        coordinations = coordinations.filter(region=region)
    return list(coordinations.order_by("pk"))


def compute(period: Period, *, region: str | None = None, indicators=None, progress=None) -> int:
    """Computes the indicators for every active coordination (of a region) and stores
    them as snapshots, replacing earlier ones of the same period. Returns rows stored."""
    # Snapshots live in the public schema; every tenant table below is named in full.
    connection.set_schema_to_public()
    coordinations = _coordinations(region)
    if not coordinations:
        return 0
    by_schema = {c.schema_name: c for c in coordinations}
    params = {
        "start": period.start_at,
        "end": period.end_at,
        "start_date": period.start,
        "end_date": period.end,
        "today": timezone.localdate(),
        "tz": settings.TIME_ZONE,
    }
    names = list(indicators or INDICATORS)
    rows: list[IndicatorValue] = []
    now = timezone.now()
    with connection.cursor() as cursor:
        for done, name in enumerate(names, start=1):
            # Only constant SQL and quoted schema names (from the Coordination table,
            # checked at provisioning) are assembled; every value is a bound parameter.
            per_schema = [
                f"SELECT %(schema_{i})s, sub.* FROM ("  # noqa: S608
                + INDICATORS[name]["sql"].format(
                    schema=connection.ops.quote_name(schema), schema_name=f"%(schema_{i})s"
                )
                + (SHARE_WITHOUT_SMALL_COUNTS if INDICATORS[name]["kind"] == "share" else "")
                + ") AS sub"
                for i, schema in enumerate(by_schema)
            ]
            schema_params = {f"schema_{i}": schema for i, schema in enumerate(by_schema)}
            cursor.execute(" UNION ALL ".join(per_schema), {**params, **schema_params})
            for schema, dimension, value in cursor.fetchall():
                if value is None:
                    continue
                rows.append(
                    IndicatorValue(
                        coordination=by_schema[schema],
                        period=period.label,
                        indicator=name,
                        dimension=dimension or "",
                        value=float(value),
                        computed_at=now,
                    )
                )
            if progress:
                progress(done, len(names))
    with transaction.atomic():
        # One statement: the ORM's delete() collects rows in batches when any pre/post
        # delete signal exists, and snapshots have no dependants.
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM tenants_indicatorvalue WHERE period = %s AND indicator = ANY(%s)"
                " AND coordination_id = ANY(%s)",
                [period.label, names, [c.pk for c in coordinations]],
            )
        IndicatorValue.objects.bulk_create(rows, batch_size=5000)
    stored = len(rows)
    # A quarter's or a year's counts are shown only where none of its months' is hidden
    # (regions.selectors): its months are computed with it when they are missing, so that
    # no month computed later turns a figure already seen into a difference attack.
    ids = [c.pk for c in coordinations]
    for child in sub_periods(period):
        if not IndicatorValue.objects.filter(period=child, coordination_id__in=ids).exists():
            stored += compute(parse_period(child), region=region, indicators=indicators)
    return stored


@dataclass(frozen=True)
class Cell:
    value: float | None  # None when suppressed
    shown: str


def _shown(value: float, kind: str) -> str:
    if kind == "duration":
        return f"{value:.1f}"
    if kind == "share":
        return f"{value:.0f} %"
    return str(int(value))


def present(values: dict[str, float], kind: str) -> dict[str, Cell]:
    """One breakdown (dimension → value) as it may be shown. Counts from 1 to 4 become
    "<5"; when exactly one cell of a breakdown is suppressed, the next smallest is too, so
    that a total cannot give it away. Durations and shares are only computed from at least
    5 rows (the SQL says so), so they are shown as they are, like flags."""
    if kind != "count":
        return {k: Cell(v, _shown(v, kind)) for k, v in values.items()}
    cells = {}
    suppressed = []
    for key, value in values.items():
        if 0 < value < SMALL:
            cells[key] = Cell(None, "<5")
            suppressed.append(key)
        else:
            cells[key] = Cell(value, _shown(value, kind))
    if len(suppressed) == 1:
        others = sorted((v, k) for k, v in values.items() if k not in suppressed and v > 0)
        if others:
            _value, key = others[0]
            cells[key] = Cell(None, "—")
    return cells


def last_complete_month(today: date | None = None) -> str:
    today = today or timezone.localdate()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year}-{month:02d}"
