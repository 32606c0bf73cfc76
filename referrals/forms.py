"""Forms of the referral pages. They shape input; the referral services validate and write
(a missing organisation, domain, reason or consent is the service's message)."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from referrals.models import CLOSED_STATUSES, DeclineReason, NotCompletedReason, Outcome, ReferralStatus, Urgency
from referrals.selectors import CLOSED, OPEN
from referrals.services import ReferralInput


def _blank(choices):
    return [("", "—"), *choices]


class ReferralFilterForm(forms.Form):
    """The filters of the inbox and the outbox, as a GET form: the tab (open or closed)
    rides along as a hidden field, so that filtering keeps it and the tabs keep the
    filters."""

    state = forms.ChoiceField(
        choices=[(OPEN, _("Open")), (CLOSED, _("Closed"))], required=False, widget=forms.HiddenInput
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    domain = forms.ChoiceField(label=_("Need domain"), required=False)
    overdue = forms.BooleanField(label=_("Answer overdue only"), required=False)
    q = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=40,
        help_text=_("As read on the slip or over the phone, e.g. SCH-2026-0042, or part of it."),
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)

    def __init__(self, *args, domains=(), include_drafts=True, state=OPEN, assignable=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not assignable:
            del self.fields["mine"]
        language = get_language() or "fr"
        in_tab = CLOSED_STATUSES if state == CLOSED else [s for s in ReferralStatus if s not in CLOSED_STATUSES]
        statuses = [(value, label) for value, label in ReferralStatus.choices if value in in_tab]
        if not include_drafts:
            statuses = [(value, label) for value, label in statuses if value != ReferralStatus.DRAFT]
        self.fields["status"].choices = _blank(statuses)
        self.fields["domain"].choices = _blank([(d.code, d.label(language)) for d in domains])


def consent_label(consent) -> str:
    recipients = ", ".join(o.name for o in consent.recipients.all())
    domains = ", ".join(d.label() for d in consent.domains.all())
    return _("Version %(version)s, until %(until)s — shared with %(recipients)s — for %(domains)s") % {
        "version": consent.version,
        "until": date_format(timezone.localdate(consent.expires_at), "SHORT_DATE_FORMAT"),
        "recipients": recipients or "—",
        "domains": domains or "—",
    }


class OfferSelect(forms.Select):
    """The offers grouped by organisation; each option names its organisation's id, so that
    the page's script (referrals/offer-filter.js) can choose the organisation with the offer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_of: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.organisation_of:
            option["attrs"]["data-organisation"] = self.organisation_of[str(value)]
        return option


class ReferForm(forms.Form):
    to_organisation = forms.ChoiceField(label=_("Refer to"), required=False)
    to_offer = forms.ChoiceField(
        label=_("Offer (optional)"),
        required=False,
        help_text=_("An offer of the organisation chosen above. The offers are grouped by organisation."),
        widget=OfferSelect(attrs={"data-offer-filter": ""}),
    )
    domains = forms.MultipleChoiceField(label=_("Need domains"), required=False, widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(
        label=_("Why you refer the person"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    expectation = forms.CharField(
        label=_("What you expect from the organisation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL, widget=forms.RadioSelect
    )
    appointment_date = forms.DateField(
        label=_("Appointment date (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    appointment_time = forms.TimeField(
        label=_("Appointment time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    appointment_place = forms.CharField(
        label=_("Appointment place"),
        required=False,
        max_length=200,
        help_text=_("Empty: the address of the offer or of the organisation."),
    )
    consent = forms.ChoiceField(
        label=_("Under the consent"),
        required=False,
        help_text=_("The person's consents in force. It must name the organisation and cover the need domains."),
    )

    def __init__(self, *args, organisations=(), offers=(), domains=(), consents=(), unavailable=None, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language() or "fr"
        self._organisations = {str(o.public_id): o for o in organisations}
        self._offers = {str(o.public_id): o for o in offers}
        self._consents = {str(c.public_id): c for c in consents}
        # {organisation pk: charter version} it has not adopted, so cannot receive.
        unavailable = unavailable or {}
        self.fields["to_organisation"].choices = _blank(
            [
                (
                    key,
                    _("%(name)s (cannot receive: charter version %(version)s not adopted)")
                    % {"name": o.shown_name(language), "version": unavailable[o.pk]}
                    if o.pk in unavailable
                    else o.shown_name(language),
                )
                for key, o in self._organisations.items()
            ]
        )
        grouped: dict[str, list] = {}
        for key, offer in self._offers.items():
            grouped.setdefault(offer.organisation.shown_name(language), []).append(
                (key, offer.shown_title(language).text)
            )
        self.fields["to_offer"].choices = _blank(
            [(name, sorted(choices, key=lambda choice: choice[1].lower())) for name, choices in sorted(grouped.items())]
        )
        self.fields["to_offer"].widget.attrs.update(
            {"data-filter-label": _("Find an offer"), "data-filter-count": _("Offers shown: %s")}
        )
        self.fields["to_offer"].widget.organisation_of = {
            key: str(offer.organisation.public_id) for key, offer in self._offers.items()
        }
        self.fields["domains"].choices = [(d.code, d.label(language)) for d in domains]
        self.fields["consent"].choices = _blank([(key, consent_label(c)) for key, c in self._consents.items()])

    def clean(self):
        data = super().clean()
        day, hour = data.get("appointment_date"), data.get("appointment_time")
        if (
            bool(day) != bool(hour)
            and not self.errors.get("appointment_date")
            and not self.errors.get("appointment_time")
        ):
            self.add_error(
                "appointment_time" if day else "appointment_date",
                _("Give both the date and the time of the appointment, or neither."),
            )
        return data

    def appointment_at(self) -> datetime | None:
        day, hour = self.cleaned_data.get("appointment_date"), self.cleaned_data.get("appointment_time")
        if not (day and hour):
            return None
        return timezone.make_aware(datetime.combine(day, hour))

    def to_input(self, person, data: dict | None = None) -> ReferralInput:
        data = self.cleaned_data if data is None else data
        return ReferralInput(
            person=person,
            to_organisation=self._organisations.get(data["to_organisation"]),
            to_offer=self._offers.get(data["to_offer"]),
            domains=list(data["domains"]),
            reason=data["reason"],
            expectation=data["expectation"],
            urgency=data["urgency"],
            consent=self._consents.get(data["consent"]),
            appointment_at=self.appointment_at(),
            appointment_place=data["appointment_place"],
        )


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), required=False, choices=_blank(DeclineReason.choices))
    note = forms.CharField(
        label=_("Note for the sender"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=_blank(Outcome.choices))
    note = forms.CharField(
        label=_("Note for the sender"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class NotCompleteForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), required=False, choices=_blank(NotCompletedReason.choices))
    note = forms.CharField(
        label=_("Note for the sender"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProposeForm(forms.Form):
    """Another appointment, instead of the referral's (the service refuses one in the past)."""

    appointment_date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    appointment_time = forms.TimeField(
        label=_("Appointment time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = forms.CharField(
        label=_("Appointment place"),
        required=False,
        max_length=200,
        help_text=_("Empty: the address of the offer or of the organisation."),
    )
    note = forms.CharField(
        label=_("Note for the sender"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        day, hour = data.get("appointment_date"), data.get("appointment_time")
        data["appointment_at"] = timezone.make_aware(datetime.combine(day, hour)) if day and hour else None
        if bool(day) != bool(hour) and not self.errors:
            self.add_error(
                "appointment_time" if day else "appointment_date",
                _("Give both the date and the time of the appointment."),
            )
        return data


class DeclineProposalForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the organisation"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


# The actions that take input; the form's prefix is the action's name (one page holds them all).
ACTION_FORMS = {
    "decline": DeclineForm,
    "complete": CompleteForm,
    "not-complete": NotCompleteForm,
    "propose": ProposeForm,
    "decline-proposal": DeclineProposalForm,
}
