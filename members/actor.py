"""The request's Actor: the account, its active membership here and its organisation."""

from django.db import connection

from maillage.actor import Actor, client_ip
from members.selectors import active_membership_for


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
