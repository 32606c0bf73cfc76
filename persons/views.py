"""Persons' files and their households, and the access report. Every page that shows a
person's data writes an audit event for it."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import record_reads
from maillage.errors import Conflict, DomainError, Invalid, text
from maillage.forms import add_domain_error, confirm_page, report_form_errors
from maillage.languages import language_name
from members.roles import KEEPS_FILES
from members.views import hand_over_page
from persons import policies, selectors, services
from persons.access_report import access_report_for
from persons.forms import HouseholdForm, PersonForm, PersonSearchForm
from persons.timeline import person_timeline

FALLBACK_LANGUAGE = "fr"


def with_person(view):
    """Lets a page of another app that hangs off a person's file (persons/<id>/…) receive
    the person, resolved here through the one selector: out of scope is the same 404."""

    @wraps(view)
    def resolved(request, public_id):
        return view(request, person=selectors.get_person_for(actor=request.actor, public_id=public_id))

    return resolved


def person_list(request):
    actor = request.actor
    if not policies.can_read_personal_data(actor):
        return HttpResponseForbidden()
    form = PersonSearchForm(request.GET)
    persons = None
    if form.is_valid():
        try:
            persons = selectors.search_persons(
                actor=actor, name=form.cleaned_data["q"], birth_date=form.cleaned_data["birth_date"]
            )
        except Invalid as error:
            add_domain_error(form, error)
    context = {
        "form": form,
        # PostgreSQL text cannot hold NUL: such a search is refused, and not shown back either.
        "query": (request.GET.get("q") or "").replace("\x00", "").strip()[: selectors.NAME_QUERY_MAX_LENGTH],
        "can_open": policies.can_open_files(actor),
    }
    if persons is None:
        return render(request, "persons/person_list.html", {**context, "page": []}, status=400)
    page = Paginator(persons, 50).get_page(request.GET.get("page"))
    record_reads(actor=actor, persons=page.object_list, action="person.listed")
    return render(request, "persons/person_list.html", {**context, "page": page})


def person_create(request):
    actor = request.actor
    if not policies.can_open_files(actor):
        return HttpResponseForbidden()
    form = PersonForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.to_input()
        duplicates = selectors.possible_duplicates(
            actor=actor,
            given_name=data.given_name,
            family_name=data.family_name,
            birth_date=data.birth_date,
            birth_year=data.birth_year,
        )
        if not duplicates or request.POST.get("confirm_new"):
            try:
                person = services.create_person(actor=actor, data=data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The file is open."))
                return redirect("person_detail", public_id=person.public_id)
    return render(
        request,
        "persons/person_form.html",
        {"form": form, "duplicates": duplicates, "person": None},
        status=400 if form.errors else 200,
    )


def person_detail(request, public_id):
    """The file as one timeline, under a summary (persons.timeline)."""
    actor = request.actor
    person = selectors.get_person_for(actor=actor, public_id=public_id)
    record_reads(actor=actor, persons=[person])
    file = person_timeline(actor=actor, person=person, deadline_months=request.tenant.registration_deadline_months)
    can_edit = policies.can_edit_file(actor, person)
    return render(
        request,
        "persons/person_detail.html",
        {
            "person": person,
            "owner": person.organisation_id == actor.organisation.pk,
            "shows_situation": file.shows_situation,
            "deadline": file.summary.deadline,
            "summary": file.summary,
            "upcoming": file.upcoming,
            "past": file.past,
            "can_edit": can_edit,
            "assignee": selectors.assignee_shown(actor, person),
            "mine": selectors.assigned_to_actor(actor, person),
            "can_assign": policies.can_assign_file(actor, person),
            "take_url": reverse("person_take", kwargs={"public_id": person.public_id}),
            "hand_over_url": reverse("person_hand_over", kwargs={"public_id": person.public_id}),
            "household_form": HouseholdForm(households=selectors.households_kept_by(actor=actor)) if can_edit else None,
        },
    )


@require_POST
def person_household(request, public_id):
    actor = request.actor
    person = selectors.get_person_for(actor=actor, public_id=public_id)
    kept = selectors.households_kept_by(actor=actor)
    form = HouseholdForm(request.POST, households=kept)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("person_detail", public_id=person.public_id)
    household = (
        kept.filter(public_id=form.cleaned_data["household"]).first() if form.cleaned_data["household"] else None
    )
    try:
        services.add_household_member(
            actor=actor,
            person=person,
            relation=form.cleaned_data["relation"],
            household=household,
            new_name=form.cleaned_data["new_name"],
        )
    except (Invalid, Conflict) as error:
        messages.error(request, " ".join(str(m) for msgs in error.fields.values() for m in msgs) or error.message)
    else:
        messages.success(request, _("The household is saved."))
    return redirect("person_detail", public_id=person.public_id)


def person_edit(request, public_id):
    actor = request.actor
    person = selectors.get_person_for(actor=actor, public_id=public_id)
    if not policies.can_edit_file(actor, person):
        return HttpResponseForbidden()
    initial = {name: getattr(person, name) for name in PersonForm.base_fields if hasattr(person, name)}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(actor=actor, person=person, data=form.to_input(keep_national_number=True))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The file is saved."))
            return redirect("person_detail", public_id=person.public_id)
    record_reads(actor=actor, persons=[person])
    return render(
        request,
        "persons/person_form.html",
        {"form": form, "duplicates": [], "person": person},
        status=400 if form.errors else 200,
    )


def person_close(request, public_id):
    actor = request.actor
    person = selectors.get_person_for(actor=actor, public_id=public_id)
    if not policies.can_edit_file(actor, person):
        return HttpResponseForbidden()
    if person.closed_at:
        messages.error(request, _("This file is already closed."))
        return redirect("person_detail", public_id=person.public_id)
    return confirm_page(
        request,
        perform=lambda: services.close_file(actor=actor, person=person),
        done_message=_("The file is closed."),
        done=lambda: redirect("person_detail", public_id=person.public_id),
        title=_("Close the file"),
        subject=f"{person.given_name} {person.family_name}",
        consequence=_(
            "No new referral can be made for this person while the file is closed, and the file is "
            "anonymised for good %(months)s months after closing unless your organisation reopens it."
        )
        % {"months": settings.MAILLAGE_RETENTION_MONTHS},
        button=_("Close the file"),
        back=reverse("person_detail", kwargs={"public_id": person.public_id}),
    )


@require_POST
def person_take(request, public_id):
    actor = request.actor
    person = selectors.get_person_for(actor=actor, public_id=public_id)
    try:
        services.take_file(actor=actor, person=person)
    except (Conflict, Invalid) as error:
        messages.error(request, text(error))
    else:
        messages.success(request, _("You took the file."))
    return redirect("person_detail", public_id=person.public_id)


@require_http_methods(["GET", "POST"])
def person_hand_over(request, public_id):
    actor = request.actor
    person = selectors.get_person_for(actor=actor, public_id=public_id)
    if not policies.can_edit_file(actor, person):
        return HttpResponseForbidden()
    return hand_over_page(
        request,
        roles=KEEPS_FILES,
        title=_("Hand the file over"),
        subject=f"{person.given_name} {person.family_name}",
        hand_over=lambda member: services.hand_over_file(actor=actor, person=person, to_member=member),
        done=lambda: redirect("person_detail", public_id=person.public_id),
        back=reverse("person_detail", kwargs={"public_id": person.public_id}),
    )


@require_POST
def person_reopen(request, public_id):
    actor = request.actor
    person = selectors.get_person_for(actor=actor, public_id=public_id)
    try:
        services.reopen_file(actor=actor, person=person)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The file is open again."))
    return redirect("person_detail", public_id=person.public_id)


def access_report(request, public_id):
    """The access report (GDPR article 15), printed in the person's language."""
    actor = request.actor
    person = selectors.get_person_for(actor=actor, public_id=public_id)
    wanted = (request.GET.get("lang") or person.preferred_language or FALLBACK_LANGUAGE).lower()[:12]
    language = wanted if wanted in dict(settings.LANGUAGES) else FALLBACK_LANGUAGE
    with translation.override(language):
        report = access_report_for(actor=actor, person=person)
        return render(
            request,
            "persons/access_report.html",
            {
                "report": report,
                "print_language": language,
                "missing_language": language_name(wanted, FALLBACK_LANGUAGE) if wanted != language else "",
            },
        )
