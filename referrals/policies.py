"""Who may act on a referral. The file rules they build on live with the file
(persons.policies); seeing another organisation's file is consent's business
(consent.policies)."""

from maillage.actor import Actor
from members.models import Role

# The referral code reads the file rules as `policies.<rule>` too.
from persons.policies import FILE_KEEPERS as FILE_KEEPERS
from persons.policies import can_edit_file as can_edit_file
from persons.policies import can_open_files as can_open_files
from persons.policies import can_read_personal_data as can_read_personal_data


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
