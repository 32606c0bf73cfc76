"""Forms of the account and membership pages."""

import re

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from maillage.forms import TokenLifetimeForm
from tenants.models import TokenScope
from tenants.tasks import send_password_setup_email


class LoginForm(forms.Form):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


def lockout_username(request, credentials: dict | None = None) -> str | None:
    """The address a sign-in attempt names, as django-axes counts failures (AXES_USERNAME_CALLABLE).
    Sign-in ignores case, so every spelling of one address must share one count."""
    source = credentials if credentials else request.POST
    username = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return username.strip().lower() if isinstance(username, str) else username


TOTP_CODE = re.compile(r"^\d{6}$")
RECOVERY_CODE = re.compile(r"^[a-z2-7]{8}$")


def is_recovery_code(code: str) -> bool:
    return bool(RECOVERY_CODE.match(code))


class OTPTokenForm(forms.Form):
    """Six digits from the authenticator app, or one of the printed recovery codes (spaces,
    hyphens and capitals as the person copies them are ignored)."""

    otp_token = forms.CharField(
        label=_("Six-digit code from your authenticator app, or a recovery code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )

    def clean_otp_token(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["otp_token"]).lower()
        if not (TOTP_CODE.match(code) or RECOVERY_CODE.match(code)):
            raise forms.ValidationError(
                _("Enter the six digits shown by your app, or one of your recovery codes."), code="invalid"
            )
        return code


class ApiTokenForm(TokenLifetimeForm):
    label = forms.CharField(label=_("Name"), max_length=80, help_text=_("What uses it, e.g. the weekly export script."))
    scope = forms.ChoiceField(label=_("Scope"), choices=TokenScope.choices, initial=TokenScope.READ)
    field_order = ["label", "scope", "days"]


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, with the e-mail sent by the worker instead of the request."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        send_password_setup_email.delay(context["user"].pk)
