"""Forms of the directory pages. They only shape input; services validate and write."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from directory import search
from directory.models import (
    Access,
    CapacityStatus,
    Cost,
    OrganisationKind,
    ResidenceStatus,
    Weekday,
)
from directory.services import (
    OfferInput,
    OrganisationInput,
    PlaceInput,
    Slot,
    offer_input_errors,
    organisation_input_errors,
)
from maillage.forms import TokenLifetimeForm, add_service_errors, filled_data, textarea_field
from maillage.languages import language_choices
from maillage.uploads import size_refusal
from maillage.widgets import QuickSelect

SLOTS_PER_DAY = 2


def _domain_choices(domains) -> list[tuple[str, str]]:
    language = get_language()
    return [(d.code, d.label(language)) for d in domains]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=search.MAX_QUERY_LENGTH)
    domain = forms.ChoiceField(label=_("Need domain"), required=False, widget=QuickSelect)
    language = forms.ChoiceField(label=_("Language"), required=False, widget=QuickSelect)
    status = forms.ChoiceField(
        label=_("Public"), required=False, choices=[("", _("Any")), *list(ResidenceStatus.choices)]
    )
    capacity = forms.ChoiceField(
        label=_("Capacity"), required=False, choices=[("", _("Any")), *list(CapacityStatus.choices)]
    )
    organisation_kind = forms.ChoiceField(
        label=_("Kind of organisation"), required=False, choices=[("", _("Any")), *list(OrganisationKind.choices)]
    )
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    no_appointment = forms.BooleanField(label=_("No appointment needed"), required=False)
    organisation = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [("", _("Any")), *_domain_choices(domains)]
        self.fields["language"].choices = [("", _("Any")), *language_choices(get_language() or "fr")]


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_nl = forms.CharField(
        label=_("Name in Dutch"),
        required=False,
        max_length=200,
        help_text=_("Where the organisation has an official Dutch name too (Brussels)."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    enterprise_number = forms.CharField(
        label=_("Enterprise number (BCE/KBO)"), required=False, max_length=20, help_text=_("e.g. 0403.019.261")
    )
    is_member = forms.BooleanField(label=_("Member of the coordination"), required=False)
    description = textarea_field(_("Description"), rows=4)
    street = forms.CharField(label=_("Street and number"), required=False, max_length=200)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=4)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    staff_languages = forms.MultipleChoiceField(
        label=_("Languages spoken by the staff"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )

    def __init__(self, *args, can_decide_membership=False, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["staff_languages"].choices = language_choices(get_language() or "fr")
        if not can_decide_membership:
            self.fields["is_member"].disabled = True

    def to_input(self) -> OrganisationInput:
        return OrganisationInput(**self.cleaned_data)

    def clean(self):
        """The service's objections join the fields' own: one submit shows every problem."""
        cleaned = super().clean()
        data = OrganisationInput(**filled_data(self))
        add_service_errors(self, organisation_input_errors(data, existing=self.organisation))
        return cleaned


class OfferForm(forms.Form):
    # The French fields keep their plain names (the service's input names them so).
    title = forms.CharField(label=_("Title in French"), required=False, max_length=200)
    description = textarea_field(_("Description in French"), rows=4)
    title_nl = forms.CharField(label=_("Title in Dutch"), required=False, max_length=200)
    description_nl = textarea_field(_("Description in Dutch"), rows=4)
    title_en = forms.CharField(label=_("Title in English"), required=False, max_length=200)
    description_en = textarea_field(_("Description in English"), rows=4)
    primary_domain = forms.ChoiceField(label=_("Main need domain"))
    secondary_domains = forms.MultipleChoiceField(
        label=_("Other need domains"), required=False, widget=forms.CheckboxSelectMultiple
    )
    target_statuses = forms.MultipleChoiceField(
        label=_("Public (statuses)"),
        required=False,
        choices=ResidenceStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: open to everyone."),
    )
    age_min = forms.IntegerField(label=_("Minimum age"), required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("Maximum age"), required=False, min_value=0, max_value=120)
    eligibility = textarea_field(_("Other eligibility conditions"), rows=2)
    languages = forms.MultipleChoiceField(
        label=_("Languages the service is given in"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    interpretation_available = forms.BooleanField(label=_("Interpretation available"), required=False)
    street = forms.CharField(label=_("Street and number"), required=False, max_length=200)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=4)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    is_online = forms.BooleanField(label=_("Online"), required=False)
    online_url = forms.URLField(label=_("Online address"), required=False, assume_scheme="https")
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    schedule_notes = textarea_field(_("Notes on opening hours"), rows=2)
    capacity_status = forms.ChoiceField(label=_("Capacity"), choices=CapacityStatus.choices)
    waiting_weeks = forms.IntegerField(label=_("Waiting time (weeks)"), required=False, min_value=0, max_value=104)
    cost = forms.ChoiceField(label=_("Cost"), choices=Cost.choices)
    cost_note = forms.CharField(label=_("Cost details"), required=False, max_length=200)
    access = forms.ChoiceField(label=_("Access"), choices=Access.choices)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    confirm_ended = forms.BooleanField(
        label=_("The offer has ended: hide it from the directory"),
        required=False,
        help_text=_("Tick it to save an end date that is already past."),
    )

    def __init__(self, *args, domains=(), offer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer
        # The page edits one place and two slots a day; an offer with more keeps the rest.
        self.kept_places, self.kept_slots = [], []
        if offer is not None:
            self.kept_places = [
                PlaceInput(street=p.street, postcode=p.postcode, city=p.city, name=p.name)
                for p in list(offer.locations.all())[1:]
            ]
            seen: dict[int, int] = {}
            for slot in offer.opening_hours.all():
                seen[slot.weekday] = seen.get(slot.weekday, 0) + 1
                if seen[slot.weekday] > SLOTS_PER_DAY:
                    self.kept_slots.append(Slot(slot.weekday, slot.opens_at, slot.closes_at))
        for code, *names in self.TEXT_FIELDS:
            for name in names:
                self.fields[name].widget.attrs["lang"] = code
        choices = _domain_choices(domains)
        self.fields["primary_domain"].choices = choices
        self.fields["secondary_domains"].choices = choices
        self.fields["languages"].choices = language_choices(get_language() or "fr")
        for day in Weekday:
            for n in range(1, SLOTS_PER_DAY + 1):
                for edge, label in (("open", _("opens")), ("close", _("closes"))):
                    self.fields[f"day{day.value}_{n}_{edge}"] = forms.TimeField(
                        label=f"{day.label} {n} — {label}",
                        required=False,
                        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                    )

    def schedule_rows(self):
        """[(day label, [(opens field, closes field), …]), …] for the template's grid."""
        return [
            (
                day.label,
                [
                    (self[f"day{day.value}_{n}_open"], self[f"day{day.value}_{n}_close"])
                    for n in range(1, SLOTS_PER_DAY + 1)
                ],
            )
            for day in Weekday
        ]

    TEXT_FIELDS = (
        ("fr", "title", "description"),
        ("nl", "title_nl", "description_nl"),
        ("en", "title_en", "description_en"),
    )

    def text_fields(self):
        """The title and description in each language, the French version first."""
        return [self[name] for _code, *names in self.TEXT_FIELDS for name in names]

    def main_fields(self):
        texts = {name for _code, *names in self.TEXT_FIELDS for name in names}
        return [self[name] for name in self.fields if not name.startswith("day") and name not in texts]

    def clean(self):
        data = super().clean()
        for day in Weekday:
            for n in range(1, SLOTS_PER_DAY + 1):
                opens, closes = data.get(f"day{day.value}_{n}_open"), data.get(f"day{day.value}_{n}_close")
                if bool(opens) != bool(closes):
                    self.add_error(f"day{day.value}_{n}_close", _("Give both the opening and the closing time."))
        # The service's objections join the fields' own: one submit shows every problem.
        kept_until = self.offer.valid_until if self.offer is not None else None
        errors = offer_input_errors(self.to_input(filled_data(self)), kept_until=kept_until)
        add_service_errors(self, errors)
        return data

    def to_input(self, data: dict | None = None) -> OfferInput:
        data = self.cleaned_data if data is None else data
        slots = []
        for day in Weekday:
            for n in range(1, SLOTS_PER_DAY + 1):
                opens, closes = data.get(f"day{day.value}_{n}_open"), data.get(f"day{day.value}_{n}_close")
                if opens and closes:
                    slots.append(Slot(weekday=day.value, opens_at=opens, closes_at=closes))
        places = []
        if data["street"] or data["postcode"] or data["city"]:
            places.append(PlaceInput(street=data["street"], postcode=data["postcode"], city=data["city"]))
        places += self.kept_places
        slots += self.kept_slots
        return OfferInput(
            title=data["title"],
            description=data["description"],
            title_nl=data["title_nl"],
            title_en=data["title_en"],
            description_nl=data["description_nl"],
            description_en=data["description_en"],
            primary_domain=data["primary_domain"],
            secondary_domains=data["secondary_domains"],
            target_statuses=data["target_statuses"],
            age_min=data["age_min"],
            age_max=data["age_max"],
            eligibility=data["eligibility"],
            languages=data["languages"],
            interpretation_available=data["interpretation_available"],
            places=places,
            is_online=data["is_online"],
            online_url=data["online_url"],
            phone=data["phone"],
            opening_hours=slots,
            schedule_notes=data["schedule_notes"],
            capacity_status=data["capacity_status"],
            waiting_weeks=data["waiting_weeks"],
            cost=data["cost"],
            cost_note=data["cost_note"],
            access=data["access"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            confirm_ended=data["confirm_ended"],
        )

    @classmethod
    def initial_from(cls, offer) -> dict:
        initial = {
            name: getattr(offer, name)
            for name in (
                "title_nl",
                "title_en",
                "description_nl",
                "description_en",
                "target_statuses",
                "age_min",
                "age_max",
                "eligibility",
                "languages",
                "interpretation_available",
                "is_online",
                "online_url",
                "phone",
                "schedule_notes",
                "capacity_status",
                "waiting_weeks",
                "cost",
                "cost_note",
                "access",
                "valid_from",
                "valid_until",
            )
        }
        initial["title"] = offer.title_fr
        initial["description"] = offer.description_fr
        initial["primary_domain"] = offer.primary_domain.code
        initial["secondary_domains"] = [d.code for d in offer.secondary_domains.all()]
        place = next(iter(offer.locations.all()), None)
        if place:
            initial.update(street=place.street, postcode=place.postcode, city=place.city)
        counts: dict[int, int] = {}
        for slot in offer.opening_hours.all():
            counts[slot.weekday] = counts.get(slot.weekday, 0) + 1
            n = counts[slot.weekday]
            if n <= SLOTS_PER_DAY:
                initial[f"day{slot.weekday}_{n}_open"] = slot.opens_at
                initial[f"day{slot.weekday}_{n}_close"] = slot.closes_at
        return initial


class NeedDomainForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40, help_text=_("Lowercase letters, digits and _"))
    label_fr = forms.CharField(label=_("Label in French"), max_length=120)
    label_nl = forms.CharField(label=_("Label in Dutch"), max_length=120)
    label_en = forms.CharField(label=_("Label in English"), max_length=120)


class ThesaurusEntryForm(forms.Form):
    terms = forms.CharField(
        label=_("Terms that mean the same"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line: an abbreviation, its names in French and Dutch, the English words people use."),
    )
    domains = forms.MultipleChoiceField(
        label=_("Need domains they point to"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domains"].choices = _domain_choices(domains)

    def clean_terms(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["terms"].splitlines() if line.strip()]


class ImportForm(forms.Form):
    FORMATS = [("csv", _("CSV (one offer per row)")), ("hsds", _("Open Referral HSDS 3.0 (JSON)"))]

    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, widget=forms.RadioSelect, initial="csv")
    file = forms.FileField(label=_("File"))
    dry_run = forms.BooleanField(label=_("Check only, store nothing"), required=False, initial=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        refusal = size_refusal(upload)
        if refusal:
            raise forms.ValidationError(refusal)
        return upload


class HarvestingTokenForm(TokenLifetimeForm):
    label = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("Who harvests with it, e.g. the regional social map.")
    )
    field_order = ["label", "days"]
