"""Meeting pages: the list, a meeting and its printable minutes, follow-up actions, the
local action plan, and the members' calendar feed."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.selectors import need_domains
from maillage.errors import Conflict, Invalid
from maillage.forms import add_domain_error, form_page
from maillage.middleware import allow_non_members
from meetings import policies, selectors, services
from meetings.forms import ActionFilterForm, ActionForm, CancelMeetingForm, MeetingForm, ObjectiveForm
from meetings.ical import meetings_calendar
from meetings.models import ActionStatus


def _with_rights(actor, actions):
    for action in actions:
        action.can_set_status = policies.can_set_action_status(actor, action)
        action.overdue = action.is_overdue()
    return actions


# --- Meetings ------------------------------------------------------------------------


def meeting_list(request):
    actor = request.actor
    now = timezone.now()
    page = Paginator(selectors.past_meetings(actor=actor, now=now), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "upcoming": list(selectors.upcoming_meetings(actor=actor, now=now)),
            "page": page,
            "can_manage": policies.can_manage_meetings(actor),
        },
    )


def _meeting_form_page(request, meeting=None):
    actor = request.actor
    if not policies.can_manage_meetings(actor):
        return HttpResponseForbidden()
    if meeting is not None and meeting.is_cancelled:
        context = _meeting_context(request, meeting)
        context["cancel_error"] = _("This meeting was cancelled: it can no longer be changed.")
        return render(request, "meetings/meeting_detail.html", context, status=409)
    rows = selectors.attendance_rows(actor=actor, meeting=meeting)
    initial = MeetingForm.initial_from(meeting, rows) if meeting else {}
    form = MeetingForm(request.POST or None, initial=initial, organisations=[row.organisation for row in rows])

    def save():
        if meeting is None:
            return services.create_meeting(actor=actor, data=form.to_input())
        return services.update_meeting(actor=actor, meeting=meeting, data=form.to_input())

    return form_page(
        request,
        form,
        save=save,
        saved_message=_("The meeting is saved."),
        done=lambda saved: redirect("meeting_detail", public_id=saved.public_id),
        template="meetings/meeting_form.html",
        context={"meeting": meeting},
    )


def meeting_create(request):
    return _meeting_form_page(request)


def meeting_edit(request, public_id):
    meeting = selectors.get_meeting(actor=request.actor, public_id=public_id)
    return _meeting_form_page(request, meeting)


def _meeting_context(request, meeting, cancel_form=None):
    actor = request.actor
    is_past = meeting.is_past()
    can_cancel = not is_past and not meeting.is_cancelled and policies.can_cancel_meeting(actor, meeting)
    return {
        "meeting": meeting,
        "is_past": is_past,
        "attendance": [row for row in selectors.attendance_rows(actor=actor, meeting=meeting) if row.status],
        "actions": _with_rights(actor, list(meeting.actions.all())),
        "can_manage": policies.can_manage_meetings(actor),
        "cancel_form": (cancel_form or CancelMeetingForm()) if can_cancel else None,
    }


def meeting_detail(request, public_id):
    """The meeting; coordinators cancel one still to come by posting its reason here."""
    meeting = selectors.get_meeting(actor=request.actor, public_id=public_id)
    if request.method == "POST":
        return _cancel_meeting(request, meeting)
    return render(request, "meetings/meeting_detail.html", _meeting_context(request, meeting))


def _cancel_meeting(request, meeting):
    actor = request.actor
    if not policies.can_cancel_meeting(actor, meeting):
        return HttpResponseForbidden()
    form = CancelMeetingForm(request.POST)
    status = 400
    cancel_error = ""
    if form.is_valid():
        try:
            services.cancel_meeting(actor=actor, meeting=meeting, reason=form.cleaned_data["reason"])
        except (Invalid, Conflict) as error:
            status = error.status
            if error.fields:
                add_domain_error(form, error)
            else:
                cancel_error = error.message
        else:
            messages.success(request, _("The meeting is cancelled. Members are told."))
            return redirect("meeting_detail", public_id=meeting.public_id)
    meeting = selectors.get_meeting(actor=actor, public_id=meeting.public_id)
    context = _meeting_context(request, meeting, cancel_form=form)
    context["cancel_error"] = cancel_error
    return render(request, "meetings/meeting_detail.html", context, status=status)


def meeting_minutes(request, public_id):
    """The minutes as a document to print: attendance, agenda, minutes, decisions, actions."""
    meeting = selectors.get_meeting(actor=request.actor, public_id=public_id)
    context = _meeting_context(request, meeting)
    context["printed_on"] = timezone.localdate()
    return render(request, "meetings/minutes_print.html", context)


# --- Actions -------------------------------------------------------------------------


def action_list(request):
    actor = request.actor
    form = ActionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    actions = selectors.actions(
        actor=actor,
        status=filters.get("status", ""),
        overdue=filters.get("overdue", False),
        mine=filters.get("mine", False),
    )
    page = Paginator(actions, 50).get_page(request.GET.get("page"))
    _with_rights(actor, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meetings/action_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_manage": policies.can_manage_meetings(actor),
        },
    )


def _action_form(request, *, initial):
    actor = request.actor
    return ActionForm(
        request.POST or None,
        initial=initial,
        organisations=selectors.member_organisations(actor=actor),
        meetings=selectors.meetings(actor=actor)[:100],
        objectives=selectors.objectives(actor=actor),
    )


def _after_action_created(action):
    if action.meeting_id:
        return redirect("meeting_detail", public_id=action.meeting.public_id)
    return redirect("action_detail", public_id=action.public_id)


def action_create(request):
    actor = request.actor
    if not policies.can_manage_meetings(actor):
        return HttpResponseForbidden()
    initial = {key: request.GET.get(key, "") for key in ("meeting", "objective")}
    form = _action_form(request, initial=initial)
    return form_page(
        request,
        form,
        save=lambda: services.create_action(actor=actor, data=form.to_input()),
        saved_message=_("The action is saved."),
        done=_after_action_created,
        template="meetings/action_form.html",
        context={"action": None},
    )


def action_detail(request, public_id):
    actor = request.actor
    action = selectors.get_action(actor=actor, public_id=public_id)
    _with_rights(actor, [action])
    return render(
        request,
        "meetings/action_detail.html",
        {"action": action, "can_edit": policies.can_edit_action(actor, action)},
    )


def action_edit(request, public_id):
    actor = request.actor
    action = selectors.get_action(actor=actor, public_id=public_id)
    if not policies.can_edit_action(actor, action):
        return HttpResponseForbidden()
    form = _action_form(request, initial=ActionForm.initial_from(action))
    return form_page(
        request,
        form,
        save=lambda: services.update_action(actor=actor, action=action, data=form.to_input()),
        saved_message=_("The action is saved."),
        done=lambda saved: redirect("action_detail", public_id=saved.public_id),
        template="meetings/action_form.html",
        context={"action": action},
    )


@require_POST
def action_status(request, public_id):
    actor = request.actor
    action = selectors.get_action(actor=actor, public_id=public_id)
    if not policies.can_set_action_status(actor, action):
        return HttpResponseForbidden()
    status = request.POST.get("status", "")
    try:
        services.set_action_status(actor=actor, action=action, status=status)
    except (Invalid, Conflict) as error:
        messages.error(request, error.fields.get("status", [error.message])[0])
    else:
        messages.success(request, _("The action's status is now: %(status)s.") % {"status": ActionStatus(status).label})
    back = request.POST.get("next", "")
    if back == "meeting" and action.meeting_id:
        return redirect("meeting_detail", public_id=action.meeting.public_id)
    if back == "list":
        return redirect("action_list")
    if back == "plan":
        return redirect("action_plan")
    return redirect("action_detail", public_id=action.public_id)


# --- The local action plan -----------------------------------------------------------


def action_plan(request):
    actor = request.actor
    figures = selectors.plan_figures(request.tenant)
    items = list(selectors.objectives(actor=actor))
    for objective in items:
        objective.open_offers_figure = figures.open_offers_in(objective.need_domain.code)
        objective.referrals_figure = figures.referrals_in(objective.need_domain.code)
        objective.plan_actions = _with_rights(actor, list(objective.actions.all()))
    return render(
        request,
        "meetings/action_plan.html",
        {
            "objectives": items,
            "figures": figures,
            "can_manage": policies.can_manage_plan(actor),
            "wallonia": request.tenant.region == "wallonia",
        },
    )


def _objective_form_page(request, objective=None):
    actor = request.actor
    if not policies.can_manage_plan(actor):
        return HttpResponseForbidden()
    initial = ObjectiveForm.initial_from(objective) if objective else {}
    form = ObjectiveForm(request.POST or None, initial=initial, domains=need_domains(actor=actor))

    def save():
        if objective is None:
            return services.create_objective(actor=actor, data=form.to_input())
        return services.update_objective(actor=actor, objective=objective, data=form.to_input())

    return form_page(
        request,
        form,
        save=save,
        saved_message=_("The objective is saved."),
        done=lambda saved: redirect("action_plan"),
        template="meetings/objective_form.html",
        context={"objective": objective},
    )


def objective_create(request):
    return _objective_form_page(request)


def objective_edit(request, public_id):
    objective = selectors.get_objective(actor=request.actor, public_id=public_id)
    return _objective_form_page(request, objective)


# --- Calendar feed -------------------------------------------------------------------


def feed_settings(request):
    """The member's own calendar address: created (shown once), replaced or stopped."""
    actor = request.actor
    token = None
    if request.method == "POST":
        if request.POST.get("do") == "revoke":
            services.revoke_calendar_feed(actor=actor)
            messages.success(request, _("Your calendar address no longer works."))
            return redirect("meeting_feed_settings")
        token = services.create_calendar_feed(actor=actor).token
    feed_url = request.build_absolute_uri(f"{request.tenant.url}meetings/feed/{token}.ics") if token else ""
    return render(
        request,
        "meetings/feed_settings.html",
        {
            "feed": selectors.live_feed(actor=actor),
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed_url else "",
        },
    )


@allow_non_members
def feed(request, token):
    """The iCalendar feed. Calendar apps fetch it without a session: the secret in the
    address is the credential, and anything wrong with it is a plain 404."""
    if request.method not in ("GET", "HEAD"):
        raise Http404
    calendar_feed = selectors.feed_for_token(token)
    if calendar_feed is None:
        raise Http404
    services.mark_feed_used(calendar_feed)
    user = calendar_feed.membership.user
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        body = meetings_calendar(selectors.feed_meetings(feed=calendar_feed), coordination=request.tenant)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="meetings-{request.tenant.slug}.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
