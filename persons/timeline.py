"""The person's file as one timeline, for its page and its API route alike.

Persons sits below referrals: it composes the timeline from what the apps contribute
through MAILLAGE_PERSON_TIMELINE (referrals, their shared notes, consent), each reading
through its own selectors, and adds the file's own facts (opened, closed, registrations,
the programme deadline, the access reports printed). The person is resolved first through
persons.selectors.get_person_for: out of scope is the same 404 as the file, and a recipient
whose referral waits for its answer does not get this far. Reading the timeline writes no
audit event: the page or route that shows it records the one read of the file.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.selectors import printed_by_organisation
from consent.models import DataCategory
from consent.policies import may_see
from maillage import timeline
from maillage.actor import Actor
from maillage.hooks import hooks
from maillage.languages import language_name
from maillage.timeline import Entry
from persons import selectors
from persons.models import Person
from persons.selectors import ProgrammeDeadline

PRINTED = {"person.access_report"}


@dataclass(frozen=True)
class Member:
    public_id: uuid.UUID
    name: str
    relation: str


@dataclass(frozen=True)
class HouseholdSummary:
    name: str
    relation: str  # the person's own place in it
    members: tuple[Member, ...]  # the others the reader may see


@dataclass(frozen=True)
class Summary:
    languages: tuple[str, ...]  # names in the reader's language
    preferred_language: str
    interpreter_needed: bool
    interpreter_language: str
    households: tuple[HouseholdSummary, ...]
    deadline: ProgrammeDeadline | None  # None also when the reader does not see the situation
    open_referrals: tuple[Entry, ...]
    consents_in_force: int


@dataclass(frozen=True)
class Timeline:
    person: Person
    shows_situation: bool
    summary: Summary
    upcoming: tuple[Entry, ...]  # soonest first
    past: tuple[Entry, ...]  # newest first

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Every entry in the page's order: what is coming up, then what happened."""
        return self.upcoming + self.past


def person_timeline(*, actor: Actor, person: Person, deadline_months: int, now: datetime | None = None) -> Timeline:
    """The timeline of a file the actor already reached through get_person_for."""
    now = now or timezone.now()
    shows_situation = may_see(organisation_id=actor.organisation.pk, person=person, category=DataCategory.SITUATION)
    deadline = selectors.programme_deadline(person, deadline_months) if shows_situation else None
    entries = _own_entries(actor, person, shows_situation, deadline)
    for contribute in hooks("MAILLAGE_PERSON_TIMELINE"):
        entries.extend(contribute(actor=actor, person=person, now=now))
    upcoming = sorted((e for e in entries if e.is_upcoming(now)), key=lambda e: (e.at, e.key))
    past = sorted((e for e in entries if not e.is_upcoming(now)), key=lambda e: (e.at, e.key), reverse=True)
    summary = Summary(
        languages=tuple(_language(code) for code in person.languages),
        preferred_language=_language(person.preferred_language) if person.preferred_language else "",
        interpreter_needed=person.interpreter_needed,
        interpreter_language=_language(person.interpreter_language) if person.interpreter_language else "",
        households=_households(actor, person),
        deadline=deadline,
        open_referrals=tuple(
            e for e in sorted(entries, key=lambda e: (e.at, e.key)) if e.kind in timeline.REFERRAL_KINDS and e.open
        ),
        consents_in_force=sum(1 for e in entries if e.kind == timeline.CONSENT and e.open),
    )
    return Timeline(person, shows_situation, summary, tuple(upcoming), tuple(past))


def _language(code: str) -> str:
    return language_name(code, translation.get_language() or "fr")


def _households(actor: Actor, person: Person) -> tuple[HouseholdSummary, ...]:
    found = []
    for household in selectors.households_of(actor=actor, person=person):
        own = [m for m in household.visible_members if m.person_id == person.pk]
        others = tuple(
            Member(m.person.public_id, f"{m.person.given_name} {m.person.family_name}", m.get_relation_display())
            for m in household.visible_members
            if m.person_id != person.pk
        )
        found.append(HouseholdSummary(household.name, own[0].get_relation_display() if own else "", others))
    return tuple(found)


def _own_entries(
    actor: Actor, person: Person, shows_situation: bool, deadline: ProgrammeDeadline | None
) -> list[Entry]:
    """The file's own facts. Its dates of registration and the programme deadline are its
    situation: shown only to a reader the consent opens the situation to."""
    found = [
        Entry(
            kind=timeline.FILE,
            key="file-opened",
            at=person.created_at,
            title=_("File opened by %(org)s") % {"org": person.organisation.name},
        )
    ]
    if person.arrived_by_transfer:
        found[0] = Entry(
            kind=timeline.FILE,
            key="file-opened",
            at=person.created_at,
            title=_("File opened by %(org)s on arrival from %(origin)s")
            % {"org": person.organisation.name, "origin": person.arrived_from},
        )
    if person.moved_at:
        found.append(
            Entry(kind=timeline.FILE, key="file-moved", at=person.moved_at, title=_("Moved to another coordination"))
        )
    elif person.closed_at:
        found.append(Entry(kind=timeline.FILE, key="file-closed", at=person.closed_at, title=_("File closed")))
    if shows_situation and person.commune_registration_date:
        found.append(
            timeline.on_day(
                kind=timeline.FILE,
                key="commune-registration",
                day=person.commune_registration_date,
                title=_("Registered in the commune"),
            )
        )
    if shows_situation and person.programme_registration_date:
        found.append(
            timeline.on_day(
                kind=timeline.FILE,
                key="programme-registration",
                day=person.programme_registration_date,
                title=_("Registered in the integration programme"),
            )
        )
    if deadline is not None and not deadline.registered:
        found.append(
            timeline.on_day(
                kind=timeline.DEADLINE,
                key="programme-deadline",
                day=deadline.due,
                title=_("Deadline to register in the integration programme"),
                warn=deadline.alert,
            )
        )
    for event in printed_by_organisation(actor=actor, person_public_id=person.public_id, actions=PRINTED):
        found.append(
            Entry(
                kind=timeline.DOCUMENT,
                key=f"printed-{event.pk}",
                at=event.occurred_at,
                title=_("Access report produced"),
                details=timeline.printed_details(event),
            )
        )
    return found
