"""Referrals between organisations, their timeline, and the case notes shared on a
person's file (persons.Person)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase


class ReferralStatus(models.TextChoices):
    """Aligned with the FHIR Task statuses used for referrals."""

    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    # The recipient answered with another appointment; the sender accepts or declines it.
    APPOINTMENT_PROPOSED = "appointment_proposed", _("Other appointment proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")
    CANCELLED = "cancelled", _("Cancelled")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")


OPEN_STATUSES = (
    ReferralStatus.SENT,
    ReferralStatus.RECEIVED,
    ReferralStatus.APPOINTMENT_PROPOSED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.IN_PROGRESS,
)
# Ended one way or another: lists show them apart, without an answer date.
CLOSED_STATUSES = (
    ReferralStatus.DECLINED,
    ReferralStatus.COMPLETED,
    ReferralStatus.NOT_COMPLETED,
    ReferralStatus.CANCELLED,
    ReferralStatus.CONSENT_WITHDRAWN,
)
# Waiting for the receiving side's answer: the answer date applies (accepting or declining
# is the answer).
AWAITING_ANSWER = (ReferralStatus.SENT, ReferralStatus.RECEIVED)
# Not taken on yet: the recipient sees the preview, not the file. A proposed appointment is
# an answer (no deadline runs on the recipient) but not yet an acceptance.
BEFORE_ACCEPTANCE = (*AWAITING_ANSWER, ReferralStatus.APPOINTMENT_PROPOSED)


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("No capacity")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    WRONG_SERVICE = "wrong_service", _("Not our service")
    ALREADY_FOLLOWED = "already_followed", _("Already followed here")
    OTHER = "other", _("Other reason")


class Outcome(models.TextChoices):
    SERVICE_DELIVERED = "service_delivered", _("Service delivered")
    PROGRAMME_REGISTERED = "programme_registered", _("Registered in the integration programme")
    HOUSING_FOUND = "housing_found", _("Housing found")
    RIGHTS_OPENED = "rights_opened", _("Rights opened (income, allowances)")
    ORIENTED_ELSEWHERE = "oriented_elsewhere", _("Oriented elsewhere")
    OTHER = "other", _("Other outcome")


class NotCompletedReason(models.TextChoices):
    DID_NOT_COME = "did_not_come", _("The person did not come")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    NO_CAPACITY = "no_capacity", _("No capacity")
    PERSON_STOPPED = "person_stopped", _("The person stopped")
    OTHER = "other", _("Other reason")


# The object permission of the worker a referral received is assigned to (ReferralAssignment).
WORK_ON_REFERRAL = "work_on_referral"


class Referral(models.Model):
    """A person sent from one organisation to another, with their consent."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Read aloud over the phone ("SCH-2026-0042"): referrals.references gives it at creation.
    reference = models.CharField(_("reference"), max_length=24, unique=True, editable=False)
    person = models.ForeignKey("persons.Person", on_delete=models.PROTECT, related_name="referrals")
    household = models.ForeignKey(
        "persons.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )
    to_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="referrals_received"
    )
    to_offer = models.ForeignKey("directory.Offer", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    domains = models.ManyToManyField("directory.NeedDomain", related_name="referrals")
    consent = models.ForeignKey("consent.Consent", on_delete=models.PROTECT, related_name="referrals")
    reason = models.TextField(_("reason"))
    expectation = models.TextField(_("what is expected"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    appointment_place = models.CharField(_("appointment place"), max_length=200, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    interpreter_language = models.CharField(_("interpreter language"), max_length=8, blank=True)
    status = models.CharField(max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT)
    response_due = models.DateField(_("answer expected by"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, null=True, blank=True, related_name="+"
    )
    # With triage (a coordination setting), a referral to the CPAS waits for a coordinator
    # to pass it on before it reaches the reference persons' inbox.
    awaiting_triage = models.BooleanField(default=False)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    not_completed_reason = models.CharField(max_length=20, choices=NotCompletedReason.choices, blank=True)
    closing_note = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    overdue_since = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["to_organisation", "status"], name="referral_inbox"),
            # The inbox page: newest first within one organisation, stopping after a page.
            models.Index(fields=["to_organisation", "-sent_at", "-created_at", "-id"], name="referral_inbox_order"),
            models.Index(fields=["from_organisation", "status"], name="referral_outbox"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_organisation=models.F("to_organisation")), name="referral_to_another_organisation"
            ),
        ]
        # Granted per referral to a named worker of the receiving organisation
        # (ReferralAssignment): no role implies it.
        permissions = [(WORK_ON_REFERRAL, "Work on the referral (assigned)")]

    def __str__(self) -> str:
        return f"referral {self.public_id} ({self.status})"


class ReferralAssignment(UserObjectPermissionBase):
    """A referral received, assigned to a named worker of the receiving organisation:
    django-guardian's object permission `work_on_referral`, stored with a direct foreign
    key so that the inbox reads the assignee in the same query as the referral."""

    content_object = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="assignments")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(UserObjectPermissionBase.Meta):
        pass

    def __str__(self) -> str:
        return f"referral {self.content_object_id} assigned to account {self.user_id}"


class ReferralEvent(models.Model):
    """One step of a referral's timeline (who moved it from which status to which)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, null=True, related_name="+"
    )
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class ReferenceCounter(models.Model):
    """The last reference number given in a year, in this coordination (one schema, one
    counter per year). Taken under the row's lock, in the referral's transaction: a
    rolled-back referral gives its number back, so the sequence has no gap."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ProposalState(models.TextChoices):
    PENDING = "pending", _("Waiting for the sender")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class AppointmentProposal(models.Model):
    """Another appointment the receiving organisation proposes instead of the referral's;
    once the sender accepts it, it becomes the referral's appointment."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="proposals")
    appointment_at = models.DateTimeField(_("appointment"))
    appointment_place = models.CharField(_("appointment place"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=12, choices=ProposalState.choices, default=ProposalState.PENDING)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = models.TextField(_("answer"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # At most one proposal waits for the sender's answer on a referral.
            models.UniqueConstraint(
                fields=["referral"], condition=Q(state="pending"), name="one_pending_proposal_per_referral"
            ),
        ]

    def __str__(self) -> str:
        return f"proposal {self.public_id} ({self.state})"


# --- Shared case notes -----------------------------------------------------------------


class NoteAudience(models.TextChoices):
    ORGANISATION = "organisation", _("My organisation")
    REFERRAL = "referral", _("The parties of one referral")
    CONSENTED = "consented", _("Every organisation the consent covers")


class CaseNote(models.Model):
    """One version of a note an organisation writes on a person's file.

    Never edited: a correction is a new version that supersedes this one (`thread` is
    shared by every version of one note), a deletion is a retraction that keeps the row.
    Who reads it is consent's business (referrals.notes.selectors.notes_visible_to).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    thread = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    person = models.ForeignKey("persons.Person", on_delete=models.PROTECT, related_name="case_notes")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )
    domain = models.ForeignKey(
        "directory.NeedDomain", on_delete=models.PROTECT, related_name="+", verbose_name=_("need domain")
    )
    text = models.TextField(_("note"))
    audience = models.CharField(_("shared with"), max_length=16, choices=NoteAudience.choices)
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="case_notes")
    sensitive = models.BooleanField(
        _("sensitive (health, violence)"),
        default=False,
        help_text=_("Read only inside your organisation, unless the consent names sensitive data."),
    )
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    retracted_at = models.DateTimeField(null=True, blank=True)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, null=True, blank=True, related_name="+"
    )
    retraction_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "organisation"], name="case_note_person_organisation")]
        constraints = [
            # The referral names the audience: set exactly when the note is for its parties.
            models.CheckConstraint(
                condition=(Q(audience="referral") & Q(referral__isnull=False))
                | (~Q(audience="referral") & Q(referral__isnull=True)),
                name="case_note_referral_iff_referral_audience",
            ),
            models.CheckConstraint(
                condition=Q(retracted_at__isnull=True) | ~Q(retraction_reason=""),
                name="case_note_retraction_explained",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="case_note_version_from_one"),
        ]

    def __str__(self) -> str:
        return f"case note {self.public_id} v{self.version}"


# The columns of a case note that hold personal data (retention, access reports).
CASE_NOTE_PERSONAL_FIELDS = ("text", "retraction_reason")
