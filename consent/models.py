"""Consent records: who agreed to share what, with whom, for which needs, until when.

A given record is never edited: a change is a new version that supersedes it; a
withdrawal ends it. "Expired" is not stored: a consent is in force while it is given and
its expiry is in the future, which every query checks.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.uploads import stored_extension


class DataCategory(models.TextChoices):
    IDENTITY = "identity", _("Identity and contact")
    SITUATION = "situation", _("Situation and needs")
    CASE_NOTES = "case_notes", _("Case notes")
    DOCUMENTS = "documents", _("Documents")
    SENSITIVE = "sensitive", _("Health and violence (sensitive)")
    # The parts of the shared support plan (assessments, commitments, the PIIS), each read
    # for its own need domain.
    PLAN = "plan", _("Support plan")


class ConsentMethod(models.TextChoices):
    PAPER = "paper_signed", _("Signed paper form (uploaded)")
    SCREEN = "screen_signed", _("Signed on screen")
    ORAL = "oral_witnessed", _("Oral, with a witness")


class ConsentState(models.TextChoices):
    GIVEN = "given", _("Given")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SUPERSEDED = "superseded", _("Replaced by a new version")


def proof_path(instance, filename: str) -> str:
    from django.db import connection

    # One folder per coordination: files never mix between schemas. The uploaded name is
    # dropped: only the extension of the kind its content was found to be is kept.
    return f"consent-proofs/{connection.schema_name}/{instance.public_id}/signed-form.{stored_extension(filename)}"


class Consent(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("persons.Person", on_delete=models.PROTECT, related_name="consents")
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="consents_recorded",
        help_text="The organisation that follows the person and recorded the consent.",
    )
    recipients = models.ManyToManyField(
        "directory.Organisation", related_name="consents_received", verbose_name=_("shared with")
    )
    domains = models.ManyToManyField("directory.NeedDomain", related_name="consents", verbose_name=_("for needs"))
    categories = ArrayField(
        models.CharField(max_length=16, choices=DataCategory.choices), verbose_name=_("data shared")
    )
    purpose = models.TextField(_("purpose"))
    method = models.CharField(_("how it was given"), max_length=16, choices=ConsentMethod.choices)
    proof = models.FileField(_("signed form"), upload_to=proof_path, blank=True)
    signed_name = models.CharField(_("name as signed"), max_length=200, blank=True)
    witness_name = models.CharField(_("witness"), max_length=200, blank=True)
    explanation_language = models.CharField(_("explained in"), max_length=8)
    interpreter_used = models.BooleanField(_("with an interpreter"), default=False)
    interpreter_name = models.CharField(_("interpreter"), max_length=200, blank=True)
    given_at = models.DateTimeField(_("given on"))
    expires_at = models.DateTimeField(_("valid until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, null=True, related_name="+"
    )
    state = models.CharField(max_length=16, choices=ConsentState.choices, default=ConsentState.GIVEN)
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)
    # When the daily job applied the end of its validity (the referrals that relied on it
    # closed, as on a withdrawal); not a state: expiry itself is read from `expires_at`.
    expiry_applied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        indexes = [models.Index(fields=["state", "expires_at"], name="consent_in_force")]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=F("given_at")), name="consent_expires_after_given"),
            models.CheckConstraint(
                condition=~Q(state="withdrawn") | Q(withdrawn_at__isnull=False), name="consent_withdrawal_dated"
            ),
            models.CheckConstraint(condition=~Q(categories=[]), name="consent_has_categories"),
        ]

    def __str__(self) -> str:
        return f"consent {self.public_id} v{self.version}"

    def category_labels(self) -> list[str]:
        return [DataCategory(c).label for c in self.categories if c in DataCategory.values]

    def display_state(self, now=None) -> str:
        """given / withdrawn / superseded, or expired when given but past its end."""
        if self.state == ConsentState.GIVEN and self.expires_at <= (now or timezone.now()):
            return "expired"
        return self.state


class RecipientElsewhere(models.Model):
    """An organisation of another coordination a consent names: the one a family moving
    there is handed over to. Only its ids and its name as the other coordination's directory
    gave it are kept; nothing of that coordination is read through this row."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="recipients_elsewhere")
    coordination = models.ForeignKey("tenants.Coordination", on_delete=models.PROTECT, related_name="+")
    organisation_public_id = models.UUIDField()
    organisation_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consent", "coordination", "organisation_public_id"], name="recipient_elsewhere_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_public_id} in coordination {self.coordination_id}"

    @property
    def name(self) -> str:
        """As the printed papers name it: the organisation, then its coordination."""
        return f"{self.organisation_name} — {self.coordination.name}"
