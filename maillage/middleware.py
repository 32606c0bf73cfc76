"""Request id, coordination routing and the marks pages carry for the organisation wall
(members.middleware.ActorMiddleware builds the actor and keeps the wall)."""

import uuid

from django.conf import settings
from django.http import Http404
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.middleware.subfolder import TenantSubfolderMiddleware

from maillage.errors import DomainError
from maillage.views import domain_error


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
    def get_tenant(self, domain_model, hostname):
        tenant = super().get_tenant(domain_model, hostname)
        # Domain rows also hold host names, the public site's among them: under /c/ only a
        # coordination's own slug names it, or the public schema (no organisation wall)
        # would serve the coordination pages.
        if tenant.is_public or tenant.slug != hostname:
            raise domain_model.DoesNotExist
        return tenant


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
        if isinstance(exception, DomainError):
            return domain_error(request, exception)
        return None
