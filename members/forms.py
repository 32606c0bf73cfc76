"""Forms of the members app: inviting a member and accepting an invitation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.roles import Role


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    organisation = forms.ChoiceField(label=_("Organisation"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.WORKER)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.public_id), o.name) for o in organisations]


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters, not only digits, not a common password."),
    )


class HandOverForm(forms.Form):
    """To whom a referral or a file passes: a colleague of the organisation, by the public
    id of their membership (one of another organisation is not found: 404)."""

    member = forms.UUIDField(label=_("Colleague"))

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(m.public_id), m.user.full_name or m.user.email) for m in colleagues]
        self.fields["member"].widget = forms.Select(choices=[("", "—"), *choices])
