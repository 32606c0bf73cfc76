"""Who may read the audit trail."""

from maillage.actor import Actor
from members.roles import Role


def can_read_audit_trail(actor: Actor) -> bool:
    return actor.role == Role.COORDINATOR
