"""Who acts, in which coordination, for which organisation. The request's actor is built
once per request by members.actor.build_actor (it reads the membership)."""

from __future__ import annotations

import ipaddress
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from directory.models import Organisation
    from members.models import Membership
    from tenants.models import Coordination, User


@dataclass(frozen=True)
class Actor:
    # An account; for a harvesting token, tenants.authentication.Harvester (no membership
    # comes with it, and it is not the system); None for the system.
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
    """The client's address: the direct peer, or what a trusted proxy (MAILLAGE_TRUSTED_PROXIES)
    forwards. Anyone can write X-Real-IP and X-Forwarded-For, so from anyone else they would
    put a chosen address in the audit trail and lift the per-address limits."""
    peer = _address(request.META.get("REMOTE_ADDR"))
    if peer is None:
        return None
    proxies = [ipaddress.ip_network(proxy, strict=False) for proxy in settings.MAILLAGE_TRUSTED_PROXIES]
    if not _within(peer, proxies):
        return str(peer)
    real = _address(request.META.get("HTTP_X_REAL_IP"))
    if real is not None:
        return str(real)
    # Each proxy appends the peer it saw: the first untrusted hop from the right is the client;
    # what lies left of it the client wrote itself.
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            break
        if not _within(address, proxies):
            return str(address)
    return str(peer)


def _address(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None


def _within(address, networks) -> bool:
    return any(address in network for network in networks)
