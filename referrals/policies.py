"""Who may open and change files. Seeing another organisation's file is consent's
business (consent.policies)."""

from maillage.actor import Actor
from members.models import ROLES_READING_PERSONAL_DATA, Role

FILE_KEEPERS = frozenset({Role.COORDINATOR, Role.CPAS_REFERENT, Role.WORKER})


def can_read_personal_data(actor: Actor) -> bool:
    return actor.role in ROLES_READING_PERSONAL_DATA


def can_open_files(actor: Actor) -> bool:
    return actor.role in FILE_KEEPERS and actor.organisation is not None


def can_edit_file(actor: Actor, person) -> bool:
    return can_open_files(actor) and person.organisation_id == actor.organisation.pk


def can_record_consent(actor: Actor, person) -> bool:
    return can_edit_file(actor, person)


def is_sender_side(actor: Actor, referral) -> bool:
    return can_open_files(actor) and referral.from_organisation_id == actor.organisation.pk


def is_recipient_side(actor: Actor, referral) -> bool:
    """A referral to a CPAS lands in the shared inbox of its reference persons; elsewhere
    any worker of the receiving organisation answers."""
    if actor.organisation is None or referral.to_organisation_id != actor.organisation.pk:
        return False
    if referral.to_organisation.kind == "cpas":
        return actor.role in {Role.CPAS_REFERENT, Role.COORDINATOR}
    return actor.role in FILE_KEEPERS


def can_triage(actor: Actor) -> bool:
    return actor.role == Role.COORDINATOR
