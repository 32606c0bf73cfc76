"""The form to add a note on a referral's page; the notes' services validate and write."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from maillage.forms import add_service_errors
from referrals.notes.services import note_text_errors


class NoteForm(forms.Form):
    """`audiences`: the (value, label) pairs the consent in force allows; a note without
    one is for the parties of the referral."""

    audience = forms.ChoiceField(label=_("Who may read it"), widget=forms.RadioSelect, required=False)
    domain = forms.ChoiceField(label=_("Need domain"))
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))
    sensitive = forms.BooleanField(
        label=_("Sensitive (health, violence): only my organisation reads it unless the consent names it"),
        required=False,
    )

    def __init__(self, *args, domains=(), audiences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [(d.code, d.label(get_language() or "fr")) for d in domains]
        self.fields["audience"].choices = list(audiences)

    def clean(self):
        """The text's own rule joins the other fields' errors: one submit shows every problem."""
        cleaned = super().clean()
        add_service_errors(self, note_text_errors(self.cleaned_data.get("text", "")))
        return cleaned
