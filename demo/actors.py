"""Who the demo loaders act as: a member of the coordination, so that the services check,
stamp and audit each write as they would for that person."""

from maillage.actor import Actor


def member_actor(coordination, membership) -> Actor | None:
    """The actor of a membership (loaded with its user and organisation), or None when
    there is no such member."""
    if membership is None:
        return None
    return Actor(
        user=membership.user, membership=membership, organisation=membership.organisation, coordination=coordination
    )
