"""Consent pages: recording a consent on a person's file, withdrawing it, and the
printable documents (form to sign, receipt) in the person's language.

Only the organisation that keeps the file records, withdraws and prints: the form comes
before the consent exists, and the receipt is handed to the person by the organisation
that recorded it. A recipient that sees the consent gets 403, anyone else the usual 404.
The documents' words come from the papers' own catalogues (consent/documents.py,
maillage/printed), not from the site's: the person's language is often one the site is
not offered in. Recording a consent and printing the form hang off a person's file:
persons.urls routes them here with the person resolved.
"""

import uuid
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.services import record_event
from consent import documents, services
from consent.forms import ConsentForm, WithdrawForm
from consent.models import Consent, ConsentState, DataCategory
from consent.policies import can_record_consent
from consent.selectors import get_consent_for
from directory import selectors as directory_selectors
from maillage import printed
from maillage.errors import DomainError
from maillage.forms import add_domain_error
from maillage.languages import is_known_language
from tenants.selectors import other_active_coordinations

MAX_RECIPIENTS = 50


def _date(value: date | datetime | None, lang: str) -> str:
    """Long dates in the site's languages; elsewhere day/month/year in digits, which every
    reader of these documents can read (and no French month name in an Arabic text)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    if lang in printed.SITE_LANGUAGES:
        return date_format(value, "DATE_FORMAT")
    return value.strftime("%d/%m/%Y")


def _date_language(lang: str) -> str:
    return lang if lang in printed.SITE_LANGUAGES else printed.FALLBACK


def _common(texts: dict, organisation) -> dict:
    """Sentences both documents print, names inserted as isolated data."""
    org = organisation.name
    return {
        "withdraw": printed.fill(texts["withdraw"], organisation=org),
        "complaint": printed.fill(texts["right_complaint"], authority=documents.AUTHORITY),
        "rights_how": printed.fill(texts["rights_how"], organisation=org),
    }


def _draft(actor, query) -> tuple[dict, dict[str, list[str]]]:
    """The content of the form to sign, from the query string; errors keyed by parameter."""
    errors: dict[str, list[str]] = {}
    wanted_ids = list(dict.fromkeys(query.getlist("recipient")))[:MAX_RECIPIENTS]
    ids = []
    for value in wanted_ids:
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            errors.setdefault("recipient", []).append(
                _("%(id)s is not an organisation of this coordination.") % {"id": value}
            )
    found = {o.public_id: o for o in directory_selectors.organisations(actor=actor).filter(public_id__in=ids)}
    recipients = []
    for public_id in ids:
        if public_id in found:
            recipients.append(found[public_id])
        else:
            errors.setdefault("recipient", []).append(
                _("%(id)s is not an organisation of this coordination.") % {"id": public_id}
            )
    elsewhere_errors: dict[str, list] = {}
    recipients += services.recipients_elsewhere(
        query.getlist("recipients_elsewhere")[:MAX_RECIPIENTS], elsewhere_errors
    )
    for messages_ in elsewhere_errors.values():
        errors.setdefault("recipient", []).extend(str(m) for m in messages_)
    if not wanted_ids and not query.getlist("recipients_elsewhere"):
        errors["recipient"] = [_("Name at least one organisation the person agrees to share with.")]

    codes = list(dict.fromkeys(query.getlist("domain")))
    known = {d.code: d for d in directory_selectors.need_domains(actor=actor)}
    domains = [known[code] for code in codes if code in known]
    for code in codes:
        if code not in known:
            errors.setdefault("domain", []).append(_("Unknown need domain: %(code)s.") % {"code": code})
    if not codes:
        errors["domain"] = [_("Name at least one need domain.")]

    categories = list(dict.fromkeys(query.getlist("category")))
    for category in categories:
        if category not in DataCategory.values:
            errors.setdefault("category", []).append(_("Unknown kind of data: %(code)s.") % {"code": category})
    if not categories:
        errors["category"] = [_("Name at least one kind of data.")]

    purpose = (query.get("purpose") or "").strip()
    if not purpose:
        errors["purpose"] = [_("Say why the data is shared.")]

    longest = settings.MAILLAGE_CONSENT_MAX_YEARS * 12
    months = settings.MAILLAGE_CONSENT_DEFAULT_MONTHS
    if query.get("months"):
        try:
            months = int(query["months"])
        except ValueError:
            months = 0
        if not 1 <= months <= longest:
            errors["months"] = [_("A whole number of months, from 1 to %(max)s.") % {"max": longest}]
    draft = {
        "recipients": recipients,
        "domains": domains,
        "categories": [c for c in categories if c in DataCategory.values],
        "purpose": purpose,
        "months": months,
    }
    return draft, errors


def _from_recording_page(query):
    """The recording page submits its own field names (recipients, domains, …) to print."""
    merged = query.copy()
    for plural, singular in (("recipients", "recipient"), ("domains", "domain"), ("categories", "category")):
        if plural in query and singular not in query:
            merged.setlist(singular, query.getlist(plural))
    if query.get("explanation_language") and "lang" not in query:
        merged["lang"] = query["explanation_language"]
    return merged


def consent_form_document(request, person):
    """The form the person signs before the consent is recorded. Routed by persons.urls,
    which resolves the person."""
    actor = request.actor
    if not can_record_consent(actor, person):
        return HttpResponseForbidden()
    # The recording page posts its fields here (its form carries the CSRF token, which a
    # GET would put in the URL); a link may still ask with a query string.
    query = _from_recording_page(request.POST if request.method == "POST" else request.GET)
    draft, errors = _draft(actor, query)
    if errors:
        return render(
            request,
            "consent/form_invalid.html",
            {"person": person, "errors": sorted(errors.items())},
            status=400,
        )
    wanted = query.get("lang") or person.preferred_language or printed.FALLBACK
    texts, lang, missing = documents.document_texts(wanted)
    organisation = person.organisation
    interpreter_used, interpreter_name = _draft_interpreter(query, person)
    # The language it is explained in: the one asked for, even when the paper fell back
    # to French (an interpreter then reads it aloud).
    asked = printed.normalise(wanted)
    explained_code = asked if is_known_language(asked) else lang
    record_event(
        actor=actor,
        action="consent.form_printed",
        object_type="person",
        object_public_id=person.public_id,
        person_public_id=person.public_id,
        detail={
            "language": lang,
            "fell_back": missing,
            "recipients": [str(getattr(o, "public_id", "") or o.organisation_public_id) for o in draft["recipients"]],
            "domains": [d.code for d in draft["domains"]],
            "categories": draft["categories"],
            "months": draft["months"],
            "interpreter": interpreter_used,
        },
    )
    with translation.override(_date_language(lang)):
        ends = timezone.localdate() + relativedelta(months=draft["months"])
        sentences = {
            "intro": printed.fill(texts["form_intro"], organisation=organisation.name),
            "free_choice": printed.fill(texts["free_choice"], organisation=organisation.name),
            "duration": printed.fill(texts["form_duration"], date=_date(ends, lang)),
            "months": printed.fill(texts["duration_months"], months=draft["months"]),
            "sign_worker": printed.fill(texts["sign_worker"], organisation=organisation.name),
            **_common(texts, organisation),
        }
        return render(
            request,
            "consent/form_document.html",
            {
                "lang": lang,
                "dir": printed.direction(lang),
                "t": texts,
                "s": sentences,
                "missing_notice": printed.missing_notice(wanted) if missing else "",
                "person": person,
                "organisation": organisation,
                "recipients": draft["recipients"],
                "domains": [printed.domain_label(d, lang) for d in draft["domains"]],
                "categories": [documents.category_name(texts, c) for c in draft["categories"]],
                "purpose": draft["purpose"],
                "explained_language": printed.language_name_in(explained_code, lang),
                "interpreter_used": interpreter_used,
                "interpreter_name": interpreter_name,
                "authority_contact": documents.AUTHORITY_CONTACT,
            },
        )


def _draft_interpreter(query, person) -> tuple[bool, str]:
    """Whether the form to sign is explained with an interpreter, and who. The recording
    page says so in its own fields (its box starts ticked when the person's file says one
    is needed); a form printed from elsewhere follows the file."""
    if "explanation_language" in query or "interpreter_used" in query:
        used = query.get("interpreter_used", "").lower() in {"on", "true", "1", "yes"}
    else:
        used = person.interpreter_needed
    max_length = Consent._meta.get_field("interpreter_name").max_length
    name = query.get("interpreter_name", "").strip()[:max_length] if used else ""
    return used, name


def consent_receipt(request, public_id):
    """What the person agreed to, as recorded: theirs to keep."""
    actor = request.actor
    consent = get_consent_for(actor=actor, public_id=public_id)
    person = consent.person
    if not can_record_consent(actor, person):
        return HttpResponseForbidden()
    wanted = request.GET.get("lang") or person.preferred_language or consent.explanation_language or printed.FALLBACK
    texts, lang, missing = documents.document_texts(wanted)
    organisation = consent.organisation
    record_event(
        actor=actor,
        action="consent.receipt_printed",
        object_type="consent",
        object_public_id=consent.public_id,
        person_public_id=person.public_id,
        detail={"language": lang, "fell_back": missing, "version": consent.version},
    )
    state = consent.display_state()
    with translation.override(_date_language(lang)):
        explained_values = {"language": printed.language_name_in(consent.explanation_language, lang)}
        if consent.interpreter_used and consent.interpreter_name:
            explained = printed.fill(
                texts["explained_interpreter"], interpreter=consent.interpreter_name, **explained_values
            )
        else:
            explained = printed.fill(texts["explained"], **explained_values)
        state_sentence = texts[f"state_{state}"]
        if state == ConsentState.WITHDRAWN:
            state_sentence = printed.fill(state_sentence, date=_date(consent.withdrawn_at, lang))
        sentences = {
            "intro": printed.fill(texts["receipt_intro"], organisation=organisation.name),
            "duration": printed.fill(texts["receipt_duration"], date=_date(consent.expires_at, lang)),
            "explained": explained,
            "state": state_sentence,
            **_common(texts, organisation),
        }
        return render(
            request,
            "consent/receipt.html",
            {
                "lang": lang,
                "dir": printed.direction(lang),
                "t": texts,
                "s": sentences,
                "missing_notice": printed.missing_notice(wanted) if missing else "",
                "consent": consent,
                "state": state,
                "person": person,
                "organisation": organisation,
                "recipients": [*consent.recipients.all(), *consent.recipients_elsewhere.select_related("coordination")],
                "domains": [printed.domain_label(d, lang) for d in consent.domains.all()],
                "categories": [documents.category_name(texts, c) for c in consent.categories],
                "purpose": consent.purpose,
                "method": texts.get(f"method_{consent.method}", ""),
                "explained_language": explained_values["language"],
                "given_on": _date(consent.given_at, lang),
                "recorded_on": _date(consent.created_at, lang),
                "authority_contact": documents.AUTHORITY_CONTACT,
            },
        )


# --- Recording and withdrawing ---------------------------------------------------


def consent_create(request, person):
    """Routed by persons.urls, which resolves the person."""
    actor = request.actor
    if not can_record_consent(actor, person):
        return HttpResponseForbidden()
    organisations = directory_selectors.member_organisations(actor=actor).exclude(pk=actor.organisation.pk)
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        elsewhere=_organisations_elsewhere(actor),
        domains=directory_selectors.need_domains(actor=actor),
        initial={
            "explanation_language": person.preferred_language or "fr",
            "categories": ["identity", "situation"],
            "interpreter_used": person.interpreter_needed,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            consent = services.record_consent(actor=actor, person=person, data=form.to_input())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The consent is recorded. Print the receipt for the person."))
            return redirect("person_detail", public_id=consent.person.public_id)
    return render(
        request,
        "consent/consent_form.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )


def _organisations_elsewhere(actor) -> list[tuple[str, list[tuple[str, str]]]]:
    """The member organisations of the other active coordinations, by coordination, for a
    family that moves (each read through that coordination's directory: organisations only)."""
    return [
        (
            coordination.name,
            [
                (f"{coordination.slug}/{card.public_id}", card.name)
                for card in directory_selectors.member_directory_of(actor=actor, coordination=coordination)
            ],
        )
        for coordination in other_active_coordinations(actor.coordination)
    ]


def consent_withdraw(request, public_id):
    actor = request.actor
    consent = get_consent_for(actor=actor, public_id=public_id)
    if not can_record_consent(actor, consent.person):
        return HttpResponseForbidden()
    form = WithdrawForm(request.POST or None, consent=consent)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_consent(
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
        "consent/consent_withdraw.html",
        {"form": form, "consent": consent},
        status=400 if form.errors else 200,
    )
