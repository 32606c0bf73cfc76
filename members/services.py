"""Writes of the members app shared by the domain services: in-app notices."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from directory.models import Organisation
from maillage.actor import Actor
from maillage.delivery import queue_after_commit
from maillage.errors import Conflict, Forbidden, Invalid, NotFound
from members import policies
from members.models import Invitation, Membership
from members.roles import Role
from members.selectors import get_membership_for, get_pending_invitation_for
from members.tasks import send_invitation_email
from tenants.models import (
    CoordinationAccess,
    User,
)
from tenants.services import clean_email, revoke_api_tokens, validate_new_password


def add_member(*, actor: Actor, user: User, organisation: Organisation, role: str) -> Membership:
    """Adds an account to the current coordination and to its public index."""
    if Membership.objects.filter(user_id=user.pk, is_active=True).exists():
        raise Conflict(_("This account is already an active member of this coordination."))
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    CoordinationAccess.objects.update_or_create(
        user=user, coordination=actor.coordination, defaults={"is_active": True}
    )
    record_event(
        actor=actor,
        action="member.added",
        object_type="membership",
        object_public_id=membership.public_id,
        detail={"role": role, "organisation": str(organisation.public_id)},
    )
    return membership


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str


@transaction.atomic
def invite_member(*, actor: Actor, email: str, organisation_public_id, role: str) -> IssuedInvitation:
    """A coordinator invites someone by e-mail; the e-mail goes out through Celery."""
    if not policies.can_manage_members(actor):
        raise Forbidden()
    errors: dict[str, list] = {}
    email = clean_email(email, "email", errors)
    organisation = None
    try:
        organisation = Organisation.objects.get(public_id=organisation_public_id, is_member=True)
    except (Organisation.DoesNotExist, ValueError, ValidationError):
        errors["organisation"] = [_("Choose a member organisation of this coordination.")]
    if role not in Role.values:
        errors["role"] = [_("Unknown role.")]
    if not errors and Membership.objects.filter(user__email__iexact=email, is_active=True).exists():
        errors["email"] = [_("This person is already a member of this coordination.")]
    if errors:
        raise Invalid(fields=errors)

    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        organisation=organisation,
        role=role,
        token_hash=_token_hash(token),
        invited_by=actor.user,
        expires_at=timezone.now() + timedelta(days=settings.MAILLAGE_INVITATION_DAYS),
    )
    record_event(
        actor=actor,
        action="member.invited",
        object_type="invitation",
        object_public_id=invitation.public_id,
        detail={"role": role, "organisation": str(organisation.public_id)},
    )
    _send_on_commit(invitation, token)
    return IssuedInvitation(invitation=invitation, token=token)


def _send_on_commit(invitation: Invitation, token: str) -> None:
    # The token is not stored (only its hash), so no sweeper can queue this again: if the
    # broker is down, the coordinator sees no e-mail arrive and sends the invitation again.
    queue_after_commit(
        send_invitation_email, connection.schema_name, invitation.pk, token, log_ref=f"invitation {invitation.pk}"
    )


def _pending_invitation_to_manage(actor: Actor, public_id: uuid.UUID) -> Invitation:
    """The pending invitation, locked, for a coordinator about to resend or cancel it."""
    if not policies.can_manage_members(actor):
        raise Forbidden()
    invitation = get_pending_invitation_for(actor=actor, public_id=public_id)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise Conflict(_("This invitation was already used or cancelled."))
    return invitation


@transaction.atomic
def resend_invitation(*, actor: Actor, invitation_public_id: uuid.UUID) -> IssuedInvitation:
    """Sends a pending invitation again with a new link and a new validity; only the new
    token's hash is kept, so the link of the previous e-mail stops working."""
    invitation = _pending_invitation_to_manage(actor, invitation_public_id)
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _token_hash(token)
    invitation.expires_at = timezone.now() + timedelta(days=settings.MAILLAGE_INVITATION_DAYS)
    invitation.save(update_fields=["token_hash", "expires_at", "updated_at"])
    record_event(
        actor=actor, action="invitation.resent", object_type="invitation", object_public_id=invitation.public_id
    )
    _send_on_commit(invitation, token)
    return IssuedInvitation(invitation=invitation, token=token)


@transaction.atomic
def cancel_invitation(*, actor: Actor, invitation_public_id: uuid.UUID) -> Invitation:
    """The link of a pending invitation stops working at once; the row stays."""
    invitation = _pending_invitation_to_manage(actor, invitation_public_id)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    record_event(
        actor=actor, action="invitation.cancelled", object_type="invitation", object_public_id=invitation.public_id
    )
    return invitation


def open_invitation(token: str) -> Invitation:
    """The open invitation behind a token, in the current coordination."""
    invitation = Invitation.objects.select_related("organisation").filter(token_hash=_token_hash(token or "")).first()
    if invitation is None or not invitation.is_open():
        raise NotFound(_("This invitation does not exist, has expired or was already used."))
    return invitation


@transaction.atomic
def accept_invitation(
    *,
    actor: Actor,
    token: str,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
) -> Membership:
    """Turns an invitation into a membership, creating the account if there is none.

    `actor` is the coordination context; `user` the signed-in account, if any.
    """
    # Locked and checked again, so two clicks on the link make one membership.
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=open_invitation(token).pk)
    if not invitation.is_open():
        raise NotFound(_("This invitation does not exist, has expired or was already used."))
    errors: dict[str, list] = {}
    if user is not None and user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            raise Forbidden(_("This invitation was sent to another e-mail address."))
    else:
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is not None:
            raise Forbidden(_("An account exists for this address: sign in first."))
        if not full_name.strip():
            errors["full_name"] = [_("Enter your name.")]
        validate_new_password(password, User(email=invitation.email, full_name=full_name), "password", errors)
        if errors:
            raise Invalid(fields=errors)
        user = User.objects.create_user(invitation.email, password=password, full_name=full_name.strip())
    inside = Actor(
        user=user,
        membership=None,
        organisation=invitation.organisation,
        coordination=actor.coordination,
        request_id=actor.request_id,
        ip_address=actor.ip_address,
    )
    membership = add_member(actor=inside, user=user, organisation=invitation.organisation, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    record_event(
        actor=inside, action="invitation.accepted", object_type="invitation", object_public_id=invitation.public_id
    )
    return membership


@transaction.atomic
def revoke_member_api_tokens(*, actor: Actor, membership_public_id: uuid.UUID) -> int:
    """A coordinator revokes every API token of a member of this coordination (a leaked
    script, a departure). Tokens belong to the account, so those it uses in its other
    coordinations end too: the event in this coordination's trail says who did it."""
    if not policies.can_manage_members(actor):
        raise Forbidden()
    membership = get_membership_for(actor=actor, public_id=membership_public_id)
    return revoke_api_tokens(actor=actor, user=membership.user, reason="coordinator")


@transaction.atomic
def deactivate_member(*, actor: Actor, membership_public_id: uuid.UUID) -> Membership:
    """Ends a membership at once; the row and its history stay."""
    if not policies.can_manage_members(actor):
        raise Forbidden()
    membership = get_membership_for(actor=actor, public_id=membership_public_id)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        raise Conflict(_("This membership is already inactive."))
    if membership.user_id == actor.user.pk:
        raise Conflict(_("You cannot deactivate your own membership."))
    membership.is_active = False
    membership.deactivated_at = timezone.now()
    membership.deactivated_by = actor.user
    membership.save(update_fields=["is_active", "deactivated_at", "deactivated_by", "updated_at"])
    CoordinationAccess.objects.filter(user_id=membership.user_id, coordination=actor.coordination).update(
        is_active=False, updated_at=timezone.now()
    )
    record_event(
        actor=actor, action="member.deactivated", object_type="membership", object_public_id=membership.public_id
    )
    return membership
