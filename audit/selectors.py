"""Reads of the audit trail, for coordinators only."""

from django.db.models import QuerySet

from audit import policies
from audit.models import AuditEvent
from maillage.actor import Actor
from maillage.errors import Forbidden


def printed_by_organisation(*, actor: Actor, person_public_id, actions) -> QuerySet[AuditEvent]:
    """The papers about a person that the actor's organisation printed (the events named by
    `actions`), oldest first, for the person's timeline. What another organisation printed
    stays on its own trail."""
    if actor.organisation is None:
        return AuditEvent.objects.none()
    return (
        AuditEvent.objects.filter(
            person_public_id=person_public_id,
            organisation_public_id=actor.organisation.public_id,
            action__in=list(actions),
        )
        .select_related("actor")
        .order_by("occurred_at", "id")
    )


def events_visible_to(*, actor: Actor) -> QuerySet[AuditEvent]:
    if not policies.can_read_audit_trail(actor):
        raise Forbidden()
    return AuditEvent.objects.select_related("actor").order_by("-occurred_at", "-id")
