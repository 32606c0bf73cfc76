"""Error pages. Out of scope and missing look the same: one 404 body for each kind of client.

A domain error a page view does not handle itself becomes a response here, through
maillage.middleware.DomainErrorMiddleware: NotFound the 404 page, Forbidden a 403, Conflict
and Invalid a page that says what went wrong, with their status (409, 400). A view catches
only what it shows in place (Invalid on its form, a Conflict as a message)."""

from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import render
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


def server_error(request):
    if _wants_json(request):
        return JsonResponse({"error": "server_error", "detail": _("Server error.")}, status=500)
    return render(request, "500.html", status=500)
