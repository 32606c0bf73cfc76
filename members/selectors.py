"""Reads of memberships, scoped to the actor's coordination."""

import uuid

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from maillage.actor import Actor
from maillage.errors import NotFound
from members import policies
from members.models import Invitation, Membership
from tenants.models import User


def active_membership_for(user: User) -> Membership | None:
    """The account's active membership in the current coordination's schema."""
    return Membership.objects.select_related("organisation").filter(user_id=user.pk, is_active=True).first()


def members_visible_to(*, actor: Actor) -> QuerySet[Membership]:
    members = Membership.objects.select_related("user", "organisation")
    if not policies.can_see_inactive_members(actor):
        members = members.filter(is_active=True)
    return members.order_by("organisation__name", "user__full_name", "user__email")


def get_membership_for(*, actor: Actor, public_id: uuid.UUID) -> Membership:
    try:
        return members_visible_to(actor=actor).get(public_id=public_id)
    except (Membership.DoesNotExist, ValueError):
        raise NotFound() from None


def pending_invitations(*, actor: Actor) -> QuerySet[Invitation]:
    """Invitations neither accepted nor cancelled, expired ones included (they can be
    sent again). Only for those who manage members: an address is personal data."""
    if not policies.can_manage_members(actor):
        return Invitation.objects.none()
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .order_by("-created_at")
    )


def get_pending_invitation_for(*, actor: Actor, public_id: uuid.UUID) -> Invitation:
    try:
        return pending_invitations(actor=actor).get(public_id=public_id)
    except (Invitation.DoesNotExist, ValueError, ValidationError):
        raise NotFound() from None
