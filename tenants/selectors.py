"""Reads of coordinations and accounts."""

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django_otp.plugins.otp_static.models import StaticDevice

from tenants.models import ApiToken, Coordination, CoordinationCommune, HarvestingToken, User


def public_coordinations() -> QuerySet[Coordination]:
    """Active coordinations and their public facts, for the home page."""
    return (
        Coordination.objects.exclude(schema_name="public")
        .filter(is_active=True)
        .prefetch_related(Prefetch("communes", queryset=CoordinationCommune.objects.order_by("name")))
        .order_by("region", "name")
    )


def other_active_coordinations(coordination: Coordination) -> QuerySet[Coordination]:
    """The active coordinations besides this one: where a family followed here may move."""
    return (
        Coordination.objects.exclude(schema_name="public")
        .exclude(pk=coordination.pk)
        .filter(is_active=True)
        .order_by("region", "name")
    )


def coordination_by_slug(slug: str) -> Coordination | None:
    """The coordination with this slug, active or not (None: no such coordination)."""
    return Coordination.objects.exclude(schema_name="public").filter(slug=str(slug or "")[:40]).first()


def coordinations_by_ids(ids) -> dict[int, Coordination]:
    return {c.pk: c for c in Coordination.objects.filter(pk__in=set(ids))}


def coordinations_of(user: User) -> QuerySet[Coordination]:
    """The coordinations an account may open (the switcher)."""
    if not user.is_authenticated:
        return Coordination.objects.none()
    return Coordination.objects.filter(accesses__user_id=user.pk, accesses__is_active=True, is_active=True).order_by(
        "name"
    )


def landing_url(user: User, default: str) -> str:
    """Where an account lands after signing in: its work page in the coordination it used
    last (or, never used or no longer open to it, the first it may open); `default` for an
    account with no coordination."""
    coordinations = list(coordinations_of(user))
    if not coordinations:
        return default
    chosen = next((c for c in coordinations if c.pk == user.last_coordination_id), coordinations[0])
    return chosen.url + settings.MAILLAGE_MEMBER_LANDING


def active_coordination_schemas() -> list[str]:
    """The schemas scheduled jobs fan out to."""
    return list(
        Coordination.objects.exclude(schema_name="public").filter(is_active=True).values_list("schema_name", flat=True)
    )


def api_tokens_starting_with(token_key: str) -> QuerySet[ApiToken]:
    """The tokens (with their account) whose stored first characters are these: one query;
    the caller compares digests."""
    return ApiToken.objects.select_related("user").filter(token_key=token_key).order_by()


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """An account's own tokens, newest first, expired ones included until revoked."""
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created")


def harvesting_tokens_starting_with(token_key: str) -> QuerySet[HarvestingToken]:
    """The harvesting tokens (with their coordination) whose stored first characters are
    these: one query; the caller compares digests."""
    return HarvestingToken.objects.select_related("coordination").filter(token_key=token_key).order_by()


def harvesting_tokens_of(coordination: Coordination) -> QuerySet[HarvestingToken]:
    """A coordination's harvesting tokens, newest first, expired ones included until revoked."""
    return HarvestingToken.objects.filter(coordination_id=coordination.pk).order_by("-created")


def harvesting_allowed(coordination: Coordination) -> bool:
    """Read from the row, not from the request's tenant, which may predate a change."""
    return Coordination.objects.filter(pk=coordination.pk, harvesting_allowed=True).exists()


def recovery_device_of(user: User) -> StaticDevice | None:
    """The account's set of recovery codes, if it was ever given one."""
    return StaticDevice.objects.filter(user_id=user.pk, confirmed=True).first()


def recovery_codes_left(user: User) -> int | None:
    """How many unused recovery codes the account holds; None when it was never given any."""
    device = recovery_device_of(user)
    return None if device is None else device.token_set.count()
