"""Who acts, in which coordination, for which organisation: built once per request."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection

if TYPE_CHECKING:
    from directory.models import Organisation
    from members.models import Membership
    from tenants.models import Coordination, User


@dataclass(frozen=True)
class Actor:
    user: User | None
    membership: Membership | None
    organisation: Organisation | None
    coordination: Coordination | None
    request_id: uuid.UUID | None = None
    ip_address: str | None = None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def is_system(self) -> bool:
        return self.user is None

    @classmethod
    def system(cls, coordination: Coordination | None = None) -> Actor:
        """The actor of scheduled jobs and command-line provisioning."""
        return cls(user=None, membership=None, organisation=None, coordination=coordination)


def client_ip(request) -> str | None:
    # Behind the production proxy REMOTE_ADDR is the proxy; the proxy sets X-Real-IP.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None


def build_actor(request, user) -> Actor | None:
    """The actor for this request, or None when the user has no active membership here.

    In the public schema every authenticated account is an actor without coordination.
    """
    from members.selectors import active_membership_for

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
