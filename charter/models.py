"""Organisations joining the coordination and its data-sharing charter.

A charter version is written as a draft by the coordinators, then published: a published
version is never changed again (a change is a new version). Each member organisation
adopts the current version through a named representative; until it has, it can neither
send nor receive referrals (charter.selectors.check_charter_for_*).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import OrganisationKind
from maillage.delivery import EmailFailure
from maillage.models import Timestamped


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class MembershipRequest(Timestamped):
    """An organisation asks to join the coordination: a member, or anyone with the join link
    (signed in or not: an organisation new to the platform has no account yet). The
    coordinators approve it (the organisation becomes a member, its contact is invited) or
    refuse it with a reason the requester is told by e-mail."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation_name = models.CharField(_("name of the organisation"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    enterprise_number = models.CharField(_("enterprise number (BCE/KBO)"), max_length=10, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    city = models.CharField(_("commune"), max_length=100)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail address"))
    motivation = models.TextField(_("what the organisation offers and why it wants to join"))
    # The directory's organisation: the listed-only one the request is about, or the member
    # organisation once approved.
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="membership_requests"
    )
    # None when filed through the join link without an account: the contact is told.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, null=True, blank=True, related_name="+"
    )
    # The language of the page it was filed on: the decision e-mail is written in it.
    language = models.CharField(max_length=8, blank=True)
    # Set under a row lock by the decision e-mail task: the requester is told once.
    decision_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when that e-mail still failed after the task's retries, cleared once it is sent:
    # the coordinators see it on the request, and the sweeper tries again later.
    decision_email_failed_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_email_failure = models.CharField(max_length=20, choices=EmailFailure.choices, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("membership request")
        constraints = [
            models.UniqueConstraint(
                Lower("organisation_name"),
                condition=Q(status="pending"),
                name="membership_request_one_pending_per_name",
            ),
            models.UniqueConstraint(
                fields=["enterprise_number"],
                condition=Q(status="pending") & ~Q(enterprise_number=""),
                name="membership_request_one_pending_per_number",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="membership_request_decision_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="membership_request_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(organisation__isnull=False),
                name="membership_request_approval_names_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_name} ({self.status})"


class CharterVersion(Timestamped):
    """One version of the coordination's data-sharing charter. `number` and `published_at`
    are set together on publication; from then on the version is never edited."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.PositiveIntegerField(_("version"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    purposes = models.TextField(_("purposes of the data sharing"))
    secrecy_rules = models.TextField(_("shared professional secrecy rules"))
    retention = models.TextField(_("retention of data"))
    data_protection_contact = models.TextField(_("data protection contact"))
    other_provisions = models.TextField(_("other provisions"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number", "-created_at"]
        verbose_name = _("charter version")
        constraints = [
            models.UniqueConstraint(fields=["number"], name="charter_version_number_unique"),
            models.CheckConstraint(
                condition=Q(number__isnull=True, published_at__isnull=True)
                | Q(number__isnull=False, published_at__isnull=False),
                name="charter_version_published_numbered",
            ),
            # One draft at a time: the coordinators work on one next version.
            models.UniqueConstraint(
                models.Value(True), condition=Q(published_at__isnull=True), name="charter_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}" if self.number else f"{self.title} (draft)"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class CharterAdoption(Timestamped):
    """A member organisation adopted one charter version, through a named representative.
    `adopted_by` is the account that recorded it: an active member of that organisation
    (empty only for adoptions recorded by the platform itself, e.g. the demo)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    charter = models.ForeignKey(CharterVersion, on_delete=models.PROTECT, related_name="adoptions")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="adoptions")
    representative_name = models.CharField(_("representative"), max_length=200)
    representative_title = models.CharField(_("function of the representative"), max_length=200, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, null=True, blank=True, related_name="+"
    )
    adopted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-adopted_at"]
        verbose_name = _("charter adoption")
        constraints = [
            models.UniqueConstraint(fields=["charter", "organisation"], name="charter_adopted_once_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} adopted {self.charter_id}"


class JoinLinkRenewal(Timestamped):
    """Each row retires the coordination's join link and makes a new one: the link's secret
    is derived from the schema and the number of renewals (charter.policies)."""

    renewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )

    def __str__(self) -> str:
        return f"join link renewed {self.created_at:%Y-%m-%d}"
