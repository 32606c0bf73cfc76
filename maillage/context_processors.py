"""What every page's frame needs: the coordination, the actor, the switcher."""

from django.conf import settings


def shell(request):
    from tenants.selectors import coordinations_of

    tenant = getattr(request, "tenant", None)
    coordination = tenant if tenant is not None and tenant.schema_name != "public" else None
    user = getattr(request, "user", None)
    actor = getattr(request, "actor", None)
    unread = 0
    open_inbox = None
    if coordination is not None and actor is not None and actor.membership is not None:
        from notifications.selectors import unread_notification_count

        unread = unread_notification_count(actor=actor)
        open_inbox = _open_inbox_count(actor)
    return {
        "unread_notifications": unread,
        "open_inbox_count": open_inbox,
        "coordination": coordination,
        "actor": getattr(request, "actor", None),
        "my_coordinations": coordinations_of(user) if user is not None and user.is_authenticated else [],
        "require_2fa": settings.MAILLAGE_REQUIRE_2FA,
        # Account pages live on the main site; in host routing that is another host.
        "public_root": settings.MAILLAGE_PUBLIC_ROOT,
    }


def _open_inbox_count(actor) -> int | None:
    """Open referrals to the actor's organisation, for those who answer them (at a CPAS its
    reference persons and coordinators, elsewhere the file keepers); None for the others.
    One COUNT query."""
    from referrals import policies, selectors
    from referrals.models import OPEN_STATUSES

    if not policies.can_read_personal_data(actor) or not policies.answers_referrals(actor):
        return None
    return selectors.inbox(actor=actor).filter(status__in=OPEN_STATUSES).count()
