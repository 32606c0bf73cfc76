"""What every page's frame needs: the coordination and the actor. The apps add their own
parts (the switcher, unread notices, the open inbox), listed in settings."""

from django.conf import settings


def shell(request):
    tenant = getattr(request, "tenant", None)
    coordination = tenant if tenant is not None and tenant.schema_name != "public" else None
    return {
        "coordination": coordination,
        "actor": getattr(request, "actor", None),
        "require_2fa": settings.MAILLAGE_REQUIRE_2FA,
        # Account pages live on the main site; in host routing that is another host.
        "public_root": settings.MAILLAGE_PUBLIC_ROOT,
    }


def member_actor(request):
    """The request's actor when it has a membership in the coordination shown, else None."""
    tenant = getattr(request, "tenant", None)
    actor = getattr(request, "actor", None)
    if tenant is None or tenant.schema_name == "public" or actor is None or actor.membership is None:
        return None
    return actor
