"""Writes to accounts and regional administrators. Each names the acting account."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from knox.crypto import create_token_string, hash_token
from knox.settings import CONSTANTS

from audit.services import record_event
from maillage.actor import Actor
from maillage.delivery import queue_after_commit
from maillage.errors import Conflict, Invalid, NotFound
from tenants.models import (
    HARVESTING_KEY_PREFIX,
    PERSONAL_SCOPES,
    ApiToken,
    Coordination,
    HarvestingToken,
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


@dataclass(frozen=True)
class IssuedApiToken:
    token: ApiToken
    key: str  # shown to the holder once; only its digest is stored


@transaction.atomic
def issue_api_token(*, actor: Actor, label: str, scope: str, days: int, second_factor: bool) -> IssuedApiToken:
    """A new token for the acting account, beside its others. `second_factor` says whether
    the session that asks was verified with one; the page that calls this requires it
    wherever the platform requires a second factor."""
    errors: dict[str, list] = {}
    label = (label or "").strip()
    if not label:
        errors["label"] = [_("Give the token a name, to recognise it in the list.")]
    elif len(label) > ApiToken._meta.get_field("label").max_length:
        errors["label"] = [_("At most 80 characters.")]
    if scope not in PERSONAL_SCOPES:
        errors["scope"] = [_("Choose read or read_write.")]
    _check_days(days, errors)
    if errors:
        raise Invalid(fields=errors)
    token, key = ApiToken.objects.create(
        actor.user, expiry=timedelta(days=days), label=label, scope=scope, second_factor=second_factor
    )
    record_event(
        actor=actor,
        action="account.api_token_issued",
        object_type="api_token",
        object_public_id=token.public_id,
        detail={"scope": scope, "days": days, "second_factor": second_factor},
    )
    return IssuedApiToken(token=token, key=key)


@transaction.atomic
def revoke_api_token(*, actor: Actor, public_id: uuid.UUID) -> None:
    """The holder revokes one of their own tokens; anyone else's looks missing."""
    deleted, _rows = ApiToken.objects.filter(user_id=actor.user.pk, public_id=public_id).delete()
    if not deleted:
        raise NotFound()
    record_event(
        actor=actor,
        action="account.api_token_revoked",
        object_type="api_token",
        object_public_id=public_id,
        detail={"reason": "holder"},
    )


@transaction.atomic
def revoke_api_tokens(*, actor: Actor, user: User, reason: str) -> int:
    """Revokes every token of an account: after a password change, or by a coordinator of
    a coordination the account belongs to (tokens are per account, so this ends them in
    its other coordinations too). The caller checks who may; the event is written in the
    schema the connection is on."""
    deleted, _rows = ApiToken.objects.filter(user_id=user.pk).delete()
    if deleted:
        record_event(
            actor=actor,
            action="account.api_tokens_revoked",
            object_type="account",
            object_public_id=user.public_id,
            detail={"reason": reason, "count": deleted},
        )
    return deleted


def note_api_token_use(token: ApiToken | HarvestingToken, *, now: datetime) -> None:
    """Stamps "last used", at most every few minutes rather than on every request."""
    stale = now - timedelta(minutes=settings.MAILLAGE_API_TOKEN_LAST_USED_MINUTES)
    if token.last_used_at is None or token.last_used_at < stale:
        type(token).objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def note_sign_in(*, user: User, previous: datetime | None) -> None:
    """Keeps the sign-in before this one (Django's last_login is already this one's), from
    which a member's work page counts what is new."""
    User.objects.filter(pk=user.pk).update(previous_login=previous)
    user.previous_login = previous


def remember_coordination(*, user: User, coordination: Coordination) -> None:
    """The coordination the account is working in, where the next sign-in lands. Written
    only when it changes, not on every page."""
    if user.last_coordination_id == coordination.pk:
        return
    User.objects.filter(pk=user.pk).update(last_coordination=coordination)
    user.last_coordination_id = coordination.pk


def _check_days(days, errors: dict) -> None:
    longest = settings.MAILLAGE_API_TOKEN_MAX_DAYS
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= longest:
        errors["days"] = [_("Choose a number of days from 1 to %(days)d.") % {"days": longest}]


# --- Harvesting: a coordination's tokens for the HSDS routes --------------------------
# Who may is the caller's rule (directory.services, which knows the coordinator role);
# these write the rows and the event, in the trail of the coordination the connection is on.


@dataclass(frozen=True)
class IssuedHarvestingToken:
    token: HarvestingToken
    key: str  # shown to the coordinator once; only its digest is stored


def _locked_coordination(actor: Actor) -> Coordination:
    # Locked so that issuing a token and turning harvesting off do not cross.
    return Coordination.objects.select_for_update().get(pk=actor.coordination.pk)


@transaction.atomic
def set_harvesting(*, actor: Actor, allowed: bool) -> None:
    """Turns harvesting on or off for the actor's coordination. Off, its tokens are refused
    at their next request; they stay listed, and work again if it is turned back on before
    they expire, unless revoked."""
    if not isinstance(allowed, bool):
        raise Invalid(fields={"allowed": [_("Must be true or false.")]})
    coordination = _locked_coordination(actor)
    if coordination.harvesting_allowed != allowed:
        Coordination.objects.filter(pk=coordination.pk).update(harvesting_allowed=allowed, updated_at=timezone.now())
        record_event(
            actor=actor,
            action="coordination.harvesting_on" if allowed else "coordination.harvesting_off",
            object_type="coordination",
            detail={"tokens": HarvestingToken.objects.filter(coordination=coordination).count()},
        )


@transaction.atomic
def issue_harvesting_token(*, actor: Actor, label: str, days: int) -> IssuedHarvestingToken:
    """A new harvesting token of the actor's coordination, which must allow harvesting."""
    errors: dict[str, list] = {}
    label = (label or "").strip()
    if not label:
        errors["label"] = [_("Give the token a name, to recognise it in the list.")]
    elif len(label) > HarvestingToken._meta.get_field("label").max_length:
        errors["label"] = [_("At most 80 characters.")]
    _check_days(days, errors)
    if errors:
        raise Invalid(fields=errors)
    coordination = _locked_coordination(actor)
    if not coordination.harvesting_allowed:
        raise Conflict(_("Allow harvesting first: a token is refused while harvesting is off."))
    key = HARVESTING_KEY_PREFIX + create_token_string()
    token = HarvestingToken.objects.create(
        digest=hash_token(key),
        token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
        coordination=coordination,
        label=label,
        issued_by=actor.user,
        expiry=timezone.now() + timedelta(days=days),
    )
    record_event(
        actor=actor,
        action="coordination.harvesting_token_issued",
        object_type="harvesting_token",
        object_public_id=token.public_id,
        detail={"days": days},
    )
    return IssuedHarvestingToken(token=token, key=key)


@transaction.atomic
def revoke_harvesting_token(*, actor: Actor, public_id: uuid.UUID) -> None:
    """Revokes one of the coordination's harvesting tokens; another coordination's looks missing."""
    deleted, _rows = HarvestingToken.objects.filter(coordination_id=actor.coordination.pk, public_id=public_id).delete()
    if not deleted:
        raise NotFound()
    record_event(
        actor=actor,
        action="coordination.harvesting_token_revoked",
        object_type="harvesting_token",
        object_public_id=public_id,
    )


RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery"


@transaction.atomic
def issue_recovery_codes(*, actor: Actor, reason: str) -> list[str]:
    """A fresh set of single-use recovery codes for the acting account; the previous set
    stops working. The codes are returned to be shown once, at enrolment or from the
    account page."""
    device, _created = StaticDevice.objects.get_or_create(
        user=actor.user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in sorted(codes))
    device.throttle_reset()
    record_event(
        actor=actor,
        action="account.recovery_codes_issued",
        object_type="account",
        object_public_id=actor.user.public_id,
        detail={"reason": reason, "count": RECOVERY_CODE_COUNT},
    )
    return sorted(codes)


@transaction.atomic
def use_recovery_code(*, actor: Actor, device: StaticDevice, code: str) -> bool:
    """Checks a recovery code and spends it: django-otp deletes the matching code, so each
    works once. The caller has checked that the device's throttle allows a try."""
    if not device.verify_token(code):
        return False
    record_event(
        actor=actor,
        action="account.recovery_code_used",
        object_type="account",
        object_public_id=actor.user.public_id,
        detail={"left": device.token_set.count()},
    )
    return True


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
