"""What every page's frame needs: the coordination, the actor, the switcher."""

from django.conf import settings


def shell(request):
    from tenants.selectors import coordinations_of

    tenant = getattr(request, "tenant", None)
    coordination = tenant if tenant is not None and tenant.schema_name != "public" else None
    user = getattr(request, "user", None)
    actor = getattr(request, "actor", None)
    unread = 0
    if coordination is not None and actor is not None and actor.membership is not None:
        from tenants.selectors import unread_notification_count

        unread = unread_notification_count(actor=actor)
    return {
        "unread_notifications": unread,
        "coordination": coordination,
        "actor": getattr(request, "actor", None),
        "my_coordinations": coordinations_of(user) if user is not None and user.is_authenticated else [],
        "require_2fa": settings.MAILLAGE_REQUIRE_2FA,
        # Account pages live on the main site; in host routing that is another host.
        "public_root": settings.MAILLAGE_PUBLIC_ROOT,
    }
