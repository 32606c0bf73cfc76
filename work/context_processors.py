"""The main menu in every page's frame (work.navigation)."""

from maillage.context_processors import member_actor
from work.navigation import menu


def navigation(request):
    actor = member_actor(request)
    return {"menu": menu(actor, request.tenant) if actor is not None else []}
