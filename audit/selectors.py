"""Reads of the audit trail, for coordinators only."""

from django.db.models import QuerySet

from audit.models import AuditEvent
from maillage.actor import Actor
from maillage.errors import Forbidden
from members import policies


def events_visible_to(*, actor: Actor) -> QuerySet[AuditEvent]:
    if not policies.can_read_audit_trail(actor):
        raise Forbidden()
    return AuditEvent.objects.select_related("actor").order_by("-occurred_at", "-id")


def organisation_names(events) -> dict:
    """Names of the organisations the events name, in one query."""
    from directory.models import Organisation

    ids = {e.organisation_public_id for e in events if e.organisation_public_id}
    return dict(Organisation.objects.filter(public_id__in=ids).values_list("public_id", "name"))
