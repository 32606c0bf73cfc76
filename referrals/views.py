"""Persons' files and their consents. Every page that shows a person's data writes an
audit event for it."""

from datetime import datetime, time

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record_reads
from consent import selectors as consent_selectors
from consent import services as consent_services
from consent.models import DataCategory
from consent.policies import may_see
from directory import selectors as directory_selectors
from maillage.errors import Conflict, DomainError, Invalid
from maillage.forms import add_domain_error, report_form_errors
from referrals import policies, selectors, services
from referrals.forms import ConsentForm, HouseholdForm, PersonForm, WithdrawForm


def person_list(request):
    actor = request.actor
    if not policies.can_read_personal_data(actor):
        return HttpResponseForbidden()
    query = (request.GET.get("q") or "").strip()
    persons = selectors.persons_visible_to(actor=actor)
    if query:
        persons = persons.filter(family_name__icontains=query) | persons.filter(given_name__icontains=query)
    page = Paginator(persons.order_by("family_name", "given_name", "pk"), 50).get_page(request.GET.get("page"))
    record_reads(actor=actor, persons=page.object_list, action="person.listed")
    return render(
        request,
        "referrals/person_list.html",
        {"page": page, "query": query, "can_open": policies.can_open_files(actor)},
    )


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
        "referrals/person_form.html",
        {"form": form, "duplicates": duplicates, "person": None},
        status=400 if form.errors else 200,
    )


def person_detail(request, public_id):
    actor = request.actor
    person = selectors.get_person_for(actor=actor, public_id=public_id)
    owner = person.organisation_id == actor.organisation.pk
    shows_situation = owner or may_see(
        organisation_id=actor.organisation.pk, person=person, category=DataCategory.SITUATION
    )
    record_reads(actor=actor, persons=[person])
    deadline = selectors.programme_deadline(person, request.tenant.registration_deadline_months)
    return render(
        request,
        "referrals/person_detail.html",
        {
            "person": person,
            "owner": owner,
            "shows_situation": shows_situation,
            "deadline": deadline,
            "consents": consent_selectors.consents_of(actor=actor, person=person),
            "can_edit": policies.can_edit_file(actor, person),
            "households": selectors.households_of(actor=actor, person=person),
            "household_form": HouseholdForm(households=selectors.households_kept_by(actor=actor))
            if policies.can_edit_file(actor, person)
            else None,
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
        "referrals/person_form.html",
        {"form": form, "duplicates": [], "person": person},
        status=400 if form.errors else 200,
    )


@require_POST
def person_close(request, public_id):
    actor = request.actor
    person = selectors.get_person_for(actor=actor, public_id=public_id)
    try:
        services.close_file(actor=actor, person=person)
    except (Invalid, Conflict) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The file is closed."))
    return redirect("person_detail", public_id=person.public_id)


def consent_create(request, public_id):
    actor = request.actor
    person = selectors.get_person_for(actor=actor, public_id=public_id)
    if not policies.can_record_consent(actor, person):
        return HttpResponseForbidden()
    organisations = directory_selectors.member_organisations(actor=actor).exclude(pk=actor.organisation.pk)
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        domains=directory_selectors.need_domains(actor=actor),
        initial={"explanation_language": person.preferred_language or "fr", "categories": ["identity", "situation"]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        expires = data["expires_on"]
        try:
            consent = consent_services.record_consent(
                actor=actor,
                person=person,
                data=consent_services.ConsentInput(
                    recipients=data["recipients"],
                    domains=data["domains"],
                    categories=data["categories"],
                    purpose=data["purpose"],
                    method=data["method"],
                    proof=data["proof"],
                    signed_name=data["signed_name"],
                    witness_name=data["witness_name"],
                    explanation_language=data["explanation_language"],
                    interpreter_used=data["interpreter_used"],
                    interpreter_name=data["interpreter_name"],
                    expires_at=timezone.make_aware(datetime.combine(expires, time(23, 59))) if expires else None,
                ),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The consent is recorded. Print the receipt for the person."))
            return redirect("person_detail", public_id=consent.person.public_id)
    return render(
        request,
        "referrals/consent_form.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )


def consent_withdraw(request, public_id):
    actor = request.actor
    consent = consent_selectors.get_consent_for(actor=actor, public_id=public_id)
    if not policies.can_record_consent(actor, consent.person):
        return HttpResponseForbidden()
    form = WithdrawForm(request.POST or None, consent=consent)
    if request.method == "POST" and form.is_valid():
        try:
            consent_services.withdraw_consent(
                actor=actor,
                consent=consent,
                reason=form.cleaned_data["reason"],
                recipients=form.cleaned_data["recipients"],
                domains=form.cleaned_data["domains"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The consent is withdrawn. It takes effect now, for every organisation."))
            return redirect("person_detail", public_id=consent.person.public_id)
    return render(
        request,
        "referrals/consent_withdraw.html",
        {"form": form, "consent": consent},
        status=400 if form.errors else 200,
    )
