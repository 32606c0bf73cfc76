"""Referral pages: the inbox and the outbox, one referral with its timeline and the actions
the actor may take now (its shared notes: referrals.notes.views), the form to refer a
person, and the appointment slip printed for the person in their language.

What the receiving side sees of the person is referrals.selectors.recipient_view: a preview
before acceptance, the file once accepted, nothing when the consent no longer covers it.
Every page that shows a person writes an audit event for it.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseForbidden, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import record_event, record_reads
from charter.selectors import unable_to_receive
from consent import selectors as consent_selectors
from consent.policies import in_force
from directory import selectors as directory_selectors
from maillage import errors, printed
from maillage.errors import Conflict, Invalid
from maillage.forms import add_domain_error, add_service_errors, confirm_page, filled_data, report_form_errors
from maillage.querysets import LateRows
from members.views import hand_over_page
from persons import policies as person_policies
from persons import selectors as person_selectors
from persons.forms import PersonSearchForm
from referrals import policies, selectors, services, slip_texts, transitions
from referrals.deadlines import belgian_today
from referrals.forms import (
    ACTION_FORMS,
    CompleteForm,
    DeclineForm,
    DeclineProposalForm,
    NotCompleteForm,
    ProposeForm,
    ReferForm,
    ReferralFilterForm,
)
from referrals.models import ProposalState, ReferralStatus
from referrals.notes import views as notes_views

PAGE_SIZE = 25
# The receiving side has someone in charge: the slip names them.
HANDLED = (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED)

DONE = {
    "send": gettext_lazy("The referral is sent."),
    "acknowledge": gettext_lazy("The referral is marked as received."),
    "accept": gettext_lazy("You accepted the referral. The sender is told."),
    "decline": gettext_lazy("You declined the referral. The sender is told."),
    "start": gettext_lazy("The follow-up has started."),
    "complete": gettext_lazy("The referral is completed. The sender is told."),
    "not-complete": gettext_lazy("The referral is closed as not completed. The sender is told."),
    "cancel": gettext_lazy("The referral is cancelled."),
    "propose": gettext_lazy("You proposed another appointment. The sender is told."),
    "accept-proposal": gettext_lazy("You accepted the proposed appointment: it is the referral's appointment now."),
    "decline-proposal": gettext_lazy("You declined the proposed appointment. The organisation is told."),
}


def _timeline(events) -> list[tuple]:
    """(event, what happened): the state reached, or what became of a proposed appointment."""
    answered = {
        ReferralStatus.ACCEPTED: _("Proposed appointment accepted"),
        ReferralStatus.RECEIVED: _("Proposed appointment declined"),
    }
    rows = []
    for event in events:
        label = event.get_to_status_display()
        if event.from_status == ReferralStatus.APPOINTMENT_PROPOSED and event.to_status in answered:
            label = answered[event.to_status]
        rows.append((event, label))
    return rows


def person_label(referral, view: str) -> str:
    """The person as far as the actor may see them."""
    if view == "none":
        return _("— consent no longer covers this referral")
    if view == "preview":
        return referral.person.given_name
    return f"{referral.person.given_name} {referral.person.family_name}"


@dataclass(frozen=True)
class Row:
    referral: object
    view: str
    label: str
    organisation: object
    domains: list[str]
    overdue: bool
    assignee: str | None = None
    mine: bool = False


def _box(request, *, box: str):
    """Open and closed referrals apart (the tab is `state` in the URL, open by default),
    the open ones by urgency then answer date; filters stay in the URL."""
    actor = request.actor
    if not person_policies.can_read_personal_data(actor):
        return HttpResponseForbidden()
    state = selectors.CLOSED if request.GET.get("state") == selectors.CLOSED else selectors.OPEN
    form = ReferralFilterForm(
        request.GET or None,
        domains=directory_selectors.need_domains(actor=actor),
        include_drafts=box == "outbox",
        assignable=box == "inbox",
        state=state,
        initial={"state": state},
    )
    filters = selectors.ReferralFilters(state=state)
    if form.is_bound and form.is_valid():
        filters = selectors.ReferralFilters(
            status=form.cleaned_data["status"],
            domain=form.cleaned_data["domain"],
            overdue=form.cleaned_data["overdue"],
            search=form.cleaned_data["q"],
            state=state,
            assigned_to_me=bool(form.cleaned_data.get("mine")),
        )
    selector = selectors.inbox if box == "inbox" else selectors.outbox
    referrals = selector(actor=actor, filters=filters)
    counts = selectors.box_counts(selector(actor=actor))
    page = Paginator(LateRows(referrals), PAGE_SIZE).get_page(request.GET.get("page"))
    language = translation.get_language() or "fr"
    rows = []
    for referral in page:
        view = selectors.recipient_view(actor, referral)
        rows.append(
            Row(
                referral=referral,
                view=view,
                label=person_label(referral, view),
                organisation=referral.from_organisation if box == "inbox" else referral.to_organisation,
                domains=[d.label(language) for d in referral.domains.all()],
                overdue=selectors.is_overdue(referral),
                assignee=selectors.assignee_shown(actor, referral),
                mine=selectors.assigned_to_actor(actor, referral),
            )
        )
    record_reads(
        actor=actor, persons=[row.referral.person for row in rows if row.view != "none"], action="referral.read"
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("state", None)
    filters_query = query.urlencode()
    query["state"] = state
    return render(
        request,
        "referrals/referral_list.html",
        {
            "box": box,
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "filters_query": filters_query,
            "state": state,
            "counts": counts,
            # Taking and handing over happen in the open inbox, for those who answer.
            "assigns": box == "inbox" and state == selectors.OPEN and policies.answers_referrals(actor),
            "here": request.get_full_path(),
        },
        status=400 if form.errors else 200,
    )


def inbox(request):
    return _box(request, box="inbox")


def outbox(request):
    return _box(request, box="outbox")


def referral_detail(request, public_id):
    actor = request.actor
    referral = selectors.get_referral_for(actor=actor, public_id=public_id)
    view = selectors.recipient_view(actor, referral)
    if view != "none":
        record_reads(actor=actor, persons=[referral.person], action="referral.read")
    actions = transitions.allowed_actions(actor, referral)
    language = translation.get_language() or "fr"
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "view": view,
            "label": person_label(referral, view),
            "sender_side": referral.from_organisation_id == actor.organisation.pk,
            "domains": [d.label(language) for d in referral.domains.all()],
            "overdue": selectors.is_overdue(referral),
            "events": _timeline(referral.events.select_related("actor", "organisation")),
            "shown": selectors.shown_of_referral(referral, view),
            "proposal": selectors.pending_proposal(referral),
            "past_proposals": referral.proposals.exclude(state=ProposalState.PENDING).select_related("organisation"),
            "actions": actions,
            "decline_form": DeclineForm(prefix="decline") if "decline" in actions else None,
            "complete_form": CompleteForm(prefix="complete") if "complete" in actions else None,
            "not_complete_form": NotCompleteForm(prefix="not-complete") if "not-complete" in actions else None,
            "propose_form": ProposeForm(prefix="propose") if "propose" in actions else None,
            "decline_proposal_form": (
                DeclineProposalForm(prefix="decline-proposal") if "decline-proposal" in actions else None
            ),
            "can_print_slip": view != "none",
            "assignee": selectors.assignee_shown(actor, referral),
            "mine": selectors.assigned_to_actor(actor, referral),
            "can_assign": policies.can_assign(actor, referral),
            "take_url": reverse("referral_take", kwargs={"public_id": referral.public_id}),
            "hand_over_url": reverse("referral_hand_over", kwargs={"public_id": referral.public_id}),
            "slip_languages": slip_texts.languages(),
            "slip_language": slip_texts.slip_texts(referral.person.preferred_language)[1],
            **notes_views.notes_part(actor, referral, view),
        },
    )


# Actions that cannot be undone and take no input of their own: a confirmation step first.
CONFIRMED = {
    "cancel": (
        gettext_lazy("Cancel the referral"),
        gettext_lazy(
            "The referral ends for good: it cannot be sent again or reopened, and the receiving "
            "organisation is told if it was already sent. To refer the person again, make a new referral."
        ),
    ),
}


@require_http_methods(["GET", "POST"])
def referral_action(request, public_id, action):
    actor = request.actor
    referral = selectors.get_referral_for(actor=actor, public_id=public_id)
    if action in CONFIRMED:
        return _confirm_action(request, referral, action)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    data = {}
    form_class = ACTION_FORMS.get(action)
    if form_class is not None:
        form = form_class(request.POST, prefix=action)
        if not form.is_valid():
            report_form_errors(request, form)
            return redirect("referral_detail", public_id=referral.public_id)
        data = form.cleaned_data
    try:
        transitions.perform(action, actor=actor, referral=referral, data=data)
    except (Invalid, Conflict) as error:
        messages.error(request, errors.text(error))
    else:
        messages.success(request, DONE[action])
    return redirect("referral_detail", public_id=referral.public_id)


def _confirm_action(request, referral, action: str):
    actor = request.actor
    transition = transitions.TRANSITIONS[action]
    if not transitions.on_side(actor, referral, transition):
        return HttpResponseForbidden()
    if action not in transitions.allowed_actions(actor, referral):
        messages.error(
            request,
            _("This referral is %(status)s: it cannot become %(target)s.")
            % {"status": referral.get_status_display(), "target": transition.target},
        )
        return redirect("referral_detail", public_id=referral.public_id)
    title, consequence = CONFIRMED[action]
    return confirm_page(
        request,
        perform=lambda: transitions.perform(action, actor=actor, referral=referral),
        done_message=DONE[action],
        done=lambda: redirect("referral_detail", public_id=referral.public_id),
        title=title,
        subject=referral.to_organisation.name,
        consequence=consequence,
        button=title,
        back=reverse("referral_detail", kwargs={"public_id": referral.public_id}),
    )


def _back_to(request, referral):
    """Where "take it" returns: the list it was pressed in (its filters kept), or the referral."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("referral_detail", public_id=referral.public_id)


@require_POST
def referral_take(request, public_id):
    actor = request.actor
    referral = selectors.get_referral_for(actor=actor, public_id=public_id)
    try:
        services.take_referral(actor=actor, referral=referral)
    except (Invalid, Conflict) as error:
        messages.error(request, errors.text(error))
    else:
        messages.success(request, _("You took the referral %(reference)s.") % {"reference": referral.reference})
    return _back_to(request, referral)


@require_http_methods(["GET", "POST"])
def referral_hand_over(request, public_id):
    actor = request.actor
    referral = selectors.get_referral_for(actor=actor, public_id=public_id)
    if not policies.is_recipient_side(actor, referral):
        return HttpResponseForbidden()
    return hand_over_page(
        request,
        roles=policies.answering_roles(actor.organisation),
        title=_("Hand the referral over"),
        subject=referral.reference,
        hand_over=lambda member: services.hand_over_referral(actor=actor, referral=referral, to_member=member),
        done=lambda: redirect("referral_detail", public_id=referral.public_id),
        back=reverse("referral_detail", kwargs={"public_id": referral.public_id}),
    )


def _show_error(form, error: errors.DomainError) -> None:
    """The service's errors on the form; a consent that does not cover the referral also
    says, in one sentence at the top, what it lacks. The appointment's errors show by its
    date, the field the page has for it."""
    if "appointment_at" in error.fields and "appointment_date" in form.fields:
        error.fields["appointment_date"] = error.fields.pop("appointment_at")
    add_domain_error(form, error)
    if error.fields.get("consent") and str(error.message) != str(Invalid.default_message):
        form.add_error(None, error.message)


def _chosen_offer(request, offers):
    """The offer the worker came from (?offer=), when the form may refer to it."""
    wanted = request.GET.get("offer")
    if request.method != "GET" or not wanted:
        return None
    try:
        return offers.filter(public_id=wanted).first()
    except ValidationError:
        return None


def refer_to_offer(request, offer_id):
    """From an offer (a search result, its page): choose the person to refer, among the
    files the actor's organisation keeps, then the refer form opens with the offer chosen."""
    actor = request.actor
    offer = directory_selectors.get_offer(actor=actor, public_id=offer_id)
    if not person_policies.can_open_files(actor):
        return HttpResponseForbidden()
    form = PersonSearchForm(request.GET)
    persons = person_selectors.persons_visible_to(actor=actor).none()
    if form.is_valid():
        try:
            persons = person_selectors.search_persons(
                actor=actor, name=form.cleaned_data["q"], birth_date=form.cleaned_data["birth_date"]
            )
        except Invalid as error:
            add_domain_error(form, error)
    page = Paginator(persons.filter(organisation_id=actor.organisation.pk, closed_at__isnull=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    record_reads(actor=actor, persons=page.object_list, action="person.listed")
    receivable = offer.organisation.is_member and offer.organisation.pk != actor.organisation.pk
    return render(
        request,
        "referrals/refer_to_offer.html",
        {
            "offer": offer,
            "title": offer.shown_title(),
            "form": form,
            "page": page,
            "query": (request.GET.get("q") or "").replace("\x00", "").strip(),
            "receivable": receivable,
        },
        status=400 if form.errors else 200,
    )


def refer(request, public_id):
    actor = request.actor
    person = person_selectors.get_person_for(actor=actor, public_id=public_id)
    if not person_policies.can_edit_file(actor, person):
        return HttpResponseForbidden()
    if person.closed_at:
        messages.error(request, _("This file is closed: reopen it before referring the person."))
        return redirect("person_detail", public_id=person.public_id)
    organisations = list(directory_selectors.member_organisations(actor=actor).exclude(pk=actor.organisation.pk))
    offers = directory_selectors.search_offers(actor=actor, filters=directory_selectors.OfferFilters()).filter(
        organisation__in=organisations
    )
    consents = list(consent_selectors.consents_of(actor=actor, person=person).filter(in_force()))
    # Organisations that have not adopted the current charter cannot receive
    # (nor, for the actor's own, send); the form says so before the send is refused.
    unavailable = unable_to_receive([*organisations, actor.organisation])
    if request.method == "GET" and actor.organisation.pk in unavailable:
        messages.warning(
            request,
            _("Your organisation has not adopted version %(version)s of the charter: it cannot send referrals yet.")
            % {"version": unavailable[actor.organisation.pk]},
        )
    initial = {"consent": str(consents[0].public_id) if consents else ""}
    chosen = _chosen_offer(request, offers)
    if chosen is not None:
        initial.update(
            to_organisation=str(chosen.organisation.public_id),
            to_offer=str(chosen.public_id),
            domains=[chosen.primary_domain.code, *(d.code for d in chosen.secondary_domains.all())],
        )
    form = ReferForm(
        request.POST or None,
        organisations=organisations,
        offers=offers,
        domains=directory_selectors.need_domains(actor=actor),
        consents=consents,
        initial=initial,
        unavailable=unavailable,
    )
    if request.method == "POST" and not form.is_valid():
        # The service's objections join the fields' own: one submit shows every problem.
        errors = services.referral_input_errors(actor=actor, data=form.to_input(person, filled_data(form)))
        add_service_errors(form, errors, rename={"appointment_at": "appointment_date"})
    elif request.method == "POST":
        send = "send" in request.POST
        try:
            referral = services.refer_person(actor=actor, data=form.to_input(person), send=send)
        except (Invalid, Conflict) as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The referral is sent.") if send else _("The referral is saved as a draft."))
            return redirect("referral_detail", public_id=referral.public_id)
    record_reads(actor=actor, persons=[person])
    return render(
        request,
        "referrals/refer_form.html",
        {"form": form, "person": person, "has_consent": bool(consents)},
        status=400 if form.errors else 200,
    )


# --- The appointment slip ----------------------------------------------------------------


def _slip_date(value: date, lang: str) -> str:
    """In words in the site's languages, else day/month/year in digits (as the consent papers)."""
    if lang in printed.SITE_LANGUAGES:
        with translation.override(lang):
            return date_format(value, "DATE_FORMAT")
    return value.strftime("%d/%m/%Y")


def _when(texts: dict, moment: datetime, lang: str):
    local = timezone.localtime(moment)
    return printed.fill(
        texts["when_value"],
        day=printed.weekday_name(local.isoweekday(), lang),
        date=_slip_date(local.date(), lang),
        time=local.strftime("%H:%M"),
    )


def _places(referral) -> list[str]:
    """Where to go: the appointment's place, else the offer's places, else the organisation's address."""
    if referral.appointment_place:
        return [referral.appointment_place]
    if referral.to_offer is not None:
        places = [str(place) for place in referral.to_offer.locations.all()]
        if places:
            return places
    organisation = referral.to_organisation
    if organisation.street:
        return [f"{organisation.street}, {organisation.postcode} {organisation.city}".strip(", ")]
    return []


def referral_slip(request, public_id):
    """The paper the person takes to the appointment. Both parties print it; a receiving
    organisation whose consent no longer covers the referral may not."""
    actor = request.actor
    referral = selectors.get_referral_for(actor=actor, public_id=public_id)
    view = selectors.recipient_view(actor, referral)
    if view == "none":
        return HttpResponseForbidden()
    person = referral.person
    wanted = request.GET.get("lang") or person.preferred_language or slip_texts.FALLBACK
    texts, lang, missing = slip_texts.slip_texts(wanted)
    record_event(
        actor=actor,
        action="referral.slip_printed",
        object_type="referral",
        object_public_id=referral.public_id,
        person_public_id=person.public_id,
        detail={"language": lang, "fell_back": missing},
    )
    receiving, sending = referral.to_organisation, referral.from_organisation
    offer = referral.to_offer
    hours = []
    if offer is not None:
        hours = [
            (printed.weekday_name(slot.weekday, lang), f"{slot.opens_at:%H:%M}–{slot.closes_at:%H:%M}")
            for slot in offer.opening_hours.all()
        ]
    sentences = {
        "intro": printed.fill(texts["intro"], sender=sending.name, organisation=receiving.name),
        "when": _when(texts, referral.appointment_at, lang) if referral.appointment_at else "",
        "ask_reception": printed.fill(texts["ask_reception"], organisation=receiving.name),
        "ask_person": "",
        "interpreter": "",
        "cannot_come": printed.fill(texts["cannot_come"], organisation=receiving.name),
        "questions": printed.fill(texts["questions"], organisation=sending.name),
    }
    handler = referral.handled_by
    if referral.status in HANDLED and handler is not None and handler.full_name:
        sentences["ask_person"] = printed.fill(texts["ask_person"], name=handler.full_name)
    if referral.interpreter_needed and referral.interpreter_language:
        sentences["interpreter"] = printed.fill(
            texts["interpreter"], language=printed.language_name_in(referral.interpreter_language, lang)
        )
    return render(
        request,
        "referrals/slip.html",
        {
            "lang": lang,
            "dir": printed.direction(lang),
            "t": texts,
            "s": sentences,
            "missing_notice": printed.missing_notice(wanted) if missing else "",
            "name": person_label(referral, view),
            "receiving": receiving,
            "sending": sending,
            "offer": offer,
            "places": _places(referral),
            "hours": hours,
            "phone": (offer.phone if offer is not None else "") or receiving.phone,
            "sender_phone": sending.phone,
            "bring": [texts[key] for key in slip_texts.BRING],
            "domains": [printed.domain_label(d, lang) for d in referral.domains.all()],
            "referral": referral,
        },
    )


def overdue(request):
    """Coordinators see which referrals wait past their deadline, and between whom."""
    referrals = list(selectors.overdue_for_coordinators(actor=request.actor))
    language = translation.get_language() or "fr"
    today = belgian_today()
    rows = [
        (referral, [d.label(language) for d in referral.domains.all()], (today - referral.response_due).days)
        for referral in referrals
    ]
    return render(request, "referrals/overdue.html", {"rows": rows})


def triage(request):
    """Coordinators pass referrals to the CPAS on (when the coordination triages them)."""
    actor = request.actor
    if not policies.can_triage(actor):
        return HttpResponseForbidden()
    if request.method == "POST":
        referral = selectors.get_referral_to_triage(actor=actor, public_id=request.POST.get("referral"))
        target = None
        if request.POST.get("to_organisation"):
            target = directory_selectors.get_organisation(actor=actor, public_id=request.POST["to_organisation"])
        try:
            services.triage_referral(actor=actor, referral=referral, to_organisation=target)
        except (Invalid, Conflict) as error:
            messages.error(request, errors.text(error))
        else:
            messages.success(request, _("The referral is passed on."))
        return redirect("referral_triage")
    language = translation.get_language() or "fr"
    rows = [
        (referral, [d.label(language) for d in referral.domains.all()])
        for referral in selectors.triage_queue(actor=actor)
    ]
    return render(
        request,
        "referrals/triage.html",
        {"rows": rows, "organisations": directory_selectors.member_organisations(actor=actor)},
    )
