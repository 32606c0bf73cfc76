"""The coordination switcher in every page's frame."""

from tenants.selectors import coordinations_of


def coordinations(request):
    user = getattr(request, "user", None)
    return {"my_coordinations": coordinations_of(user) if user is not None and user.is_authenticated else []}
