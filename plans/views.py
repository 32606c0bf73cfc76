"""Pages of the support plan, under the person's file (persons/<id>/plan/...). The person is
resolved through persons' selector first (out of scope: the same 404 as the file); every
page that shows the plan records its read, every form posts to one service."""

from functools import wraps

from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record_event
from directory import selectors as directory_selectors
from maillage import printed
from maillage.errors import DomainError, NotFound
from maillage.forms import add_domain_error, form_page, report_form_errors
from persons import selectors as person_selectors
from plans import policies, print_texts, selectors, services
from plans.forms import (
    AssessmentForm,
    CommitmentForm,
    CommitmentStatusForm,
    DecisionForm,
    PiisForm,
    PiisReviewForm,
    ReviewForm,
)


def with_plan(view):
    """The person, then the plan (started or not: `plan` may be None)."""

    @wraps(view)
    def resolved(request, public_id, **kwargs):
        actor = request.actor
        person = person_selectors.get_person_for(actor=actor, public_id=public_id)
        if not policies.can_read_plans(actor):
            return HttpResponseForbidden()
        return view(request, person=person, plan=selectors.plan_of(actor=actor, person=person), **kwargs)

    return resolved


def _back(person):
    return redirect("plan_detail", public_id=person.public_id)


@with_plan
def plan_detail(request, person, plan):
    actor = request.actor
    view = None
    if plan is not None:
        view = selectors.plan_view(actor=actor, plan=plan, deadline_months=request.tenant.registration_deadline_months)
        services.record_plan_read(actor=actor, plan=plan)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "person": person,
            "plan": plan,
            "view": view,
            "can_write": policies.can_write_parts(actor),
            "can_write_piis": policies.can_write_piis(actor),
            "status_form": CommitmentStatusForm(),
            "decision_form": DecisionForm(),
            "own_organisation_id": actor.organisation.pk,
            "summary_languages": print_texts.languages(),
        },
    )


@require_POST
@with_plan
def plan_start(request, person, plan):
    try:
        services.start_plan(actor=request.actor, person=person)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The support plan is started."))
    return _back(person)


def _needs_plan(view):
    @wraps(view)
    def checked(request, person, plan, **kwargs):
        if plan is None or not policies.can_write_parts(request.actor):
            return HttpResponseForbidden()
        return view(request, person=person, plan=plan, **kwargs)

    return checked


def _domains(actor):
    return list(directory_selectors.need_domains(actor=actor))


def _organisations(actor):
    return list(directory_selectors.organisations(actor=actor))


@with_plan
@_needs_plan
def assessment_create(request, person, plan):
    actor = request.actor
    form = AssessmentForm(request.POST or None, domains=_domains(actor))
    return form_page(
        request,
        form,
        save=lambda: services.add_assessment(actor=actor, plan=plan, data=form.to_input()),
        saved_message=_("The assessment is added to the plan."),
        done=lambda saved: _back(person),
        template="plans/part_form.html",
        context={"person": person, "title": _("Add an assessment")},
    )


def _posted_from_the_plan(request, person, form, act, done_message):
    """A small form posted from the plan's page: the service runs on valid input, every
    error (the form's and the service's) comes back as a message, then the plan again."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
    if form.errors:
        report_form_errors(request, form)
    else:
        messages.success(request, done_message)
    return _back(person)


@with_plan
@_needs_plan
def commitment_create(request, person, plan):
    actor = request.actor
    form = CommitmentForm(
        request.POST or None,
        domains=_domains(actor),
        organisations=_organisations(actor),
        initial={"owner": str(actor.organisation.public_id)},
    )
    return form_page(
        request,
        form,
        save=lambda: services.add_commitment(actor=actor, plan=plan, data=form.to_input()),
        saved_message=_("The commitment is added to the plan."),
        done=lambda saved: _back(person),
        template="plans/part_form.html",
        context={"person": person, "title": _("Add a commitment")},
    )


@require_POST
@with_plan
def commitment_status(request, person, plan, commitment_id):
    actor = request.actor
    commitment = selectors.get_commitment_for(actor=actor, public_id=commitment_id)
    if plan is None or commitment.plan_id != plan.pk:
        raise NotFound()
    return _posted_from_the_plan(
        request,
        person,
        CommitmentStatusForm(request.POST),
        lambda data: services.set_commitment_status(actor=actor, commitment=commitment, status=data["status"]),
        _("The commitment is updated."),
    )


@with_plan
@_needs_plan
def piis_create(request, person, plan):
    actor = request.actor
    if not policies.can_write_piis(actor):
        return HttpResponseForbidden()
    form = PiisForm(request.POST or None, domains=_domains(actor), initial={"domain": "social_rights"})
    return form_page(
        request,
        form,
        save=lambda: services.record_piis(actor=actor, plan=plan, data=form.to_input()),
        saved_message=_("The PIIS is added to the plan."),
        done=lambda saved: _back(person),
        template="plans/part_form.html",
        context={"person": person, "title": _("Record the PIIS")},
    )


@require_POST
@with_plan
def piis_review(request, person, plan, piis_id):
    actor = request.actor
    piis = selectors.get_piis_for(actor=actor, public_id=piis_id)
    if plan is None or piis.plan_id != plan.pk:
        raise NotFound()
    return _posted_from_the_plan(
        request,
        person,
        PiisReviewForm(request.POST),
        lambda data: services.review_piis(actor=actor, piis=piis, **data),
        _("The PIIS review is recorded."),
    )


@with_plan
@_needs_plan
def review_create(request, person, plan):
    actor = request.actor
    form = ReviewForm(request.POST or None, organisations=_organisations(actor))
    return form_page(
        request,
        form,
        save=lambda: services.hold_review(actor=actor, plan=plan, data=form.to_input()),
        saved_message=_("The review is recorded."),
        done=lambda saved: _back(person),
        template="plans/part_form.html",
        context={"person": person, "title": _("Record a plan review")},
    )


@require_POST
@with_plan
def decision_add(request, person, plan, review_id):
    actor = request.actor
    review = selectors.get_review_for(actor=actor, public_id=review_id)
    if plan is None or review.plan_id != plan.pk:
        raise NotFound()
    return _posted_from_the_plan(
        request,
        person,
        DecisionForm(request.POST),
        lambda data: services.add_decision(actor=actor, review=review, text=data["text"]),
        _("The decision is added."),
    )


def _day(value, lang: str) -> str:
    # Digits read the same in every language of the papers.
    return value.strftime("%d/%m/%Y")


@with_plan
def plan_summary(request, person, plan):
    """The one-page summary handed to the person, in their language: who does what, when,
    and whom to contact; what the printing organisation reads of the plan, no more."""
    actor = request.actor
    if plan is None:
        return HttpResponseForbidden()
    wanted = request.GET.get("lang") or person.preferred_language or print_texts.FALLBACK
    texts, lang, missing = print_texts.summary_texts(wanted)
    view = selectors.plan_view(actor=actor, plan=plan, deadline_months=request.tenant.registration_deadline_months)
    record_event(
        actor=actor,
        action="plan.summary_printed",
        object_type="plan",
        object_public_id=plan.public_id,
        person_public_id=person.public_id,
        detail={"language": lang, "fell_back": missing},
    )
    rows = []
    for commitment in view.commitments:
        if commitment.status == "cancelled":
            continue
        when = [printed.fill(texts["from_date"], date=_day(commitment.starts_on, lang))]
        if commitment.weekdays:
            when.append(printed.join([printed.weekday_name(day, lang) for day in commitment.weekdays], lang))
        if commitment.starts_at:
            when.append(f"{commitment.starts_at:%H:%M}–{commitment.ends_at:%H:%M}")
        owner = commitment.owner
        rows.append(
            {
                "who": owner.name,
                "what": commitment.what,
                "when": when,
                "contact": " · ".join(v for v in (owner.phone, owner.email) if v),
                "domain": printed.domain_label(commitment.domain, lang),
            }
        )
    piis_lines = []
    for piis in view.piis:
        piis_lines.append(
            {
                "signed": printed.fill(
                    texts["piis"], organisation=piis.organisation.name, date=_day(piis.signed_on, lang)
                ),
                "programme": texts["piis_programme"] if piis.includes_programme else "",
                "next_review": printed.fill(texts["next_review"], date=_day(piis.next_review_on, lang))
                if piis.next_review_on
                else "",
            }
        )
    return render(
        request,
        "plans/summary.html",
        {
            "lang": lang,
            "dir": printed.direction(lang),
            "t": texts,
            "missing_notice": printed.missing_notice(wanted) if missing else "",
            "name": f"{person.given_name} {person.family_name}",
            "rows": rows,
            "piis": piis_lines,
            "questions": printed.fill(texts["questions"], organisation=actor.organisation.name),
        },
    )
