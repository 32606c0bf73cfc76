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
