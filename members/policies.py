"""Who may do what with coordinations, memberships and the audit trail."""

from maillage.actor import Actor
from members.models import Role


def can_manage_members(actor: Actor) -> bool:
    return actor.role == Role.COORDINATOR


def can_read_audit_trail(actor: Actor) -> bool:
    return actor.role == Role.COORDINATOR


def can_see_inactive_members(actor: Actor) -> bool:
    return actor.role == Role.COORDINATOR
