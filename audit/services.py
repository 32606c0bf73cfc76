"""The only way to write the audit trail."""

import uuid

from audit.models import AuditEvent
from maillage.actor import Actor


def record_event(
    *,
    actor: Actor,
    action: str,
    object_type: str = "",
    object_public_id: uuid.UUID | None = None,
    person_public_id: uuid.UUID | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Appends one event in the schema the connection is on (the actor's coordination,
    or public). `detail` carries ids and codes, never names or free text."""
    return AuditEvent.objects.create(
        actor=actor.user,
        coordination_slug=actor.coordination.slug if actor.coordination else "",
        organisation_public_id=actor.organisation.public_id if actor.organisation else None,
        action=action,
        object_type=object_type,
        object_public_id=object_public_id,
        person_public_id=person_public_id,
        request_id=actor.request_id,
        ip_address=actor.ip_address,
        detail=detail or {},
    )


def record_reads(*, actor: Actor, persons, action: str = "person.read") -> None:
    """One event per person whose data the actor was shown (a list writes them in bulk)."""
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor.user,
            coordination_slug=actor.coordination.slug if actor.coordination else "",
            organisation_public_id=actor.organisation.public_id if actor.organisation else None,
            action=action,
            object_type="person",
            object_public_id=person.public_id,
            person_public_id=person.public_id,
            request_id=actor.request_id,
            ip_address=actor.ip_address,
        )
        for person in persons
    )
