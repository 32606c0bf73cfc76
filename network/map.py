"""The network map of one coordination: who is a member, which need domains their open
offers cover, how many referrals flowed between them over a period, and what is missing.

Pure functions and plain data: the queries are in `network.selectors`, the picture
in `network.svg`. Everything here stays inside one coordination and carries
counts only: no person, no referral id.

Small counts are shown as they are, without the "<5" of the regional indicators: these
figures never leave the coordination, they are read only by its own members, who know
their partners and already see the referrals their organisation sent or received; a flow
count names two organisations, never a person. Hiding small counts would hide exactly the
thin links a coordination meets to strengthen.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import OrganisationKind
from maillage.errors import Invalid
from regions.indicators import parse_period

MAX_DAYS = 366 * 5
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Flags a node may carry (codes, the same in the API).
CPAS_WITHOUT_REFERENT = "cpas_without_referent"
MOSTLY_UNANSWERED = "mostly_unanswered"
INACTIVE = "inactive"
NOT_MEMBER = "not_member"

FLAG_LABELS = {
    CPAS_WITHOUT_REFERENT: _("CPAS without an active reference person"),
    MOSTLY_UNANSWERED: _("Leaves most referrals unanswered"),
    INACTIVE: _("No activity in the period"),
    NOT_MEMBER: _("No longer a member"),
}

# The order in which kinds are grouped around the circle and in the legend.
KIND_ORDER = [kind.value for kind in OrganisationKind]


# --- Period --------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkPeriod:
    start: date  # first day
    end: date  # last day, included
    code: str = ""  # "2026-11" or "2026-Q4" when given as such

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[datetime, datetime]:
        """[first day 00:00, day after the last 00:00) in the coordination's time zone."""
        tz = timezone.get_current_timezone()
        return (
            timezone.make_aware(datetime.combine(self.start, time.min), tz),
            timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min), tz),
        )


def _one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def last_twelve_months(today: date) -> NetworkPeriod:
    return NetworkPeriod(start=_one_year_before(today) + timedelta(days=1), end=today)


def _parse_day(value: str) -> date | None:
    if not ISO_DATE.fullmatch(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


def parse_network_period(params: Mapping, *, today: date) -> NetworkPeriod:
    """?period=2026-11 | 2026-Q4 | 2026, or ?start=YYYY-MM-DD&end=YYYY-MM-DD (both days
    included); nothing: the last twelve months up to today. Bad input raises Invalid naming
    the field."""
    code = (params.get("period") or "").strip()
    start_text = (params.get("start") or "").strip()
    end_text = (params.get("end") or "").strip()
    if code and (start_text or end_text):
        raise Invalid(fields={"period": [_("Give either a period or start and end dates, not both.")]})
    if code:
        period = parse_period(code)  # refuses years outside 2000-2100 itself
        return NetworkPeriod(start=period.start, end=period.end - timedelta(days=1), code=period.label)
    if not start_text and not end_text:
        return last_twelve_months(today)
    errors: dict[str, list] = {}
    start = _parse_day(start_text)
    end = _parse_day(end_text)
    message = _("A date as YYYY-MM-DD, between 2000 and 2100.")
    if start is None:
        errors["start"] = [message]
    if end is None:
        errors["end"] = [message]
    if start and end:
        if end < start:
            errors["end"] = [_("The end comes on or after the start.")]
        elif (end - start).days + 1 > MAX_DAYS:
            errors["end"] = [_("A period of at most five years.")]
    if errors:
        raise Invalid(fields=errors)
    return NetworkPeriod(start=start, end=end)


# --- The map -------------------------------------------------------------------------


@dataclass
class Node:
    pk: int  # internal only: never shown or serialised
    public_id: uuid.UUID
    name: str
    kind: str
    is_member: bool
    domains: list = field(default_factory=list)  # NeedDomain, in taxonomy order
    open_offers: int = 0
    sent: int = 0
    received: int = 0  # reached the organisation (triage passed)
    left_unanswered: int = 0  # received, still without an answer, past its deadline
    flags: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(OrganisationKind(self.kind).label) if self.kind in OrganisationKind.values else self.kind

    @property
    def flag_labels(self) -> list[str]:
        return [str(FLAG_LABELS[flag]) for flag in self.flags]

    @property
    def unanswered_percent(self) -> int:
        return round(100 * self.left_unanswered / self.received) if self.received else 0


@dataclass
class Edge:
    source: Node
    target: Node
    sent: int = 0
    accepted: int = 0
    answered: int = 0
    unanswered: int = 0  # still waiting for an answer (sent or received)
    overdue: int = 0  # of which past their answer deadline


@dataclass
class Gaps:
    no_cpas: bool
    cpas_without_referent: list[Node]
    mostly_unanswered: list[Node]
    inactive: list[Node]
    uncovered_domains: list  # NeedDomain

    @property
    def count(self) -> int:
        return (
            int(self.no_cpas)
            + len(self.cpas_without_referent)
            + len(self.mostly_unanswered)
            + len(self.inactive)
            + len(self.uncovered_domains)
        )


@dataclass
class NetworkMap:
    period: NetworkPeriod
    today: date
    nodes: list[Node]
    edges: list[Edge]
    gaps: Gaps

    @property
    def members(self) -> list[Node]:
        return [node for node in self.nodes if node.is_member]

    @property
    def total_sent(self) -> int:
        return sum(edge.sent for edge in self.edges)


def is_mostly_unanswered(node: Node) -> bool:
    """More than half of the referrals the organisation received in the period are still
    without an answer after their answer deadline (response_due before today). Referrals
    still waiting for triage have not reached it and do not count; answered late counts as
    answered; withdrawn or cancelled before an answer counts as received, not unanswered."""
    return node.received > 0 and node.left_unanswered * 2 > node.received


@dataclass(frozen=True)
class FlowRow:
    from_id: int
    to_id: int
    sent: int
    accepted: int
    answered: int
    unanswered: int
    overdue: int
    awaiting_triage: int


def assemble(
    *,
    period: NetworkPeriod,
    today: date,
    organisations: list[dict],
    offer_domains: dict[int, set[int]],
    open_offer_counts: dict[int, int],
    domains: list,
    flows: list[FlowRow],
    organisations_with_referent: set[int],
) -> NetworkMap:
    """Builds the map from plain rows.

    organisations: dicts with pk, public_id, name, kind, is_member (members, and any other
    organisation a flow of the period touches); offer_domains: organisation pk -> need
    domain pks its open offers cover; domains: the NeedDomain taxonomy, in order."""
    position = {kind: index for index, kind in enumerate(KIND_ORDER)}
    nodes = sorted(
        (Node(**row) for row in organisations),
        key=lambda n: (not n.is_member, position.get(n.kind, len(position)), n.name.casefold()),
    )
    by_pk = {node.pk: node for node in nodes}
    for node in nodes:
        covered = offer_domains.get(node.pk, set())
        node.domains = [domain for domain in domains if domain.pk in covered]
        node.open_offers = open_offer_counts.get(node.pk, 0)
    edges = []
    for row in flows:
        source, target = by_pk.get(row.from_id), by_pk.get(row.to_id)
        if source is None or target is None:  # an organisation row the caller did not pass
            continue
        edges.append(
            Edge(
                source=source,
                target=target,
                sent=row.sent,
                accepted=row.accepted,
                answered=row.answered,
                unanswered=row.unanswered,
                overdue=row.overdue,
            )
        )
        source.sent += row.sent
        target.received += row.sent - row.awaiting_triage
        target.left_unanswered += row.overdue
    edges.sort(key=lambda e: (-e.sent, e.source.name.casefold(), e.target.name.casefold()))

    members = [node for node in nodes if node.is_member]
    cpas = [node for node in members if node.kind == OrganisationKind.CPAS]
    for node in nodes:
        if not node.is_member:
            node.flags.append(NOT_MEMBER)
            continue
        if node.kind == OrganisationKind.CPAS and node.pk not in organisations_with_referent:
            node.flags.append(CPAS_WITHOUT_REFERENT)
        if is_mostly_unanswered(node):
            node.flags.append(MOSTLY_UNANSWERED)
        if node.sent == 0 and node.received == 0 and node.open_offers == 0 and not _awaits_triage(node, flows):
            node.flags.append(INACTIVE)
    # Like the coverage page: an open offer of any organisation of the directory covers a
    # domain, member or not (people can be pointed to it).
    covered_anywhere = {pk for covered in offer_domains.values() for pk in covered}
    gaps = Gaps(
        no_cpas=not cpas,
        cpas_without_referent=[n for n in cpas if CPAS_WITHOUT_REFERENT in n.flags],
        mostly_unanswered=[n for n in members if MOSTLY_UNANSWERED in n.flags],
        inactive=[n for n in members if INACTIVE in n.flags],
        uncovered_domains=[domain for domain in domains if domain.pk not in covered_anywhere],
    )
    return NetworkMap(period=period, today=today, nodes=nodes, edges=edges, gaps=gaps)


def _awaits_triage(node: Node, flows: list[FlowRow]) -> bool:
    """A referral addressed to it and waiting for triage is activity around it too."""
    return any(row.to_id == node.pk and row.awaiting_triage for row in flows)
