"""In-app notices to accounts; every one is written by notifications.services.notify."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.delivery import EmailFailure


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
        REFERRAL_APPOINTMENT_PROPOSED = "referral_appointment_proposed", _("Other appointment proposed")
        REFERRAL_PROPOSAL_ACCEPTED = "referral_proposal_accepted", _("Proposed appointment accepted")
        REFERRAL_PROPOSAL_DECLINED = "referral_proposal_declined", _("Proposed appointment declined")
        MEMBERSHIP_REQUESTED = "membership_requested", _("An organisation asks to join")
        MEMBERSHIP_DECIDED = "membership_decided", _("Membership request decided")
        CHARTER_TO_ADOPT = "charter_to_adopt", _("Data-sharing charter to adopt")
        MEETING_PLANNED = "meeting_planned", _("Coordination meeting planned")
        ACTION_DUE = "action_due", _("Follow-up action due soon")
        TRANSFER_RECEIVED = "transfer_received", _("A family moving to your organisation")
        TRANSFER_DECIDED = "transfer_decided", _("Transfer answered")
        REFERRAL_HANDED_OVER = "referral_handed_over", _("Referral handed over to you")
        FILE_HANDED_OVER = "file_handed_over", _("File handed over to you")

    # What the reader is asked to do, as the words of the notice's link.
    NEXT_STEPS = {
        Kind.OFFERS_TO_VERIFY: _("Verify your offers"),
        Kind.REFERRAL_SENT: _("Read and answer the referral"),
        Kind.REFERRAL_ACCEPTED: _("See the referral"),
        Kind.REFERRAL_DECLINED: _("See why and refer elsewhere"),
        Kind.REFERRAL_COMPLETED: _("See the outcome"),
        Kind.REFERRAL_CANCELLED: _("See the referral"),
        Kind.REFERRAL_CONSENT_WITHDRAWN: _("See the referral"),
        Kind.REFERRAL_DUE_SOON: _("Answer the referral"),
        Kind.REFERRAL_OVERDUE: _("Answer or follow up the referral"),
        Kind.REFERRAL_NOTE: _("Read the note"),
        Kind.REFERRAL_TO_TRIAGE: _("Triage the referral"),
        Kind.REFERRAL_APPOINTMENT_PROPOSED: _("Accept or decline the appointment"),
        Kind.REFERRAL_PROPOSAL_ACCEPTED: _("See the referral"),
        Kind.REFERRAL_PROPOSAL_DECLINED: _("See the referral"),
        Kind.MEMBERSHIP_REQUESTED: _("Review the request"),
        Kind.MEMBERSHIP_DECIDED: _("See the decision"),
        Kind.CHARTER_TO_ADOPT: _("Read and adopt the charter"),
        Kind.MEETING_PLANNED: _("See the meeting"),
        Kind.ACTION_DUE: _("See the action"),
        Kind.TRANSFER_RECEIVED: _("Accept or decline the transfer"),
        Kind.TRANSFER_DECIDED: _("See the transfer"),
        Kind.REFERRAL_HANDED_OVER: _("Follow up the referral"),
        Kind.FILE_HANDED_OVER: _("Open the file"),
    }

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # False for a notice that is only shown in the app (the sweeper leaves it alone).
    by_email = models.BooleanField(default=True, editable=False)
    # Set by notifications.tasks.send_notification_email under a row lock: a notice is e-mailed once.
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when the e-mail still failed after the task's retries (cleared once it is sent):
    # coordinators see it, and the sweeper tries again later (maillage.delivery).
    email_failed_at = models.DateTimeField(null=True, blank=True, editable=False)
    email_failure = models.CharField(max_length=20, choices=EmailFailure.choices, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The table was created when the model lived in members; it kept its name.
        db_table = "members_notification"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def next_step(self) -> str:
        return str(self.NEXT_STEPS.get(self.kind, _("Open")))
