"""The request's Actor: the account, its active membership here and its organisation."""

from django.db import connection

from maillage.actor import Actor, client_ip
from members.selectors import active_membership_for
from tenants.authentication import Harvester


def build_actor(request, user) -> Actor | None:
    """The actor for this request, or None when the user has no active membership here.

    In the public schema every authenticated account is an actor without coordination.
    """
    tenant = getattr(request, "tenant", None)
    request_id = getattr(request, "request_id", None)
    ip = client_ip(request)
    if tenant is None or tenant.schema_name == "public":
        return Actor(
            user=user, membership=None, organisation=None, coordination=None, request_id=request_id, ip_address=ip
        )
    if isinstance(user, Harvester):
        return _harvester_actor(user, tenant, request_id, ip)
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    assert connection.schema_name == tenant.schema_name
    membership = active_membership_for(user)
    if membership is None:
        return None
    return Actor(
        user=user,
        membership=membership,
        organisation=membership.organisation,
        coordination=tenant,
        request_id=request_id,
        ip_address=ip,
    )


def _harvester_actor(harvester: Harvester, tenant, request_id, ip) -> Actor | None:
    """A harvesting token acts for no member: no membership, role or organisation, so every
    rule that asks for one refuses. Not the system actor either (its user is the harvester).
    Its own coordination only; elsewhere it looks like any non-member (TokenScopePermission
    has already refused it there)."""
    if harvester.token.coordination_id != tenant.pk:
        return None
    return Actor(
        user=harvester, membership=None, organisation=None, coordination=tenant, request_id=request_id, ip_address=ip
    )
