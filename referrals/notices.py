"""What a referral notice's e-mail may say, for notifications.tasks (through the setting
MAILLAGE_NOTICE_EMAIL_CONTEXT): the person's first name, only to a reader the referral's
consent still covers, and the answer's deadline."""

from maillage.actor import Actor
from members.models import Membership
from referrals.models import Referral
from referrals.selectors import recipient_view

KINDS_WITH_DEADLINE = ("referral_due_soon", "referral_overdue")


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
    referral = Referral.objects.select_related("person", "consent").filter(public_id=referral_id).first()
    if referral is None:
        return {}
    context = {"first_name": _first_name_for(user, referral, coordination)}
    if notification.kind in KINDS_WITH_DEADLINE:
        context["response_due"] = referral.response_due
    return context
