"""Forms to record and withdraw a consent. They shape input; services validate and write."""

from datetime import datetime, time

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from consent.models import ConsentMethod, DataCategory
from consent.services import ConsentInput, consent_input_errors
from maillage.languages import language_choices


class ConsentForm(forms.Form):
    recipients = forms.MultipleChoiceField(label=_("Shared with"), widget=forms.CheckboxSelectMultiple, required=False)
    recipients_elsewhere = forms.MultipleChoiceField(
        label=_("Shared with an organisation of another coordination (the family moves there)"),
        required=False,
        help_text=_("Its file can then be handed over to that organisation, if it accepts."),
    )
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

    def __init__(self, *args, organisations=(), domains=(), elsewhere=(), **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language() or "fr"
        self.fields["recipients"].choices = [(str(o.public_id), o.name) for o in organisations]
        self.fields["recipients_elsewhere"].choices = list(elsewhere)
        self.fields["domains"].choices = [(d.code, d.label(language)) for d in domains]
        self.fields["explanation_language"].choices = language_choices(language)

    # The service names its fields after the record; the form after what the worker picks.
    SERVICE_FIELDS = {"expires_at": "expires_on", "given_at": None}

    def to_input(self) -> ConsentInput:
        data = self.cleaned_data
        expires = data.get("expires_on")
        return ConsentInput(
            recipients=data.get("recipients") or [],
            recipients_elsewhere=data.get("recipients_elsewhere") or [],
            domains=data.get("domains") or [],
            categories=data.get("categories") or [],
            purpose=data.get("purpose") or "",
            method=data.get("method") or "",
            proof=data.get("proof"),
            signed_name=data.get("signed_name") or "",
            witness_name=data.get("witness_name") or "",
            explanation_language=data.get("explanation_language") or "",
            interpreter_used=bool(data.get("interpreter_used")),
            interpreter_name=data.get("interpreter_name") or "",
            expires_at=timezone.make_aware(datetime.combine(expires, time(23, 59))) if expires else None,
        )

    def clean(self):
        """Adds the service's objections to the fields' own, so that one submit shows every
        problem; a field that already has an error keeps only that one."""
        cleaned = super().clean()
        for name, messages in consent_input_errors(self.to_input()).items():
            field = self.SERVICE_FIELDS.get(name, name)
            field = field if field in self.fields else None
            if field is not None and field in self.errors:
                continue
            for message in messages:
                self.add_error(field, message)
        return cleaned


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
