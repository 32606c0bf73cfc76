"""The referrals' part of a person's timeline (MAILLAGE_PERSON_TIMELINE): each referral the
reader's organisation sent or received, its answer date and its appointment, and the slips
it printed. Read through referrals.selectors: the reader is a party to every referral it
sees here, and sees of each what recipient_view allows, as on the referral's own page."""

from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from audit.selectors import printed_by_organisation
from maillage import timeline
from maillage.actor import Actor
from maillage.timeline import Detail, Entry
from referrals import selectors
from referrals.deadlines import belgian_today
from referrals.models import AWAITING_ANSWER, OPEN_STATUSES, ReferralStatus, Urgency

# An appointment still matters on the file unless the referral never went ahead.
NO_APPOINTMENT = (
    ReferralStatus.DRAFT,
    ReferralStatus.DECLINED,
    ReferralStatus.CANCELLED,
    ReferralStatus.CONSENT_WITHDRAWN,
)
PRINTED = {"referral.slip_printed"}


def entries(*, actor: Actor, person, now: datetime) -> list[Entry]:
    today = belgian_today()
    language = translation.get_language() or "fr"
    found: list[Entry] = []
    by_id = {}
    for referral in selectors.referrals_of_person(actor=actor, person=person):
        by_id[referral.public_id] = referral
        found.extend(_referral_entries(actor, referral, today, language))
    found.extend(_slips(actor, person, by_id))
    return found


def _referral_entries(actor: Actor, referral, today, language: str) -> list[Entry]:
    sent_by_us = referral.from_organisation_id == actor.organisation.pk
    view = selectors.recipient_view(actor, referral)
    other = referral.to_organisation if sent_by_us else referral.from_organisation
    overdue = selectors.is_overdue(referral, today)
    path = f"referrals/{referral.public_id}/"
    details = [Detail(_("Need domains"), ", ".join(d.label(language) for d in referral.domains.all()))]
    if referral.urgency == Urgency.URGENT:
        details.append(Detail(_("Urgency"), referral.get_urgency_display()))
    if referral.response_due and referral.status in AWAITING_ANSWER:
        details.append(Detail(_("Answer expected by"), timeline.short_date(referral.response_due)))
    if referral.decline_reason:
        details.append(Detail(_("Declined because"), referral.get_decline_reason_display()))
    if referral.outcome:
        details.append(Detail(_("Outcome"), referral.get_outcome_display()))
    if referral.not_completed_reason:
        details.append(Detail(_("Not completed because"), referral.get_not_completed_reason_display()))
    if referral.closed_at:
        details.append(Detail(_("Closed on"), timeline.short_date(referral.closed_at)))
    found = [
        Entry(
            kind=timeline.REFERRAL_SENT if sent_by_us else timeline.REFERRAL_RECEIVED,
            key=f"referral-{referral.public_id}",
            at=referral.sent_at or referral.created_at,
            title=(_("Referral to %(org)s") if sent_by_us else _("Referral from %(org)s")) % {"org": other.name},
            status=referral.status,
            status_label=referral.get_status_display(),
            next_step=_next_step(referral, sent_by_us, view, overdue, other),
            details=tuple(details),
            path=path,
            public_id=referral.public_id,
            open=referral.status in OPEN_STATUSES,
            warn=overdue,
        )
    ]
    if view == "none":
        return found
    if referral.status in AWAITING_ANSWER and referral.response_due:
        found.append(
            timeline.on_day(
                kind=timeline.DEADLINE,
                key=f"referral-answer-{referral.public_id}",
                day=referral.response_due,
                title=(_("Answer expected from %(org)s") if sent_by_us else _("Answer the referral from %(org)s"))
                % {"org": other.name},
                path=path,
                public_id=referral.public_id,
                warn=overdue,
            )
        )
    if referral.appointment_at and referral.status not in NO_APPOINTMENT:
        place = [Detail(_("Place"), referral.appointment_place)] if referral.appointment_place else []
        found.append(
            Entry(
                kind=timeline.APPOINTMENT,
                key=f"referral-appointment-{referral.public_id}",
                at=referral.appointment_at,
                title=_("Appointment at %(org)s") % {"org": referral.to_organisation.name},
                details=tuple(place),
                path=path,
                public_id=referral.public_id,
            )
        )
    return found


def _next_step(referral, sent_by_us: bool, view: str, overdue: bool, other) -> str:
    """What comes next on the referral, said to the reader's organisation."""
    if view == "none":
        return _("The consent no longer covers this referral.")
    status, due = referral.status, referral.response_due
    if status == ReferralStatus.DRAFT:
        return _("Send the referral, or cancel it.")
    if status in AWAITING_ANSWER:
        values = {"org": other.name, "date": timeline.short_date(due) if due else ""}
        if sent_by_us:
            if overdue:
                return _("%(org)s has not answered: the answer was expected by %(date)s.") % values
            if due:
                return _("Waiting for the answer of %(org)s, expected by %(date)s.") % values
            return _("Waiting for the answer of %(org)s.") % values
        if overdue:
            return _("Accept or decline it: the answer was expected by %(date)s.") % values
        if due:
            return _("Accept or decline it by %(date)s.") % values
        return _("Accept or decline it.")
    if status in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS):
        if sent_by_us:
            return _("Followed up by %(org)s: waiting for the outcome.") % {"org": other.name}
        return _("Record the outcome when the follow-up ends.")
    return ""


def _slips(actor: Actor, person, referrals: dict) -> list[Entry]:
    """The appointment slips the reader's organisation printed for the person (of the
    referrals it still sees)."""
    found = []
    for event in printed_by_organisation(actor=actor, person_public_id=person.public_id, actions=PRINTED):
        referral = referrals.get(event.object_public_id)
        if referral is None:
            continue
        found.append(
            Entry(
                kind=timeline.DOCUMENT,
                key=f"printed-{event.pk}",
                at=event.occurred_at,
                title=_("Appointment slip printed"),
                details=timeline.printed_details(
                    event, Detail(_("For"), _("Referral to %(org)s") % {"org": referral.to_organisation.name})
                ),
                path=f"referrals/{referral.public_id}/",
                public_id=referral.public_id,
            )
        )
    return found
