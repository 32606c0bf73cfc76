"""Who may open and change files. The rules are role rules over the Actor and live in
members.policies, which consent reads too; seeing another organisation's file is
consent's business (consent.policies)."""

from maillage.actor import Actor
from members.policies import can_edit_file, can_open_files, can_read_personal_data

__all__ = ["can_assign_file", "can_edit_file", "can_open_files", "can_read_personal_data"]


def can_assign_file(actor: Actor, person) -> bool:
    """Who takes a file or hands it over to a colleague: a file keeper of the organisation
    that keeps it, while it is open."""
    return can_edit_file(actor, person) and person.closed_at is None and person.anonymised_at is None
