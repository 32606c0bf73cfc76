"""Who may open and change files. Seeing another organisation's file is consent's
business (consent.policies)."""

from maillage.actor import Actor
from members.roles import KEEPS_FILES, READS_PERSONAL_DATA


def can_read_personal_data(actor: Actor) -> bool:
    return actor.role in READS_PERSONAL_DATA


def can_open_files(actor: Actor) -> bool:
    return actor.role in KEEPS_FILES and actor.organisation is not None


def can_edit_file(actor: Actor, person) -> bool:
    return can_open_files(actor) and person.organisation_id == actor.organisation.pk


def can_record_consent(actor: Actor, person) -> bool:
    """A consent is recorded (and withdrawn) by the organisation that keeps the file."""
    return can_edit_file(actor, person)
