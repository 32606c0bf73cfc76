"""Who may read a coordination's figures next to its region's."""

from maillage.actor import Actor
from members.roles import Role


def can_see_coordination_indicators(actor: Actor) -> bool:
    return actor.role == Role.COORDINATOR
