"""Reads of transfers, each scoped to one side: the origin organisation in the origin
coordination, or the receiving organisation in the receiving one. Nobody else sees a
transfer, and out of scope looks like missing."""

import uuid

from django.db.models import Q, QuerySet

from directory.selectors import OrganisationCard, member_directory_of
from maillage.actor import Actor
from maillage.errors import NotFound
from members.policies import can_read_personal_data
from tenants.models import Coordination
from tenants.selectors import coordination_by_slug, other_active_coordinations
from transfers.models import Transfer


def transfers_visible_to(*, actor: Actor) -> QuerySet[Transfer]:
    if not can_read_personal_data(actor) or actor.organisation is None or actor.coordination is None:
        return Transfer.objects.none()
    here, organisation = actor.coordination.pk, actor.organisation.public_id
    return Transfer.objects.filter(
        Q(origin_id=here, origin_organisation=organisation)
        | Q(destination_id=here, destination_organisation=organisation)
    ).select_related("origin", "destination")


def get_transfer_for(*, actor: Actor, public_id: uuid.UUID) -> Transfer:
    try:
        return transfers_visible_to(actor=actor).get(public_id=public_id)
    except (Transfer.DoesNotExist, ValueError):
        raise NotFound() from None


def incoming_transfers(*, actor: Actor) -> QuerySet[Transfer]:
    """Transfers to the actor's organisation, waiting ones first."""
    if actor.coordination is None:
        return Transfer.objects.none()
    return (
        transfers_visible_to(actor=actor)
        .filter(destination_id=actor.coordination.pk)
        .order_by("-state", "-created_at", "-pk")  # descending, "pending" comes first
    )


def outgoing_transfers(*, actor: Actor) -> QuerySet[Transfer]:
    """Transfers the actor's organisation started, the latest first."""
    if actor.coordination is None:
        return Transfer.objects.none()
    return transfers_visible_to(actor=actor).filter(origin_id=actor.coordination.pk).order_by("-created_at", "-pk")


def transfers_of_person(*, actor: Actor, person) -> QuerySet[Transfer]:
    """The transfers the actor's organisation started for this file."""
    if actor.coordination is None:
        return Transfer.objects.none()
    return (
        transfers_visible_to(actor=actor)
        .filter(origin_id=actor.coordination.pk, origin_person=person.public_id)
        .order_by("-created_at", "-pk")
    )


def destinations(*, actor: Actor) -> QuerySet[Coordination]:
    """The coordinations a family followed here may move to."""
    if actor.coordination is None:
        return Coordination.objects.none()
    return other_active_coordinations(actor.coordination)


def destination_by_slug(*, actor: Actor, slug: str) -> Coordination | None:
    return coordination_by_slug(slug)


def receiving_organisations(*, actor: Actor, coordination: Coordination) -> list[OrganisationCard]:
    """That coordination's member organisations (names and kinds only), or none for this
    coordination itself or an inactive one."""
    if actor.coordination is None or coordination.pk == actor.coordination.pk:
        return []
    return member_directory_of(actor=actor, coordination=coordination)
