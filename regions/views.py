"""Regional comparison pages: the regional administrator's dashboard, its exports and the
on-demand computation with its progress (public schema), and a coordinator's figures
against the median of their region (inside a coordination). Figures come from
`regions.selectors`, already suppressed.

The comparison table is computed by `regions.table.comparison_table`, the one source of
the page and of its exports, and written by `_table_rows` in Python rather than by template
loops: with 300 territories and some twenty indicators, the template engine alone took
longer than the page's budget (300 ms).
"""

import hashlib
import uuid
from datetime import timedelta
from html import escape
from urllib.parse import urlencode

from celery.result import AsyncResult
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from audit.services import record_event
from maillage.delivery import queue_after_commit
from maillage.errors import Invalid, NotFound
from regions import charts, exports, indicators, policies, trends
from regions.labels import DimensionLabels, definition_of
from regions.selectors import compare_with_region, monthly_series, snapshot_version
from regions.table import comparison_table
from regions.tasks import compute_indicators
from tenants.models import Region

SERIES_INDICATOR = "referrals_sent"
HEAT_INDICATOR = "open_offers"
# Durations drawn month by month, when the indicator exists.
DURATION_SERIES = ("days_to_response_median", "days_to_completion_median")
PER_THOUSAND = "1000"


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
    the project's 404 page, in every mode (NotFound, not Http404: with DEBUG on, Django
    would answer Http404 with its own page listing the URL patterns). An unknown region
    or period raises Invalid (400)."""
    region = indicators.parse_region(region)
    if not _is_regional_administrator(request.user, region):
        raise NotFound()
    return region, _period_from(request)


def _per_from(request) -> bool:
    per = request.GET.get("per", "")
    if per not in ("", PER_THOUSAND):
        raise Invalid(fields={"per": [_("Leave it out for counts, or give 1000 for figures per 1,000 inhabitants.")]})
    return per == PER_THOUSAND


def _table_from(request, region: str):
    """The comparison table a request asks for: region, period, view and order, checked."""
    region, period = _scoped(request, region)
    return comparison_table(region=region, period=period, per=_per_from(request), sort=request.GET.get("sort", ""))


def _query(period_label: str, per: bool, **more) -> str:
    return "?" + urlencode({"period": period_label, **({"per": PER_THOUSAND} if per else {}), **more})


def _header_columns(table) -> list[dict]:
    return [
        {
            "code": column.code,
            "short": column.short,
            "number": number,
            "url": _query(table.period.label, table.per, sort=column.code),
            "sorted": column.code == table.sort,
            "divided": column.divided,
            "label": column.label,
            "explanation": column.definition,
        }
        for number, column in enumerate(table.columns, start=1)
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


def _table_rows(table, texts: dict[str, str]) -> str:
    """<tr> of the comparison table: a row header (a link to the territory's trends), the
    population when per 1,000, then one cell per indicator with its total (or rate) and its
    breakdown."""
    labels = [escape(column.short, quote=True) for column in table.columns]
    query = escape(urlencode({"period": table.period.label}), quote=True)
    out = []
    for row in table.rows:
        link = f'<a href="territory/{escape(row.slug, quote=True)}/?{query}">{escape(row.name)}</a>'
        parts = [f'<tr><th scope="row">{link}</th>']
        if table.per:
            parts.append(
                f'<td data-label="{escape(texts["inhabitants"])}" class="figure">'
                f"{_population_html(row.population, texts)}</td>"
            )
        for label, cell in zip(labels, row.cells, strict=True):
            note = cell.breakdown or cell.note
            small = f'<small class="breakdown">{escape(note)}</small>' if note else ""
            figure = _figure_html(cell.total.shown, texts["no_figure"])
            parts.append(f'<td data-label="{label}" class="figure">{figure}{small}</td>')
        parts.append("</tr>")
        out.append("".join(parts))
    return "\n".join(out)


def _texts() -> dict[str, str]:
    return {
        "no_figure": _("no figure"),
        "inhabitants": _("Inhabitants"),
        "missing": _("Population unknown for"),
        "no_commune": _("No commune recorded for this coordination."),
        "provisional": _("provisional"),
        "no_snapshot": _("no snapshot"),
        "no_open_offer": _("no open offer"),
    }


# The dashboard is kept rendered per region, period, view, order and language until the
# next snapshot (regions.selectors.snapshot_version names what it was computed from), and
# sent compressed: the page's secret, the CSRF token of the compute form, is masked anew
# in each response and the compressed part of the page reflects no input but the checked
# period, view and order, and Django's gzip pads each response with random bytes (Heal
# The BREACH), so the compression does not let a third party guess a secret (BREACH).
# Its heavy parts (the charts and their tables, one row or column per territory) are
# fetched when their <details> is opened, or open on a page of their own without script.
CACHE_SECONDS = 24 * 3600
PARTS = ("sent", "offers", "months", "durations")


def _cache_key(table, default_period: bool, what: str) -> str:
    return ":".join(
        [
            "regions.dashboard",
            hashlib.sha256(snapshot_version().encode()).hexdigest()[:16],
            table.region,
            table.period.label,
            "per" if table.per else "count",
            table.sort or "-",
            "default" if default_period else "chosen",
            translation.get_language() or "",
            what,
        ]
    )


class _Lazy:
    """The comparison table, computed only when the cache does not hold the page."""

    def __init__(self, request, region: str):
        self.region, self.period = _scoped(request, region)
        self.per = _per_from(request)
        self.sort = request.GET.get("sort", "")
        self._table = None

    @property
    def table(self):
        if self._table is None:
            self._table = comparison_table(region=self.region, period=self.period, per=self.per, sort=self.sort)
        return self._table


def _kept(key_of, render) -> str:
    key = key_of()
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our templates, every text escaped


@login_required
@gzip_page
def region_dashboard(request, region):
    try:
        lazy = _Lazy(request, region)
        default_period = not request.GET.get("period")
        key = _cache_key(lazy, default_period, "page")
        html = cache.get(key)
        if html is None:
            html = render_to_string("regions/_dashboard_body.html", _dashboard_context(lazy.table, default_period))
            cache.set(key, html, CACHE_SECONDS)
    except Invalid as error:
        return _bad_request(request, error)
    top, _sep, main = html.partition("<!-- compute form -->")
    return render(
        request,
        "regions/dashboard.html",
        {
            "top": mark_safe(top),  # noqa: S308 - rendered above, every text escaped
            "main": mark_safe(main),  # noqa: S308
            "region": lazy.region,
            "region_label": Region(lazy.region).label,
            "period": lazy.period,
        },
    )


def _dashboard_context(table, default_period: bool) -> dict:
    region, period, per, sort = table.region, table.period, table.per, table.sort
    texts = _texts()
    sort_query = {"sort": sort} if sort else {}
    part_query = _query(period.label, per, **sort_query)[1:]
    return {
        "region": region,
        "region_label": Region(region).label,
        "period": period,
        "period_end": period.end - timedelta(days=1),
        "default_period": default_period,
        "snapshot_at": max((t.computed_at for t in table.territories if t.computed_at), default=None),
        "sort": sort,
        "per": per,
        "columns": _header_columns(table),
        "name_url": _query(period.label, per),
        "counts_url": _query(period.label, False, **sort_query),
        "rates_url": _query(period.label, True, **sort_query),
        "rows": [{"name": row.name} for row in table.rows],
        "table_rows": mark_safe(_table_rows(table, texts)),  # noqa: S308 - every text escaped above
        "population_note": table.population_note() if per else None,
        "export_query": _query(period.label, per, **sort_query)[1:],
        "part_query": part_query,
        "has_durations": bool(_duration_names()),
        **_changes(region, period, table.territories),
    }


def _part_context(part: str, table) -> dict:
    texts = _texts()
    context = {"part": part, "per": table.per, "period": table.period, "rows": [{"name": r.name} for r in table.rows]}
    if part == "sent":
        return context | _bar_chart(table)
    if part == "offers":
        return context | _heat_map(table.territories, DimensionLabels().domains, texts)
    return context | _time_series(table.region, table.period, table.territories, texts)


@login_required
@gzip_page
def region_dashboard_part(request, region, part):
    """One heavy part of the dashboard: the fragment its <details> fetches (?fragment=1),
    or a page of its own for a browser without script."""
    if part not in PARTS or (part == "durations" and not _duration_names()):
        raise NotFound()
    try:
        lazy = _Lazy(request, region)
        html = _kept(
            lambda: _cache_key(lazy, False, f"part-{part}"),
            lambda: render_to_string("regions/_dashboard_part.html", _part_context(part, lazy.table)),
        )
    except Invalid as error:
        return _bad_request(request, error)
    if request.GET.get("fragment") == "1":
        return HttpResponse(html)
    back = reverse("region_dashboard", args=[lazy.region]) + _query(lazy.period.label, lazy.per)
    return render(
        request,
        "regions/dashboard_part.html",
        {
            "fragment": html,
            "region_label": Region(lazy.region).label,
            "period": lazy.period,
            "dashboard_url": back,
        },
    )


def _changes(region: str, period, territories) -> dict:
    """What changed most since the month before (months only: a quarter or a year has none)."""
    try:
        previous, previous_computed, changes = trends.biggest_changes(region=region, period=period, current=territories)
    except Invalid:
        return {"changes": None}
    return {
        "changes": changes,
        "previous_month": previous,
        "previous_computed": previous_computed,
    }


@login_required
def region_territory(request, region, slug):
    """A territory's twelve months, each indicator against the region's median."""
    try:
        region, period = _scoped(request, region)
        found = trends.territory_trends(region=region, slug=slug, period=period)
    except Invalid as error:
        return _bad_request(request, error)
    context = {
        "region": region,
        "region_label": Region(region).label,
        "period": period,
        "territory": found,
        "has_data": any(cell.shown for trend in found.trends for cell in trend.own),
        "dashboard_url": reverse("region_dashboard", args=[region]) + _query(period.label, False),
    }
    return render(request, "regions/territory.html", context)


def _figure(cell) -> tuple[float | None, str]:
    return cell.value, cell.shown


def _bar_chart(table) -> dict:
    index = list(indicators.INDICATORS).index(SERIES_INDICATOR)
    items = [(row.name, _figure(row.cells[index].total)) for row in table.rows]
    if not any(shown for _name, (_value, shown) in items):
        return {"bar_svg": ""}
    title = (
        _("Referrals sent in the period per 1,000 inhabitants, per territory")
        if table.per
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
    if not any(computed):
        return {"heat_svg": "", "heat_rows": "", "gap_count": 0}
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
    any_month = any(point is not None for _name, points in named for point in points)
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
        "series_svg": mark_safe(svg) if any_month else "",  # noqa: S308
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
        any_figure = any(
            point and point[1] for _name, per_measure in lines for points in per_measure for point in points
        )
        context |= {
            "has_durations": True,
            "duration_svg": mark_safe(duration_svg) if any_figure else "",  # noqa: S308
            "duration_rows": mark_safe(duration_rows),  # noqa: S308 - every text escaped
        }
    return context


# --- Exports ---------------------------------------------------------------------------
# The files render the page's own table (regions.table): what is exported is what is shown.


def _export(request, region: str, extension: str, content_type: str, render_file):
    try:
        table = _table_from(request, region)
    except Invalid as error:
        return _bad_request(request, error)
    record_event(
        actor=request.actor,
        action="region.exported",
        object_type="indicators",
        detail={"region": table.region, "period": table.period.label, "view": table.view, "format": extension},
    )
    response = HttpResponse(render_file(table), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(table, extension)}"'
    return response


@login_required
def region_export_csv(request, region):
    return _export(request, region, "csv", "text/csv; charset=utf-8", exports.csv_bytes)


@login_required
def region_export_xlsx(request, region):
    return _export(
        request,
        region,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.xlsx_bytes,
    )


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
        raise NotFound()
    try:
        run = signing.loads(token, salt=RUN_SALT, max_age=RUN_MAX_AGE)
    except signing.BadSignature:
        raise NotFound()
    if not isinstance(run, dict) or run.get("region") != region:
        raise NotFound()
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
            raise NotFound()
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
        raise NotFound()
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
            "short": indicators.INDICATORS[c.code].get("short") or indicators.INDICATORS[c.code]["label"],
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
        "period_end": period.end - timedelta(days=1),
        "default_period": not request.GET.get("period"),
        "region_label": Region(coordination.region).label if coordination.region else "",
        "territory_count": territory_count,
        "rows": rows,
    }
    return render(request, "regions/coordination_indicators.html", context)
