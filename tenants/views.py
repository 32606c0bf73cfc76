"""Pages: home, sign-in with a second factor, account, and a coordination's own pages."""

import csv

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from directory.selectors import member_organisations
from maillage.errors import DomainError
from maillage.exports import spreadsheet_safe
from maillage.forms import add_domain_error
from maillage.middleware import allow_non_members
from tenants import policies, selectors, services
from tenants.audit.selectors import events_visible_to, organisation_names
from tenants.audit.services import record_event
from tenants.forms import AcceptInvitationForm, InvitationForm, LoginForm, OTPTokenForm


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


# --- Public pages --------------------------------------------------------------------


def home(request):
    return render(request, "tenants/home.html", {"coordinations": selectors.public_coordinations()})


def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if user is None:
            form.add_error(None, _("E-mail address or password is incorrect."))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            next_url = _safe_next(request, settings.LOGIN_REDIRECT_URL)
            if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
                return redirect(f"/accounts/two-factor/?next={next_url}")
            return HttpResponseRedirect(next_url)
    return render(request, "tenants/login.html", {"form": form, "next": _safe_next(request, "")})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("/")


@login_required
def two_factor(request):
    """Verifies the second factor, or enrols an authenticator app when there is none."""
    next_url = _safe_next(request, settings.LOGIN_REDIRECT_URL)
    if request.user.is_verified():
        return HttpResponseRedirect(next_url)
    device = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.devices_for_user(request.user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_is_allowed()[0] and device.verify_token(form.cleaned_data["otp_token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return HttpResponseRedirect(next_url)
        form.add_error("otp_token", _("This code is not valid. Wait for the next one and try again."))
    context = {"form": form, "enrolling": enrolling, "next": next_url}
    if enrolling:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code"))
        context["secret"] = _base32_secret(device)
    return render(request, "tenants/two_factor.html", context)


def _base32_secret(device) -> str:
    import base64

    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@login_required
def account(request):
    user = request.user
    return render(
        request,
        "tenants/account.html",
        {
            "coordinations": selectors.coordinations_of(user),
            "regional_admin": getattr(user, "regional_administrator", None),
            "has_second_factor": TOTPDevice.objects.devices_for_user(user, confirmed=True).exists(),
        },
    )


@login_required
@require_POST
def api_token(request):
    if settings.MAILLAGE_REQUIRE_2FA and not request.user.is_verified():
        return redirect("/accounts/two-factor/?next=/accounts/")
    token = services.issue_api_token(actor=request.actor)
    return render(request, "tenants/api_token.html", {"token": token.key})


# --- A coordination's pages ----------------------------------------------------------


def coordination_home(request):
    return render(request, "tenants/coordination_home.html", {"can_manage": policies.can_manage_members(request.actor)})


def members(request):
    actor = request.actor
    can_manage = policies.can_manage_members(actor)
    form = None
    if can_manage:
        form = InvitationForm(request.POST or None, organisations=member_organisations(actor=actor))
        if request.method == "POST" and form.is_valid():
            try:
                services.invite_member(
                    actor=actor,
                    email=form.cleaned_data["email"],
                    organisation_public_id=form.cleaned_data["organisation"],
                    role=form.cleaned_data["role"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
                return redirect("members")
    elif request.method == "POST":
        return HttpResponseForbidden()
    status = 400 if form is not None and form.errors else 200
    return render(
        request,
        "tenants/members.html",
        {"members": selectors.members_visible_to(actor=actor), "form": form, "can_manage": can_manage},
        status=status,
    )


@require_POST
def deactivate_member(request, public_id):
    try:
        services.deactivate_member(actor=request.actor, membership_public_id=public_id)
    except DomainError as error:
        if error.status == 404:
            raise Http404 from None
        if error.status == 403:
            return HttpResponseForbidden()
        messages.error(request, error.message)
    else:
        messages.success(request, _("The membership was deactivated."))
    return redirect("members")


@allow_non_members
def accept_invitation(request, token):
    try:
        invitation = services.open_invitation(token)
    except DomainError:
        raise Http404 from None
    signed_in = request.user.is_authenticated
    form = None if signed_in else AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            services.accept_invitation(
                actor=request.actor or _context_actor(request),
                token=token,
                user=request.user if signed_in else None,
                full_name="" if signed_in else form.cleaned_data["full_name"],
                password="" if signed_in else form.cleaned_data["password"],
            )
        except DomainError as error:
            if form is None:
                messages.error(request, error.message)
            else:
                add_domain_error(form, error)
        else:
            if not signed_in:
                messages.success(request, _("Your account is ready. Sign in to continue."))
                return redirect(f"/accounts/login/?next={request.tenant.url}")
            return redirect("coordination_home")
    return render(request, "tenants/invitation_accept.html", {"invitation": invitation, "form": form})


def _context_actor(request):
    from maillage.actor import Actor, client_ip

    return Actor(
        user=None,
        membership=None,
        organisation=None,
        coordination=request.tenant,
        request_id=request.request_id,
        ip_address=client_ip(request),
    )


def audit_trail(request):
    try:
        events = events_visible_to(actor=request.actor)
    except DomainError:
        return HttpResponseForbidden()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    names = organisation_names(page.object_list)
    for event in page.object_list:
        event.organisation_name = names.get(event.organisation_public_id, "")
    return render(request, "tenants/audit.html", {"page": page})


def audit_export(request):
    try:
        events = events_visible_to(actor=request.actor)
    except DomainError:
        return HttpResponseForbidden()
    record_event(actor=request.actor, action="audit.exported", object_type="audit_trail")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{request.tenant.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "occurred_at",
            "actor_email",
            "organisation_id",
            "action",
            "object_type",
            "object_id",
            "person_id",
            "request_id",
            "ip_address",
        ]
    )
    for event in events.iterator(chunk_size=2000):
        writer.writerow(
            spreadsheet_safe(v)
            for v in [
                event.occurred_at.isoformat(),
                event.actor.email if event.actor else "system",
                event.organisation_public_id or "",
                event.action,
                event.object_type,
                event.object_public_id or "",
                event.person_public_id or "",
                event.request_id or "",
                event.ip_address or "",
            ]
        )
    return response


def notifications(request):
    """In-app notices; opening the page marks them read."""
    actor = request.actor
    items = list(selectors.notifications_of(actor=actor)[:100])
    services.mark_notifications_read(actor=actor)
    return render(request, "tenants/notifications.html", {"items": items})
