"""The referral lifecycle as data: one table of transitions.

Each row says which states an action starts from, which side of the referral may take it,
the state it leads to, the input it needs and the service that carries it out. The
services check the source state and the side against this table under the row lock; the
referral page offers the actions the table allows now; the API dispatches through it.
Triage is not a row: it passes a sent referral on, without changing its state.
"""

from collections.abc import Callable
from dataclasses import dataclass

from maillage.actor import Actor
from referrals import policies, services
from referrals.models import ReferralStatus

SENDER, RECIPIENT, COORDINATOR = "sender", "recipient", "coordinator"

# Which actor stands on which side of a referral.
SIDES: dict[str, Callable[[Actor, object], bool]] = {
    SENDER: policies.is_sender_side,
    RECIPIENT: policies.is_recipient_side,
    COORDINATOR: lambda actor, referral: policies.can_triage(actor),
}


@dataclass(frozen=True)
class Transition:
    name: str  # in URLs and API paths
    sources: frozenset[str]
    side: str
    target: str
    service: str  # the function of referrals.services that carries it out
    needs: tuple[str, ...] = ()  # the input it takes (reason, outcome, note, appointment_at, place)


_S = ReferralStatus
_ROWS = (
    Transition("send", frozenset({_S.DRAFT}), SENDER, _S.SENT, "send_referral"),
    Transition("acknowledge", frozenset({_S.SENT}), RECIPIENT, _S.RECEIVED, "acknowledge_referral"),
    Transition("accept", frozenset({_S.SENT, _S.RECEIVED}), RECIPIENT, _S.ACCEPTED, "accept_referral"),
    # Instead of accepting the appointment the referral proposes, the recipient proposes
    # another; the sender accepts it (the referral is accepted with that appointment) or
    # declines it (the referral waits for the recipient's answer again).
    Transition(
        "propose",
        frozenset({_S.SENT, _S.RECEIVED}),
        RECIPIENT,
        _S.APPOINTMENT_PROPOSED,
        "propose_appointment",
        ("appointment_at", "place", "note"),
    ),
    Transition(
        "accept-proposal", frozenset({_S.APPOINTMENT_PROPOSED}), SENDER, _S.ACCEPTED, "accept_proposed_appointment"
    ),
    Transition(
        "decline-proposal",
        frozenset({_S.APPOINTMENT_PROPOSED}),
        SENDER,
        _S.RECEIVED,
        "decline_proposed_appointment",
        ("note",),
    ),
    Transition(
        "decline", frozenset({_S.SENT, _S.RECEIVED}), RECIPIENT, _S.DECLINED, "decline_referral", ("reason", "note")
    ),
    Transition("start", frozenset({_S.ACCEPTED}), RECIPIENT, _S.IN_PROGRESS, "start_referral"),
    Transition(
        "complete",
        frozenset({_S.ACCEPTED, _S.IN_PROGRESS}),
        RECIPIENT,
        _S.COMPLETED,
        "complete_referral",
        ("outcome", "note"),
    ),
    Transition(
        "not-complete",
        frozenset({_S.ACCEPTED, _S.IN_PROGRESS}),
        RECIPIENT,
        _S.NOT_COMPLETED,
        "not_complete_referral",
        ("reason", "note"),
    ),
    Transition(
        "cancel",
        frozenset({_S.DRAFT, _S.SENT, _S.RECEIVED, _S.APPOINTMENT_PROPOSED, _S.ACCEPTED, _S.IN_PROGRESS}),
        SENDER,
        _S.CANCELLED,
        "cancel_referral",
    ),
)

TRANSITIONS: dict[str, Transition] = {row.name: row for row in _ROWS}
ACTIONS = tuple(TRANSITIONS)


def on_side(actor: Actor, referral, transition: Transition) -> bool:
    return SIDES[transition.side](actor, referral)


def allowed_actions(actor: Actor, referral) -> list[str]:
    """The actions the actor may take on the referral now: its side and the source states."""
    return [row.name for row in _ROWS if referral.status in row.sources and on_side(actor, referral, row)]


def perform(name: str, *, actor: Actor, referral, data: dict | None = None):
    """Carries out the action `name` through its service, with the input it needs."""
    transition = TRANSITIONS[name]
    data = data or {}
    values = {key: data.get(key) or "" for key in transition.needs}
    return getattr(services, transition.service)(actor=actor, referral=referral, **values)
