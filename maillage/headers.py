"""Response headers: what a member reads inside a coordination is not kept by browsers or
proxies."""

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Every response served inside a coordination to a signed-in account (session or
    token) is marked `private, no-store`: pages and API alike carry personal data, and a
    shared computer's cache or a proxy must not keep it. A view that set its own
    Cache-Control did so on purpose (the calendar feed) and keeps it; static files are
    answered before this runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        tenant = getattr(request, "tenant", None)
        user = getattr(request, "user", None)
        if tenant is None or tenant.schema_name == "public" or user is None or not user.is_authenticated:
            return response
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
