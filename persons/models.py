"""Persons and households. A file belongs to the organisation that created it; another
organisation sees it only through a consent (consent.policies).

The tables keep the names they had when these models lived in referrals: raw SQL
elsewhere (the regional indicators) names them, and moving the models changed no table,
index or constraint.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from directory.models import ResidenceStatus
from maillage.models import Timestamped


class LanguageLevel(models.TextChoices):
    NONE = "none", _("None")
    A1 = "a1", "A1"
    A2 = "a2", "A2"
    B1 = "b1", "B1"
    B2 = "b2", "B2"
    C1 = "c1", "C1"
    C2 = "c2", "C2"
    NATIVE = "native", _("First language")


class Literacy(models.TextChoices):
    LITERATE = "literate", _("Reads and writes")
    OTHER_SCRIPT = "other_script", _("Reads and writes another script only")
    PARTIAL = "partial", _("Reads and writes a little")
    NOT_LITERATE = "not_literate", _("Does not read or write")


# The object permission of the worker a file is assigned to (PersonAssignment).
WORK_ON_PERSON = "work_on_person"


class Person(Timestamped):
    """The file an organisation keeps on a person it follows.

    Personal data lives in the fields listed in PERSONAL_FIELDS (access reports,
    retention and exports use that list). The national register number is stored
    encrypted and never leaves this model in lists, logs or exports.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="persons", verbose_name=_("organisation")
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    languages = ArrayField(models.CharField(max_length=8), default=list, blank=True, verbose_name=_("languages"))
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)
    french_level = models.CharField(_("French level"), max_length=8, choices=LanguageLevel.choices, blank=True)
    dutch_level = models.CharField(_("Dutch level"), max_length=8, choices=LanguageLevel.choices, blank=True)
    literacy = models.CharField(_("literacy"), max_length=16, choices=Literacy.choices, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    interpreter_language = models.CharField(_("interpreter language"), max_length=8, blank=True)
    status = models.CharField(_("status"), max_length=32, choices=ResidenceStatus.choices, blank=True)
    commune_registration_date = models.DateField(_("registered in the commune on"), null=True, blank=True)
    programme_registration_date = models.DateField(
        _("registered in the integration programme on"), null=True, blank=True
    )
    national_number_encrypted = models.TextField(blank=True, editable=False)
    closed_at = models.DateTimeField(_("file closed on"), null=True, blank=True)
    # A family that moved to another coordination: this file stays with its organisation,
    # closed on the move, and goes by retention as any closed file.
    moved_at = models.DateTimeField(_("moved on"), null=True, blank=True, editable=False)
    # A file opened on arrival from another coordination: the transfer it came by (one file
    # per transfer, whatever the retries) and the origin as the directories name it.
    arrived_by_transfer = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    arrived_from = models.CharField(_("arrived from"), max_length=300, blank=True, editable=False)
    # The integration programme deadline reckoned where the person first registered: a move
    # does not restart the clock.
    programme_due_carried = models.DateField(
        _("integration programme deadline carried over"), null=True, blank=True, editable=False
    )
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, null=True, related_name="+"
    )
    # The names as persons.names writes them for searching; set by the services with the names.
    search_name = models.TextField(blank=True, default="", editable=False)
    search_key = models.TextField(blank=True, default="", editable=False)

    class Meta:
        db_table = "referrals_person"
        ordering = ["family_name", "given_name", "pk"]
        indexes = [
            models.Index(fields=["birth_date"]),
            models.Index(fields=["birth_year"]),
            GinIndex(fields=["search_name"], opclasses=["gin_trgm_ops"], name="person_search_name_trgm"),
            GinIndex(fields=["search_key"], opclasses=["gin_trgm_ops"], name="person_search_key_trgm"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | (Q(birth_year__gte=1900) & Q(birth_year__lte=2100)),
                name="person_birth_year_range",
            ),
        ]
        # Granted per file to a named worker of the organisation that keeps it
        # (PersonAssignment): no role implies it.
        permissions = [(WORK_ON_PERSON, "Work on the file (assigned)")]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class PersonAssignment(UserObjectPermissionBase):
    """A person's file assigned to a named worker of the organisation that keeps it:
    django-guardian's object permission `work_on_person`, with a direct foreign key so
    that lists read the assignee in the same query as the file."""

    content_object = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assignments")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(UserObjectPermissionBase.Meta):
        pass

    def __str__(self) -> str:
        return f"file {self.content_object_id} assigned to account {self.user_id}"


# The columns that hold personal data (besides the encrypted national number).
PERSONAL_FIELDS = (
    "given_name",
    "family_name",
    "birth_date",
    "birth_year",
    "languages",
    "preferred_language",
    "french_level",
    "dutch_level",
    "literacy",
    "interpreter_needed",
    "interpreter_language",
    "status",
    "commune_registration_date",
    "programme_registration_date",
    "programme_due_carried",
    "arrived_from",
)

# Columns derived from the names, for search only: emptied whenever the names are.
NAME_DERIVED_FIELDS = ("search_name", "search_key")


class Household(Timestamped):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="households")
    name = models.CharField(_("name"), max_length=120, help_text=_("How the team calls it, e.g. 'Family A.'"))

    class Meta:
        db_table = "referrals_household"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Relation(models.TextChoices):
    HEAD = "head", _("Reference person")
    PARTNER = "partner", _("Partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Brother or sister")
    OTHER = "other", _("Other relative")


class HouseholdMember(Timestamped):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_links")
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)

    class Meta:
        db_table = "referrals_householdmember"
        constraints = [models.UniqueConstraint(fields=["household", "person"], name="person_once_per_household")]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.household_id} ({self.relation})"
