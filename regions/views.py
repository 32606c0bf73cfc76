"""Regional comparison pages: the regional administrator's dashboard, its exports and the
on-demand computation with its progress (public schema), and a coordinator's figures
against the median of their region (inside a coordination). Figures come from
`regions.selectors`, already suppressed.

The comparison table is written by `_table_rows` in Python rather than by template
loops: with 300 territories and some twenty indicators, the template engine alone took
longer than the page's budget (300 ms).
"""

import csv
import importlib
import io
import uuid
from html import escape
from urllib.parse import urlencode

from celery.result import AsyncResult
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record_event
from maillage.delivery import queue_after_commit
from maillage.errors import Invalid
from maillage.exports import spreadsheet_safe
from maillage.languages import language_name
from regions import charts, indicators, policies
from regions.selectors import (
    UNKNOWN_POPULATION,
    compare_with_region,
    has_total,
    monthly_series,
    per_thousand,
    populations,
    region_figures,
)
from regions.tasks import compute_indicators
from tenants.models import Region

# A sentence per indicator, shown with its label next to the comparison table. An
# indicator may carry its own ("definition"); the label says the rest.
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
# Receiving organisations grouped by kind (referrals_by_recipient_kind).
RECIPIENT_GROUPS = {
    "cpas": gettext_lazy("CPAS"),
    "bapa_cri": gettext_lazy("BAPA or CRI"),
    "association": gettext_lazy("association"),
    "other": gettext_lazy("other"),
}

SERIES_INDICATOR = "referrals_sent"
HEAT_INDICATOR = "open_offers"
# Durations drawn month by month, when the indicator exists.
DURATION_SERIES = ("days_to_response_median", "days_to_completion_median")
PER_THOUSAND = "1000"
# The taxonomy every coordination starts with (codes and labels), kept with its seed.
_SEEDED_DOMAINS = importlib.import_module("directory.migrations.0003_seed_need_domains").DOMAINS


def _domain_labels() -> dict[str, str]:
    column = {"fr": 1, "nl": 2, "en": 3}.get((get_language() or "fr")[:2], 1)
    return {row[0]: row[column] for row in _SEEDED_DOMAINS}


def definition_of(code: str) -> str:
    return str(indicators.INDICATORS[code].get("definition") or EXPLANATIONS.get(code, ""))


class DimensionLabels:
    """Names of breakdown dimensions in the reader's language (need domains, statuses,
    kinds of organisation, languages), looked up once per request."""

    def __init__(self):
        self.domains = _domain_labels()
        self.language = get_language() or "fr"
        self._statuses = {code: str(label) for code, label in indicators.REFERRAL_STATUS_LABELS.items()}
        self._kinds = {code: str(label) for code, label in indicators.ORGANISATION_KIND_LABELS.items()}
        self._groups = {code: str(label) for code, label in RECIPIENT_GROUPS.items()}
        self._languages: dict[str, str] = {}

    def label(self, indicator: str, code: str) -> str:
        if "languages" in indicator:
            if code not in self._languages:
                self._languages[code] = language_name(code, self.language)
            return self._languages[code]
        if indicator == "referrals_by_recipient_kind" and code in self._groups:
            return self._groups[code]
        return self.domains.get(code) or self._statuses.get(code) or self._kinds.get(code) or code

    def breakdown(self, indicator: str, cells: dict) -> str:
        if not cells or list(cells) == [""]:
            return ""
        return " · ".join(f"{self.label(indicator, code)} {cell.shown}" for code, cell in cells.items())


def _sort_key(cell) -> float:
    """Suppressed counts sort as one block between 0 and 5, never by their hidden value."""
    if cell.value is not None:
        return cell.value
    return 2.5 if cell.shown == "<5" else -1.0


def _rate_sort_key(cell) -> float:
    """Per 1,000 inhabitants: figures without a rate (suppressed, population unknown) last."""
    return cell.value if cell.value is not None else -1.0


def _bad_request(request, error: Invalid):
    problems = [str(message) for messages in error.fields.values() for message in messages] or [str(error.message)]
    return render(request, "regions/bad_request.html", {"problems": problems}, status=400)


def _period_from(request):
    return indicators.parse_period(request.GET.get("period") or indicators.last_complete_month())


def _is_regional_administrator(user, region: str) -> bool:
    admin = getattr(user, "regional_administrator", None)
    return admin is not None and admin.region == region


def _scoped(request, region: str):
    """(region, period) for the regional administrator of that region. Anyone else gets
    the 404 of a missing page; an unknown region or period raises Invalid (400)."""
    region = indicators.parse_region(region)
    if not _is_regional_administrator(request.user, region):
        raise Http404
    return region, _period_from(request)


def _per_from(request) -> bool:
    per = request.GET.get("per", "")
    if per not in ("", PER_THOUSAND):
        raise Invalid(fields={"per": [_("Leave it out for counts, or give 1000 for figures per 1,000 inhabitants.")]})
    return per == PER_THOUSAND


def _query(period_label: str, per: bool, **more) -> str:
    return "?" + urlencode({"period": period_label, **({"per": PER_THOUSAND} if per else {}), **more})


def _indicator_columns(period_label: str, sort: str, per: bool) -> list[dict]:
    return [
        {
            "code": code,
            "label": spec["label"],
            "explanation": definition_of(code),
            "kind": spec["kind"],
            "url": _query(period_label, per, sort=code),
            "sorted": code == sort,
            "divided": per and spec["kind"] == "count" and has_total(code),
        }
        for code, spec in indicators.INDICATORS.items()
    ]


# --- The comparison table, written in Python (see the module's docstring) -------------


def _figure_html(shown: str, no_figure: str) -> str:
    if shown:
        return escape(shown)
    return f'<span aria-hidden="true">–</span><span class="visually-hidden">{escape(no_figure)}</span>'


def _population_html(population, texts: dict[str, str]) -> str:
    if population.inhabitants:
        mark = f' <small class="breakdown">{escape(texts["provisional"])}</small>' if population.provisional else ""
        return f"{population.inhabitants}{mark}"
    why = f"{texts['missing']} {', '.join(population.missing)}" if population.missing else texts["no_commune"]
    return f'—<small class="breakdown">{escape(why)}</small>'


def _table_rows(rows: list[dict], texts: dict[str, str], per: bool) -> str:
    """<tr> of the comparison table: a row header, the population when per 1,000, then one
    cell per indicator with its total (or rate) and its breakdown."""
    out = []
    for row in rows:
        parts = [f'<tr><th scope="row">{escape(row["name"])}</th>']
        if per:
            parts.append(
                f'<td data-label="{escape(texts["inhabitants"])}" class="figure">'
                f"{_population_html(row['population'], texts)}</td>"
            )
        for cell in row["cells"]:
            note = ""
            if cell["breakdown"]:
                note = f'<small class="breakdown">{escape(cell["breakdown"])}</small>'
            elif cell["note"]:
                note = f'<small class="breakdown">{escape(cell["note"])}</small>'
            parts.append(
                f'<td data-label="{escape(cell["label"], quote=True)}" class="figure">'
                f"{_figure_html(cell['total'], texts['no_figure'])}{note}</td>"
            )
        parts.append("</tr>")
        out.append("".join(parts))
    return "\n".join(out)


def _cells(territory, shown: dict, labels: dict[str, str], names: DimensionLabels, per: bool, texts) -> list[dict]:
    """The table's cells of a territory: `shown` holds its totals as shown (rates when per
    1,000); a rate comes without its breakdown, which stays a count."""
    cells = []
    for code, spec in indicators.INDICATORS.items():
        total, note, breakdown = territory.totals[code], "", ""
        if per and spec["kind"] == "count" and has_total(code):
            if total.shown and total.value is None:
                note = texts["no_rate"]
        else:
            breakdown = names.breakdown(code, territory.breakdowns[code])
        cells.append({"label": labels[code], "total": shown[code].shown, "breakdown": breakdown, "note": note})
    return cells


@login_required
def region_dashboard(request, region):
    try:
        region, period = _scoped(request, region)
        per = _per_from(request)
    except Invalid as error:
        return _bad_request(request, error)
    sort = request.GET.get("sort", "")
    if sort not in indicators.INDICATORS:
        sort = ""
    territories = sorted(region_figures(region=region, period=period), key=lambda t: t.name.casefold())
    known = populations([t.pk for t in territories]) if per else {}
    shown_totals = {}  # territory → indicator → the cell shown (count or rate)
    for t in territories:
        population = known.get(t.pk, UNKNOWN_POPULATION)
        shown_totals[t.pk] = {
            code: per_thousand(t.totals[code], spec["kind"], population) if per else t.totals[code]
            for code, spec in indicators.INDICATORS.items()
        }
    if sort:
        key = _rate_sort_key if per and indicators.INDICATORS[sort]["kind"] == "count" else _sort_key
        territories.sort(key=lambda t: key(shown_totals[t.pk][sort]), reverse=True)
    names = DimensionLabels()
    labels = {code: str(spec["label"]) for code, spec in indicators.INDICATORS.items()}
    texts = {
        "no_figure": _("no figure"),
        "no_rate": _("no rate for a suppressed count"),
        "inhabitants": _("Inhabitants"),
        "missing": _("Population unknown for"),
        "no_commune": _("No commune recorded for this coordination."),
        "provisional": _("provisional"),
        "no_snapshot": _("no snapshot"),
        "no_open_offer": _("no open offer"),
    }
    rows = [
        {
            "name": t.name,
            "population": known.get(t.pk, UNKNOWN_POPULATION),
            "cells": _cells(t, shown_totals[t.pk], labels, names, per, texts),
        }
        for t in territories
    ]
    context = {
        "region": region,
        "region_label": Region(region).label,
        "period": period,
        "sort": sort,
        "per": per,
        "columns": _indicator_columns(period.label, sort, per),
        "name_url": _query(period.label, per),
        "counts_url": _query(period.label, False, **({"sort": sort} if sort else {})),
        "rates_url": _query(period.label, True, **({"sort": sort} if sort else {})),
        "rows": [{"name": t.name} for t in territories],
        "table_rows": mark_safe(_table_rows(rows, texts, per)),  # noqa: S308 - every text escaped above
        "population_note": _population_note(known) if per else None,
        "export_query": urlencode({"period": period.label}),
        **_bar_chart(territories, shown_totals, per),
        **_heat_map(territories, names.domains, texts),
        **_time_series(region, period, territories, texts),
    }
    return render(request, "regions/dashboard.html", context)


def _population_note(known: dict) -> dict:
    figures = [p for p in known.values() if p.inhabitants]
    dates = sorted({p.reference_date for p in figures if p.reference_date})
    return {
        "known": len(figures),
        "unknown": len(known) - len(figures),
        "dates": dates,
        "provisional": any(p.provisional for p in figures),
    }


def _figure(cell) -> tuple[float | None, str]:
    return cell.value, cell.shown


def _bar_chart(territories, shown_totals, per: bool) -> dict:
    items = [(t.name, _figure(shown_totals[t.pk][SERIES_INDICATOR])) for t in territories]
    title = (
        _("Referrals sent in the period per 1,000 inhabitants, per territory")
        if per
        else _("Referrals sent in the period, per territory")
    )
    svg = charts.bar_chart(
        items, chart_id="chart-sent", title=title, described_by="table-comparison", empty_text=_("no figure")
    )
    return {"bar_svg": mark_safe(svg)}  # noqa: S308 - built by regions.charts, every text escaped


def _heat_map(territories, domains: dict[str, str], texts: dict[str, str]) -> dict:
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
    warn = f' <strong class="warn">{escape(texts["no_open_offer"])}</strong>'
    heat_rows = [
        (
            f'<tr class="gap"><th scope="row">{escape(label)}{warn}</th>'
            if gap
            else f'<tr><th scope="row">{escape(label)}</th>'
        )
        + "".join(f"<td>{escape(shown) if shown else '–'}</td>" for _v, shown in row)
        + "</tr>"
        for (label, gap), row in zip(labelled, grid, strict=True)
    ]
    return {
        "heat_svg": mark_safe(svg),  # noqa: S308
        "heat_rows": mark_safe("\n".join(heat_rows)),  # noqa: S308 - every text escaped
        "gap_count": sum(gaps),
    }


def _duration_names() -> list[str]:
    return [code for code in DURATION_SERIES if code in indicators.INDICATORS]


def _row_html(header: str, cells: list[str | None], missing: str, extra: str = "") -> str:
    """A table row: a row header, optional plain cells, then figures ("–" and a hidden
    word for a missing one)."""
    blank = f'<td><span aria-hidden="true">–</span><span class="visually-hidden">{escape(missing)}</span></td>'
    figures = "".join(f"<td>{escape(shown)}</td>" if shown else blank for shown in cells)
    return f'<tr><th scope="row">{escape(header)}</th>{extra}{figures}</tr>'


def _time_series(region: str, period, territories, texts: dict[str, str]) -> dict:
    durations = _duration_names()
    months, series = monthly_series(
        region=region, period=period, indicators=[SERIES_INDICATOR, *durations], coordinations=territories
    )
    sent = series[SERIES_INDICATOR]
    named = [(t.name, [_figure(c) if c else None for c in sent.get(t.pk, [])]) for t in territories]
    svg = charts.time_series(
        months,
        named,
        chart_id="chart-months",
        title=_("Referrals sent per month over the 12 months before the period"),
        described_by="table-months",
    )
    series_rows = "\n".join(
        _row_html(name, [f[1] if f else None for f in points], texts["no_snapshot"]) for name, points in named
    )
    context = {
        "series_svg": mark_safe(svg),  # noqa: S308
        "months": months,
        "series_rows": mark_safe(series_rows),  # noqa: S308 - every text escaped
    }
    if durations:
        measures = [str(indicators.INDICATORS[code]["label"]) for code in durations]
        lines = [
            (t.name, [[_figure(c) if c else None for c in series[code].get(t.pk, [])] for code in durations])
            for t in territories
        ]
        duration_svg = charts.line_series(
            months,
            lines,
            measures=[_("Median days to an answer"), _("Median days to completion")][: len(durations)],
            chart_id="chart-durations",
            title=_("Median days to an answer and to completion per month, over the 12 months before the period"),
            described_by="table-durations",
        )
        duration_rows = "\n".join(
            _row_html(name, [f[1] if f else None for f in points], texts["no_figure"], f"<td>{escape(measure)}</td>")
            for name, per_measure in lines
            for measure, points in zip(measures, per_measure, strict=True)
        )
        context |= {
            "duration_svg": mark_safe(duration_svg),  # noqa: S308
            "duration_rows": mark_safe(duration_rows),  # noqa: S308 - every text escaped
        }
    return context


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
            if has_total(code):
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


# --- Computing now, with its progress -------------------------------------------------
# The run is named by a signed token (task id, region, period): only the administrators
# of that region (and platform staff) open it, and a token for another region, altered or
# older than a day is a missing page.

RUN_SALT = "tenants.region-compute"
RUN_MAX_AGE = 24 * 3600


def _may_compute(user, region: str) -> bool:
    return user.is_authenticated and (user.is_staff or _is_regional_administrator(user, region))


def _run_from(request, region: str, token: str) -> dict:
    """The run a token names, for someone who may watch it; anything else is a 404."""
    if region not in Region.values or not _may_compute(request.user, region):
        raise Http404
    try:
        run = signing.loads(token, salt=RUN_SALT, max_age=RUN_MAX_AGE)
    except signing.BadSignature:
        raise Http404
    if not isinstance(run, dict) or run.get("region") != region:
        raise Http404
    return run


def _run_state(task_id: str) -> dict:
    """Where a run stands, from Celery's result backend: waiting (queued, or no worker has
    taken it yet), running (done / total indicators), done, or failed."""
    result = AsyncResult(task_id)
    state, info = result.state, result.info
    if state == "PROGRESS" and isinstance(info, dict):
        total = int(info.get("total") or 0)
        current = min(int(info.get("current") or 0), total)
        return {"state": "running", "current": current, "total": total}
    if state == "STARTED":
        return {"state": "running", "current": 0, "total": 0}
    if state == "SUCCESS":
        return {"state": "done", "current": 1, "total": 1}
    if state in ("FAILURE", "REVOKED"):
        return {"state": "failed", "current": 0, "total": 0}
    return {"state": "waiting", "current": 0, "total": 0}


def _run_message(run_state: dict) -> str:
    state = run_state["state"]
    if state == "running" and run_state["total"]:
        return ngettext(
            "%(current)s of %(total)s indicator computed.",
            "%(current)s of %(total)s indicators computed.",
            run_state["total"],
        ) % {"current": run_state["current"], "total": run_state["total"]}
    if state == "running":
        return _("The computation has started.")
    if state == "done":
        return _("The figures are computed.")
    if state == "failed":
        return _("The computation failed. Try again later; if it fails again, tell the platform's administrators.")
    return _("Waiting for a worker to start the computation.")


def _run_payload(run_state: dict) -> dict:
    total = run_state["total"]
    percent = round(100 * run_state["current"] / total) if total else (100 if run_state["state"] == "done" else 0)
    return {
        **run_state,
        "percent": percent,
        "finished": run_state["state"] in ("done", "failed"),
        "message": _run_message(run_state),
    }


@login_required
@require_POST
def region_compute(request, region):
    """Starts the computation of the region's indicators for a period, then shows its
    progress. Recorded in the platform's audit trail."""
    try:
        region = indicators.parse_region(region)
        if not _may_compute(request.user, region):
            raise Http404
        period = indicators.parse_period(request.POST.get("period") or indicators.last_complete_month())
    except Invalid as error:
        return _bad_request(request, error)
    task_id = str(uuid.uuid4())
    record_event(
        actor=request.actor,
        action="region.compute_started",
        object_type="indicators",
        detail={"region": region, "period": period.label, "task": task_id},
    )

    queue_after_commit(
        compute_indicators, log_ref=f"run {task_id}", kwargs={"period": period.label, "region": region}, task_id=task_id
    )
    token = signing.dumps({"task": task_id, "region": region, "period": period.label}, salt=RUN_SALT)
    return redirect("region_compute_status", region=region, token=token)


@login_required
def region_compute_status(request, region, token):
    """The progress of a run: a <progress> bar that a small script keeps up to date; without
    script, a link to refresh the page."""
    run = _run_from(request, region, token)
    payload = _run_payload(_run_state(run["task"]))
    context = {
        "region": region,
        "region_label": Region(region).label,
        "period_label": run["period"],
        "run": payload,
        "progress_url": f"{request.path}progress/",
        "dashboard_url": reverse("region_dashboard", args=[region]) + _query(run["period"], False),
    }
    return render(request, "regions/compute.html", context)


def region_compute_progress(request, region, token):
    """The same as JSON, for the script. Not signed in, or not allowed: 404, no redirect."""
    if not request.user.is_authenticated:
        raise Http404
    run = _run_from(request, region, token)
    response = JsonResponse(_run_payload(_run_state(run["task"])))
    response["Cache-Control"] = "no-store"
    return response


# --- Inside a coordination -----------------------------------------------------------


def coordination_indicators(request):
    """A coordinator's figures next to the median of the region's coordinations."""
    actor = request.actor
    if not policies.can_see_coordination_indicators(actor):
        return HttpResponseForbidden()
    try:
        period = _period_from(request)
    except Invalid as error:
        return _bad_request(request, error)
    coordination = request.tenant
    comparisons, territory_count = compare_with_region(coordination=coordination, period=period)
    names = DimensionLabels()
    rows = [
        {
            "code": c.code,
            "label": indicators.INDICATORS[c.code]["label"],
            "explanation": definition_of(c.code),
            "own": c.own.shown,
            "breakdown": names.breakdown(c.code, c.breakdown),
            "median": c.median_shown,
            "counted": c.counted,
        }
        for c in comparisons
    ]
    context = {
        "period": period,
        "region_label": Region(coordination.region).label if coordination.region else "",
        "territory_count": territory_count,
        "rows": rows,
    }
    return render(request, "regions/coordination_indicators.html", context)
