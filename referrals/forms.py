"""Forms for persons and consents. They shape input; services validate and write."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from consent.models import ConsentMethod, DataCategory
from directory.languages import language_choices
from directory.models import ResidenceStatus
from referrals.models import LanguageLevel, Literacy, Relation
from referrals.services import PersonInput


def _blank(choices):
    return [("", "—"), *choices]


class PersonForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    birth_year = forms.IntegerField(label=_("Birth year (if the date is unknown)"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), required=False)
    french_level = forms.ChoiceField(label=_("French level"), required=False, choices=_blank(LanguageLevel.choices))
    dutch_level = forms.ChoiceField(label=_("Dutch level"), required=False, choices=_blank(LanguageLevel.choices))
    literacy = forms.ChoiceField(label=_("Literacy"), required=False, choices=_blank(Literacy.choices))
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    interpreter_language = forms.ChoiceField(label=_("Interpreter for which language"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_blank(ResidenceStatus.choices))
    commune_registration_date = forms.DateField(
        label=_("Registered in the commune on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    programme_registration_date = forms.DateField(
        label=_("Registered in the integration programme on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    national_number = forms.CharField(
        label=_("National register number (optional)"),
        required=False,
        max_length=20,
        help_text=_("Stored encrypted; never shown in lists or exports."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = language_choices(get_language() or "fr")
        self.fields["languages"].choices = choices
        self.fields["preferred_language"].choices = _blank(choices)
        self.fields["interpreter_language"].choices = _blank(choices)

    def to_input(self, *, keep_national_number: bool = False) -> PersonInput:
        data = dict(self.cleaned_data)
        number = data.pop("national_number", "")
        if keep_national_number and not number:
            number = None
        return PersonInput(**data, national_number=number)


class ConsentForm(forms.Form):
    recipients = forms.MultipleChoiceField(label=_("Shared with"), widget=forms.CheckboxSelectMultiple, required=False)
    domains = forms.MultipleChoiceField(label=_("For these needs"), widget=forms.CheckboxSelectMultiple, required=False)
    categories = forms.MultipleChoiceField(
        label=_("Data shared"), choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    method = forms.ChoiceField(label=_("How it was given"), choices=ConsentMethod.choices, widget=forms.RadioSelect)
    proof = forms.FileField(label=_("Signed form (scan or photo)"), required=False)
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


class HouseholdForm(forms.Form):
    household = forms.ChoiceField(label=_("Household"), required=False)
    new_name = forms.CharField(label=_("Or a new household named"), required=False, max_length=120)
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].choices = [("", "—"), *[(str(h.public_id), h.name) for h in households]]
