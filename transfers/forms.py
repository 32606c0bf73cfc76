"""The form to start a transfer. It shapes input; the service validates and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _


class StartTransferForm(forms.Form):
    coordination = forms.ChoiceField(label=_("Coordination the family moves to"))
    organisation = forms.ChoiceField(
        label=_("Organisation that takes over"),
        required=False,
        help_text=_("From that coordination's directory of member organisations."),
    )

    def __init__(self, *args, coordinations=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordination"].choices = [("", "—")] + [(c.slug, c.name) for c in coordinations]
        self.fields["organisation"].choices = [("", "—")] + [(str(o.public_id), o.name) for o in organisations]
