"""Who may harvest the directory: a coordinator opens the HSDS routes of the coordination to
a regional portal or an aggregator, and issues and revokes its harvesting tokens.

The tokens and the opt-in are kept with the coordination (tenants.HarvestingToken,
Coordination.harvesting_allowed), where the API authentication finds them; what a token may
read is its scope's rule (tenants.authentication.SCOPE_RULES). Here: who may change them."""

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet

from directory import policies
from maillage.actor import Actor
from maillage.errors import Forbidden
from tenants import selectors as tenant_selectors
from tenants import services as tenant_services
from tenants.models import HarvestingToken
from tenants.services import IssuedHarvestingToken


@dataclass(frozen=True)
class Harvesting:
    allowed: bool
    tokens: QuerySet[HarvestingToken]


def _may_manage(actor: Actor) -> None:
    if not policies.can_manage_harvesting(actor):
        raise Forbidden()


def harvesting_of(*, actor: Actor) -> Harvesting:
    """Whether the actor's coordination allows harvesting, and its tokens (coordinators)."""
    _may_manage(actor)
    return Harvesting(
        allowed=tenant_selectors.harvesting_allowed(actor.coordination),
        tokens=tenant_selectors.harvesting_tokens_of(actor.coordination),
    )


def set_harvesting(*, actor: Actor, allowed: bool) -> None:
    _may_manage(actor)
    tenant_services.set_harvesting(actor=actor, allowed=allowed)


def issue_harvesting_token(*, actor: Actor, label: str, days: int) -> IssuedHarvestingToken:
    _may_manage(actor)
    return tenant_services.issue_harvesting_token(actor=actor, label=label, days=days)


def revoke_harvesting_token(*, actor: Actor, public_id: uuid.UUID) -> None:
    _may_manage(actor)
    tenant_services.revoke_harvesting_token(actor=actor, public_id=public_id)
