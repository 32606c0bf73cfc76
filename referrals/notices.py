"""Referral notices: who is told of a referral's news (the services, the daily deadline
job and the notes call these), and what the notice's e-mail may say, for
notifications.tasks (through the setting MAILLAGE_NOTICE_EMAIL_CONTEXT): the person's
first name, only to a reader the referral's consent still covers, the referral's reference
(SCH-2026-0042, no personal data: what a reader quotes on the phone), and the answer's
deadline."""

from maillage.actor import Actor
from members.models import Membership
from members.roles import Role
from notifications.services import notify
from referrals import policies
from referrals.selectors import recipient_view, referral_for_notice

KINDS_WITH_DEADLINE = ("referral_due_soon", "referral_overdue")


def notify_about(users, referral, kind: str) -> None:
    """A notice to these accounts that opens the referral; its parameters are ids only."""
    notify(users, kind=kind, params={"referral": str(referral.public_id)}, url=f"referrals/{referral.public_id}/")


def notify_recipients(referral, kind: str, only=None) -> None:
    """The receiving organisation's members who answer referrals (`only`: of these accounts)."""
    members = Membership.objects.filter(
        organisation=referral.to_organisation,
        is_active=True,
        role__in=policies.answering_roles(referral.to_organisation),
    )
    if only is not None:
        members = members.filter(user_id__in=only)
    notify_about([m.user for m in members.select_related("user")], referral, kind)


def notify_coordinators(referral, kind: str) -> None:
    members = Membership.objects.filter(role=Role.COORDINATOR, is_active=True).select_related("user")
    notify_about([m.user for m in members], referral, kind)


def notify_sender(referral, kind: str) -> None:
    notify_about([referral.sender], referral, kind)


def _first_name_for(user, referral, coordination) -> str:
    """The person's first name, only for an account whose organisation sent the referral
    or still may see the person through the consent; otherwise nothing."""
    person = referral.person
    if person.anonymised_at:
        return ""
    membership = Membership.objects.select_related("organisation").filter(user=user, is_active=True).first()
    if membership is None or membership.organisation_id not in (
        referral.from_organisation_id,
        referral.to_organisation_id,
    ):
        return ""
    actor = Actor(user=user, membership=membership, organisation=membership.organisation, coordination=coordination)
    return person.given_name if recipient_view(actor, referral) != "none" else ""


def email_context(*, notification, user, coordination) -> dict:
    referral_id = notification.params.get("referral")
    if not referral_id:
        return {}
    referral = referral_for_notice(referral_id)
    if referral is None:
        return {}
    context = {"first_name": _first_name_for(user, referral, coordination), "reference": referral.reference}
    if notification.kind in KINDS_WITH_DEADLINE:
        context["response_due"] = referral.response_due
    return context
