"""Server-side SVG charts for the regional dashboard: plain functions returning markup.

No script and no style attribute (the Content Security Policy forbids inline styles):
presentation is given with `fill`/`stroke` attributes. Every text is escaped. Every
chart has a <title> and points with aria-describedby to a table of the same figures.
Figures arrive already suppressed, as (value, shown): value is None when a figure is
suppressed ("<5", "—") or missing (""); these are drawn hatched, never to scale.
"""

from functools import lru_cache
from html import escape

INK = "#1d2430"
MUTED = "#4a5568"
LINE = "#c9d1dc"
SOFT = "#f3f6f9"
ACCENT = "#0b5cad"
DANGER = "#a11a1a"
SECOND = "#8a4b00"  # a second series, also told apart by its dashes and square marks
SUPPRESSED = "<5"

Figure = tuple[float | None, str]  # (value, shown)


@lru_cache(maxsize=4096)
def _escaped(text: str) -> str:
    # Charts repeat the same few texts (anchors, colours, figures) thousands of times.
    return escape(text, quote=True)


def _attr(value) -> str:
    return _escaped(str(value))


def _attributes(attrs: dict) -> str:
    return "".join(f' {key.replace("_", "-")}="{_escaped(str(value))}"' for key, value in attrs.items())


def _short(text: str, length: int = 26) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _hatch(pattern_id: str) -> str:
    return (
        f'<defs><pattern id="{_attr(pattern_id)}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{SOFT}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{MUTED}" stroke-width="2"/></pattern></defs>'
    )


def _svg(*, chart_id: str, title: str, described_by: str, width: int, height: int, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{_attr(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{_attr(chart_id)}-title" aria-describedby="{_attr(described_by)}" '
        f'font-family="system-ui, sans-serif" font-size="12" fill="{INK}">'
        f'<title id="{_attr(chart_id)}-title">{escape(title)}</title>'
        f"{_hatch(chart_id + '-hatch')}{body}</svg>"
    )


def _text(x: float, y: float, text: str, **attrs) -> str:
    extra = _attributes(attrs) if attrs else ""
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{_escaped(text)}</text>'


def _rect(x: float, y: float, width: float, height: float, fill: str, **attrs) -> str:
    extra = _attributes(attrs) if attrs else ""
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{height:.1f}" fill="{fill}"{extra}/>'


def bar_chart(items: list[tuple[str, Figure]], *, chart_id: str, title: str, described_by: str, empty_text: str) -> str:
    """Horizontal bars, one per territory. Suppressed figures get a short hatched bar."""
    label_width, bar_width, row, top = 190, 360, 26, 8
    largest = max([value for _label, (value, _shown) in items if value is not None] + [5.0])
    hatch = f"url(#{chart_id}-hatch)"
    parts = []
    for index, (label, (value, shown)) in enumerate(items):
        y = top + index * row
        parts.append(_text(label_width - 8, y + 16, _short(label), text_anchor="end"))
        if value is not None:
            width = bar_width * value / largest
            parts.append(_rect(label_width, y + 4, width, row - 8, ACCENT))
            parts.append(_text(label_width + width + 6, y + 16, shown))
        elif shown:
            width = bar_width * 4 / largest
            parts.append(_rect(label_width, y + 4, width, row - 8, hatch, stroke=MUTED))
            parts.append(_text(label_width + width + 6, y + 16, shown))
        else:
            parts.append(_text(label_width, y + 16, empty_text, fill=MUTED))
    parts.append(
        f'<line x1="{label_width}" y1="{top}" x2="{label_width}" y2="{top + row * len(items)}" stroke="{INK}"/>'
    )
    height = top * 2 + row * max(len(items), 1)
    return _svg(
        chart_id=chart_id,
        title=title,
        described_by=described_by,
        width=label_width + bar_width + 60,
        height=height,
        body="".join(parts),
    )


def _shade(value: float, largest: float) -> tuple[str, str]:
    """Fill from pale to the accent colour, and a text colour that stays readable."""
    share = value / largest if largest else 0
    start, end = (0xE8, 0xF0, 0xF8), (0x0B, 0x5C, 0xAD)
    rgb = [round(a + (b - a) * share) for a, b in zip(start, end, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb), ("#ffffff" if share > 0.5 else INK)


def heat_map(
    rows: list[tuple[str, bool]],
    columns: list[str],
    cells: list[list[Figure]],
    *,
    chart_id: str,
    title: str,
    described_by: str,
    gap_text: str,
) -> str:
    """Rows (label, is_gap) × columns; cells[row][column] = (value, shown). A row that is a
    gap (no open offer anywhere) is outlined and marked; zero cells are outlined too."""
    label_width, cell_w, cell_h, header = 250, 64, 24, 110
    largest = max([v for row in cells for v, _shown in row if v is not None] + [1.0])
    hatch = f"url(#{chart_id}-hatch)"
    parts = []
    for j, name in enumerate(columns):
        x = label_width + j * cell_w + cell_w / 2
        parts.append(_text(x, header - 6, _short(name, 18), transform=f"rotate(-40 {x:.1f} {header - 6})"))
    for i, (label, is_gap) in enumerate(rows):
        y = header + i * cell_h
        text = _short(label, 36)
        parts.append(_text(label_width - 8, y + 16, text, text_anchor="end", fill=DANGER if is_gap else INK))
        if is_gap:
            parts.append(_text(label_width + cell_w * len(columns) + 8, y + 16, gap_text, fill=DANGER))
        # The inner loop writes its elements directly: it runs for every domain × territory.
        box = f'y="{y + 1:.1f}" width="{cell_w - 2}" height="{cell_h - 2}"'
        for j, (value, shown) in enumerate(cells[i]):
            x = label_width + j * cell_w
            if value is None:
                fill, ink = (hatch if shown else SOFT), INK
                parts.append(f'<rect x="{x + 1:.1f}" {box} fill="{fill}" stroke="{LINE}"/>')
                if shown:  # a plain patch behind the text keeps it readable over the hatching
                    parts.append(_rect(x + cell_w / 2 - 13, y + 5, 26, cell_h - 10, "#ffffff"))
            elif value == 0:
                ink = DANGER
                parts.append(f'<rect x="{x + 1:.1f}" {box} fill="#ffffff" stroke="{DANGER}"/>')
            else:
                fill, ink = _shade(value, largest)
                parts.append(f'<rect x="{x + 1:.1f}" {box} fill="{fill}"/>')
            parts.append(
                f'<text x="{x + cell_w / 2:.1f}" y="{y + 16:.1f}" text-anchor="middle" fill="{ink}">'
                f"{_escaped(shown or '·')}</text>"
            )
        if is_gap:
            parts.append(
                _rect(1, y, label_width + cell_w * len(columns) - 1, cell_h, "none", stroke=DANGER, stroke_width=2)
            )
    return _svg(
        chart_id=chart_id,
        title=title,
        described_by=described_by,
        width=label_width + cell_w * max(len(columns), 1) + 140,
        height=header + cell_h * len(rows) + 10,
        body="".join(parts),
    )


def time_series(
    months: list[str],
    series: list[tuple[str, list[Figure | None]]],
    *,
    chart_id: str,
    title: str,
    described_by: str,
) -> str:
    """Small multiples: one row of monthly columns per territory, on one shared scale.
    A month without a snapshot (None) or without a figure ("") is a gap; a suppressed
    month is a hatched stub."""
    label_width, col_w, row_h, bottom = 170, 34, 46, 22
    largest = max([f[0] for _n, points in series for f in points if f and f[0] is not None] + [5.0])
    hatch = f"url(#{chart_id}-hatch)"
    parts = []
    for i, (name, points) in enumerate(series):
        base = (i + 1) * row_h - 4
        parts.append(_text(label_width - 8, base - 12, _short(name, 24), text_anchor="end"))
        parts.append(
            f'<line x1="{label_width}" y1="{base}" x2="{label_width + col_w * len(months)}" '
            f'y2="{base}" stroke="{LINE}"/>'
        )
        for j, figure in enumerate(points):
            x = label_width + j * col_w + 4
            if figure is None or not figure[1]:
                continue  # no snapshot, or no figure for the month: a gap
            value, shown = figure
            if value is not None:
                height = (row_h - 16) * value / largest
                parts.append(_rect(x, base - height, col_w - 8, height, ACCENT))
            else:
                height = (row_h - 16) * 4 / largest
                parts.append(_rect(x, base - height, col_w - 8, height, hatch, stroke=MUTED))
            parts.append(
                f'<text x="{x + (col_w - 8) / 2:.1f}" y="{base - height - 2:.1f}" text-anchor="middle" '
                f'font-size="9">{_escaped(shown)}</text>'
            )
    axis_y = len(series) * row_h + bottom - 6
    for j, month in enumerate(months):
        parts.append(_text(label_width + j * col_w + col_w / 2, axis_y, month[2:], text_anchor="middle", font_size="9"))
    return _svg(
        chart_id=chart_id,
        title=title,
        described_by=described_by,
        width=label_width + col_w * len(months) + 10,
        height=len(series) * row_h + bottom,
        body="".join(parts),
    )


def _segments(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive points; a missing point breaks the line."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def line_series(
    months: list[str],
    series: list[tuple[str, list[list[Figure | None]]]],
    *,
    measures: list[str],
    chart_id: str,
    title: str,
    described_by: str,
) -> str:
    """Small multiples of durations: per territory, one band per measure (at most two: a
    solid line with round marks, a dashed one with square marks), each measure on its own
    scale from 0, shared by the territories. series = [(territory, [points of measure 0,
    points of measure 1])]; a point is (value, shown), or None / (None, "") for a month
    without a figure: the line breaks there and nothing is drawn."""
    label_width, col_w, band_h, gap, top, bottom = 170, 34, 44, 10, 26, 22
    measures = measures[:2]
    bands = max(len(measures), 1)
    largest = [
        max([f[0] for _n, lines in series if m < len(lines) for f in lines[m] if f and f[0] is not None] + [1.0])
        for m in range(bands)
    ]
    styles = [(ACCENT, "", "circle"), (SECOND, "5 3", "square")]
    right = label_width + col_w * len(months)
    parts = []
    for m, name in enumerate(measures):  # the legend: a sample of each line and its name
        colour, dash, _mark = styles[m]
        x = label_width + m * 200
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<line x1="{x}" y1="12" x2="{x + 24}" y2="12" stroke="{colour}" stroke-width="2"{dashes}/>')
        parts.append(_text(x + 30, 16, _short(name, 30)))
    row_h = bands * band_h + gap
    for i, (name, lines) in enumerate(series):
        row_top = top + i * row_h
        parts.append(_text(label_width - 8, row_top + bands * band_h / 2 + 4, _short(name, 24), text_anchor="end"))
        for m, points in enumerate(lines[:bands]):
            colour, dash, mark = styles[m]
            base = row_top + (m + 1) * band_h - 4
            height = band_h - 18  # room above the highest point for its figure
            parts.append(f'<line x1="{label_width}" y1="{base}" x2="{right}" y2="{base}" stroke="{LINE}"/>')
            placed: list[tuple[float, float] | None] = []
            for j, figure in enumerate(points):
                if figure is None or figure[0] is None:
                    placed.append(None)
                else:
                    placed.append((label_width + j * col_w + col_w / 2, base - height * figure[0] / largest[m]))
            dashes = f' stroke-dasharray="{dash}"' if dash else ""
            for run in _segments(placed):
                if len(run) > 1:
                    coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                    parts.append(
                        f'<polyline points="{coordinates}" fill="none" stroke="{colour}" stroke-width="2"{dashes}/>'
                    )
            for point, figure in zip(placed, points, strict=False):
                if point is None:
                    continue
                x, y = point
                if mark == "circle":
                    parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
                else:
                    parts.append(f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{colour}"/>')
                parts.append(
                    f'<text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle" font-size="9" fill="{colour}">'
                    f"{_escaped(figure[1])}</text>"
                )
    axis_y = top + len(series) * row_h + bottom - 6
    for j, month in enumerate(months):
        parts.append(_text(label_width + j * col_w + col_w / 2, axis_y, month[2:], text_anchor="middle", font_size="9"))
    return _svg(
        chart_id=chart_id,
        title=title,
        described_by=described_by,
        width=max(right + 10, label_width + 200 * len(measures)),
        height=top + len(series) * row_h + bottom,
        body="".join(parts),
    )
