"""The shared support plan of a person: one plan, parts contributed by the organisations
that follow the person, and the reviews where they settle it together.

Every part that says something about the person (an assessment's items, a commitment, a
PIIS) carries one need domain: another organisation reads it only while a consent in force
names it, that domain and the plan data category (plans.policies.part_visibility). The
free texts are listed in TEXT_FIELDS, for the access report and retention.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from maillage.models import Timestamped

# The need domain of the integration programme (the seeded taxonomy's code): a commitment
# in it meets the person's programme deadline.
PROGRAMME_DOMAIN = "integration_programme"
# The need domain a PIIS is filed under when none is chosen: the CPAS's social integration.
PIIS_DOMAIN = "social_rights"


class Plan(Timestamped):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.OneToOneField("persons.Person", on_delete=models.PROTECT, related_name="plan")
    household = models.ForeignKey(
        "persons.Household", on_delete=models.SET_NULL, null=True, blank=True, related_name="plans"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", help_text="Who started the plan."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", db_constraint=False
    )

    def __str__(self) -> str:
        return f"plan {self.public_id}"


class AssessmentKind(models.TextChoices):
    SOCIAL_REVIEW = "social_review", _("Social review (bilan social)")
    SOCIAL_ENQUIRY = "social_enquiry", _("Social enquiry summary")
    INTAKE = "intake", _("Intake")


class Assessment(Timestamped):
    """One organisation's assessment; what it says is in its items, one per need domain."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="assessments")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=AssessmentKind.choices)
    assessed_on = models.DateField(_("assessed on"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", db_constraint=False
    )
    # Set on a part that arrived with a family from another coordination: who wrote it there
    # and in which coordination, by name only (no key reaches across schemas).
    arrived_from = models.CharField(_("arrived from"), max_length=300, blank=True, editable=False)

    class Meta:
        ordering = ["-assessed_on", "-pk"]


class AssessmentItem(Timestamped):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="items")
    domain = models.ForeignKey("directory.NeedDomain", on_delete=models.PROTECT, related_name="+")
    situation = models.TextField(_("situation"), blank=True)
    wishes = models.TextField(_("what the person wants"), blank=True)
    agreed = models.TextField(_("what is agreed"), blank=True)

    class Meta:
        ordering = ["domain__position", "pk"]
        constraints = [models.UniqueConstraint(fields=["assessment", "domain"], name="assessment_item_once_per_domain")]


class CommitmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Under way")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# A commitment in these states still takes the person's time.
ACTIVE_STATUSES = (CommitmentStatus.PLANNED, CommitmentStatus.ONGOING)


class Commitment(Timestamped):
    """Who does what for the person, from when, on which days and hours."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="commitments")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", help_text="Who wrote it."
    )
    owner = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("carried out by")
    )
    domain = models.ForeignKey(
        "directory.NeedDomain", on_delete=models.PROTECT, related_name="+", verbose_name=_("need domain")
    )
    what = models.CharField(_("what"), max_length=300)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    weekdays = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True, verbose_name=_("days"))
    starts_at = models.TimeField(_("from (hour)"), null=True, blank=True)
    ends_at = models.TimeField(_("until (hour)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CommitmentStatus.choices, default=CommitmentStatus.PLANNED
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", db_constraint=False
    )
    # Set on a part that arrived with a family from another coordination: who wrote it there
    # and in which coordination, by name only (no key reaches across schemas).
    arrived_from = models.CharField(_("arrived from"), max_length=300, blank=True, editable=False)
    # The organisation that carried it out there, by name (`owner` is then the organisation
    # that took the file over, which answers for it here).
    arrived_owner = models.CharField(_("carried out there by"), max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["starts_on", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="commitment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=(Q(starts_at__isnull=True) & Q(ends_at__isnull=True))
                | (Q(starts_at__isnull=False) & Q(ends_at__isnull=False) & Q(ends_at__gt=F("starts_at"))),
                name="commitment_hours_in_order",
            ),
        ]


class Piis(Timestamped):
    """The PIIS (projet individualisé d'intégration sociale): the contract a CPAS signs with
    the person, written by the CPAS alone."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="piis")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    domain = models.ForeignKey(
        "directory.NeedDomain", on_delete=models.PROTECT, related_name="+", verbose_name=_("need domain")
    )
    signed_on = models.DateField(_("signed on"))
    reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    objectives = models.TextField(_("objectives"))
    includes_programme = models.BooleanField(_("includes the integration programme"), default=False)
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", db_constraint=False
    )
    # Set on a part that arrived with a family from another coordination: who wrote it there
    # and in which coordination, by name only (no key reaches across schemas).
    arrived_from = models.CharField(_("arrived from"), max_length=300, blank=True, editable=False)

    class Meta:
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewed_on__isnull=True) | Q(reviewed_on__gte=F("signed_on")),
                name="piis_reviewed_after_signed",
            ),
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True) | Q(next_review_on__gte=F("signed_on")),
                name="piis_next_review_after_signed",
            ),
        ]


class PlanReview(Timestamped):
    """A dated meeting of the organisations concerned, with the person or not."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", help_text="Who recorded it."
    )
    held_on = models.DateField(_("held on"))
    in_person = models.BooleanField(_("in person"), default=True)
    person_present = models.BooleanField(_("the person took part"), default=True)
    participants = models.ManyToManyField(
        "directory.Organisation", related_name="+", verbose_name=_("participating organisations")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", db_constraint=False
    )

    class Meta:
        ordering = ["-held_on", "-pk"]


class Decision(Timestamped):
    """What a review decided; appended, never edited."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="decisions")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("decision"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", db_constraint=False
    )

    class Meta:
        ordering = ["created_at", "pk"]


# The free texts about the person, by model: printed in the access report, overwritten by
# retention.
TEXT_FIELDS = {
    AssessmentItem: ("situation", "wishes", "agreed"),
    Commitment: ("what",),
    Piis: ("objectives",),
    Decision: ("text",),
}
