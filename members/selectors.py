"""Reads of memberships, scoped to the actor's coordination."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from audit.actions import action_label
from audit.filters import short_id
from directory.selectors import organisation_names
from maillage.actor import Actor
from maillage.errors import NotFound
from maillage.hooks import hooks
from members import policies
from members.models import Invitation, Membership
from members.roles import KEEPS_FILES
from tenants.models import User


def active_membership_for(user: User) -> Membership | None:
    """The account's active membership in the current coordination's schema."""
    return Membership.objects.select_related("organisation").filter(user_id=user.pk, is_active=True).first()


def members_visible_to(*, actor: Actor) -> QuerySet[Membership]:
    members = Membership.objects.select_related("user", "organisation")
    if not policies.can_see_inactive_members(actor):
        members = members.filter(is_active=True)
    return members.order_by("organisation__name", "user__full_name", "user__email")


def colleagues_of(*, actor: Actor, roles) -> QuerySet[Membership]:
    """The active members of the actor's organisation holding one of these roles, the actor
    included: those a referral or a file of the organisation can be assigned to."""
    if actor.organisation is None:
        return Membership.objects.none()
    return (
        Membership.objects.select_related("user")
        .filter(organisation=actor.organisation, is_active=True, role__in=roles)
        .order_by("user__full_name", "user__email", "pk")
    )


def get_colleague(*, actor: Actor, roles, public_id) -> Membership:
    """One of colleagues_of by its public id; a member of another organisation or
    coordination, an inactive one or one in another role is not found (404)."""
    try:
        return colleagues_of(actor=actor, roles=roles).get(public_id=public_id)
    except (Membership.DoesNotExist, ValueError, ValidationError):
        raise NotFound() from None


def get_membership_for(*, actor: Actor, public_id: uuid.UUID) -> Membership:
    try:
        return members_visible_to(actor=actor).get(public_id=public_id)
    except (Membership.DoesNotExist, ValueError):
        raise NotFound() from None


def describe_audit_events(events) -> list:
    """The events with what a person reads in place of ids: `action_label`, `actor_name`
    (the account's name, its e-mail address when it has none), `organisation_name` and
    `person_reference` (see MAILLAGE_AUDIT_PERSON_REFERENCES), `object_reference` (see
    MAILLAGE_AUDIT_OBJECT_REFERENCES). A few queries per batch, whatever its size."""
    events = list(events)
    names = organisation_names(event.organisation_public_id for event in events)
    references: dict = {}
    person_ids = {event.person_public_id for event in events if event.person_public_id}
    if person_ids:
        for hook in hooks("MAILLAGE_AUDIT_PERSON_REFERENCES"):
            references.update(hook(person_public_ids=person_ids))
    objects: dict = {}
    for object_type, path in settings.MAILLAGE_AUDIT_OBJECT_REFERENCES.items():
        ids = {e.object_public_id for e in events if e.object_type == object_type and e.object_public_id}
        if ids:
            objects.update(import_string(path)(public_ids=ids))
    for event in events:
        event.action_label = action_label(event.action)
        event.actor_name = (event.actor.full_name or event.actor.email) if event.actor else str(_("system"))
        event.organisation_name = names.get(event.organisation_public_id, "")
        person = event.person_public_id
        event.person_short_id = short_id(person) if person else ""
        event.person_reference = references.get(person) or event.person_short_id
        event.object_short_id = short_id(event.object_public_id) if event.object_public_id else ""
        event.object_reference = objects.get(event.object_public_id) or event.object_short_id
    return events


def audit_actor_choices(*, actor: Actor) -> list[tuple[str, str]]:
    """Who the audit trail may be filtered on: every member, past ones included."""
    seen: dict[str, str] = {}
    for membership in members_visible_to(actor=actor):
        user = membership.user
        seen.setdefault(str(user.public_id), f"{user.full_name or user.email} — {membership.organisation.name}")
    return sorted(seen.items(), key=lambda pair: pair[1].lower())


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


def file_keepers_of(*, organisation_public_id: uuid.UUID) -> list[User]:
    """The accounts of an organisation of this coordination that keep files (its notices
    about a family arriving go to them)."""
    memberships = Membership.objects.filter(
        organisation__public_id=organisation_public_id, is_active=True, role__in=KEEPS_FILES
    ).select_related("user")
    return [m.user for m in memberships]
