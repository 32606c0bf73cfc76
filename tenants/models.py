"""Public-schema models: coordinations (the tenants), their domains, accounts.

A coordination's own data (organisations, memberships, files) lives in its schema; only
the public facts of a coordination and the global accounts live here.
"""

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS


class Region(models.TextChoices):
    BRUSSELS = "brussels", _("Brussels-Capital")
    WALLONIA = "wallonia", _("Wallonia")
    FLANDERS = "flanders", _("Flanders")


# Legal delay to register in the integration programme after commune registration:
# 6 months in Brussels, 3 in Wallonia (policy brief, fn 14). Flanders has no figure in
# our sources; 3 is a placeholder a coordinator can change.
REGISTRATION_DEADLINE_MONTHS = {
    Region.BRUSSELS: 6,
    Region.WALLONIA: 3,
    Region.FLANDERS: 3,
}


class ReferralRouting(models.TextChoices):
    DIRECT = "direct", _("Referrals go straight to the CPAS reference persons")
    TRIAGE = "triage", _("A coordinator triages referrals to the CPAS first")


def _name_for(name: str, name_nl: str, language: str | None) -> str:
    if (language or get_language() or "fr")[:2] == "nl" and name_nl:
        return name_nl
    return name


class Coordination(TenantMixin):
    """A commune's local coordination: one PostgreSQL schema."""

    name = models.CharField(_("name"), max_length=120)
    name_nl = models.CharField(
        _("name in Dutch"), max_length=120, blank=True, help_text=_("Where the commune has two official names.")
    )
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    region = models.CharField(_("region"), max_length=16, choices=Region.choices, blank=True)
    lead_organisation_name = models.CharField(_("lead organisation"), max_length=200, blank=True)
    lead_organisation_public_id = models.UUIDField(null=True, blank=True, editable=False)
    referral_response_working_days = models.PositiveSmallIntegerField(
        _("referral response deadline (working days)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    registration_deadline_months = models.PositiveSmallIntegerField(
        _("integration programme registration deadline (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    referral_routing = models.CharField(
        _("referrals to the CPAS"), max_length=8, choices=ReferralRouting.choices, default=ReferralRouting.DIRECT
    )
    is_active = models.BooleanField(_("active"), default=True)
    # A coordinator's opt-in: while off, the coordination's harvesting tokens are refused.
    harvesting_allowed = models.BooleanField(_("allow harvesting of the directory (HSDS)"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    auto_create_schema = False  # tenants.schemas.create_schema, from provisioning
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]
        verbose_name = _("coordination")
        verbose_name_plural = _("coordinations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(schema_name="public") | ~models.Q(region=""),
                name="coordination_has_region",
            ),
            models.CheckConstraint(
                condition=models.Q(referral_response_working_days__gte=1)
                & models.Q(referral_response_working_days__lte=30),
                name="coordination_response_days_range",
            ),
            models.CheckConstraint(
                condition=models.Q(registration_deadline_months__gte=1)
                & models.Q(registration_deadline_months__lte=24),
                name="coordination_registration_months_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def shown_name(self, language: str | None = None) -> str:
        """The Dutch name to a Dutch reader where the commune has one (Schaarbeek)."""
        return _name_for(self.name, self.name_nl, language)

    @property
    def is_public(self) -> bool:
        return self.schema_name == "public"

    @property
    def url(self) -> str:
        """Root of the coordination's pages: /c/<slug>/, or its own host in host routing."""
        if settings.MAILLAGE_ROUTING == "host":
            site = urlsplit(settings.MAILLAGE_SITE_URL)
            port = f":{site.port}" if site.port else ""
            return f"{site.scheme}://{self.slug}.{settings.MAILLAGE_BASE_DOMAIN}{port}/"
        return f"/c/{self.slug}/"

    @property
    def absolute_url(self) -> str:
        """The root URL as an e-mail needs it."""
        url = self.url
        return url if url.startswith("http") else settings.MAILLAGE_SITE_URL.rstrip("/") + url


class Domain(DomainMixin):
    """A route to a coordination: its bare slug (path routing) or a host name."""

    class Meta:
        verbose_name = _("domain")


nis_code_validator = RegexValidator(r"^\d{5}$", _("A NIS code has five digits."))


class CoordinationCommune(models.Model):
    """A commune covered by a coordination (Statbel NIS code)."""

    coordination = models.ForeignKey(Coordination, on_delete=models.CASCADE, related_name="communes")
    name = models.CharField(_("commune"), max_length=120)
    name_nl = models.CharField(_("commune (Dutch name)"), max_length=120, blank=True)
    nis_code = models.CharField(_("NIS code"), max_length=5, validators=[nis_code_validator])
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["coordination", "nis_code"], name="commune_once_per_coordination"),
            models.CheckConstraint(condition=models.Q(nis_code__regex=r"^\d{5}$"), name="commune_nis_five_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nis_code})"

    def shown_name(self, language: str | None = None) -> str:
        return _name_for(self.name, self.name_nl, language)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An account needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """One global account per human, signing in with an e-mail address."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    preferred_language = models.CharField(_("interface language"), max_length=5, default="fr")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("platform staff"), default=False)
    # Where the account lands after signing in: the coordination whose pages it opened last.
    # No database constraint: a deferred foreign key on accounts would leave trigger events
    # pending after an account is written, and provisioning, which creates an account and
    # then a schema whose tables reference accounts in the same transaction, would fail.
    last_coordination = models.ForeignKey(
        "tenants.Coordination",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_constraint=False,
    )
    # The sign-in before the current one: "since my last visit" on a member's work page.
    previous_login = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class RegionalAdministrator(models.Model):
    """An account that compares a region's territories on aggregates, and opens no coordination."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="regional_administrator")
    region = models.CharField(_("region"), max_length=16, choices=Region.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("regional administrator")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_region_display()})"


class CoordinationAccess(models.Model):
    """Public index of the coordinations an account may open, for the switcher.

    The authority is the membership row inside the coordination's schema, checked on
    every request; this index only avoids scanning every schema to list them. Services
    that change a membership update it in the same transaction.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="coordination_accesses")
    coordination = models.ForeignKey(Coordination, on_delete=models.CASCADE, related_name="accesses")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "coordination"], name="access_once_per_coordination")]

    def __str__(self) -> str:
        return f"{self.user} → {self.coordination}"


class SchemaScript(models.Model):
    """The SQL that the tenant migrations sent to a new schema, replayed for the next ones.

    Keyed by a fingerprint of the migration files and versions (see tenants.schemas).
    """

    fingerprint = models.CharField(max_length=64, unique=True)
    script = models.TextField()
    statement_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"{self.fingerprint[:12]} ({self.statement_count} statements)"


class TokenScope(models.TextChoices):
    """What an API token may do. The rule each scope applies is written once, in
    tenants.authentication.SCOPE_RULES; a new scope is one choice here and one rule there."""

    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")
    # A coordination's harvesting token (HarvestingToken), never an account's.
    HSDS = "hsds", _("HSDS harvesting (read only)")


PERSONAL_SCOPES = (TokenScope.READ, TokenScope.READ_WRITE)


class ApiToken(AbstractAuthToken):
    """A personal API token (django-rest-knox's model: only a SHA-512 digest of the key and
    its first characters are stored). Revoking one deletes its row."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    label = models.CharField(_("label"), max_length=80)
    scope = models.CharField(_("scope"), max_length=20, choices=[(s.value, s.label) for s in PERSONAL_SCOPES])
    # Required here, unlike knox: every token ends.
    expiry = models.DateTimeField(_("expires"))
    # Issued from a session verified with a second factor. A token issued while the
    # platform did not require one stops working wherever the role now requires it.
    second_factor = models.BooleanField(_("issued with a second factor"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(condition=models.Q(scope__in=PERSONAL_SCOPES), name="api_token_scope_known"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.token_key})"


# Harvesting keys start with this, so that the authentication knows which table to look in
# without a second query; personal keys are hexadecimal and never do.
HARVESTING_KEY_PREFIX = "hsds_"


class HarvestingToken(models.Model):
    """A coordination's token for a regional portal or an aggregator that harvests its
    directory through the HSDS routes, and nothing else (SCOPE_RULES[TokenScope.HSDS]).

    It belongs to the coordination, not to an account: the harvester is not a member and no
    membership, role or organisation comes with it. Hashed as ApiToken is (knox's helpers:
    only a SHA-512 digest of the key and its first characters are stored). It works only
    while the coordination allows harvesting; revoking one deletes its row."""

    scope = TokenScope.HSDS

    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, primary_key=True)
    token_key = models.CharField(max_length=CONSTANTS.TOKEN_KEY_LENGTH, db_index=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coordination = models.ForeignKey(Coordination, on_delete=models.CASCADE, related_name="harvesting_tokens")
    label = models.CharField(_("label"), max_length=80)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    expiry = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("harvesting token")
        verbose_name_plural = _("harvesting tokens")

    def __str__(self) -> str:
        return f"{self.label} ({self.token_key})"
