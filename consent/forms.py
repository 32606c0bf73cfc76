"""Forms to record and withdraw a consent. They shape input; services validate and write."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from consent.models import ConsentMethod, DataCategory
from maillage.languages import language_choices


class ConsentForm(forms.Form):
    recipients = forms.MultipleChoiceField(label=_("Shared with"), widget=forms.CheckboxSelectMultiple, required=False)
    domains = forms.MultipleChoiceField(label=_("For these needs"), widget=forms.CheckboxSelectMultiple, required=False)
    categories = forms.MultipleChoiceField(
        label=_("Data shared"), choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    method = forms.ChoiceField(label=_("How it was given"), choices=ConsentMethod.choices, widget=forms.RadioSelect)
    # `accept` only steers the phone's file picker; the service reads the file's first bytes.
    proof = forms.FileField(
        label=_("Signed form (scan or photo)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp,image/heic"}),
    )
    signed_name = forms.CharField(label=_("Name as signed on the screen"), required=False, max_length=200)
    witness_name = forms.CharField(label=_("Witness (for an oral consent)"), required=False, max_length=200)
    explanation_language = forms.ChoiceField(label=_("Explained in"))
    interpreter_used = forms.BooleanField(label=_("With an interpreter"), required=False)
    interpreter_name = forms.CharField(label=_("Interpreter or service"), required=False, max_length=200)
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: %(months)s months.") % {"months": settings.MAILLAGE_CONSENT_DEFAULT_MONTHS},
    )

    def __init__(self, *args, organisations=(), domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language() or "fr"
        self.fields["recipients"].choices = [(str(o.public_id), o.name) for o in organisations]
        self.fields["domains"].choices = [(d.code, d.label(language)) for d in domains]
        self.fields["explanation_language"].choices = language_choices(language)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}))
    recipients = forms.MultipleChoiceField(
        label=_("Only for these organisations (none ticked: all)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    domains = forms.MultipleChoiceField(
        label=_("Only for these needs (none ticked: all)"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, consent=None, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language() or "fr"
        self.fields["recipients"].choices = [(str(o.public_id), o.name) for o in consent.recipients.all()]
        self.fields["domains"].choices = [(d.code, d.label(language)) for d in consent.domains.all()]
