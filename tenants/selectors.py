"""Reads of coordinations, accounts and memberships, already scoped."""

import uuid

from django.db.models import Prefetch, QuerySet

from maillage.actor import Actor
from maillage.errors import NotFound
from tenants import policies
from tenants.members.models import Membership, Notification
from tenants.models import Coordination, CoordinationCommune, User


def active_membership_for(user: User) -> Membership | None:
    """The account's active membership in the current coordination's schema."""
    return Membership.objects.select_related("organisation").filter(user_id=user.pk, is_active=True).first()


def public_coordinations() -> QuerySet[Coordination]:
    """Active coordinations and their public facts, for the home page."""
    return (
        Coordination.objects.exclude(schema_name="public")
        .filter(is_active=True)
        .prefetch_related(Prefetch("communes", queryset=CoordinationCommune.objects.order_by("name")))
        .order_by("region", "name")
    )


def coordinations_of(user: User) -> QuerySet[Coordination]:
    """The coordinations an account may open (the switcher)."""
    if not user.is_authenticated:
        return Coordination.objects.none()
    return Coordination.objects.filter(accesses__user_id=user.pk, accesses__is_active=True, is_active=True).order_by(
        "name"
    )


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


def notifications_of(*, actor: Actor) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=actor.user.pk).order_by("-created_at")


def unread_notification_count(*, actor: Actor) -> int:
    return notifications_of(actor=actor).filter(read_at__isnull=True).count()


def active_coordination_schemas() -> list[str]:
    """The schemas scheduled jobs fan out to."""
    return list(
        Coordination.objects.exclude(schema_name="public").filter(is_active=True).values_list("schema_name", flat=True)
    )
