"""Who may start and answer a transfer. Role rules over the Actor; whether the consent
covers the handover is consent's rule (consent.policies.covering_transfer)."""

from maillage.actor import Actor
from members.policies import can_edit_file, can_open_files


def can_start_transfer(actor: Actor, person) -> bool:
    """The organisation that follows the person, on a file still open here."""
    return (
        can_edit_file(actor, person)
        and person.moved_at is None
        and person.closed_at is None
        and person.anonymised_at is None
    )


def can_answer_transfer(actor: Actor, transfer) -> bool:
    """A member who keeps files, of the receiving organisation, in the receiving coordination."""
    return (
        can_open_files(actor)
        and actor.coordination is not None
        and transfer.destination_id == actor.coordination.pk
        and transfer.destination_organisation == actor.organisation.public_id
    )
