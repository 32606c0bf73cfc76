"""Who may do what with meetings, actions and the action plan. Every member reads them."""

from maillage.actor import Actor
from members.roles import READS_PERSONAL_DATA, Role


def can_manage_meetings(actor: Actor) -> bool:
    """Coordinators plan meetings and record attendance, minutes, decisions and actions."""
    return actor.role == Role.COORDINATOR


def can_cancel_meeting(actor: Actor, meeting) -> bool:
    return actor.role == Role.COORDINATOR


def can_manage_plan(actor: Actor) -> bool:
    return actor.role == Role.COORDINATOR


def can_edit_action(actor: Actor, action) -> bool:
    return actor.role == Role.COORDINATOR


def can_set_action_status(actor: Actor, action) -> bool:
    """Coordinators change any action; the owner organisation's members mark theirs done
    or dropped."""
    if actor.role == Role.COORDINATOR:
        return True
    return (
        actor.role in READS_PERSONAL_DATA
        and actor.organisation is not None
        and actor.organisation.pk == action.owner_id
    )
