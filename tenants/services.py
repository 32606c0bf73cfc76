"""Writes to accounts and regional administrators. Each names the acting account."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from audit.services import record_event
from maillage.actor import Actor
from maillage.delivery import queue_after_commit
from maillage.errors import Invalid
from tenants.models import (
    Region,
    RegionalAdministrator,
    User,
)
from tenants.tasks import send_password_setup_email


def clean_email(email: str, field: str, errors: dict) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors.setdefault(field, []).append(_("Enter a valid e-mail address."))
    return email


def validate_new_password(password: str, user: User | None, field: str, errors: dict) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)


def send_password_setup(*, user: User) -> None:
    """Queues, after commit, the e-mail with a link to choose a password (Django's reset
    tokens). If it cannot be queued, the account asks for a new link on the sign-in page."""
    queue_after_commit(send_password_setup_email, user.pk, log_ref=f"user {user.pk}")


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
    email = clean_email(email, "email", errors)
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
