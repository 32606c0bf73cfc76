"""Reads of the network map: aggregates within the actor's coordination only.

Six queries whatever the number of organisations and referrals (organisations, open
offers, their other domains, the taxonomy, referral flows grouped by pair, CPAS reference
persons). Referrals are only counted: no person, no referral id leaves this module.
"""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from directory.models import CapacityStatus, NeedDomain, Offer, Organisation
from maillage.actor import Actor
from members.models import Membership
from members.roles import Role
from network.map import FlowRow, NetworkMap, NetworkPeriod, assemble
from referrals.selectors import referral_flows

OPEN_CAPACITY = (CapacityStatus.OPEN, CapacityStatus.WAITING_LIST)


def open_offers(today: date):
    """Offers taking people or with a waiting list, inside their validity dates."""
    started = Q(valid_from__isnull=True) | Q(valid_from__lte=today)
    not_ended = Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    return Offer.objects.filter(started, not_ended, capacity_status__in=OPEN_CAPACITY)


def _flows(period: NetworkPeriod, today: date) -> list[FlowRow]:
    start, end = period.bounds()
    rows = referral_flows(start=start, end=end, today=today)
    return [
        FlowRow(
            from_id=row["from_organisation_id"],
            to_id=row["to_organisation_id"],
            sent=row["sent"],
            accepted=row["accepted"],
            answered=row["answered"],
            unanswered=row["unanswered"],
            overdue=row["overdue"],
            awaiting_triage=row["awaiting_triage"],
        )
        for row in rows
    ]


def network_map(*, actor: Actor, period: NetworkPeriod, today: date | None = None) -> NetworkMap:
    """The map of the actor's coordination (the connection is on its schema)."""
    today = today or timezone.localdate()
    flows = _flows(period, today)
    touched = {row.from_id for row in flows} | {row.to_id for row in flows}
    organisations = list(
        Organisation.objects.filter(Q(is_member=True) | Q(pk__in=touched)).values(
            "pk", "public_id", "name", "kind", "is_member"
        )
    )
    offer_domains: dict[int, set[int]] = {}
    open_offer_counts: dict[int, int] = {}
    organisation_of: dict[int, int] = {}
    for pk, organisation_id, domain_id in open_offers(today).values_list("pk", "organisation_id", "primary_domain_id"):
        organisation_of[pk] = organisation_id
        offer_domains.setdefault(organisation_id, set()).add(domain_id)
        open_offer_counts[organisation_id] = open_offer_counts.get(organisation_id, 0) + 1
    if organisation_of:
        through = Offer.secondary_domains.through.objects.filter(offer_id__in=list(organisation_of))
        for offer_id, domain_id in through.values_list("offer_id", "needdomain_id"):
            offer_domains.setdefault(organisation_of[offer_id], set()).add(domain_id)
    with_referent = set(
        Membership.objects.filter(is_active=True, role=Role.CPAS_REFERENT)
        .order_by()
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    return assemble(
        period=period,
        today=today,
        organisations=organisations,
        offer_domains=offer_domains,
        open_offer_counts=open_offer_counts,
        domains=list(NeedDomain.objects.order_by("position", "code")),
        flows=flows,
        organisations_with_referent=with_referent,
    )
