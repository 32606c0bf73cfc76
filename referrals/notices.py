"""Referral notices: who is told of a referral's news (the services, the daily deadline
job and the notes call these), and what the notice may say, in the app (through the
setting MAILLAGE_NOTICE_CONTEXT) and in its e-mail (notifications.tasks, through
MAILLAGE_NOTICE_EMAIL_CONTEXT): the person's first name, only to a reader the referral's
consent still covers, the referral's reference (SCH-2026-0042, no personal data: what a
reader quotes on the phone), and the answer's deadline. Each notice names the organisation
that acted: the sending side tells the receiving side and the coordinators, the receiving
side tells the sender; a deadline is nobody's act."""

from maillage.actor import Actor
from members.models import Membership
from members.roles import Role
from notifications.services import notify
from referrals import policies
from referrals.selectors import recipient_view, referral_for_notice, referrals_for_notices

KINDS_WITH_DEADLINE = ("referral_due_soon", "referral_overdue")


def notify_about(users, referral, kind: str, *, by=None) -> None:
    """A notice to these accounts that opens the referral; its parameters are ids only
    (`by`: the organisation that acted, named to the reader when the notice is shown)."""
    notify(
        users,
        kind=kind,
        params={"referral": str(referral.public_id)},
        url=f"referrals/{referral.public_id}/",
        by=None if kind in KINDS_WITH_DEADLINE else by,
    )


def notify_recipients(referral, kind: str, only=None) -> None:
    """The receiving organisation's members who answer referrals (`only`: of these
    accounts), of something the sending side did (or of a deadline)."""
    members = Membership.objects.filter(
        organisation=referral.to_organisation,
        is_active=True,
        role__in=policies.answering_roles(referral.to_organisation),
    )
    if only is not None:
        members = members.filter(user_id__in=only)
    notify_about([m.user for m in members.select_related("user")], referral, kind, by=referral.from_organisation)


def notify_coordinators(referral, kind: str) -> None:
    members = Membership.objects.filter(role=Role.COORDINATOR, is_active=True).select_related("user")
    notify_about([m.user for m in members], referral, kind, by=referral.from_organisation)


def notify_sender(referral, kind: str) -> None:
    """The sender, of something the receiving side did."""
    notify_about([referral.sender], referral, kind, by=referral.to_organisation)


def _first_name_seen_by(actor: Actor, referral) -> str:
    """The person's first name, only for an actor whose organisation sent the referral or
    still may see the person through the consent; otherwise nothing."""
    person = referral.person
    if person.anonymised_at or actor.organisation is None:
        return ""
    if actor.organisation.pk not in (referral.from_organisation_id, referral.to_organisation_id):
        return ""
    return person.given_name if recipient_view(actor, referral) != "none" else ""


def _first_name_for(user, referral, coordination) -> str:
    membership = Membership.objects.select_related("organisation").filter(user=user, is_active=True).first()
    if membership is None:
        return ""
    actor = Actor(user=user, membership=membership, organisation=membership.organisation, coordination=coordination)
    return _first_name_seen_by(actor, referral)


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


def notice_context(*, notifications, actor: Actor) -> dict:
    """For the notices page: {notice pk: {"first_name", "reference", "response_due"}} for
    the actor's referral notices, in a few queries whatever their number."""
    wanted = {n.pk: n.params.get("referral") for n in notifications if n.params.get("referral")}
    referrals = referrals_for_notices(set(wanted.values()))
    context = {}
    for pk, referral_id in wanted.items():
        referral = referrals.get(referral_id)
        if referral is None:
            continue
        context[pk] = {
            "first_name": _first_name_seen_by(actor, referral),
            "reference": referral.reference,
            "response_due": referral.response_due,
        }
    return context
