"""Error pages. Out of scope and missing look the same: one 404 body for each kind of client.

A domain error a page view does not handle itself becomes a response here, through
maillage.middleware.DomainErrorMiddleware: NotFound the 404 page, Forbidden a 403, Conflict
and Invalid a page that says what went wrong, with their status (409, 400). A view catches
only what it shows in place (Invalid on its form, a Conflict as a message)."""

import sys

from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from maillage import errors


def _wants_json(request) -> bool:
    return "/api/" in request.path


def not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"error": "not_found", "detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def domain_error(request, error: errors.DomainError):
    if isinstance(error, errors.NotFound):
        return not_found(request)
    if _wants_json(request):
        return JsonResponse(errors.body(error), status=error.status)
    if isinstance(error, errors.Forbidden):
        return HttpResponseForbidden()
    return render(request, "error.html", {"message": errors.text(error)}, status=error.status)


def unavailable(request):
    """503 with Retry-After: the database is away for a moment. The page is built without
    the request's context, whose processors read the database."""
    if _wants_json(request):
        response = JsonResponse(errors.body(errors.Unavailable()), status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(errors.RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    # Called while the exception is handled: a lost database connection outside a view
    # (coordination routing, sign-in middleware) is a 503 to retry, not a server error.
    if errors.is_database_outage(sys.exc_info()[1]):
        return unavailable(request)
    if _wants_json(request):
        return JsonResponse({"error": "server_error", "detail": _("Server error.")}, status=500)
    return render(request, "500.html", status=500)
