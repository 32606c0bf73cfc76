"""What needs a member now, section by section, in order of urgency: the landing page
after sign-in and GET /api/v1/me/work/ read it here.

Each section is one selector over the owning app's selectors and rules (the overdue rule,
the consent wall through `recipient_view` and `persons_visible_to`, who answers, who may
confirm an offer or close an action); none re-writes one. The cost is a fixed number of
queries whatever the data (tests/work/test_my_work.py pins it).
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory import selectors as directory_selectors
from maillage.actor import Actor
from meetings import policies as meeting_policies
from meetings import selectors as meeting_selectors
from persons import selectors as person_selectors
from referrals import selectors as referral_selectors
from referrals.deadlines import belgian_today
from referrals.models import AWAITING_ANSWER, ReferralStatus, Urgency
from referrals.notes import selectors as note_selectors
from referrals.views import person_label

# Without an earlier sign-in to count from, notes of the last two weeks are new.
NEW_NOTES_DAYS = 14

SECTIONS = {
    "assigned_to_me": gettext_lazy("Assigned to you"),
    "referrals_to_answer": gettext_lazy("Referrals to answer"),
    "referrals_sent": gettext_lazy("Referrals you sent that need you"),
    "programme_deadlines": gettext_lazy("Integration programme deadlines"),
    "new_notes": gettext_lazy("New notes for your organisation"),
    "actions_due": gettext_lazy("Actions your organisation owns"),
    "offers_to_verify": gettext_lazy("Offers to verify"),
}


@dataclass(frozen=True)
class Line:
    """One thing to do: what, where (a path under the coordination's root), by when."""

    todo: str
    path: str
    object_id: uuid.UUID
    due: date | None = None
    overdue: bool = False
    urgent: bool = False
    person: object = field(default=None, compare=False, repr=False)  # shown: audited by the page


@dataclass(frozen=True)
class Section:
    key: str
    lines: list[Line]

    @property
    def title(self) -> str:
        return str(SECTIONS[self.key])


@dataclass(frozen=True)
class MyWork:
    since: datetime
    sections: list[Section]

    @property
    def count(self) -> int:
        return sum(len(section.lines) for section in self.sections)

    @property
    def persons(self) -> list:
        """The persons whose data the page shows, once each (for the audit trail)."""
        seen = {}
        for section in self.sections:
            for line in section.lines:
                if line.person is not None:
                    seen.setdefault(line.person.pk, line.person)
        return list(seen.values())


def _date(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def assigned_to_me(*, actor: Actor, today: date) -> list[Line]:
    """The open referrals received and the open files assigned to the actor by name
    (taken, or handed over by a colleague): the referrals by urgency, then the files."""
    lines = []
    for referral in referral_selectors.assigned_to_me(actor=actor):
        view = referral_selectors.recipient_view(actor, referral)
        if view == "none":
            continue
        values = {"person": person_label(referral, view), "organisation": referral.from_organisation.name}
        if referral.status in AWAITING_ANSWER:
            todo = _("Answer the referral of %(person)s from %(organisation)s") % values
        else:
            todo = _("Follow up the referral of %(person)s from %(organisation)s") % values
        lines.append(
            Line(
                todo=todo,
                path=f"referrals/{referral.public_id}/",
                object_id=referral.public_id,
                due=referral.response_due if referral.status in AWAITING_ANSWER else None,
                overdue=referral_selectors.is_overdue(referral, today),
                urgent=referral.urgency == Urgency.URGENT,
                person=referral.person,
            )
        )
    for person in person_selectors.files_assigned_to_me(actor=actor):
        lines.append(
            Line(
                todo=_("Follow the file of %(person)s") % {"person": f"{person.given_name} {person.family_name}"},
                path=f"persons/{person.public_id}/",
                object_id=person.public_id,
                person=person,
            )
        )
    return lines


def referrals_to_answer(*, actor: Actor, today: date) -> list[Line]:
    """Referrals waiting for the organisation's answer: urgent first, then by answer date,
    the overdue flagged. One whose consent no longer covers the recipient is left out, and
    so is one assigned to the actor (it is in their own section, assigned_to_me)."""
    lines = []
    for referral in referral_selectors.to_answer(actor=actor).exclude(referral_selectors.assigned_to(actor.user)):
        view = referral_selectors.recipient_view(actor, referral)
        if view == "none":
            continue
        lines.append(
            Line(
                todo=_("Answer the referral of %(person)s from %(organisation)s")
                % {"person": person_label(referral, view), "organisation": referral.from_organisation.name},
                path=f"referrals/{referral.public_id}/",
                object_id=referral.public_id,
                due=referral.response_due,
                overdue=referral_selectors.is_overdue(referral, today),
                urgent=referral.urgency == Urgency.URGENT,
                person=referral.person,
            )
        )
    return lines


def referrals_sent(*, actor: Actor, today: date) -> list[Line]:
    """Referrals the organisation sent that wait past their answer date, whose recipient
    proposes another appointment, or that were declined lately: ask again, answer the
    proposal, or refer the person elsewhere."""
    lines = []
    for referral in referral_selectors.sent_needing_attention(actor=actor, today=today):
        values = {"person": person_label(referral, "full"), "organisation": referral.to_organisation.name}
        if referral.status == ReferralStatus.DECLINED:
            todo = _("Refer %(person)s elsewhere: %(organisation)s declined") % values
        elif referral.status == ReferralStatus.APPOINTMENT_PROPOSED:
            todo = _("Accept or decline the appointment %(organisation)s proposes for %(person)s") % values
        else:
            todo = _("Ask %(organisation)s for its answer about %(person)s") % values
        lines.append(
            Line(
                todo=todo,
                path=f"referrals/{referral.public_id}/",
                object_id=referral.public_id,
                due=referral.response_due if referral.status in AWAITING_ANSWER else None,
                overdue=referral_selectors.is_overdue(referral, today),
                urgent=referral.urgency == Urgency.URGENT,
                person=referral.person,
            )
        )
    return lines


def programme_deadlines(*, actor: Actor, today: date) -> list[Line]:
    """Persons the organisation may see whose integration programme deadline is within
    30 days or past, and who are not registered yet."""
    months = actor.coordination.registration_deadline_months
    lines = []
    for person in person_selectors.programme_deadlines_near(actor=actor, months=months, today=today):
        values = {"person": f"{person.given_name} {person.family_name}", "date": _date(person.programme_due)}
        if person.programme_due < today:
            todo = _("Register %(person)s in the integration programme: the deadline passed on %(date)s") % values
        else:
            todo = _("Register %(person)s in the integration programme before %(date)s") % values
        lines.append(
            Line(
                todo=todo,
                path=f"persons/{person.public_id}/",
                object_id=person.public_id,
                due=person.programme_due,
                overdue=person.programme_due < today,
                person=person,
            )
        )
    return lines


def new_notes(*, actor: Actor, since: datetime) -> list[Line]:
    """Notes other organisations shared with the organisation since `since`."""
    lines = []
    for note in note_selectors.notes_from_others_since(actor=actor, since=since):
        person = note.person
        path = f"referrals/{note.referral_public_id}/" if note.referral_public_id else f"persons/{person.public_id}/"
        lines.append(
            Line(
                todo=_("Read the note of %(organisation)s on %(person)s")
                % {"organisation": note.organisation_name, "person": f"{person.given_name} {person.family_name}"},
                path=path,
                object_id=note.public_id,
                person=person,
            )
        )
    return lines


def actions_due(*, actor: Actor, today: date) -> list[Line]:
    """Open actions the organisation owns, overdue or due within two weeks, for the
    members who may mark them done."""
    return [
        Line(
            todo=_("Carry out the action: %(what)s") % {"what": action.what},
            path=f"meetings/actions/{action.public_id}/",
            object_id=action.public_id,
            due=action.due_on,
            overdue=action.is_overdue(today),
        )
        for action in meeting_selectors.actions_due_for(actor=actor, today=today)
        if meeting_policies.can_set_action_status(actor, action)
    ]


def offers_to_verify(*, actor: Actor, now: datetime) -> list[Line]:
    """The organisation's offers unverified for three months: confirm or correct them."""
    return [
        Line(
            todo=_("Check that the offer “%(title)s” is still accurate (last verified on %(date)s)")
            % {"title": offer.title, "date": _date(timezone.localdate(offer.last_verified_at))},
            path="directory/mine/",
            object_id=offer.public_id,
            overdue=directory_selectors.freshness(offer, now) == "to_verify",
        )
        for offer in directory_selectors.offers_to_verify(actor=actor, now=now)
    ]


def default_since(actor: Actor, now: datetime) -> datetime:
    """Since the sign-in before this one; without one, the last NEW_NOTES_DAYS days."""
    return actor.user.previous_login or now - timedelta(days=NEW_NOTES_DAYS)


def my_work(*, actor: Actor, since: datetime | None = None, now: datetime | None = None) -> MyWork:
    """Every section, in the order of the page."""
    now = now or timezone.now()
    today = belgian_today()
    since = since or default_since(actor, now)
    return MyWork(
        since=since,
        sections=[
            Section("assigned_to_me", assigned_to_me(actor=actor, today=today)),
            Section("referrals_to_answer", referrals_to_answer(actor=actor, today=today)),
            Section("referrals_sent", referrals_sent(actor=actor, today=today)),
            Section("programme_deadlines", programme_deadlines(actor=actor, today=today)),
            Section("new_notes", new_notes(actor=actor, since=since)),
            Section("actions_due", actions_due(actor=actor, today=today)),
            Section("offers_to_verify", offers_to_verify(actor=actor, now=now)),
        ],
    )
