"""Directory pages: search, offers, organisations, coverage, the printed list for a person."""

import json
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record_event
from directory import policies, print_texts, selectors, services
from directory.forms import (
    HarvestingTokenForm,
    ImportForm,
    NeedDomainForm,
    OfferForm,
    OrganisationForm,
    SearchForm,
    ThesaurusEntryForm,
)
from directory.interop import harvesting, hsds
from directory.interop.csv import import_csv
from directory.models import TEXT_LANGUAGES
from maillage import printed
from maillage.errors import DomainError
from maillage.forms import add_domain_error, form_page
from maillage.languages import language_name


def search(request):
    actor = request.actor
    domains = list(selectors.need_domains(actor=actor))
    form = SearchForm(request.GET or None, domains=domains)
    page = found = help_ = None
    if form.is_valid() or not request.GET:
        data = form.cleaned_data if request.GET else {}
        filters = selectors.OfferFilters(
            query=data.get("q", ""),
            domain=data.get("domain", ""),
            language=data.get("language", ""),
            status=data.get("status", ""),
            open_now=data.get("open_now", False),
            no_appointment=data.get("no_appointment", False),
            capacity=data.get("capacity", ""),
            organisation_kind=data.get("organisation_kind", ""),
            organisation=data.get("organisation"),
        )
        found = selectors.directory_search(actor=actor, filters=filters)
        page = Paginator(found.offers, 25).get_page(request.GET.get("page"))
        for offer in page.object_list:
            offer.freshness = selectors.freshness(offer)
        if request.GET and page.paginator.count < selectors.FEW_RESULTS:
            help_ = _search_help(form, selectors.search_help(actor=actor, filters=filters, read=found.read))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "page": page,
            "read": found.read if found else None,
            "help": help_,
            "query": query.urlencode(),
            "print_languages": _print_languages(),
        },
        status=200 if page is not None else 400,
    )


# The search form's parameter for each filter of selectors.OfferFilters.
_PARAMETERS = {"query": "q"}


def _search_help(form: SearchForm, found: selectors.SearchHelp) -> dict:
    """The wider searches as links (the same parameters less the dropped filters), each
    named by the labels of the filters it drops."""
    widenings = []
    for widening in found.widenings:
        params = form.data.copy()
        for name in widening.dropped:
            params.pop(_PARAMETERS.get(name, name), None)
        params.pop("page", None)
        labels = [str(form.fields[name].label) if name in form.fields else name for name in widening.dropped]
        widenings.append({"labels": labels, "count": widening.count, "query": params.urlencode()})
    return {
        "widenings": widenings,
        "domain": found.closest_domain,
        "domain_count": found.closest_domain_count,
    }


def offer_detail(request, public_id):
    offer = selectors.get_offer(actor=request.actor, public_id=public_id)
    offer.freshness = selectors.freshness(offer)
    title, description = offer.shown_title(), offer.shown_description()
    names = dict(settings.LANGUAGES)
    other_versions = [
        {"code": code, "name": names[code], "title": offer.titles()[code], "description": offer.descriptions()[code]}
        for code in TEXT_LANGUAGES
        if code != title.language and offer.titles()[code]
    ]
    return render(
        request,
        "directory/offer_detail.html",
        {
            "offer": offer,
            "title": title,
            "description": description,
            "other_versions": other_versions,
            "can_edit": policies.can_edit_offers_of(request.actor, offer.organisation),
        },
    )


def _offer_form_page(request, *, organisation, offer=None):
    actor = request.actor
    domains = list(selectors.need_domains(actor=actor))
    initial = OfferForm.initial_from(offer) if offer else {"postcode": organisation.postcode}
    form = OfferForm(request.POST or None, initial=initial, domains=domains, offer=offer)

    def save():
        if offer is None:
            return services.create_offer(actor=actor, organisation=organisation, data=form.to_input())
        return services.update_offer(actor=actor, offer=offer, data=form.to_input())

    return form_page(
        request,
        form,
        save=save,
        saved_message=_("The offer is saved."),
        done=lambda saved: redirect("offer_detail", public_id=saved.public_id),
        template="directory/offer_form.html",
        context={"organisation": organisation, "offer": offer},
    )


def offer_create(request, organisation_id):
    organisation = selectors.get_organisation(actor=request.actor, public_id=organisation_id)
    if not policies.can_edit_offers_of(request.actor, organisation):
        return HttpResponseForbidden()
    return _offer_form_page(request, organisation=organisation)


def offer_edit(request, public_id):
    offer = selectors.get_offer(actor=request.actor, public_id=public_id)
    if not policies.can_edit_offers_of(request.actor, offer.organisation):
        return HttpResponseForbidden()
    return _offer_form_page(request, organisation=offer.organisation, offer=offer)


@require_POST
def offer_verify(request, public_id):
    offer = selectors.get_offer(actor=request.actor, public_id=public_id)
    if not policies.can_edit_offers_of(request.actor, offer.organisation):
        return HttpResponseForbidden()
    services.confirm_offer_accurate(actor=request.actor, offer=offer)
    messages.success(request, _("Thank you: the offer is marked as still accurate."))
    if request.POST.get("next") == "mine":
        return redirect("my_offers")
    return redirect("offer_detail", public_id=offer.public_id)


def my_offers(request):
    """The offers of the actor's organisation, with their freshness and one-click confirmation."""
    actor = request.actor
    offers = list(
        selectors.search_offers(
            actor=actor, filters=selectors.OfferFilters(organisation=actor.organisation.public_id, include_ended=True)
        )
    )
    for offer in offers:
        offer.freshness = selectors.freshness(offer)
        offer.ended = selectors.has_ended(offer)
    return render(
        request,
        "directory/my_offers.html",
        {
            "offers": offers,
            "organisation": actor.organisation,
            "can_edit": policies.can_edit_offers_of(actor, actor.organisation),
        },
    )


def organisation_list(request):
    return render(
        request,
        "directory/organisation_list.html",
        {"organisations": selectors.organisations(actor=request.actor)},
    )


def organisation_detail(request, public_id):
    actor = request.actor
    organisation = selectors.get_organisation(actor=actor, public_id=public_id)
    offers = selectors.search_offers(actor=actor, filters=selectors.OfferFilters(organisation=organisation.public_id))
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "offers": offers,
            "staff_languages": [language_name(c, get_language() or "fr") for c in organisation.staff_languages],
            "can_edit": policies.can_edit_organisation(actor, organisation),
        },
    )


def organisation_edit(request, public_id=None):
    actor = request.actor
    organisation = selectors.get_organisation(actor=actor, public_id=public_id) if public_id else None
    allowed = (
        policies.can_edit_organisation(actor, organisation)
        if organisation
        else policies.can_manage_organisations(actor)
    )
    if not allowed:
        return HttpResponseForbidden()
    initial = {"is_member": True}
    if organisation:
        initial = {name: getattr(organisation, name) for name in OrganisationForm.base_fields}
    form = OrganisationForm(
        request.POST or None,
        initial=initial,
        can_decide_membership=policies.can_manage_organisations(actor),
        organisation=organisation,
    )

    def save():
        if organisation is None:
            return services.create_organisation(actor=actor, data=form.to_input())
        return services.update_organisation(actor=actor, organisation=organisation, data=form.to_input())

    return form_page(
        request,
        form,
        save=save,
        saved_message=_("The organisation is saved."),
        done=lambda saved: redirect("organisation_detail", public_id=saved.public_id),
        template="directory/organisation_form.html",
        context={"organisation": organisation},
    )


def coverage(request):
    """Need domains × open offers, and the form to add a local term to the taxonomy."""
    actor = request.actor
    if not policies.can_see_coverage(actor):
        return HttpResponseForbidden()
    form = NeedDomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_need_domain(actor=actor, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The need domain is added."))
            return redirect("coverage")
    language = get_language() or "fr"
    rows = selectors.coverage(actor=actor)
    return render(
        request,
        "directory/coverage.html",
        {
            "rows": [(row, [language_name(code, language) for code in row.languages]) for row in rows],
            "gaps": [row for row in rows if row.is_gap],
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def thesaurus(request):
    """The search thesaurus: every entry, and the form to add one (coordinators)."""
    actor = request.actor
    domains = list(selectors.need_domains(actor=actor))
    form = ThesaurusEntryForm(request.POST or None, domains=domains)
    if request.method == "POST" and not policies.can_manage_taxonomy(actor):
        return HttpResponseForbidden()
    return form_page(
        request,
        form,
        save=lambda: services.save_thesaurus_entry(actor=actor, **form.cleaned_data),
        saved_message=_("The search now reads these terms."),
        done=lambda entry: redirect("thesaurus"),
        template="directory/thesaurus.html",
        context={
            "entries": selectors.thesaurus_entries(actor=actor),
            "can_manage": policies.can_manage_taxonomy(actor),
        },
    )


def thesaurus_entry(request, public_id):
    actor = request.actor
    entry = selectors.get_thesaurus_entry(actor=actor, public_id=public_id)
    if not policies.can_manage_taxonomy(actor):
        return HttpResponseForbidden()
    domains = list(selectors.need_domains(actor=actor))
    initial = {"terms": "\n".join(t.text for t in entry.terms.all()), "domains": [d.code for d in entry.domains.all()]}
    form = ThesaurusEntryForm(request.POST or None, domains=domains, initial=initial)
    return form_page(
        request,
        form,
        save=lambda: services.save_thesaurus_entry(actor=actor, entry=entry, **form.cleaned_data),
        saved_message=_("The search now reads these terms."),
        done=lambda entry: redirect("thesaurus"),
        template="directory/thesaurus_entry.html",
        context={"entry": entry},
    )


@require_POST
def thesaurus_delete(request, public_id):
    actor = request.actor
    entry = selectors.get_thesaurus_entry(actor=actor, public_id=public_id)
    if not policies.can_manage_taxonomy(actor):
        return HttpResponseForbidden()
    services.delete_thesaurus_entry(actor=actor, entry=entry)
    messages.success(request, _("The entry is deleted."))
    return redirect("thesaurus")


def _print_languages() -> list[tuple[str, str]]:
    """The languages the printed list is written in, each named in itself."""
    return print_texts.languages()


def _printed_offer(offer, texts: dict[str, str], lang: str) -> dict:
    """What the printed list shows of one offer, in the list's language; titles, names,
    addresses and phone numbers stay as they are (data)."""
    label, label_lang = printed.domain_label(offer.primary_domain, lang)
    # The offer's own version in the paper's language when it has one; the other papers'
    # languages get the title the offer is listed under.
    title = offer.shown_title(lang) if lang in TEXT_LANGUAGES else None
    return {
        "offer": offer,
        "title": title.text if title else offer.title,
        "title_lang": title.language if title else "",
        "organisation": offer.organisation.shown_name(lang),
        "domain": label,
        "domain_lang": label_lang,
        "places": [str(place) for place in offer.locations.all()],
        "phone": offer.phone or offer.organisation.phone,
        "hours": [
            (printed.weekday_name(slot.weekday, lang), f"{slot.opens_at:%H:%M}–{slot.closes_at:%H:%M}")
            for slot in offer.opening_hours.all()
        ],
        "access": texts.get(f"access_{offer.access}", ""),
        "cost": texts.get(f"cost_{offer.cost}", ""),
        "languages": printed.join([language_name(code, lang) for code in offer.languages], lang),
    }


def print_list(request):
    """A list of chosen offers to hand to a person, printed in the person's language (French,
    with a notice naming the language, when the list has no text in it)."""
    ids = []
    for value in request.GET.getlist("offer"):
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            continue
    offers = selectors.offers_by_ids(actor=request.actor, public_ids=ids[:50])
    wanted = request.GET.get("lang") or print_texts.FALLBACK
    texts, lang, missing = print_texts.print_texts(wanted)
    record_event(
        actor=request.actor,
        action="directory.list_printed",
        object_type="offer_list",
        detail={"offers": [str(o.public_id) for o in offers], "language": lang, "fell_back": missing},
    )
    return render(
        request,
        "directory/print_list.html",
        {
            "lang": lang,
            "dir": printed.direction(lang),
            "t": texts,
            "missing_notice": printed.missing_notice(wanted) if missing else "",
            "offers": [_printed_offer(offer, texts, lang) for offer in offers],
            "printed_on": timezone.localdate().strftime("%d/%m/%Y"),
        },
    )


def import_page(request):
    """Coordinators import a CSV or HSDS file, checking it first."""
    actor = request.actor
    if not policies.can_manage_organisations(actor):
        return HttpResponseForbidden()
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            text = form.cleaned_data["file"].read().decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", _("The file must be UTF-8 text."))
        else:
            dry_run = form.cleaned_data["dry_run"]
            if form.cleaned_data["format"] == "csv":
                report = import_csv(actor=actor, text=text, dry_run=dry_run)
            else:
                try:
                    document = json.loads(text)
                except (ValueError, RecursionError):
                    form.add_error("file", _("This is not a JSON document."))
                else:
                    report = hsds.import_hsds(actor=actor, document=document, dry_run=dry_run)
    status = 400 if form.errors or (report is not None and not report.ok) else 200
    return render(request, "directory/import.html", {"form": form, "report": report}, status=status)


def export_hsds(request):
    response = JsonResponse(hsds.export_hsds(actor=request.actor), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="hsds-{request.tenant.slug}.json"'
    return response


def _harvesting_page(request, token_form=None, issued=None, status=200):
    return render(
        request,
        "directory/harvesting.html",
        {
            "harvesting": harvesting.harvesting_of(actor=request.actor),
            "token_form": token_form or HarvestingTokenForm(),
            "issued": issued,
            "hsds_url": request.build_absolute_uri(f"{request.tenant.url}api/v1/hsds/"),
            "now": timezone.now(),
        },
        status=status,
    )


def harvesting_page(request):
    """Coordinators open the HSDS routes to harvesters and issue their tokens."""
    if not policies.can_manage_harvesting(request.actor):
        return HttpResponseForbidden()
    return _harvesting_page(request)


@require_POST
def harvesting_switch(request):
    allowed = request.POST.get("allowed") == "on"
    harvesting.set_harvesting(actor=request.actor, allowed=allowed)
    if allowed:
        messages.success(request, _("Harvesting is allowed: the tokens below can read the directory."))
    else:
        messages.success(request, _("Harvesting is stopped: every harvesting token is refused."))
    return redirect(f"{request.tenant.url}directory/harvesting/")


@require_POST
def harvesting_token(request):
    if not policies.can_manage_harvesting(request.actor):
        return HttpResponseForbidden()
    form = HarvestingTokenForm(request.POST)
    if form.is_valid():
        try:
            issued = harvesting.issue_harvesting_token(
                actor=request.actor, label=form.cleaned_data["label"], days=form.cleaned_data["days"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _harvesting_page(request, issued=issued)
    return _harvesting_page(request, token_form=form, status=400)


@require_POST
def revoke_harvesting_token(request, public_id):
    harvesting.revoke_harvesting_token(actor=request.actor, public_id=public_id)
    messages.success(request, _("The harvesting token was revoked."))
    return redirect(f"{request.tenant.url}directory/harvesting/")
