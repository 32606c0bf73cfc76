"""Reads of the audit trail, for coordinators only."""

from django.db.models import QuerySet

from audit import policies
from audit.filters import AuditFilters
from audit.models import AuditEvent
from maillage.actor import Actor
from maillage.errors import Forbidden


def events_visible_to(*, actor: Actor, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    """The events of the actor's coordination (the connection's schema holds no other),
    newest first, narrowed by `filters`."""
    if not policies.can_read_audit_trail(actor):
        raise Forbidden()
    events = AuditEvent.objects.select_related("actor").order_by("-occurred_at", "-id")
    return (filters or AuditFilters()).apply(events)
