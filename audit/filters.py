"""The filters of the audit trail, read from a query string: the same for the page, its CSV
export and the API, so the three always show the same rows."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent

ACTION_PATTERN = re.compile(r"^[a-z_]+(\.[a-z_]+)?$")
# A person is named on the page by the first characters of their public id; a filter
# takes those (at least four) or the whole id.
PERSON_PATTERN = re.compile(r"^[0-9a-f-]{4,36}$")
SHORT_ID_LENGTH = 8


def short_id(public_id) -> str:
    return str(public_id)[:SHORT_ID_LENGTH]


class AuditFilterForm(forms.Form):
    """Every field is optional. `actor` and `organisation` are public ids; `action` is a
    code (`referral.read`) or a family (`referral`); `person` the start of a public id."""

    actor = forms.UUIDField(label=_("Who"), required=False, widget=forms.Select)
    organisation = forms.UUIDField(label=_("Organisation"), required=False, widget=forms.Select)
    action = forms.CharField(label=_("What"), required=False, max_length=64, widget=forms.Select)
    person = forms.CharField(label=_("Person"), required=False, max_length=36)
    since = forms.DateField(label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean_action(self) -> str:
        action = self.cleaned_data["action"].strip()
        if action and not ACTION_PATTERN.match(action):
            raise forms.ValidationError(_("Give an action code such as referral.read, or a family such as referral."))
        return action

    def clean_person(self) -> str:
        # The reference as the page shows it ("S.D. 3f2a9c1b") is taken too: its last word.
        words = self.cleaned_data["person"].split()
        person = words[-1].lower() if words else ""
        if person and not PERSON_PATTERN.match(person):
            raise forms.ValidationError(
                _("Give the person's reference as shown in the trail (at least four characters).")
            )
        return person

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date comes before the start date."))
        return cleaned

    def filters(self) -> "AuditFilters":
        """The valid filters (call after is_valid())."""
        data = self.cleaned_data
        return AuditFilters(
            actor=data.get("actor"),
            organisation=data.get("organisation"),
            action=data.get("action", ""),
            person=data.get("person", ""),
            since=data.get("since"),
            until=data.get("until"),
        )


@dataclass(frozen=True)
class AuditFilters:
    actor: object = None
    organisation: object = None
    action: str = ""
    person: str = ""
    since: date | None = None
    until: date | None = None

    def apply(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if self.actor:
            events = events.filter(actor__public_id=self.actor)
        if self.organisation:
            events = events.filter(organisation_public_id=self.organisation)
        if self.action:
            if "." in self.action:
                events = events.filter(action=self.action)
            else:
                events = events.filter(action__startswith=f"{self.action}.")
        if self.person:
            if len(self.person.replace("-", "")) == 32:
                events = events.filter(person_public_id=self.person)
            else:
                events = events.filter(person_public_id__startswith=self.person)
        if self.since:
            events = events.filter(occurred_at__gte=_midnight(self.since))
        if self.until:
            events = events.filter(occurred_at__lt=_midnight(self.until + timedelta(days=1)))
        return events

    def as_detail(self) -> dict:
        """The filters as an audit event's detail: ids, codes and dates only."""
        values = {
            "actor": str(self.actor) if self.actor else "",
            "organisation": str(self.organisation) if self.organisation else "",
            "action": self.action,
            "person": self.person,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {name: value for name, value in values.items() if value}


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())
