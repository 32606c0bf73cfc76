"""Who may do what with coordinations, memberships and files: role rules over the Actor.
The file rules read only `person.organisation_id`, so the apps that keep files (persons)
and record consents on them (consent) share one rule without importing each other."""

from maillage.actor import Actor
from members.roles import KEEPS_FILES, READS_PERSONAL_DATA, Role


def can_manage_members(actor: Actor) -> bool:
    return actor.role == Role.COORDINATOR


def can_see_inactive_members(actor: Actor) -> bool:
    return actor.role == Role.COORDINATOR


def can_read_personal_data(actor: Actor) -> bool:
    return actor.role in READS_PERSONAL_DATA


def can_open_files(actor: Actor) -> bool:
    return actor.role in KEEPS_FILES and actor.organisation is not None


def can_edit_file(actor: Actor, person) -> bool:
    """`person` is anything with an `organisation_id` (a Person, in practice)."""
    return can_open_files(actor) and person.organisation_id == actor.organisation.pk
