"""The unread count in every page's frame."""

from maillage.context_processors import member_actor
from notifications.selectors import unread_notification_count


def unread_notifications(request):
    actor = member_actor(request)
    return {"unread_notifications": unread_notification_count(actor=actor) if actor is not None else 0}
