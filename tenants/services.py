"""Writes to coordinations, accounts and memberships. Each names the acting account."""

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass, replace
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from rest_framework.authtoken.models import Token

from directory.models import Organisation, OrganisationKind
from directory.services import create_organisation
from maillage.actor import Actor
from maillage.errors import Conflict, Forbidden, Invalid, NotFound
from tenants import policies
from tenants.audit.services import record_event
from tenants.members.models import Invitation, Membership, Role
from tenants.models import (
    REGISTRATION_DEADLINE_MONTHS,
    Coordination,
    CoordinationAccess,
    CoordinationCommune,
    Domain,
    Region,
    RegionalAdministrator,
    User,
)
from tenants.schemas import create_schema

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
NIS_RE = re.compile(r"^\d{5}$")


def _clean_email(email: str, field: str, errors: dict) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors.setdefault(field, []).append(_("Enter a valid e-mail address."))
    return email


def _validate_new_password(password: str, user: User | None, field: str, errors: dict) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)


@dataclass(frozen=True)
class CommuneInput:
    name: str
    nis_code: str


@transaction.atomic
def provision_coordination(
    *,
    actor: Actor,
    name: str,
    slug: str,
    region: str,
    communes: list[CommuneInput],
    lead_organisation_name: str,
    lead_organisation_kind: str,
    coordinator_email: str,
    coordinator_name: str = "",
    coordinator_password: str | None = None,
    referral_response_working_days: int = 5,
    registration_deadline_months: int | None = None,
) -> Coordination:
    """Creates a coordination: its schema, lead organisation and first coordinator.

    All or nothing: the schema is created inside this transaction, so any error leaves
    no schema, row or account behind.
    """
    errors: dict[str, list] = {}
    name = (name or "").strip()
    slug = (slug or "").strip().lower()
    if not name:
        errors["name"] = [_("A coordination needs a name.")]
    if not SLUG_RE.match(slug):
        errors["slug"] = [_("Use 3 to 40 lowercase letters, digits and hyphens, starting with a letter.")]
    elif Coordination.objects.filter(slug=slug).exists() or slug == "public":
        errors["slug"] = [_("A coordination with this slug already exists.")]
    if region not in Region.values:
        errors["region"] = [_("Choose brussels, wallonia or flanders.")]
    if not communes:
        errors["communes"] = [_("Name at least one commune.")]
    for commune in communes:
        if not commune.name.strip() or not NIS_RE.match(commune.nis_code):
            errors.setdefault("communes", []).append(_("Each commune needs a name and a five-digit NIS code."))
    if len({c.nis_code for c in communes}) != len(communes):
        errors.setdefault("communes", []).append(_("A commune is listed twice."))
    if not (lead_organisation_name or "").strip():
        errors["lead_organisation_name"] = [_("Name the lead organisation.")]
    if lead_organisation_kind not in OrganisationKind.values:
        errors["lead_organisation_kind"] = [_("Unknown kind of organisation.")]
    coordinator_email = _clean_email(coordinator_email, "coordinator_email", errors)
    if not 1 <= referral_response_working_days <= 30:
        errors["referral_response_working_days"] = [_("Between 1 and 30 working days.")]
    if registration_deadline_months is None:
        registration_deadline_months = REGISTRATION_DEADLINE_MONTHS.get(region, 6)
    if not 1 <= registration_deadline_months <= 24:
        errors["registration_deadline_months"] = [_("Between 1 and 24 months.")]
    existing_user = User.objects.filter(email__iexact=coordinator_email).first()
    if coordinator_password and existing_user is None:
        _validate_new_password(coordinator_password, None, "coordinator_password", errors)
    if errors:
        raise Invalid(fields=errors)

    coordination = Coordination(
        schema_name=slug.replace("-", "_"),
        name=name,
        slug=slug,
        region=region,
        lead_organisation_name=lead_organisation_name.strip(),
        referral_response_working_days=referral_response_working_days,
        registration_deadline_months=registration_deadline_months,
    )
    coordination.save()
    create_schema(coordination.schema_name)
    Domain.objects.create(domain=slug, tenant=coordination, is_primary=True)
    Domain.objects.create(domain=f"{slug}.{settings.MAILLAGE_BASE_DOMAIN}", tenant=coordination, is_primary=False)
    CoordinationCommune.objects.bulk_create(
        CoordinationCommune(coordination=coordination, name=c.name.strip(), nis_code=c.nis_code) for c in communes
    )

    user = existing_user
    if user is None:
        user = User.objects.create_user(
            coordinator_email, password=coordinator_password, full_name=coordinator_name.strip()
        )
    with schema_context(coordination.schema_name):
        # Inside the new schema the platform acts (nobody is a member yet); the public
        # trail names the account that provisioned it.
        inside = replace(Actor.system(coordination), request_id=actor.request_id, ip_address=actor.ip_address)
        organisation = create_organisation(actor=inside, name=lead_organisation_name, kind=lead_organisation_kind)
        add_member(actor=inside, user=user, organisation=organisation, role=Role.COORDINATOR)
    coordination.lead_organisation_public_id = organisation.public_id
    coordination.save(update_fields=["lead_organisation_public_id", "updated_at"])
    record_event(
        actor=actor,
        action="coordination.provisioned",
        object_type="coordination",
        detail={"slug": slug, "schema": coordination.schema_name, "region": region},
    )
    if not user.has_usable_password():
        transaction.on_commit(lambda: send_password_setup(user=user))
    return coordination


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


def send_password_setup(*, user: User) -> None:
    """Queues the e-mail with a link to choose a password (Django's reset tokens)."""
    from tenants.tasks import send_password_setup_email

    send_password_setup_email.delay(user.pk)


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
    email = _clean_email(email, "email", errors)
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
    schema = connection.schema_name

    def _send():
        from tenants.tasks import send_invitation_email

        send_invitation_email.delay(schema, invitation.pk, token)

    transaction.on_commit(_send)
    return IssuedInvitation(invitation=invitation, token=token)


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
        _validate_new_password(password, User(email=invitation.email, full_name=full_name), "password", errors)
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
def deactivate_member(*, actor: Actor, membership_public_id: uuid.UUID) -> Membership:
    """Ends a membership at once; the row and its history stay."""
    from tenants.selectors import get_membership_for

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


@transaction.atomic
def issue_api_token(*, actor: Actor) -> Token:
    """Replaces the account's API token (the old one stops working)."""
    Token.objects.filter(user=actor.user).delete()
    token = Token.objects.create(user=actor.user)
    record_event(
        actor=actor, action="account.api_token_issued", object_type="account", object_public_id=actor.user.public_id
    )
    return token


@transaction.atomic
def create_regional_administrator(
    *, actor: Actor, email: str, region: str, full_name: str = "", password: str | None = None
) -> RegionalAdministrator:
    errors: dict[str, list] = {}
    email = _clean_email(email, "email", errors)
    if region not in Region.values:
        errors["region"] = [_("Choose brussels, wallonia or flanders.")]
    if errors:
        raise Invalid(fields=errors)
    user = User.objects.filter(email__iexact=email).first() or User.objects.create_user(
        email, password=password, full_name=full_name
    )
    admin, _created = RegionalAdministrator.objects.update_or_create(user=user, defaults={"region": region})
    record_event(
        actor=actor,
        action="regional_admin.set",
        object_type="account",
        object_public_id=user.public_id,
        detail={"region": region},
    )
    return admin


def mark_notifications_read(*, actor: Actor) -> int:
    from tenants.selectors import notifications_of

    return notifications_of(actor=actor).filter(read_at__isnull=True).update(read_at=timezone.now())
