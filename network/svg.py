"""The network map as a server-side SVG picture: organisations around a circle, grouped by
kind, and arrows for the referrals sent between them (width by count).

Same rules as `regions.charts`: no script and no style attribute (the Content Security
Policy forbids inline styles), presentation through attributes, every text escaped. The
picture has a <title> and a <desc> (role="img", aria-labelledby); the page carries the
same facts as a table. Drawn in a 960-unit-wide box: on a 1366×768 laptop the page column
shows it at about its own size, so the 13-unit labels read as 13-pixel text; printed, it
scales to the page width.
"""

from __future__ import annotations

import math
from html import escape

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.models import OrganisationKind
from network.map import CPAS_WITHOUT_REFERENT, INACTIVE, KIND_ORDER, MOSTLY_UNANSWERED, NetworkMap, Node
from regions.charts import ACCENT, DANGER, INK, LINE, MUTED

WIDTH = 960
NODE_R = 15
LABEL_GAP = 10
FONT = 13
LABEL_CHARS = 28
# The flags drawn in red; "no activity" is drawn in grey, softer.
ATTENTION = {CPAS_WITHOUT_REFERENT, MOSTLY_UNANSWERED}
ARC = math.radians(65)  # each side's arc spans ±65° around the horizontal
ROW = 36
# Colour-blind safe (Okabe–Ito), one per kind; the legend names each, the table says it in words.
KIND_COLOURS = {
    "bapa": "#0072b2",
    "cri": "#56b4e9",
    "cpas": "#d55e00",
    "commune": "#009e73",
    "association": "#e69f00",
    "ngo": "#cc79a7",
    "citizen_initiative": "#f0e442",
    "public_service": "#8c8c8c",
    "other": "#ffffff",
}


def _attr(value) -> str:
    return escape(str(value), quote=True)


def _short(text: str, length: int = LABEL_CHARS) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _text(x: float, y: float, text: str, **attrs) -> str:
    extra = "".join(f' {key.replace("_", "-")}="{_attr(value)}"' for key, value in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(text)}</text>'


def _badge(x: float, y: float) -> str:
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{DANGER}"/>' + _text(
        x, y + 4, "!", text_anchor="middle", font_weight="700", font_size="11", fill="#ffffff"
    )


def _sides(nodes: list[Node]) -> tuple[list[Node | None], list[Node | None]]:
    """The nodes in order, with one empty step between kinds so that groups read as
    groups, cut in two: the right arc (top to bottom), then the left one (bottom to top)."""
    steps: list[Node | None] = []
    previous = None
    for node in nodes:
        group = node.kind if node.is_member else "~"
        if previous is not None and group != previous and len(nodes) > 3:
            steps.append(None)
        steps.append(node)
        previous = group
    right = steps[: (len(steps) + 1) // 2]
    return right, steps[len(right) :]


def _positions(sides, cx: float, cy: float, rx: float, ry: float) -> dict[int, tuple[float, float, bool]]:
    """(x, y, on the right) per node, on two arcs of an ellipse, right and left (the top
    and bottom stay empty), evenly spaced in height: the labels are horizontal, so the
    same height between two nodes keeps them from overlapping."""
    positions = {}
    half = ry * math.sin(ARC)
    for arc, right in ((sides[0], True), (sides[1], False)):
        for index, node in enumerate(arc):
            if node is None:
                continue
            y = -half + 2 * half * (index + 0.5) / len(arc)
            if not right:
                y = -y
            x = rx * math.sqrt(max(0.0, 1 - (y / ry) ** 2))
            positions[node.pk] = (cx + (x if right else -x), cy + y, right)
    return positions


def _edge_path(start, end, centre, apart: bool) -> tuple[str, tuple[float, float]]:
    """A path bent towards the centre of the circle, from one node's rim to the other's;
    when referrals go both ways, each direction bends to its own side. Returns the path
    and the point where its count goes."""
    (x1, y1), (x2, y2) = start, end
    dx, dy = x2 - x1, y2 - y1
    distance = math.hypot(dx, dy) or 1.0
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    cx, cy = mx + (centre[0] - mx) * 0.3, my + (centre[1] - my) * 0.3
    if apart:  # to the right of the direction of travel
        cx, cy = cx - dy / distance * 28, cy + dx / distance * 28

    def _towards(px, py, qx, qy, by):
        length = math.hypot(qx - px, qy - py) or 1.0
        return px + (qx - px) / length * by, py + (qy - py) / length * by

    sx, sy = _towards(x1, y1, cx, cy, NODE_R + 2)
    ex, ey = _towards(x2, y2, cx, cy, NODE_R + 3)
    label = (0.25 * sx + 0.5 * cx + 0.25 * ex, 0.25 * sy + 0.5 * cy + 0.25 * ey)
    return f"M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}", label


def _legend(kinds: list[str], top: float, chart_id: str, *, has_former: bool) -> tuple[str, float]:
    parts = [_text(20, top + 14, _("Legend"), font_weight="700")]
    entries: list[tuple[str, str]] = []
    for kind in kinds:
        colour = KIND_COLOURS.get(kind, "#ffffff")
        label = str(OrganisationKind(kind).label) if kind in OrganisationKind.values else kind
        entries.append((f'<circle r="8" fill="{colour}" stroke="{INK}"/>', label))
    attention = f'<circle r="8" fill="#ffffff" stroke="{DANGER}" stroke-width="4"/>'
    entries.append((attention, _("Needs attention (see below)")))
    idle = f'<circle r="8" fill="#ffffff" stroke="{MUTED}" stroke-width="3" stroke-dasharray="2 2"/>'
    entries.append((idle, _("No activity in the period")))
    if has_former:
        entries.append(
            (f'<circle r="8" fill="#ffffff" stroke="{MUTED}" stroke-dasharray="3 2"/>', _("No longer a member"))
        )
    entries.append(
        (
            f'<path d="M-14,0 L8,0" stroke="{ACCENT}" stroke-width="3" marker-end="url(#{_attr(chart_id)}-arrow)"/>',
            _("Referrals sent (thicker: more)"),
        )
    )
    column_width, row_height, columns = 460, 24, 2
    for index, (symbol, label) in enumerate(entries):
        x = 34 + (index % columns) * column_width
        y = top + 40 + (index // columns) * row_height
        parts.append(f'<g transform="translate({x:.1f},{y - 4:.1f})">{symbol}</g>')
        parts.append(_text(x + 16, y, _short(label, 60)))
    rows = (len(entries) + columns - 1) // columns
    return "".join(parts), top + 40 + rows * row_height


def network_svg(network: NetworkMap, *, chart_id: str, title: str, description: str) -> str:
    nodes = network.nodes
    sides = _sides(nodes)
    per_side = max(len(sides[0]), 1)
    # At least ROW units between two nodes of an arc; wide enough for edges to show, narrow
    # enough for the labels to stay inside the picture.
    ry = max(per_side * ROW / (2 * math.sin(ARC)), 140)
    rx = min(max(ry, 150), 230)
    half_height = ry * math.sin(ARC) + NODE_R
    cx, cy = WIDTH / 2, 30 + half_height
    positions = _positions(sides, cx, cy, rx, ry)
    largest = max([edge.sent for edge in network.edges] + [1])
    pairs = {(edge.source.pk, edge.target.pk) for edge in network.edges}

    parts = [
        "<defs>"
        f'<marker id="{_attr(chart_id)}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" '
        f'markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{ACCENT}"/></marker>'
        "</defs>"
    ]
    if not nodes:
        parts.append(_text(WIDTH / 2, cy, _("No member organisation yet."), text_anchor="middle", fill=MUTED))

    edge_parts, label_parts = [], []
    for edge in network.edges:
        start = positions[edge.source.pk][:2]
        end = positions[edge.target.pk][:2]
        apart = (edge.target.pk, edge.source.pk) in pairs
        path, (lx, ly) = _edge_path(start, end, (cx, cy), apart)
        width = 1.5 + 7 * edge.sent / largest
        summary = _("%(source)s → %(target)s: %(sent)s sent, %(accepted)s accepted, %(unanswered)s unanswered") % {
            "source": edge.source.name,
            "target": edge.target.name,
            "sent": edge.sent,
            "accepted": edge.accepted,
            "unanswered": edge.unanswered,
        }
        edge_parts.append(
            f"<g><title>{escape(summary)}</title>"
            f'<path d="{path}" fill="none" stroke="{ACCENT}" stroke-opacity="0.75" stroke-width="{width:.1f}" '
            f'stroke-linecap="round" marker-end="url(#{_attr(chart_id)}-arrow)"/></g>'
        )
        label_parts.append(
            _text(
                lx,
                ly + 4,
                str(edge.sent),
                text_anchor="middle",
                font_weight="700",
                stroke="#ffffff",
                stroke_width="4",
                paint_order="stroke",
                aria_hidden="true",
            )
        )
    parts.extend(edge_parts)
    parts.extend(label_parts)

    for node in nodes:
        x, y, right = positions[node.pk]
        flagged = any(flag in ATTENTION for flag in node.flags)
        colour = KIND_COLOURS.get(node.kind, "#ffffff") if node.is_member else "#ffffff"
        if flagged:
            stroke = f'stroke="{DANGER}" stroke-width="4"'
        elif not node.is_member:
            stroke = f'stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="4 3"'
        elif INACTIVE in node.flags:
            stroke = f'stroke="{MUTED}" stroke-width="3" stroke-dasharray="2 2"'
        else:
            stroke = f'stroke="{INK}" stroke-width="1.5"'
        about = [node.name, node.kind_label, *node.flag_labels]
        about.append(
            ngettext("%(n)s referral sent", "%(n)s referrals sent", node.sent) % {"n": node.sent}
            + ", "
            + ngettext("%(n)s received", "%(n)s received", node.received) % {"n": node.received}
        )
        anchor = "start" if right else "end"
        lx = x + (NODE_R + LABEL_GAP) * (1 if right else -1)
        ly = y + FONT / 3
        label = _short(node.name)
        parts.append(
            f"<g><title>{escape(' — '.join(about))}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{NODE_R}" fill="{colour}" {stroke}/>'
            + (_badge(x + NODE_R * 0.75, y - NODE_R * 0.75) if flagged else "")
            + _text(
                lx,
                ly,
                label,
                text_anchor=anchor,
                font_weight="700" if flagged else "400",
                fill=DANGER if flagged else INK,
                stroke="#ffffff",
                stroke_width="3",
                paint_order="stroke",
            )
            + "</g>"
        )

    present = [kind for kind in KIND_ORDER if any(n.kind == kind and n.is_member for n in nodes)]
    legend, bottom = _legend(present, cy + half_height + 30, chart_id, has_former=any(not n.is_member for n in nodes))
    rule = cy + half_height + 22
    parts.append(f'<line x1="20" y1="{rule:.1f}" x2="{WIDTH - 20}" y2="{rule:.1f}" stroke="{LINE}"/>')
    parts.append(legend)
    height = bottom + 10
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart network-map" id="{_attr(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" role="img" '
        f'aria-labelledby="{_attr(chart_id)}-title {_attr(chart_id)}-desc" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" fill="{INK}">'
        f'<title id="{_attr(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{_attr(chart_id)}-desc">{escape(description)}</desc>'
        f"{''.join(parts)}</svg>"
    )
