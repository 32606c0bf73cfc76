"""The open-inbox count in every page's frame."""

from maillage.context_processors import member_actor
from members.roles import Role
from referrals import policies, selectors
from referrals.models import OPEN_STATUSES


def open_inbox(request):
    actor = member_actor(request)
    return {"open_inbox_count": _open_inbox_count(actor) if actor is not None else None}


def _open_inbox_count(actor) -> int | None:
    """Open referrals to the actor's organisation, for those who answer them (at a CPAS its
    reference persons and coordinators, elsewhere the file keepers); None for the others.
    One COUNT query."""
    organisation = actor.organisation
    if organisation is None or not policies.can_read_personal_data(actor):
        return None
    if organisation.kind == "cpas":
        if actor.role not in {Role.CPAS_REFERENT, Role.COORDINATOR}:
            return None
    elif actor.role not in policies.FILE_KEEPERS:
        return None
    return selectors.inbox(actor=actor).filter(status__in=OPEN_STATUSES).count()
