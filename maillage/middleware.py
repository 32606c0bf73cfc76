"""Request id, coordination routing, and the organisation wall for web pages."""

import uuid

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.utils.http import urlencode
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.middleware.subfolder import TenantSubfolderMiddleware

from maillage.actor import build_actor


class RequestIdMiddleware:
    """Gives every request an id (kept from X-Request-ID when it is a UUID) for the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.request_id = uuid.UUID(request.headers.get("X-Request-ID", ""))
        except ValueError:
            request.request_id = uuid.uuid4()
        response = self.get_response(request)
        response["X-Request-ID"] = str(request.request_id)
        return response


class _InactiveAware:
    """An inactive coordination answers like an unknown one."""

    def get_tenant(self, domain_model, hostname):
        tenant = super().get_tenant(domain_model, hostname)
        if not tenant.is_active and tenant.schema_name != "public":
            raise domain_model.DoesNotExist
        return tenant


class _PathRouting(_InactiveAware, TenantSubfolderMiddleware):
    pass


class _HostRouting(_InactiveAware, TenantMainMiddleware):
    TENANT_NOT_FOUND_EXCEPTION = Http404


def CoordinationMiddleware(get_response):  # noqa: N802 - used as a middleware class
    """Path routing (/c/<slug>/) unless MAILLAGE_ROUTING=host."""
    if settings.MAILLAGE_ROUTING == "host":
        return _HostRouting(get_response)
    return _PathRouting(get_response)


def allow_non_members(view):
    """Marks a coordination page that people who are not (yet) members may open."""
    view.maillage_allow_non_members = True
    return view


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
        return None


def needs_second_factor(actor) -> bool:
    return bool(settings.MAILLAGE_REQUIRE_2FA and actor.membership and actor.membership.needs_second_factor)


class DomainErrorMiddleware:
    """A domain error that escapes a page view becomes its page (maillage.views.domain_error):
    the same 404 as a missing page for NotFound, 403 for Forbidden, the message for the rest.
    API views map their errors themselves (maillage.api.exception_handler)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from maillage.errors import DomainError
        from maillage.views import domain_error

        if isinstance(exception, DomainError):
            return domain_error(request, exception)
        return None
