"""Who acts, in which coordination, for which organisation. The request's actor is built
once per request by members.actor.build_actor (it reads the membership)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

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
