"""The open-inbox count in every page's frame, and whether the actor may refer a person
(the directory's results and offers then offer "refer a person to this offer")."""

from maillage.context_processors import member_actor
from persons import policies as person_policies
from referrals import policies, selectors


def open_inbox(request):
    actor = member_actor(request)
    return {
        "open_inbox_count": _open_inbox_count(actor) if actor is not None else None,
        "can_refer": actor is not None and person_policies.can_open_files(actor),
    }


def _open_inbox_count(actor) -> int | None:
    """Open referrals to the actor's organisation, for those who answer them (at a CPAS its
    reference persons and coordinators, elsewhere the file keepers); None for the others.
    The same filter as the inbox's default view (its open tab), so the two agree. One
    COUNT query."""
    if not person_policies.can_read_personal_data(actor) or not policies.answers_referrals(actor):
        return None
    return selectors.inbox(actor=actor, filters=selectors.ReferralFilters(state=selectors.OPEN)).count()
