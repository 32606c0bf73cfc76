"""Who may change what in the directory. Every member of the coordination reads it."""

from directory.models import Organisation
from maillage.actor import Actor
from members.roles import KEEPS_FILES, Role


def can_manage_organisations(actor: Actor) -> bool:
    return actor.role == Role.COORDINATOR


def can_manage_taxonomy(actor: Actor) -> bool:
    return actor.role == Role.COORDINATOR


def can_edit_organisation(actor: Actor, organisation: Organisation) -> bool:
    if actor.role == Role.COORDINATOR:
        return True
    return actor.role in KEEPS_FILES and actor.organisation is not None and actor.organisation.pk == organisation.pk


def can_edit_offers_of(actor: Actor, organisation: Organisation) -> bool:
    """Members of an organisation edit its offers; coordinators edit any; volunteers and
    observers read."""
    return can_edit_organisation(actor, organisation)


def can_see_coverage(actor: Actor) -> bool:
    return actor.role == Role.COORDINATOR


def can_manage_harvesting(actor: Actor) -> bool:
    """Who opens the coordination's directory to harvesters and issues their tokens."""
    return actor.role == Role.COORDINATOR
