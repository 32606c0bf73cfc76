"""Answer deadlines of referrals: a reminder the working day before, then overdue and escalation.

Run every morning by referrals.tasks.check_referral_deadlines. Only referrals still waiting
for an answer (sent or received) count: accepting or declining is the answer.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from audit.services import record_event
from maillage.actor import Actor
from members.models import Membership
from members.roles import Role
from notifications.models import Notification
from notifications.services import notify
from referrals.deadlines import add_working_days, is_working_day
from referrals.notices import notify_about, notify_recipients
from referrals.selectors import awaiting_an_answer_for_the_deadline_job


def _deadline_event(actor: Actor, referral, action: str) -> None:
    record_event(
        actor=actor,
        action=action,
        object_type="referral",
        object_public_id=referral.public_id,
        person_public_id=referral.person.public_id,
        detail={"response_due": referral.response_due.isoformat()},
    )


@transaction.atomic
def check_referral_deadlines(*, actor: Actor, today: date | None = None) -> dict:
    """Reminds the receiving side the working day before the deadline; once the deadline
    has passed, marks the referral overdue, tells both sides and escalates to the
    coordination's coordinators. Each step happens once per referral (reminded_at,
    overdue_since), so a second run the same day does nothing. Returns the counts."""
    today = today or timezone.localdate()
    now = timezone.now()
    awaiting = awaiting_an_answer_for_the_deadline_job()

    reminded = 0
    if is_working_day(today):
        # Due between today and the next working day: today is the working day before the
        # deadline (or the deadline itself, when the run of the day before was missed).
        due_soon = awaiting.filter(
            reminded_at__isnull=True, response_due__gte=today, response_due__lte=add_working_days(today, 1)
        )
        for referral in due_soon:
            referral.reminded_at = now
            referral.save(update_fields=["reminded_at", "updated_at"])
            notify_recipients(referral, Notification.Kind.REFERRAL_DUE_SOON)
            _deadline_event(actor, referral, "referral.reminded")
            reminded += 1

    overdue = list(awaiting.filter(response_due__lt=today))
    coordinators = list(
        Membership.objects.filter(is_active=True, role=Role.COORDINATOR).select_related("user").order_by("pk")
    )
    for referral in overdue:
        referral.overdue_since = now
        referral.escalated_at = now
        referral.save(update_fields=["overdue_since", "escalated_at", "updated_at"])
        # The receiving side: at a CPAS its reference persons (and its own coordinators),
        # elsewhere its workers.
        notify_recipients(referral, Notification.Kind.REFERRAL_OVERDUE)
        # Escalation: the coordination's coordinators not already told as the receiving
        # side, and the sender; one notice per account.
        # Coordinators of the sending organisation open the referral itself; the others may
        # not see it, so their notice opens the coordinators' list of overdue referrals.
        others = {m.user_id: m for m in coordinators if m.organisation_id != referral.to_organisation_id}
        sending_side = [m.user for m in others.values() if m.organisation_id == referral.from_organisation_id]
        if referral.sender_id not in others:
            sending_side.append(referral.sender)
        notify_about(sending_side, referral, Notification.Kind.REFERRAL_OVERDUE)
        notify(
            [m.user for m in others.values() if m.organisation_id != referral.from_organisation_id],
            kind=Notification.Kind.REFERRAL_OVERDUE,
            params={"referral": str(referral.public_id)},
            url="referrals/overdue/",
        )
        _deadline_event(actor, referral, "referral.overdue")
    return {"reminded": reminded, "overdue": len(overdue)}
