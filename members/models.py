"""Who works in a coordination, for which organisation, in which role."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.roles import Role


class Membership(models.Model):
    """An account's seat in this coordination. Deactivated, never deleted: history stays."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    weekly_digest = models.BooleanField(_("receives the weekly digest"), default=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(is_active=True), name="one_active_membership_per_user"
            ),
            models.CheckConstraint(
                condition=models.Q(is_active=True, deactivated_at__isnull=True)
                | models.Q(is_active=False, deactivated_at__isnull=False),
                name="membership_deactivation_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"

    @property
    def needs_second_factor(self) -> bool:
        from members.roles import READS_PERSONAL_DATA

        return self.role in READS_PERSONAL_DATA


class Invitation(models.Model):
    """An e-mailed invitation to join the coordination. Only the token's hash is stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"))
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="invitations")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class Notification(models.Model):
    """An in-app notice to one account in this coordination. Carries codes and ids, so it
    renders in the reader's language and holds no personal data."""

    class Kind(models.TextChoices):
        OFFERS_TO_VERIFY = "offers_to_verify", _("Offers to verify")
        REFERRAL_SENT = "referral_sent", _("New referral")
        REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
        REFERRAL_DECLINED = "referral_declined", _("Referral declined")
        REFERRAL_COMPLETED = "referral_completed", _("Referral closed")
        REFERRAL_CANCELLED = "referral_cancelled", _("Referral cancelled")
        REFERRAL_CONSENT_WITHDRAWN = "referral_consent_withdrawn", _("Consent withdrawn on a referral")
        REFERRAL_DUE_SOON = "referral_due_soon", _("Referral to answer soon")
        REFERRAL_OVERDUE = "referral_overdue", _("Referral past its answer deadline")
        REFERRAL_NOTE = "referral_note", _("New note on a referral")
        REFERRAL_TO_TRIAGE = "referral_to_triage", _("Referral to triage")
        MEMBERSHIP_REQUESTED = "membership_requested", _("An organisation asks to join")
        MEMBERSHIP_DECIDED = "membership_decided", _("Membership request decided")
        CHARTER_TO_ADOPT = "charter_to_adopt", _("Data-sharing charter to adopt")
        MEETING_PLANNED = "meeting_planned", _("Coordination meeting planned")
        ACTION_DUE = "action_due", _("Follow-up action due soon")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set by tenants.tasks.send_notification_email under a row lock: a notice is e-mailed once.
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"
