"""Error pages. Out of scope and missing look the same: one 404 body for each kind of client."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def or_404(selector, **kwargs):
    """A page's read through a selector: its NotFound (missing, or out of scope) becomes the
    plain 404 page; any other domain error is the caller's."""
    from maillage.errors import NotFound

    try:
        return selector(**kwargs)
    except NotFound:
        raise Http404 from None


def _wants_json(request) -> bool:
    return "/api/" in request.path


def not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"error": "not_found", "detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    if _wants_json(request):
        return JsonResponse({"error": "server_error", "detail": _("Server error.")}, status=500)
    return render(request, "500.html", status=500)
