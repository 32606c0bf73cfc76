"""Pages: asking to join, the coordinators' membership decisions, the charter, its
versions (drafts for coordinators), adoptions and the printable charter.

Membership requests are the coordinators' business: anyone else gets the same 404 as a
missing page on their routes. The join page is open to anyone signed in, member or not.
"""

import logging

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from charter import policies, selectors, services
from charter.forms import AdoptForm, CharterForm, MembershipRequestForm, RefuseForm
from charter.models import RequestStatus
from maillage.actor import Actor, client_ip
from maillage.errors import Conflict, DomainError, Invalid
from maillage.forms import add_domain_error, form_page
from maillage.middleware import allow_non_members

# --- Asking to join ------------------------------------------------------------------------

logger = logging.getLogger(__name__)


def _requester_actor(request) -> Actor:
    """The member's actor, or for someone without a membership here an actor that names
    the account (if signed in) and the coordination only."""
    if request.actor is not None:
        return request.actor
    return Actor(
        user=request.user if request.user.is_authenticated else None,
        membership=None,
        organisation=None,
        coordination=request.tenant,
        request_id=request.request_id,
        ip_address=client_ip(request),
    )


def join(request):
    """A member asks for an organisation to join (e.g. a partner it works with)."""
    return _join(request, request.actor)


@allow_non_members
def join_with_link(request, token):
    """The join link coordinators share: anyone with it, member here or not, signed in or
    not (an organisation new to the platform has no account yet), asks for an organisation
    to join; the decision comes by e-mail, and a signed-in requester also sees it here. A
    wrong link is a 404, like any page of the coordination."""
    if not selectors.is_join_token(request.tenant, token):
        raise Http404
    if request.method == "POST" and not request.user.is_authenticated and _too_many_from(request):
        return render(request, "charter/join_throttled.html", status=429)
    return _join(request, _requester_actor(request), by_link=True)


# Requests without an account through one link, per address and hour: enough for a
# coordination's partners, not for a script.
ANONYMOUS_REQUESTS_PER_HOUR = 5


def _too_many_from(request) -> bool:
    key = f"charter-join:{request.tenant.schema_name}:{client_ip(request)}"
    try:
        cache.add(key, 0, timeout=3600)
        return cache.incr(key) > ANONYMOUS_REQUESTS_PER_HOUR
    except Exception:
        # The cache is Redis, shared by every process: while it is unreachable the form
        # stays open rather than failing.
        logger.warning("join limit not counted: the cache is unavailable", exc_info=True)
        return False


def _join(request, actor, *, by_link: bool = False):
    signed_in = request.user.is_authenticated
    initial = {"contact_name": request.user.full_name, "contact_email": request.user.email} if signed_in else {}
    form = MembershipRequestForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.request_membership(actor=actor, data=form.to_input(), by_link=by_link)
        except DomainError as error:
            add_domain_error(form, error)
            status = error.status
        else:
            if signed_in:
                messages.success(request, _("Your request is sent. The coordinators will decide on it."))
            else:
                messages.success(
                    request,
                    _("Your request is sent. The coordinators will decide and tell the contact person by e-mail."),
                )
            return redirect(request.path)
    if form.errors and status == 200:
        status = 400
    return render(
        request,
        "charter/join.html",
        {"form": form, "requests": selectors.requests_filed_by(user=request.user) if signed_in else []},
        status=status,
    )


# --- The coordinators' decisions --------------------------------------------------------------


def membership_requests(request):
    actor = request.actor
    status = request.GET.get("status", RequestStatus.PENDING)
    if status not in RequestStatus.values and status != "all":
        status = RequestStatus.PENDING
    rows = selectors.membership_requests_for(actor=actor, status="" if status == "all" else status)
    return render(
        request,
        "charter/requests.html",
        {
            "rows": rows,
            "status": status,
            "statuses": RequestStatus.choices,
            "join_link": selectors.join_link(request.tenant),
        },
    )


@require_POST
def renew_join_link(request):
    try:
        services.renew_join_link(actor=request.actor)
    except DomainError as error:
        raise Http404 from error
    messages.success(request, _("The join link is renewed: the old one no longer opens anything."))
    return redirect("membership_requests")


def membership_request_detail(request, public_id, *, refuse_form=None, status=200):
    membership_request = selectors.get_membership_request_for(actor=request.actor, public_id=public_id)
    return render(
        request,
        "charter/request_detail.html",
        {"item": membership_request, "refuse_form": refuse_form or RefuseForm(prefix="refuse")},
        status=status,
    )


@require_POST
def membership_request_approve(request, public_id):
    actor = request.actor
    selectors.get_membership_request_for(actor=actor, public_id=public_id)
    try:
        approval = services.approve_membership_request(actor=actor, public_id=public_id)
    except (Invalid, Conflict) as error:
        messages.error(request, error.message)
        return redirect("membership_request_detail", public_id=public_id)
    if approval.invited:
        messages.success(
            request,
            _("%(organisation)s is now a member. An invitation was sent to %(email)s.")
            % {"organisation": approval.organisation.name, "email": approval.request.contact_email},
        )
    else:
        messages.success(
            request,
            _("%(organisation)s is now a member. Its contact already has an account here: no invitation sent.")
            % {"organisation": approval.organisation.name},
        )
    return redirect("membership_requests")


@require_POST
def membership_request_refuse(request, public_id):
    actor = request.actor
    selectors.get_membership_request_for(actor=actor, public_id=public_id)
    form = RefuseForm(request.POST, prefix="refuse")
    form.is_valid()
    try:
        services.refuse_membership_request(actor=actor, public_id=public_id, reason=form.cleaned_data.get("reason", ""))
    except (Invalid, Conflict) as error:
        add_domain_error(form, error)
        return membership_request_detail(request, public_id, refuse_form=form, status=error.status)
    messages.success(request, _("The request is refused. The requester is told why by e-mail."))
    return redirect("membership_requests")


def _report(request, error: DomainError) -> None:
    """A service's error on a page that redirects back: each field message, or the message."""
    for field_messages in error.fields.values():
        for message in field_messages:
            messages.error(request, message)
    if not error.fields:
        messages.error(request, error.message)


# --- The charter ------------------------------------------------------------------------------


def charter(request):
    """The current version, who adopted it, and the form to adopt it for one's organisation."""
    actor = request.actor
    current = selectors.current_charter()
    rows = selectors.adoption_status(actor=actor, charter=current)
    mine = next((row for row in rows if actor.organisation and row.organisation.pk == actor.organisation.pk), None)
    adopt_form = None
    if current is not None and mine is not None and mine.adoption is None and policies.can_adopt_charter(actor):
        adopt_form = AdoptForm(initial={"representative": request.user.full_name, "version": current.number})
    return render(
        request,
        "charter/charter.html",
        {
            "current": current,
            "rows": rows,
            "mine": mine,
            "adopt_form": adopt_form,
            "versions": selectors.charter_versions_for(actor=actor),
            "draft": selectors.current_draft(actor=actor),
            "can_write": policies.can_write_charter(actor),
            "pending_requests": selectors.pending_request_count(actor=actor),
        },
    )


@require_POST
def charter_adopt(request):
    actor = request.actor
    form = AdoptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form could not be read: try again."))
        return redirect("charter")
    try:
        services.adopt_charter(
            actor=actor,
            representative=form.cleaned_data["representative"],
            representative_title=form.cleaned_data["representative_title"],
            number=form.cleaned_data["version"],
        )
    except (Invalid, Conflict) as error:
        _report(request, error)
    else:
        messages.success(request, _("Your organisation adopted the charter. It may send and receive referrals again."))
    return redirect("charter")


def charter_version(request, public_id, *, status=200):
    actor = request.actor
    version = selectors.get_charter_version_for(actor=actor, public_id=public_id)
    adoptions = selectors.adoptions_of(actor=actor, charter=version) if version.is_published else []
    return render(
        request,
        "charter/version.html",
        {
            "version": version,
            "adoptions": adoptions,
            "is_current": version.is_published and version == selectors.current_charter(),
            "can_write": policies.can_write_charter(actor),
        },
        status=status,
    )


def charter_version_new(request):
    """Coordinators start the next version, from the current text (or go on with the draft)."""
    actor = request.actor
    if not policies.can_write_charter(actor):
        raise Http404
    draft = selectors.current_draft(actor=actor)
    if draft is not None:
        return redirect("charter_version_edit", public_id=draft.public_id)
    current = selectors.current_charter()
    initial = {}
    if current is not None:
        initial = {name: getattr(current, name) for name in CharterForm.base_fields}
    form = CharterForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        save=lambda: services.create_charter_draft(actor=actor, data=form.to_input()),
        saved_message=_("The draft is saved. Publish it when it is ready."),
        done=lambda version: redirect("charter_version", public_id=version.public_id),
        template="charter/version_form.html",
        context={"version": None},
    )


def charter_version_edit(request, public_id):
    actor = request.actor
    if not policies.can_write_charter(actor):
        raise Http404
    version = selectors.get_charter_version_for(actor=actor, public_id=public_id)
    if version.is_published:
        messages.error(request, _("A published version of the charter is never changed: write a new version instead."))
        return charter_version(request, public_id, status=409)
    form = CharterForm(request.POST or None, initial={name: getattr(version, name) for name in CharterForm.base_fields})
    return form_page(
        request,
        form,
        save=lambda: services.update_charter_draft(actor=actor, version=version, data=form.to_input()),
        saved_message=_("The draft is saved."),
        done=lambda saved: redirect("charter_version", public_id=saved.public_id),
        template="charter/version_form.html",
        context={"version": version},
    )


@require_POST
def charter_version_publish(request, public_id):
    actor = request.actor
    if not policies.can_write_charter(actor):
        raise Http404
    version = selectors.get_charter_version_for(actor=actor, public_id=public_id)
    try:
        version = services.publish_charter(actor=actor, version=version)
    except (Invalid, Conflict) as error:
        _report(request, error)
        return redirect("charter_version", public_id=public_id)
    messages.success(
        request,
        _("Version %(number)s is published. Every member organisation is asked to adopt it.")
        % {"number": version.number},
    )
    return redirect("charter")


def charter_version_print(request, public_id):
    """The charter as a document to print and sign, with who adopted it so far."""
    actor = request.actor
    version = selectors.get_charter_version_for(actor=actor, public_id=public_id)
    adoptions = selectors.adoptions_of(actor=actor, charter=version) if version.is_published else []
    return render(
        request,
        "charter/print.html",
        {"version": version, "adoptions": adoptions, "printed_on": timezone.localdate()},
    )
