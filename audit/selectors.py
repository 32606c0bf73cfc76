"""Reads of the audit trail, for coordinators only."""

from django.db.models import QuerySet

from audit import policies
from audit.models import AuditEvent
from maillage.actor import Actor
from maillage.errors import Forbidden


def events_visible_to(*, actor: Actor) -> QuerySet[AuditEvent]:
    if not policies.can_read_audit_trail(actor):
        raise Forbidden()
    return AuditEvent.objects.select_related("actor").order_by("-occurred_at", "-id")
