"""Who may do what with coordinations and memberships."""

from maillage.actor import Actor
from members.roles import Role


def can_manage_members(actor: Actor) -> bool:
    return actor.role == Role.COORDINATOR


def can_see_inactive_members(actor: Actor) -> bool:
    return actor.role == Role.COORDINATOR
