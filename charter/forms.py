"""Forms of the membership and charter pages. They shape input; the services validate and
write (a missing field or a bad BCE/KBO number is the service's message)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from charter.services import CharterInput, MembershipRequestInput, membership_request_errors
from directory.models import OrganisationKind
from maillage.forms import add_service_errors, filled_data, textarea_field


class MembershipRequestForm(forms.Form):
    organisation_name = forms.CharField(label=_("Name of the organisation"), max_length=200, required=False)
    # No kind chosen for the requester: most who ask are associations, a few are services.
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=[("", _("Choose…")), *OrganisationKind.choices])
    enterprise_number = forms.CharField(
        label=_("Enterprise number (BCE/KBO, optional)"),
        required=False,
        max_length=20,
        help_text=_("e.g. 0403.019.261"),
    )
    street = forms.CharField(label=_("Street and number"), required=False, max_length=200)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=4)
    city = forms.CharField(label=_("Commune"), required=False, max_length=100)
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=200)
    contact_email = forms.CharField(
        label=_("Contact e-mail address"),
        required=False,
        max_length=254,
        help_text=_("If the request is approved, this address receives the invitation to join."),
        widget=forms.EmailInput,
    )
    motivation = textarea_field(_("What the organisation offers and why it wants to join"), rows=6)

    def to_input(self) -> MembershipRequestInput:
        return MembershipRequestInput(**self.cleaned_data)

    def clean(self):
        """The service's objections join the fields' own: one submit shows every problem."""
        cleaned = super().clean()
        add_service_errors(self, membership_request_errors(MembershipRequestInput(**filled_data(self))))
        return cleaned


class RefuseForm(forms.Form):
    reason = textarea_field(_("Reason for the refusal"), rows=4, help_text=_("The requester receives it by e-mail."))


class CharterForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    purposes = textarea_field(
        _("Purposes of the data sharing"),
        rows=8,
        help_text=_("Why the member organisations share data about the persons they follow, and for what only."),
    )
    secrecy_rules = textarea_field(
        _("Shared professional secrecy rules"),
        rows=10,
        help_text=_("Who may share what, with whom, under which conditions (consent, need to know)."),
    )
    retention = textarea_field(
        _("Retention of data"),
        rows=5,
        help_text=_("How long files, consents and notes are kept, and what happens after."),
    )
    data_protection_contact = textarea_field(
        _("Data protection contact"),
        rows=4,
        help_text=_("Who persons and members write to about their data (name, address, e-mail)."),
    )
    other_provisions = textarea_field(_("Other provisions (optional)"), rows=5)

    def to_input(self) -> CharterInput:
        return CharterInput(**self.cleaned_data)


class AdoptForm(forms.Form):
    representative = forms.CharField(
        label=_("Representative"),
        required=False,
        max_length=200,
        help_text=_("The person who commits the organisation (e.g. its director)."),
    )
    representative_title = forms.CharField(label=_("Function of the representative"), required=False, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
