"""Reads of memberships, scoped to the actor's coordination."""

import uuid

from django.db.models import QuerySet

from maillage.actor import Actor
from maillage.errors import NotFound
from members import policies
from members.models import Membership
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
