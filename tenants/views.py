"""Pages: home, sign-in with a second factor, account."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from maillage.errors import Invalid
from maillage.forms import add_domain_error
from tenants import selectors, services
from tenants.forms import ApiTokenForm, LoginForm, OTPTokenForm, is_recovery_code


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
            previous = user.last_login
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            services.note_sign_in(user=user, previous=previous)
            next_url = _safe_next(request, selectors.landing_url(user, settings.LOGIN_REDIRECT_URL))
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
    """Verifies the second factor, or enrols an authenticator app when there is none. Once
    enrolled, a recovery code stands in for the app (each works once)."""
    next_url = _safe_next(request, selectors.landing_url(request.user, settings.LOGIN_REDIRECT_URL))
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
        code = form.cleaned_data["otp_token"]
        recovery = None if enrolling or not is_recovery_code(code) else selectors.recovery_device_of(request.user)
        allowed, why = (recovery or device).verify_is_allowed()
        if not allowed:
            form.add_error("otp_token", _throttled_message(why))
        elif is_recovery_code(code):
            if recovery is not None and services.use_recovery_code(actor=request.actor, device=recovery, code=code):
                otp_login(request, recovery)
                _tell_recovery_codes_left(request, recovery.token_set.count())
                return HttpResponseRedirect(next_url)
            form.add_error("otp_token", _("This recovery code is not valid, or it was already used."))
        elif device.verify_token(code):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            if enrolling:
                codes = services.issue_recovery_codes(actor=request.actor, reason="enrolment")
                return _recovery_codes_page(request, codes, next_url=next_url)
            return HttpResponseRedirect(next_url)
        else:
            form.add_error("otp_token", _("This code is not valid. Wait for the next one and try again."))
    context = {"form": form, "enrolling": enrolling, "next": next_url}
    if enrolling:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code"))
        context["secret"] = _base32_secret(device)
    return render(request, "tenants/two_factor.html", context)


def _throttled_message(why: dict | None) -> str:
    """django-otp refuses every code, even a correct one, for a while after a wrong one;
    say so, and until when, rather than let a right code look wrong."""
    locked_until = (why or {}).get("locked_until")
    if locked_until is None:
        return _("Too many attempts with a wrong code. Wait a moment and try again.")
    return _(
        "Too many attempts with a wrong code: for your security, every code is refused until %(time)s, "
        "even a correct one. Try again from %(time)s."
    ) % {"time": date_format(timezone.localtime(locked_until), "H:i:s")}


def _tell_recovery_codes_left(request, left: int) -> None:
    message = ngettext(
        "You signed in with a recovery code. %(left)d code is left; you can make new ones from your account page.",
        "You signed in with a recovery code. %(left)d codes are left; you can make new ones from your account page.",
        left,
    ) % {"left": left}
    (messages.warning if left <= 3 else messages.info)(request, message)


def _recovery_codes_page(request, codes: list[str], *, next_url: str):
    shown = [f"{code[:4]}-{code[4:]}" for code in codes]
    response = render(request, "tenants/recovery_codes.html", {"codes": shown, "next": next_url})
    # Shown once: not kept in the browser's cache or history.
    add_never_cache_headers(response)
    return response


def _base32_secret(device) -> str:
    import base64

    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _account_page(request, token_form=None, status=200):
    user = request.user
    return render(
        request,
        "tenants/account.html",
        {
            "coordinations": selectors.coordinations_of(user),
            "regional_admin": getattr(user, "regional_administrator", None),
            "has_second_factor": TOTPDevice.objects.devices_for_user(user, confirmed=True).exists(),
            "recovery_codes_left": selectors.recovery_codes_left(user),
            "api_tokens": selectors.api_tokens_of(user),
            "token_form": token_form or ApiTokenForm(),
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
def account(request):
    return _account_page(request)


@login_required
@require_POST
def api_token(request):
    if settings.MAILLAGE_REQUIRE_2FA and not request.user.is_verified():
        return redirect("/accounts/two-factor/?next=/accounts/")
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            issued = services.issue_api_token(
                actor=request.actor,
                label=form.cleaned_data["label"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
                second_factor=request.user.is_verified(),
            )
        except Invalid as error:
            add_domain_error(form, error)
        else:
            return render(request, "tenants/api_token.html", {"token": issued.key, "api_token": issued.token})
    return _account_page(request, token_form=form, status=400)


@login_required
@require_POST
def revoke_api_token(request, public_id):
    services.revoke_api_token(actor=request.actor, public_id=public_id)
    messages.success(request, _("The token was revoked."))
    return redirect("/accounts/")


@login_required
@require_POST
def recovery_codes(request):
    """New recovery codes from the account page; the old ones stop working. Only a session
    verified with a second factor may make them, as they stand in for one."""
    if not request.user.is_verified():
        return redirect("/accounts/two-factor/?next=/accounts/")
    codes = services.issue_recovery_codes(actor=request.actor, reason="regenerated")
    return _recovery_codes_page(request, codes, next_url="/accounts/")
