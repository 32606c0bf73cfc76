"""The organisation wall for web pages: the request's actor, or a 404 before any view runs."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.utils.http import urlencode

from maillage.middleware import needs_second_factor
from members.actor import build_actor
from tenants.services import remember_coordination


def _is_api_view(view_func) -> bool:
    # DRF views authenticate themselves (tokens); maillage.api.ActorAPIView builds the actor.
    return getattr(view_func, "cls", None) is not None and hasattr(view_func, "initkwargs")


class ActorMiddleware:
    """Builds request.actor. Inside a coordination, a signed-in account without an active
    membership gets the same 404 as a missing page, before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        tenant = getattr(request, "tenant", None)
        if tenant is None or tenant.schema_name == "public":
            request.actor = build_actor(request, request.user)
            return None
        if _is_api_view(view_func):
            return None
        user = request.user
        actor = build_actor(request, user) if user.is_authenticated else None
        request.actor = actor
        if getattr(view_func, "maillage_allow_non_members", False):
            return None
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if actor is None:
            raise Http404
        if needs_second_factor(actor) and not user.is_verified():
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{settings.MAILLAGE_PUBLIC_ROOT}/accounts/two-factor/?{query}")
        remember_coordination(user=user, coordination=tenant)
        return None
