"""The API base: the view every endpoint derives from, pagination, reading input, and the
error handler."""

from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from maillage.actor import Actor
from maillage.errors import RETRY_AFTER_SECONDS, DomainError, Invalid, NotFound, Unavailable, is_database_outage
from maillage.errors import body as error_body
from maillage.middleware import needs_second_factor


def body_object(request) -> Mapping:
    """The request's body when it is a JSON object (or a form); any other JSON value (a
    list, a string, a number, null) is a 400, for views that merge or index the body."""
    if not isinstance(request.data, Mapping):
        raise Invalid(fields={"non_field_errors": [_("The body must be a JSON object.")]})
    return request.data


def _refuse_nul_in_query(request) -> None:
    # PostgreSQL text cannot hold NUL: refused here for every API query, whether or not
    # the view reads that parameter.
    for key, values in request.query_params.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            raise Invalid(fields={key.replace("\x00", "") or "query": [_("Null characters are not allowed.")]})


def _second_factor_verified(request) -> bool:
    """Whether the credential carries a second factor: a session verified with one, or a
    token issued from such a session (tenants.ApiToken.second_factor, read by name since
    this package sits below tenants). Any other credential carries none."""
    if isinstance(request.successful_authenticator, SessionAuthentication):
        return request._request.user.is_verified()
    return getattr(request.auth, "second_factor", False) is True


class Pagination(PageNumberPagination):
    """Every list of the API: ?page= (from 1) and ?page_size= (1 to 200, 50 by default),
    answered as {count, next, previous, results}. A page number rather than a cursor: the
    lists are a coordination's records, small and read whole by integrators, who want the
    count; a page beyond the last is a 404."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            message = _("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
            raise Invalid(fields={self.page_size_query_param: [message]})
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param, "1")
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise Invalid(fields={self.page_query_param: [_("Give a page number from 1.")]})
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        # DRF writes OpenAPI 3.0's `nullable`; the schema is 3.1, where null is a type.
        paginated = super().get_paginated_response_schema(schema)
        for link in ("next", "previous"):
            described = paginated["properties"][link]
            described.pop("nullable", None)
            described.pop("example", None)
            described["type"] = ["string", "null"]
        return paginated

    def get_schema_operation_parameters(self, view) -> list:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
        return parameters


class ActorAPIView(APIView):
    """Authenticates (session or token), then builds the Actor before any handler runs.

    An authenticated account without an active membership in this coordination gets the
    same 404 as a missing resource, whatever the authentication method.
    """

    actor: Actor
    # Not read by APIView: drf-spectacular reads it to describe every GET list as paginated,
    # and `page_of` uses it, so that the schema and the answers cannot differ.
    pagination_class = Pagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # The builder reads memberships, an app above this package: settings name it.
        actor = import_string(settings.MAILLAGE_ACTOR_BUILDER)(request._request, request.user)
        if actor is None:
            raise exceptions.NotFound()
        if needs_second_factor(actor) and not _second_factor_verified(request):
            if isinstance(request.successful_authenticator, SessionAuthentication):
                message = _("Two-factor authentication is required.")
            else:
                message = _(
                    "This token was issued without a second factor, which your role now requires. "
                    "Issue a new one from a session verified with your second factor."
                )
            raise exceptions.PermissionDenied(message, code="two_factor_required")
        _refuse_nul_in_query(request)
        request.actor = actor
        self.actor = actor

    def paginate(self, queryset, serializer_class):
        page = self.page_of(queryset)
        return self.paginated_response(serializer_class(page, many=True).data)

    def page_of(self, queryset) -> list:
        """The page that ?page= and ?page_size= ask for; answer with `paginated_response`.
        Split from `paginate` for lists that do something with the page's rows first."""
        self._paginator = self.pagination_class()
        return self._paginator.paginate_queryset(queryset, self.request, view=self)

    def paginated_response(self, data) -> Response:
        return self._paginator.get_paginated_response(data)


class AccountAPIView(APIView):
    """The base of the public-schema routes about the signed-in account itself (its tokens,
    its coordinations): authenticated, outside any coordination, so the actor has no
    membership, organisation or coordination."""

    actor: Actor

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        _refuse_nul_in_query(request)
        actor = import_string(settings.MAILLAGE_ACTOR_BUILDER)(request._request, request.user)
        request.actor = actor
        self.actor = actor

    def signed_in_with_session(self) -> bool:
        return isinstance(self.request.successful_authenticator, SessionAuthentication)


def validated(serializer_class, data, *, partial: bool = False, context: dict | None = None) -> dict:
    """The input as the serializer accepts it; otherwise a 400 that names the fields."""
    serializer = serializer_class(data=data, partial=partial, context=context or {})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def referenced(lookup, values: dict, field: str, *, actor: Actor, message):
    """The record whose id the input gives in `field`, through its selector `lookup`; None
    when the id is left out. For ids where an unknown one is a mistake in that field (a 400
    naming it), not a missing resource (404)."""
    if values[field] is None:
        return None
    try:
        return lookup(actor=actor, public_id=values[field])
    except NotFound:
        raise Invalid(fields={field: [message]}) from None


def _body(code: str, detail, fields: dict | None = None) -> dict:
    body = {"error": code, "detail": str(detail)}
    if fields:
        body["fields"] = fields
    return body


def exception_handler(exc, context):
    """Every API error has the body {"error": code, "detail": message} (+ "fields")."""
    if is_database_outage(exc):
        if getattr(context.get("request"), "database_retry", None) == "available":
            # Re-raised: maillage.middleware.DatabaseRetryMiddleware runs the read again.
            return None
        return Response(error_body(Unavailable()), status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    if isinstance(exc, DomainError):
        return Response(error_body(exc), status=exc.status)
    if isinstance(exc, RequestDataTooBig):
        # Django's DATA_UPLOAD_MAX_MEMORY_SIZE, met while DRF reads a JSON or form body.
        limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024:g}"
        message = _("The request is larger than %(size)s MB.") % {"size": limit}
        return Response(_body("too_large", message), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(_body("invalid", _("Some fields are not valid."), fields), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = _body("invalid", _("Some fields are not valid."), data)
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        response.data = _body(code, exc.detail)
    if response.status_code == status.HTTP_404_NOT_FOUND:
        response.data = _body("not_found", _("Not found."))
    return response
