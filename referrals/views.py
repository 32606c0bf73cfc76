"""Consent pages of a person's file (until they move to consent/)."""

from datetime import datetime, time

from django.contrib import messages
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from consent import selectors as consent_selectors
from consent import services as consent_services
from directory import selectors as directory_selectors
from maillage.errors import DomainError
from maillage.forms import add_domain_error
from persons import policies, selectors
from referrals.forms import ConsentForm, WithdrawForm


def _person_or_404(actor, public_id):
    try:
        return selectors.get_person_for(actor=actor, public_id=public_id)
    except DomainError:
        raise Http404 from None


def consent_create(request, public_id):
    actor = request.actor
    person = _person_or_404(actor, public_id)
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
    try:
        consent = consent_selectors.get_consent_for(actor=actor, public_id=public_id)
    except DomainError:
        raise Http404 from None
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
