"""Forms of the support plan's pages. They shape input; the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import Weekday
from maillage.forms import add_service_errors, filled_data
from plans.models import AssessmentKind, CommitmentStatus
from plans.services import (
    AssessmentInput,
    CommitmentInput,
    ItemInput,
    PiisInput,
    ReviewInput,
    assessment_errors,
    commitment_errors,
    piis_errors,
)

# An assessment is written a few need domains at a time: each slot is one domain.
ITEM_SLOTS = 3
DATE = {"type": "date"}
TIME = {"type": "time"}


def _domain_choices(domains, blank: bool = False):
    choices = [(d.code, d.label()) for d in domains]
    return [("", "—"), *choices] if blank else choices


class AssessmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of assessment"), choices=AssessmentKind.choices)
    assessed_on = forms.DateField(label=_("Assessed on"), widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        for slot in range(1, ITEM_SLOTS + 1):
            values = {"number": slot}
            self.fields[f"domain_{slot}"] = forms.ChoiceField(
                label=_("Need domain %(number)s") % values,
                choices=_domain_choices(domains, blank=True),
                required=slot == 1,
            )
            self.fields[f"situation_{slot}"] = forms.CharField(
                label=_("Situation (need domain %(number)s)") % values,
                required=False,
                widget=forms.Textarea({"rows": 3}),
            )
            self.fields[f"wishes_{slot}"] = forms.CharField(
                label=_("What the person wants (need domain %(number)s)") % values,
                required=False,
                widget=forms.Textarea({"rows": 2}),
            )
            self.fields[f"agreed_{slot}"] = forms.CharField(
                label=_("What is agreed (need domain %(number)s)") % values,
                required=False,
                widget=forms.Textarea({"rows": 2}),
            )

    def clean(self):
        """The service's objections join the fields' own: one submit shows every problem."""
        cleaned = super().clean()
        add_service_errors(self, assessment_errors(self.to_input(filled_data(self))))
        return cleaned

    def to_input(self, data: dict | None = None) -> AssessmentInput:
        data = self.cleaned_data if data is None else data
        items = [
            ItemInput(
                domain=data[f"domain_{slot}"],
                situation=data[f"situation_{slot}"],
                wishes=data[f"wishes_{slot}"],
                agreed=data[f"agreed_{slot}"],
            )
            for slot in range(1, ITEM_SLOTS + 1)
            if data.get(f"domain_{slot}")
        ]
        return AssessmentInput(kind=data["kind"], assessed_on=data["assessed_on"], items=items)


class CommitmentForm(forms.Form):
    what = forms.CharField(label=_("What"), max_length=300)
    owner = forms.ChoiceField(label=_("Carried out by"))
    domain = forms.ChoiceField(label=_("Need domain"))
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs=DATE))
    ends_on = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs=DATE))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for a single day."),
    )
    starts_at = forms.TimeField(label=_("From (hour)"), required=False, widget=forms.TimeInput(attrs=TIME))
    ends_at = forms.TimeField(label=_("Until (hour)"), required=False, widget=forms.TimeInput(attrs=TIME))
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices, initial=CommitmentStatus.PLANNED)

    def __init__(self, *args, domains, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.public_id): o for o in organisations}
        self.fields["owner"].choices = [(key, o.name) for key, o in self.organisations.items()]
        self.fields["domain"].choices = _domain_choices(domains)

    def clean(self):
        """The service's objections join the fields' own: one submit shows every problem."""
        cleaned = super().clean()
        add_service_errors(self, commitment_errors(self.to_input(filled_data(self))))
        return cleaned

    def to_input(self, data: dict | None = None) -> CommitmentInput:
        data = self.cleaned_data if data is None else data
        return CommitmentInput(
            owner=self.organisations.get(data["owner"]),
            domain=data["domain"],
            what=data["what"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            weekdays=data["weekdays"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            status=data["status"],
        )


class CommitmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)


class PiisForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs=DATE))
    objectives = forms.CharField(label=_("Objectives"), widget=forms.Textarea({"rows": 4}))
    includes_programme = forms.BooleanField(label=_("Includes the integration programme"), required=False)
    reviewed_on = forms.DateField(label=_("Last reviewed on"), required=False, widget=forms.DateInput(attrs=DATE))
    next_review_on = forms.DateField(label=_("Next review on"), required=False, widget=forms.DateInput(attrs=DATE))
    domain = forms.ChoiceField(label=_("Need domain"))

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = _domain_choices(domains)

    def clean(self):
        """The service's objections join the fields' own: one submit shows every problem."""
        cleaned = super().clean()
        add_service_errors(self, piis_errors(PiisInput(**filled_data(self))))
        return cleaned

    def to_input(self) -> PiisInput:
        return PiisInput(**self.cleaned_data)


class PiisReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=forms.DateInput(attrs=DATE))
    next_review_on = forms.DateField(label=_("Next review on"), required=False, widget=forms.DateInput(attrs=DATE))


class ReviewForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs=DATE))
    in_person = forms.BooleanField(label=_("In person"), required=False, initial=True)
    person_present = forms.BooleanField(label=_("The person took part"), required=False, initial=True)
    participants = forms.MultipleChoiceField(
        label=_("Participating organisations"), required=False, widget=forms.CheckboxSelectMultiple
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("One decision per line."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.public_id): o for o in organisations}
        self.fields["participants"].choices = [(key, o.name) for key, o in self.organisations.items()]

    def to_input(self) -> ReviewInput:
        data = self.cleaned_data
        return ReviewInput(
            held_on=data["held_on"],
            in_person=data["in_person"],
            person_present=data["person_present"],
            participants=[self.organisations[key] for key in data["participants"]],
            decisions=[line for line in data["decisions"].splitlines() if line.strip()],
        )


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea({"rows": 2}))
