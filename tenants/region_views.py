"""Regional comparison pages: the regional administrator's dashboard and exports (public
schema), and a coordinator's figures against the median of their region (inside a
coordination). Figures come from `tenants.region_selectors`, already suppressed."""

import csv
import importlib
import io
import statistics
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from directory.models import OrganisationKind
from maillage.errors import Invalid
from maillage.exports import spreadsheet_safe
from referrals.models import ReferralStatus
from tenants import charts, indicators, policies
from tenants.audit.services import record_event
from tenants.models import Region
from tenants.region_selectors import monthly_totals, region_figures

# A sentence per indicator, shown with its label next to the comparison table.
EXPLANATIONS = {
    "member_organisations": gettext_lazy(
        "Organisations that are members of the coordination (they send and receive referrals), by kind."
    ),
    "cpas_referent_designated": gettext_lazy(
        "1 when at least one active account holds the CPAS reference person role, 0 otherwise."
    ),
    "open_offers": gettext_lazy(
        "Offers taking people or with a waiting list and still valid at the end of the period, "
        "by their main need domain."
    ),
    "referrals_sent": gettext_lazy("Referrals sent during the period; the breakdown gives their status today."),
    "referrals_overdue": gettext_lazy(
        "Referrals sent during the period that were answered after the deadline, or are still unanswered."
    ),
    "days_to_response_median": gettext_lazy(
        "Half of the answered referrals got their answer within this many days (from at least 5 answers)."
    ),
    "days_to_response_p90": gettext_lazy(
        "Nine answered referrals out of ten got their answer within this many days (from at least 5 answers)."
    ),
    "consents_in_force": gettext_lazy(
        "Consents given, not expired, not withdrawn and not replaced on the last day of the period."
    ),
    "active_accounts": gettext_lazy("Accounts with an active membership in the coordination today."),
}

SERIES_INDICATOR = "referrals_sent"
HEAT_INDICATOR = "open_offers"
# The taxonomy every coordination starts with (codes and labels), kept with its seed.
_SEEDED_DOMAINS = importlib.import_module("directory.migrations.0003_seed_need_domains").DOMAINS


def _domain_labels() -> dict[str, str]:
    column = {"fr": 1, "nl": 2, "en": 3}.get((get_language() or "fr")[:2], 1)
    return {row[0]: row[column] for row in _SEEDED_DOMAINS}


def _dimension_label(indicator: str, code: str, domains: dict[str, str]) -> str:
    if indicator == "referrals_sent" and code in ReferralStatus.values:
        return str(ReferralStatus(code).label)
    if indicator == "member_organisations" and code in OrganisationKind.values:
        return str(OrganisationKind(code).label)
    if indicator == "open_offers":
        return domains.get(code, code)
    return code


def _breakdown_line(indicator: str, cells: dict, domains: dict[str, str]) -> str:
    if list(cells) in ([], [""]):
        return ""
    return " · ".join(f"{_dimension_label(indicator, code, domains)} {cell.shown}" for code, cell in cells.items())


def _sort_key(cell) -> float:
    """Suppressed counts sort as one block between 0 and 5, never by their hidden value."""
    if cell.value is not None:
        return cell.value
    return 2.5 if cell.shown == "<5" else -1.0


def _bad_request(request, error: Invalid):
    problems = [str(message) for messages in error.fields.values() for message in messages] or [str(error.message)]
    return render(request, "tenants/region_bad_request.html", {"problems": problems}, status=400)


def _period_from(request):
    return indicators.parse_period(request.GET.get("period") or indicators.last_complete_month())


def _scoped(request, region: str):
    """(region, period) for the regional administrator of that region. Anyone else gets
    the 404 of a missing page; an unknown region or period raises Invalid (400)."""
    region = indicators.parse_region(region)
    admin = getattr(request.user, "regional_administrator", None)
    if admin is None or admin.region != region:
        raise Http404
    return region, _period_from(request)


def _indicator_columns(period_label: str, sort: str) -> list[dict]:
    columns = []
    for code, spec in indicators.INDICATORS.items():
        columns.append(
            {
                "code": code,
                "label": spec["label"],
                "explanation": EXPLANATIONS.get(code, ""),
                "kind": spec["kind"],
                "url": "?" + urlencode({"period": period_label, "sort": code}),
                "sorted": code == sort,
            }
        )
    return columns


@login_required
def region_dashboard(request, region):
    try:
        region, period = _scoped(request, region)
    except Invalid as error:
        return _bad_request(request, error)
    sort = request.GET.get("sort", "")
    if sort not in indicators.INDICATORS:
        sort = ""
    territories = sorted(region_figures(region=region, period=period), key=lambda t: t.name.casefold())
    if sort:
        territories.sort(key=lambda t: _sort_key(t.totals[sort]), reverse=True)
    domains = _domain_labels()
    rows = [
        {
            "name": t.name,
            "cells": [
                {
                    "code": code,
                    "label": indicators.INDICATORS[code]["label"],
                    "total": t.totals[code].shown,
                    "breakdown": _breakdown_line(code, t.breakdowns[code], domains),
                }
                for code in indicators.INDICATORS
            ],
        }
        for t in territories
    ]
    context = {
        "region": region,
        "region_label": Region(region).label,
        "period": period,
        "sort": sort,
        "columns": _indicator_columns(period.label, sort),
        "name_url": "?" + urlencode({"period": period.label}),
        "rows": rows,
        "export_query": urlencode({"period": period.label}),
        **_bar_chart(territories),
        **_heat_map(territories, domains),
        **_time_series(region, period, territories),
    }
    return render(request, "tenants/region_dashboard.html", context)


def _figure(cell) -> tuple[float | None, str]:
    return cell.value, cell.shown


def _bar_chart(territories) -> dict:
    items = [(t.name, _figure(t.totals[SERIES_INDICATOR])) for t in territories]
    svg = charts.bar_chart(
        items,
        chart_id="chart-sent",
        title=_("Referrals sent in the period, per territory"),
        described_by="table-comparison",
        empty_text=_("no figure"),
    )
    return {"bar_svg": mark_safe(svg)}  # noqa: S308 - built by tenants.charts, every text escaped


def _heat_map(territories, domains: dict[str, str]) -> dict:
    codes = list(domains)
    for t in territories:
        codes += [code for code in t.breakdowns[HEAT_INDICATOR] if code and code not in codes]
    computed = [bool(t.totals[HEAT_INDICATOR].shown) for t in territories]
    grid = []
    for code in codes:
        row = []
        for t, is_computed in zip(territories, computed, strict=True):
            cell = t.breakdowns[HEAT_INDICATOR].get(code)
            row.append(_figure(cell) if cell else ((0.0, "0") if is_computed else (None, "")))
        grid.append(row)
    gaps = [any(computed) and all(shown in ("0", "") for _v, shown in row) for row in grid]
    labelled = [(domains.get(code, code), gap) for code, gap in zip(codes, gaps, strict=True)]
    svg = charts.heat_map(
        labelled,
        [t.name for t in territories],
        grid,
        chart_id="chart-offers",
        title=_("Open offers per need domain and territory"),
        described_by="table-offers",
        gap_text=_("no open offer"),
    )
    heat_rows = [
        {"label": label, "gap": gap, "cells": [shown for _v, shown in row]}
        for (label, gap), row in zip(labelled, grid, strict=True)
    ]
    return {"heat_svg": mark_safe(svg), "heat_rows": heat_rows, "gap_count": sum(gaps)}  # noqa: S308


def _time_series(region: str, period, territories) -> dict:
    months, series = monthly_totals(region=region, period=period, indicator=SERIES_INDICATOR)
    named = [(t.name, [_figure(c) if c else None for c in series.get(t.pk, [])]) for t in territories]
    svg = charts.time_series(
        months,
        named,
        chart_id="chart-months",
        title=_("Referrals sent per month over the 12 months before the period"),
        described_by="table-months",
    )
    series_rows = [{"name": name, "cells": [f[1] if f else None for f in points]} for name, points in named]
    return {"series_svg": mark_safe(svg), "months": months, "series_rows": series_rows}  # noqa: S308


# --- Exports ---------------------------------------------------------------------------


EXPORT_HEADER = ["region", "period", "coordination", "indicator", "dimension", "value"]


def _export_rows(request, region: str, period) -> list[list[str]]:
    """One line per figure: each indicator's total, then its breakdown; suppressed as shown.
    Exporting leaves a trace in the platform's audit trail."""
    record_event(
        actor=request.actor,
        action="region.exported",
        object_type="indicators",
        detail={"region": region, "period": period.label},
    )
    lines = []
    for t in region_figures(region=region, period=period):
        for code in indicators.INDICATORS:
            lines.append([region, period.label, t.name, code, "total", t.totals[code].shown])
            for dimension, cell in t.breakdowns[code].items():
                if dimension:
                    lines.append([region, period.label, t.name, code, dimension, cell.shown])
    return [[spreadsheet_safe(value) for value in line] for line in lines]


@login_required
def region_export_csv(request, region):
    try:
        region, period = _scoped(request, region)
    except Invalid as error:
        return _bad_request(request, error)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="region-{region}-{period.label}.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_HEADER)
    writer.writerows(_export_rows(request, region, period))
    return response


@login_required
def region_export_xlsx(request, region):
    from openpyxl import Workbook

    try:
        region, period = _scoped(request, region)
    except Invalid as error:
        return _bad_request(request, error)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(period.label)
    sheet.append(EXPORT_HEADER)
    for line in _export_rows(request, region, period):
        sheet.append(line)  # text only: "<5" stays text and "=" was neutralised above
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="region-{region}-{period.label}.xlsx"'
    return response


# --- Inside a coordination -----------------------------------------------------------


def _median(values: list[float]) -> str:
    if not values:
        return ""
    return f"{statistics.median(values):.1f}".removesuffix(".0")


def coordination_indicators(request):
    """A coordinator's figures next to the median of the region's coordinations."""
    actor = request.actor
    if not policies.can_manage_members(actor):
        return HttpResponseForbidden()
    try:
        period = _period_from(request)
    except Invalid as error:
        return _bad_request(request, error)
    coordination = request.tenant
    territories = region_figures(region=coordination.region, period=period)
    own = next((t for t in territories if t.pk == coordination.pk), None)
    domains = _domain_labels()
    rows = []
    for code, spec in indicators.INDICATORS.items():
        counted = [t.totals[code].value for t in territories if t.totals[code].value is not None]
        rows.append(
            {
                "code": code,
                "label": spec["label"],
                "explanation": EXPLANATIONS.get(code, ""),
                "own": own.totals[code].shown if own else "",
                "breakdown": _breakdown_line(code, own.breakdowns[code], domains) if own else "",
                "median": _median(counted),
                "counted": len(counted),
            }
        )
    context = {
        "period": period,
        "region_label": Region(coordination.region).label if coordination.region else "",
        "territory_count": len(territories),
        "rows": rows,
    }
    return render(request, "tenants/coordination_indicators.html", context)
