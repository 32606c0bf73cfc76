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
from maillage.querysets import LateRows
from meetings import policies as meeting_policies
from meetings import selectors as meeting_selectors
from persons import selectors as person_selectors
from plans import selectors as plan_selectors
from referrals import selectors as referral_selectors
from referrals.deadlines import belgian_today
from referrals.models import AWAITING_ANSWER, ReferralStatus, Urgency
from referrals.notes import selectors as note_selectors
from referrals.views import person_label
from transfers import policies as transfer_policies
from transfers import selectors as transfer_selectors
from transfers.models import TransferState

# Without an earlier sign-in to count from, notes of the last two weeks are new.
NEW_NOTES_DAYS = 14

# Where a section's full list lives, when the page shows only its first lines.
MORE_PATHS = {
    "assigned_to_me": "referrals/inbox/?mine=on",
    "referrals_to_answer": "referrals/inbox/",
    "transfers_to_answer": "transfers/",
    "referrals_sent": "referrals/outbox/",
    "programme_deadlines": "persons/",
    "actions_due": "meetings/actions/",
    "offers_to_verify": "directory/mine/",
}

SECTIONS = {
    "assigned_to_me": gettext_lazy("Assigned to you"),
    "referrals_to_answer": gettext_lazy("Referrals to answer"),
    "transfers_to_answer": gettext_lazy("Families moving to your organisation"),
    "referrals_sent": gettext_lazy("Referrals you sent that need you"),
    "programme_deadlines": gettext_lazy("Integration programme deadlines"),
    "plan_conflicts": gettext_lazy("Clashes in support plans"),
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
    more: bool = False  # more lines than the page shows: the full list is at `more_path`

    @property
    def more_path(self) -> str:
        return MORE_PATHS.get(self.key, "")

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
    def more(self) -> bool:
        return any(section.more for section in self.sections)

    @property
    def persons(self) -> list:
        """The persons whose data the page shows, once each (for the audit trail)."""
        seen = {}
        for section in self.sections:
            for line in section.lines:
                if line.person is not None:
                    seen.setdefault(line.person.pk, line.person)
        return list(seen.values())


def _capped(rows, limit: int | None) -> tuple[list, bool]:
    """The first `limit` rows (all without a limit) and whether there are more: one row
    more is read to know it, so a long list costs what the page shows."""
    if limit is None:
        return list(rows), False
    rows = list(LateRows(rows)[: limit + 1])
    return rows[:limit], len(rows) > limit


def _capped_list(lines: list, limit: int | None) -> tuple[list, bool]:
    """`_capped` for lines computed in memory (few per organisation): capped after."""
    if limit is None:
        return lines, False
    return lines[:limit], len(lines) > limit


def _referral_line(referral, todo: str, today: date) -> Line:
    """A line that opens a referral: its answer date while one is awaited, overdue, urgent."""
    return Line(
        todo=todo,
        path=f"referrals/{referral.public_id}/",
        object_id=referral.public_id,
        due=referral.response_due if referral.status in AWAITING_ANSWER else None,
        overdue=referral_selectors.is_overdue(referral, today),
        urgent=referral.urgency == Urgency.URGENT,
        person=referral.person,
    )


def _date(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def assigned_to_me(*, actor: Actor, today: date, limit: int | None = None) -> tuple[list[Line], bool]:
    """The open referrals received and the open files assigned to the actor by name
    (taken, or handed over by a colleague): the referrals by urgency, then the files."""
    lines = []
    referrals, more_referrals = _capped(referral_selectors.assigned_to_me(actor=actor), limit)
    for referral in referrals:
        view = referral_selectors.recipient_view(actor, referral)
        if view == "none":
            continue
        values = {"person": person_label(referral, view), "organisation": referral.from_organisation.name}
        if referral.status in AWAITING_ANSWER:
            todo = _("Answer the referral of %(person)s from %(organisation)s") % values
        else:
            todo = _("Follow up the referral of %(person)s from %(organisation)s") % values
        lines.append(_referral_line(referral, todo, today))
    files, more_files = _capped(person_selectors.files_assigned_to_me(actor=actor), limit)
    for person in files:
        lines.append(
            Line(
                todo=_("Follow the file of %(person)s") % {"person": f"{person.given_name} {person.family_name}"},
                path=f"persons/{person.public_id}/",
                object_id=person.public_id,
                person=person,
            )
        )
    if limit is not None and len(lines) > limit:
        return lines[:limit], True
    return lines, more_referrals or more_files


def referrals_to_answer(*, actor: Actor, today: date, limit: int | None = None) -> tuple[list[Line], bool]:
    """Referrals waiting for the organisation's answer: urgent first, then by answer date,
    the overdue flagged. One whose consent no longer covers the recipient is left out, and
    so is one assigned to the actor (it is in their own section, assigned_to_me)."""
    lines = []
    not_mine = referral_selectors.to_answer(actor=actor).exclude(referral_selectors.assigned_to(actor.user))
    referrals, more = _capped(not_mine, limit)
    for referral in referrals:
        view = referral_selectors.recipient_view(actor, referral)
        if view == "none":
            continue
        values = {"person": person_label(referral, view), "organisation": referral.from_organisation.name}
        lines.append(
            _referral_line(referral, _("Answer the referral of %(person)s from %(organisation)s") % values, today)
        )
    return lines, more


def transfers_to_answer(*, actor: Actor, limit: int | None = None) -> tuple[list[Line], bool]:
    """Families another coordination hands over to the organisation, waiting for its answer.
    Nothing of the person shows before it accepts: the sender only."""
    lines = []
    waiting = transfer_selectors.incoming_transfers(actor=actor).filter(state=TransferState.PENDING)
    for transfer in waiting:
        if not transfer_policies.can_answer_transfer(actor, transfer):
            continue
        lines.append(
            Line(
                todo=_("Accept or decline a family's file from %(organisation)s (%(coordination)s)")
                % {"organisation": transfer.origin_organisation_name, "coordination": transfer.origin.name},
                path=f"transfers/{transfer.public_id}/",
                object_id=transfer.public_id,
            )
        )
    return _capped_list(lines, limit)


def referrals_sent(*, actor: Actor, today: date, limit: int | None = None) -> tuple[list[Line], bool]:
    """Referrals the organisation sent that wait past their answer date, whose recipient
    proposes another appointment, or that were declined lately: ask again, answer the
    proposal, or refer the person elsewhere."""
    lines = []
    referrals, more = _capped(referral_selectors.sent_needing_attention(actor=actor, today=today), limit)
    for referral in referrals:
        values = {"person": person_label(referral, "full"), "organisation": referral.to_organisation.name}
        if referral.status == ReferralStatus.DECLINED:
            todo = _("Refer %(person)s elsewhere: %(organisation)s declined") % values
        elif referral.status == ReferralStatus.APPOINTMENT_PROPOSED:
            todo = _("Accept or decline the appointment %(organisation)s proposes for %(person)s") % values
        else:
            todo = _("Ask %(organisation)s for its answer about %(person)s") % values
        lines.append(_referral_line(referral, todo, today))
    return lines, more


def programme_deadlines(*, actor: Actor, today: date, limit: int | None = None) -> tuple[list[Line], bool]:
    """Persons the organisation may see whose integration programme deadline is within
    30 days or past, and who are not registered yet."""
    months = actor.coordination.registration_deadline_months
    lines = []
    persons, more = _capped(person_selectors.programme_deadlines_near(actor=actor, months=months, today=today), limit)
    for person in persons:
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
    return lines, more


def plan_conflicts(*, actor: Actor, today: date, limit: int | None = None) -> tuple[list[Line], bool]:
    """Clashes in the support plans the organisation takes part in that concern it
    (plans.selectors.find_conflicts, over what the consent opens to it)."""
    months = actor.coordination.registration_deadline_months
    lines = [
        Line(
            todo=_("Settle in the plan of %(person)s: %(conflict)s")
            % {
                "person": f"{line.plan.person.given_name} {line.plan.person.family_name}",
                "conflict": line.conflict.message,
            },
            path=f"persons/{line.plan.person.public_id}/plan/",
            object_id=line.plan.public_id,
            person=line.plan.person,
        )
        for line in plan_selectors.conflicts_concerning(actor=actor, deadline_months=months, today=today)
    ]
    return _capped_list(lines, limit)


def new_notes(*, actor: Actor, since: datetime, limit: int | None = None) -> tuple[list[Line], bool]:
    """Notes other organisations shared with the organisation since `since`."""
    lines = []
    notes, more = _capped(note_selectors.notes_from_others_since(actor=actor, since=since), limit)
    for note in notes:
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
    return lines, more


def actions_due(*, actor: Actor, today: date, limit: int | None = None) -> tuple[list[Line], bool]:
    """Open actions the organisation owns, overdue or due within two weeks, for the
    members who may mark them done."""
    actions, more = _capped(meeting_selectors.actions_due_for(actor=actor, today=today), limit)
    lines = [
        Line(
            todo=_("Carry out the action: %(what)s") % {"what": action.what},
            path=f"meetings/actions/{action.public_id}/",
            object_id=action.public_id,
            due=action.due_on,
            overdue=action.is_overdue(today),
        )
        for action in actions
        if meeting_policies.can_set_action_status(actor, action)
    ]
    return lines, more


def offers_to_verify(*, actor: Actor, now: datetime, limit: int | None = None) -> tuple[list[Line], bool]:
    """The organisation's offers unverified for three months: confirm or correct them."""
    offers, more = _capped(directory_selectors.offers_to_verify(actor=actor, now=now), limit)
    lines = [
        Line(
            todo=_("Check that the offer “%(title)s” is still accurate (last verified on %(date)s)")
            % {"title": offer.title, "date": _date(timezone.localdate(offer.last_verified_at))},
            path="directory/mine/",
            object_id=offer.public_id,
            overdue=directory_selectors.freshness(offer, now) == "to_verify",
        )
        for offer in offers
    ]
    return lines, more


def default_since(actor: Actor, now: datetime) -> datetime:
    """Since the sign-in before this one; without one, the last NEW_NOTES_DAYS days."""
    return actor.user.previous_login or now - timedelta(days=NEW_NOTES_DAYS)


def my_work(
    *, actor: Actor, since: datetime | None = None, now: datetime | None = None, limit: int | None = None
) -> MyWork:
    """Every section, in the order of the page; with `limit`, each section's first lines
    only (the page: a CPAS with a thousand referrals waiting links to its inbox rather
    than listing them all)."""
    now = now or timezone.now()
    today = belgian_today()
    since = since or default_since(actor, now)
    return MyWork(
        since=since,
        sections=[
            Section("assigned_to_me", *assigned_to_me(actor=actor, today=today, limit=limit)),
            Section("referrals_to_answer", *referrals_to_answer(actor=actor, today=today, limit=limit)),
            Section("transfers_to_answer", *transfers_to_answer(actor=actor, limit=limit)),
            Section("referrals_sent", *referrals_sent(actor=actor, today=today, limit=limit)),
            Section("programme_deadlines", *programme_deadlines(actor=actor, today=today, limit=limit)),
            Section("plan_conflicts", *plan_conflicts(actor=actor, today=today, limit=limit)),
            Section("new_notes", *new_notes(actor=actor, since=since, limit=limit)),
            Section("actions_due", *actions_due(actor=actor, today=today, limit=limit)),
            Section("offers_to_verify", *offers_to_verify(actor=actor, now=now, limit=limit)),
        ],
    )
