"""A member's own setting for the weekly digest (the e-mail's link leads here, after
sign-in). Changing it is a form button: a link opened by a mail scanner changes nothing."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

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
    """In-app notices; opening the page marks them read. Coordinators also see the notices
    whose e-mail could not be sent."""
    actor = request.actor
    items = list(selectors.notifications_of(actor=actor)[:100])
    services.mark_notifications_read(actor=actor)
    context = {"items": items}
    if can_manage_members(actor):
        # Coordinators see whose e-mails did not go out, to check an address or the server.
        not_emailed = selectors.notices_not_emailed()
        context["not_emailed"] = list(not_emailed[:50])
        context["not_emailed_count"] = not_emailed.count()
    return render(request, "notifications/notifications.html", context)
