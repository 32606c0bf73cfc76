"""Request id, coordination routing and the marks pages carry for the organisation wall
(members.middleware.ActorMiddleware builds the actor and keeps the wall)."""

import logging
import time
import uuid

from django.conf import settings
from django.db import connection
from django.http import Http404
from django.urls import set_urlconf
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.middleware.subfolder import TenantSubfolderMiddleware
from django_tenants.utils import get_public_schema_name, get_subfolder_prefix, get_tenant_domain_model, get_tenant_model

from maillage.errors import DomainError, is_database_outage
from maillage.views import domain_error, unavailable

logger = logging.getLogger(__name__)


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


class _Reconnecting:
    """The coordination lookup is the first query of most requests: when it meets a
    connection the server ended (a PostgreSQL restart since the last request), it runs once
    more on a new one, whatever the method, since it only reads."""

    def process_request(self, request):
        try:
            return super().process_request(request)
        except Exception as error:
            if not is_database_outage(error) or connection.in_atomic_block:
                raise
            logger.warning(
                "database connection lost before routing (request %s); reconnecting",
                getattr(request, "request_id", "-"),
            )
            connection.close()
            return super().process_request(request)


class _InactiveAware:
    """An inactive coordination answers like an unknown one."""

    def get_tenant(self, domain_model, hostname):
        tenant = super().get_tenant(domain_model, hostname)
        if not tenant.is_active and tenant.schema_name != "public":
            raise domain_model.DoesNotExist
        return tenant


class _RoutesKept:
    """TenantSubfolderMiddleware.process_request without its clear_url_caches(), and one
    URLConf module per coordination kept from one request to the next: the library built
    a new module and dropped every resolver on each request, so the first reverse() of each
    page rebuilt the whole URL map (some 20 ms). Each module fixes its coordination's
    prefix, so a resolver kept per module cannot serve another coordination's prefix."""

    _urlconfs: dict = {}

    def get_urlconf(self, tenant):
        key = (settings.ROOT_URLCONF, tenant.domain_subfolder)
        if key not in self._urlconfs:
            self._urlconfs[key] = super().get_urlconf(tenant)
        return self._urlconfs[key]

    def process_request(self, request):
        if hasattr(request, "tenant"):
            return
        connection.set_schema_to_public()
        urlconf = None
        prefix = f"/{get_subfolder_prefix()}/"
        if not request.path.startswith(prefix):
            try:
                tenant = get_tenant_model().objects.get(schema_name=get_public_schema_name())
            except get_tenant_model().DoesNotExist:
                raise self.TENANT_NOT_FOUND_EXCEPTION("Unable to find public tenant") from None
            self.setup_url_routing(request, force_public=True)
        else:
            subfolder = request.path[len(prefix) :].split("/")[0]
            domain_model = get_tenant_domain_model()
            try:
                tenant = self.get_tenant(domain_model=domain_model, hostname=subfolder)
            except domain_model.DoesNotExist:
                return self.no_tenant_found(request, subfolder)
            tenant.domain_subfolder = subfolder
            urlconf = self.get_urlconf(tenant=tenant)
        tenant.domain_url = self.hostname_from_request(request)
        request.tenant = tenant
        connection.set_tenant(request.tenant)
        if urlconf:
            request.urlconf = urlconf
            set_urlconf(urlconf)


class _PathRouting(_Reconnecting, _InactiveAware, _RoutesKept, TenantSubfolderMiddleware):
    def get_tenant(self, domain_model, hostname):
        tenant = super().get_tenant(domain_model, hostname)
        # Domain rows also hold host names, the public site's among them: under /c/ only a
        # coordination's own slug names it, or the public schema (no organisation wall)
        # would serve the coordination pages.
        if tenant.is_public or tenant.slug != hostname:
            raise domain_model.DoesNotExist
        return tenant


class _HostRouting(_Reconnecting, _InactiveAware, TenantMainMiddleware):
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


# Methods that only read: running the view twice changes nothing.
_RETRIABLE_METHODS = {"GET", "HEAD"}


class DatabaseRetryMiddleware:
    """A view that meets a lost database connection (PostgreSQL restarting or failing over
    ends every connection) runs once more on a new connection when the request only reads;
    a write, or a second failure, is a 503 with Retry-After, never a 500. The write's
    transaction ended with the connection, so nothing of it stays half done.

    API views map their errors themselves (maillage.api.exception_handler); for a read
    that may still be retried it lets the error through to here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.database_retry = "available" if request.method in _RETRIABLE_METHODS else "none"
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        view = request.resolver_match.view_name if request.resolver_match else "-"
        if getattr(request, "database_retry", None) != "available" or connection.in_atomic_block:
            logger.warning("database connection lost in %s (request %s): 503", view, request.request_id)
            return unavailable(request)
        logger.warning("database connection lost in %s (request %s): running it again", view, request.request_id)
        request.database_retry = "used"
        connection.close()
        tenant = getattr(request, "tenant", None)
        if tenant is not None:
            # A new connection starts on no schema: the request's coordination again.
            connection.set_tenant(tenant)
        match = request.resolver_match
        try:
            response = match.func(request, *match.args, **match.kwargs)
            if callable(getattr(response, "render", None)) and not response.is_rendered:
                response = response.render()
        except Exception as error:
            if is_database_outage(error):
                logger.warning("database still unavailable in %s (request %s): 503", view, request.request_id)
                return unavailable(request)
            if isinstance(error, DomainError):
                return domain_error(request, error)
            raise
        return response


class SessionRefreshMiddleware:
    """Keeps the idle expiry without writing the session on every request: a request
    refreshes it (a new expiry date, SESSION_COOKIE_AGE from now) only when the last
    refresh is SESSION_REFRESH_SECONDS old or more. Reads then cost no UPDATE of the
    session table; a session still ends after SESSION_COOKIE_AGE without a request, up to
    SESSION_REFRESH_SECONDS sooner, never later. Below SessionMiddleware, so that the mark
    set here is saved by it."""

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty() or getattr(session, "_session_cache", None) is None:
            return response
        now = int(time.time())
        if session.modified or now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now
        return response
