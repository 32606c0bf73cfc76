"""Forms for persons and households. They shape input; services validate and write."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from directory.models import ResidenceStatus
from maillage.languages import grouped_language_choices
from persons.models import LanguageLevel, Literacy, Relation
from persons.selectors import NAME_QUERY_MAX_LENGTH
from persons.services import PersonInput, person_input_errors


def _blank(choices):
    return [("", "—"), *choices]


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=NAME_QUERY_MAX_LENGTH)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class PersonForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    birth_year = forms.IntegerField(label=_("Birth year (if the date is unknown)"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        required=False,
        help_text=_("The languages of the public come first; type a name to find any other."),
        widget=forms.SelectMultiple(
            attrs={
                "size": 10,
                # language-picker.js turns it into a searchable choice; these are its words.
                "data-language-picker": "",
                "data-chosen": _("Languages chosen"),
                "data-remove": _("Remove %s"),
                "data-added": _("%s added"),
                "data-removed": _("%s removed"),
                "data-none": _("No language by that name"),
            }
        ),
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
        choices = grouped_language_choices(get_language() or "fr")
        self.fields["languages"].choices = choices
        self.fields["preferred_language"].choices = _blank(choices)
        self.fields["interpreter_language"].choices = _blank(choices)

    def to_input(self, *, keep_national_number: bool = False) -> PersonInput:
        data = dict(self.cleaned_data)
        number = data.pop("national_number", "")
        if keep_national_number and not number:
            number = None
        return PersonInput(**data, national_number=number)

    def clean(self):
        """Adds the service's objections to the fields' own, so that one submit shows every
        problem; a field that already has an error keeps only that one."""
        cleaned = super().clean()
        defaults = PersonInput(given_name="", family_name="")
        values = {name: cleaned.get(name, getattr(defaults, name)) for name in self.fields}
        values["languages"] = values["languages"] or []
        values["national_number"] = values["national_number"] or None
        for name, messages in person_input_errors(PersonInput(**values)).items():
            if name in self.errors:
                continue
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        return cleaned


class HouseholdForm(forms.Form):
    household = forms.ChoiceField(label=_("Household"), required=False)
    new_name = forms.CharField(label=_("Or a new household named"), required=False, max_length=120)
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].choices = [("", "—"), *[(str(h.public_id), h.name) for h in households]]
