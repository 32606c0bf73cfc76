"""The parts of a file that cross to another coordination when the family moves
(maillage.handover, named in MAILLAGE_TRANSFER_HANDOVER): each one only when the consent
shares its kind of data. Called in the origin's schema; `actor` is the origin's."""

from consent.models import Consent, DataCategory
from maillage.actor import Actor
from maillage.handover import IDENTITY, Part
from persons import services
from persons.models import Person
from persons.selectors import programme_deadline as deadline_of

IDENTITY_FIELDS = (
    "given_name",
    "family_name",
    "birth_date",
    "birth_year",
    "languages",
    "preferred_language",
    "interpreter_needed",
    "interpreter_language",
    "national_number_encrypted",
)
SITUATION_FIELDS = services.SITUATION_FIELDS


def identity(*, actor: Actor, person: Person, consent: Consent) -> Part | None:
    if DataCategory.IDENTITY not in consent.categories:
        return None
    return Part(IDENTITY, {name: getattr(person, name) for name in IDENTITY_FIELDS})


def situation(*, actor: Actor, person: Person, consent: Consent) -> Part | None:
    if DataCategory.SITUATION not in consent.categories:
        return None
    return Part(
        "situation", {name: getattr(person, name) for name in SITUATION_FIELDS}, receive=services.receive_situation
    )


def programme_deadline(*, actor: Actor, person: Person, consent: Consent) -> Part | None:
    """The legal deadline as reckoned where the person first registered, a date only: it
    crosses with every transfer (the receiving organisation must meet it), whatever else the
    consent shares, so that a move never restarts the clock."""
    deadline = deadline_of(person, actor.coordination.registration_deadline_months)
    if deadline is None or deadline.registered:
        return None
    return Part("programme_deadline", {"due": deadline.due}, receive=services.receive_programme_deadline)
