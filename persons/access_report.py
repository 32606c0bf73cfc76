"""The access report (GDPR article 15): the data kept on a person, every organisation and
account that read or changed it (from the audit trail), and the consents the person gave.

Labels are in the language active when the report is built: build it inside
`translation.override` to print it in the person's language.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.fields import ArrayField
from django.db.models import Count, Max, Min
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event
from consent.models import ConsentState, DataCategory
from consent.selectors import consents_of
from directory.selectors import organisation_names
from maillage.actor import Actor
from maillage.errors import Forbidden
from maillage.hooks import hooks
from maillage.languages import language_name
from persons import policies
from persons.models import PERSONAL_FIELDS, Person
from tenants.models import User

# What the person reads, in the order it is printed. The audit actions behind each kind
# are below; an action not listed falls under the closest kind by its name.
KINDS = {
    "opened": gettext_lazy("Opened the file"),
    "listed": gettext_lazy("Saw the name in a list"),
    "read": gettext_lazy("Read the file"),
    "changed": gettext_lazy("Changed the file"),
    "closed": gettext_lazy("Closed the file"),
    "consent_recorded": gettext_lazy("Recorded a consent"),
    "consent_withdrawn": gettext_lazy("Withdrew a consent"),
    "consent_expired": gettext_lazy("Closed the referrals of a consent past its end date"),
    "plan_read": gettext_lazy("Read the support plan"),
    "plan_changed": gettext_lazy("Wrote in the support plan"),
    "printed": gettext_lazy("Printed a document"),
    "access_report": gettext_lazy("Produced an access report"),
    "anonymised": gettext_lazy("Anonymised the file"),
    "proof_purged": gettext_lazy("Deleted a signed form at the end of its retention period"),
    "other": gettext_lazy("Other action"),
}
ACTION_KINDS = {
    "person.created": "opened",
    "person.listed": "listed",
    "person.read": "read",
    "person.updated": "changed",
    "person.closed": "closed",
    "person.access_report": "access_report",
    "person.anonymised": "anonymised",
    "consent.recorded": "consent_recorded",
    "consent.new_version": "consent_recorded",
    "consent.withdrawn": "consent_withdrawn",
    "consent.withdrawn_in_part": "consent_withdrawn",
    "consent.expired": "consent_expired",
    "consent.proof_purged": "proof_purged",
    "plan.read": "plan_read",
    "plan.created": "plan_changed",
    "plan.assessment_added": "plan_changed",
    "plan.commitment_added": "plan_changed",
    "plan.commitment_status_set": "plan_changed",
    "plan.piis_recorded": "plan_changed",
    "plan.piis_reviewed": "plan_changed",
    "plan.review_held": "plan_changed",
    "plan.decision_added": "plan_changed",
    "plan.anonymised": "anonymised",
}


def action_kind(action: str) -> str:
    if action in ACTION_KINDS:
        return ACTION_KINDS[action]
    verb = action.rpartition(".")[2]
    if "print" in verb:
        return "printed"
    if verb in {"read", "viewed", "downloaded", "exported"}:
        return "read"
    if verb in {"created", "updated", "changed", "added", "removed", "deleted"}:
        return "changed"
    return "other"


@dataclass(frozen=True)
class ActionSummary:
    kind: str
    label: str
    count: int
    first: datetime
    last: datetime


@dataclass(frozen=True)
class AccountSummary:
    name: str
    actions: list[ActionSummary]


@dataclass(frozen=True)
class OrganisationSummary:
    public_id: uuid.UUID | None
    name: str
    is_owner: bool
    accounts: list[AccountSummary]


@dataclass(frozen=True)
class ConsentSummary:
    public_id: uuid.UUID
    version: int
    recipients: list[str]
    domains: list[str]
    categories: list[str]
    given_at: datetime
    expires_at: datetime
    withdrawn_at: datetime | None
    state: str
    state_label: str


@dataclass(frozen=True)
class DataLine:
    label: str
    value: str


@dataclass(frozen=True)
class ReportSection:
    """A further part of the report an app above contributes (MAILLAGE_ACCESS_REPORT_SECTIONS)."""

    title: str
    intro: str
    lines: list[DataLine]


@dataclass(frozen=True)
class AccessReport:
    person: Person
    organisation_name: str
    produced_at: datetime
    data: list[DataLine]
    organisations: list[OrganisationSummary]
    consents: list[ConsentSummary]
    sections: list[ReportSection] = ()


def access_report_for(*, actor: Actor, person: Person) -> AccessReport:
    """Only the organisation that keeps the file produces the report; producing it is
    audited like any other read of the file."""
    if not policies.can_edit_file(actor, person):
        raise Forbidden()
    now = timezone.now()
    report = AccessReport(
        person=person,
        organisation_name=person.organisation.name,
        produced_at=now,
        data=_personal_data(person),
        organisations=_organisations(person),
        consents=_consents(actor=actor, person=person, now=now),
        sections=[
            section
            for contribute in hooks("MAILLAGE_ACCESS_REPORT_SECTIONS")
            for section in contribute(actor=actor, person=person)
        ],
    )
    record_event(
        actor=actor,
        action="person.access_report",
        object_type="person",
        object_public_id=person.public_id,
        person_public_id=person.public_id,
        detail={"language": get_language() or ""},
    )
    return report


def _display(person: Person, name: str) -> str:
    field = Person._meta.get_field(name)
    value = getattr(person, name)
    if value in (None, "", []):
        return "—"
    if field.choices:
        return str(getattr(person, f"get_{name}_display")())
    if isinstance(field, ArrayField):
        return ", ".join(language_name(code, get_language() or "fr") for code in value)
    if name.endswith("_language"):
        return language_name(value, get_language() or "fr")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")
    if hasattr(value, "isoformat"):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _personal_data(person: Person) -> list[DataLine]:
    lines = [
        DataLine(capfirst(str(Person._meta.get_field(name).verbose_name)), _display(person, name))
        for name in PERSONAL_FIELDS
    ]
    if person.national_number_encrypted:
        # The number itself is never printed; the person is told it is kept.
        lines.append(DataLine(_("National register number"), _("Kept, encrypted")))
    return lines


@dataclass(frozen=True)
class _Row:
    organisation_public_id: uuid.UUID | None
    actor_id: int | None
    action: str
    count: int
    first: datetime
    last: datetime


def _organisations(person: Person) -> list[OrganisationSummary]:
    rows = [
        _Row(**values)
        for values in AuditEvent.objects.filter(person_public_id=person.public_id)
        .values("organisation_public_id", "actor_id", "action")
        .annotate(count=Count("id"), first=Min("occurred_at"), last=Max("occurred_at"))
        .order_by()
    ]
    names = organisation_names(r.organisation_public_id for r in rows)
    users = {
        user.pk: str(user)
        for user in User.objects.filter(pk__in={r.actor_id for r in rows if r.actor_id}).only("full_name", "email")
    }
    # organisation -> account -> kind -> [count, first, last]
    grouped: dict = {}
    for row in rows:
        accounts = grouped.setdefault(row.organisation_public_id, {})
        kinds = accounts.setdefault(row.actor_id, {})
        kind = action_kind(row.action)
        if kind in kinds:
            count, first, last = kinds[kind]
            kinds[kind] = (count + row.count, min(first, row.first), max(last, row.last))
        else:
            kinds[kind] = (row.count, row.first, row.last)
    order = list(KINDS)
    owner_id = person.organisation.public_id
    organisations = []
    for public_id, accounts in grouped.items():
        if public_id is None:
            name = _("The platform (scheduled jobs)")
        else:
            name = names.get(public_id) or _("An organisation that no longer exists")
        summaries = [
            AccountSummary(
                name=users.get(actor_id, "") if actor_id else _("Automatic job"),
                actions=[
                    ActionSummary(kind, str(KINDS[kind]), count, first, last)
                    for kind, (count, first, last) in sorted(kinds.items(), key=lambda item: order.index(item[0]))
                ],
            )
            for actor_id, kinds in accounts.items()
        ]
        summaries.sort(key=lambda account: account.name.lower())
        organisations.append(OrganisationSummary(public_id, name, public_id == owner_id, summaries))
    organisations.sort(key=lambda o: (not o.is_owner, o.public_id is None, o.name.lower()))
    return organisations


def _consents(*, actor: Actor, person: Person, now: datetime) -> list[ConsentSummary]:
    categories = dict(DataCategory.choices)
    states = dict(ConsentState.choices)
    summaries = []
    for consent in consents_of(actor=actor, person=person):
        state = consent.display_state(now)
        summaries.append(
            ConsentSummary(
                public_id=consent.public_id,
                version=consent.version,
                recipients=sorted(o.name for o in consent.recipients.all()),
                domains=sorted(d.label() for d in consent.domains.all()),
                categories=[str(categories.get(c, c)) for c in consent.categories],
                given_at=consent.given_at,
                expires_at=consent.expires_at,
                withdrawn_at=consent.withdrawn_at,
                state=state,
                state_label=str(_("Expired") if state == "expired" else states.get(state, state)),
            )
        )
    return summaries
