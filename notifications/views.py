"""A member's own notices, and their setting for the weekly digest (the e-mail's link
leads here, after sign-in). Changing the setting is a form button: a link opened by a
mail scanner changes nothing."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.policies import can_manage_members
from notifications import selectors, services
from notifications.services import set_weekly_digest

CHOICES = {"1": True, "0": False}


def digest_settings(request):
    actor = request.actor
    if request.method == "POST":
        choice = request.POST.get("weekly_digest", "")
        if choice not in CHOICES:
            context = {"receives": actor.membership.weekly_digest, "error": _("Choose to receive the digest or not.")}
            return render(request, "notifications/digest_settings.html", context, status=400)
        membership = set_weekly_digest(actor=actor, receive=CHOICES[choice])
        if membership.weekly_digest:
            messages.success(request, _("You will receive the weekly digest."))
        else:
            messages.success(request, _("You will no longer receive the weekly digest."))
        return redirect("digest_settings")
    return render(request, "notifications/digest_settings.html", {"receives": actor.membership.weekly_digest})


def notifications(request):
    """In-app notices by day. Listing them marks none read: a notice is read when its link
    is followed or when it is marked. Coordinators also see the notices whose e-mail could
    not be sent."""
    actor = request.actor
    today = timezone.localdate()
    context = {"days": selectors.notices_by_day(actor=actor), "today": today, "yesterday": today - timedelta(days=1)}
    if can_manage_members(actor):
        # Coordinators see whose e-mails did not go out, to check an address or the server.
        not_emailed = selectors.notices_not_emailed()
        context["not_emailed"] = list(not_emailed[:50])
        context["not_emailed_count"] = not_emailed.count()
    return render(request, "notifications/notifications.html", context)


def open_notification(request, public_id):
    """Follows a notice's link, and so reads it."""
    notification = selectors.get_notification_for(actor=request.actor, public_id=public_id)
    services.mark_notification_read(actor=request.actor, notification=notification)
    return redirect(f"{request.tenant.url}{notification.url}")


@require_POST
def mark_notification_read(request, public_id):
    notification = selectors.get_notification_for(actor=request.actor, public_id=public_id)
    services.mark_notification_read(actor=request.actor, notification=notification)
    return redirect("notifications")


@require_POST
def mark_all_notifications_read(request):
    services.mark_notifications_read(actor=request.actor)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications")
