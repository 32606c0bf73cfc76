"""Coordination meetings, follow-up actions and the local action plan.

Nothing here is about a followed person: meetings, decisions and actions concern the
network's organisations. Forms say so, and no field is meant to hold a person's data.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.models import Timestamped


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ObjectiveStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    ABANDONED = "abandoned", _("Abandoned")


class Meeting(Timestamped):
    """A meeting of the coordination's member organisations."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    # Bumped at every change so calendar apps replace their copy (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # A meeting that will not take place keeps its record, marked cancelled with the
    # reason members are given; the three are set together, once.
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    cancellation_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        constraints = [
            models.CheckConstraint(condition=~Q(place="") | ~Q(video_url=""), name="meeting_place_or_video"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True, cancelled_by__isnull=True, cancellation_reason="")
                | (Q(cancelled_at__isnull=False, cancelled_by__isnull=False) & ~Q(cancellation_reason="")),
                name="meeting_cancellation_complete",
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="meeting_starts_at")]

    def __str__(self) -> str:
        return self.title

    def is_past(self, now=None) -> bool:
        return self.starts_at < (now or timezone.now())

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class AgendaItem(Timestamped):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("agenda item"), max_length=300)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="agenda_item_position_once")]

    def __str__(self) -> str:
        return self.title


class Attendance(Timestamped):
    """Whether a member organisation took part in a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organisation"], name="attendance_once_per_organisation"),
            models.CheckConstraint(condition=Q(status__in=AttendanceStatus.values), name="attendance_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.status}"


class Decision(Timestamped):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(_("decision"))

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="decision_position_once")]

    def __str__(self) -> str:
        return self.text[:60]


class Objective(Timestamped):
    """An objective of the local action plan (the Walloon "plan local d'intégration", the
    Brussels "pacte local"), in one need domain."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    need_domain = models.ForeignKey(
        "directory.NeedDomain", on_delete=models.PROTECT, related_name="+", verbose_name=_("need domain")
    )
    title = models.CharField(_("objective"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ObjectiveStatus.choices, default=ObjectiveStatus.PLANNED
    )

    class Meta:
        ordering = ["need_domain__position", "need_domain__code", "created_at"]
        verbose_name = _("objective")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ObjectiveStatus.values), name="objective_status_known")
        ]

    def __str__(self) -> str:
        return self.title


class Action(Timestamped):
    """A follow-up action: decided at a meeting, and/or serving an objective of the plan.
    An owner organisation is always named, so someone is reminded of it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="actions", verbose_name=_("meeting")
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("objective"),
    )
    what = models.CharField(_("what"), max_length=500)
    owner = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner organisation")
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, null=True, blank=True, related_name="+"
    )
    # Each reminder goes once per due date (a new due date asks again).
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "created_at"]
        verbose_name = _("action")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ActionStatus.values), name="action_status_known"),
            models.CheckConstraint(condition=~Q(what=""), name="action_what_given"),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="action_open_by_due")]

    def __str__(self) -> str:
        return self.what[:60]

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == ActionStatus.OPEN and self.due_on is not None and self.due_on < today


class CalendarFeed(Timestamped):
    """A member's secret address for the meetings calendar. Calendar apps fetch it without
    a session, so the token in the address is the credential: only its hash is stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    membership = models.ForeignKey("members.Membership", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"], condition=Q(revoked_at__isnull=True), name="one_live_calendar_feed"
            )
        ]

    def __str__(self) -> str:
        return f"feed {self.public_id}"
