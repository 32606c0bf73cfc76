"""Who may do what with membership requests and the data-sharing charter."""

from maillage.actor import Actor
from members.roles import READS_PERSONAL_DATA, Role


def can_decide_membership(actor: Actor) -> bool:
    return actor.role == Role.COORDINATOR


def can_write_charter(actor: Actor) -> bool:
    return actor.role == Role.COORDINATOR


def can_adopt_charter(actor: Actor) -> bool:
    return actor.role in READS_PERSONAL_DATA and actor.organisation is not None


def join_token(coordination, generation: int) -> str:
    """The secret part of the coordination's join link, which coordinators share with the
    organisations they want to hear from. Derived, not stored, from the schema and the
    number of times coordinators renewed the link (a renewal retires the old one): without
    it, nothing of the coordination opens to an account that is not a member (the same 404
    as elsewhere)."""
    from django.utils.crypto import salted_hmac

    return salted_hmac("maillage.charter.join", f"{coordination.schema_name}:{generation}").hexdigest()[:32]


def is_join_token(coordination, generation: int, token: str) -> bool:
    from django.utils.crypto import constant_time_compare

    return bool(token) and constant_time_compare(token, join_token(coordination, generation))
