"""The record of a transfer between two coordinations, in the public schema: the one place
both sides read. It holds ids, codes and the organisations' names as their directories
publish them, never the person's data: that is read in the origin's schema at acceptance
and written in the receiving one in the same step (maillage.handover), so it never rests
here. A pending transfer says that some file of the origin may come, not whose."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from maillage.models import Timestamped


class TransferState(models.TextChoices):
    PENDING = "pending", _("Waiting for the receiving organisation")
    ACCEPTED = "accepted", _("Accepted: the file was handed over")
    DECLINED = "declined", _("Declined by the receiving organisation")
    CANCELLED = "cancelled", _("Cancelled: the consent is no longer in force")


class Transfer(Timestamped):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    origin = models.ForeignKey("tenants.Coordination", on_delete=models.PROTECT, related_name="+")
    origin_organisation = models.UUIDField()
    origin_organisation_name = models.CharField(max_length=200)
    origin_person = models.UUIDField()
    consent = models.UUIDField()
    destination = models.ForeignKey("tenants.Coordination", on_delete=models.PROTECT, related_name="+")
    destination_organisation = models.UUIDField()
    destination_organisation_name = models.CharField(max_length=200)
    # The kinds of data the consent shares (codes): what the receiving organisation may
    # expect, shown before it answers.
    categories = ArrayField(models.CharField(max_length=16))
    state = models.CharField(max_length=16, choices=TransferState.choices, default=TransferState.PENDING)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The parts that crossed (maillage.handover keys, e.g. identity, situation): codes only.
    parts = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    # The file opened on arrival (an id of the receiving coordination, read there only).
    arrived_person = models.UUIDField(null=True, blank=True)
    # When the origin's side was done (its file marked moved, its trail written): the
    # acceptance runs it after its own commit, and transfers.tasks again if it was cut short.
    origin_done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(origin=F("destination")), name="transfer_to_another_coordination"),
            models.UniqueConstraint(
                fields=["origin", "origin_person"],
                condition=Q(state="pending"),
                name="transfer_one_pending_per_file",
            ),
            models.CheckConstraint(
                condition=~Q(state="accepted") | Q(arrived_person__isnull=False, decided_at__isnull=False),
                name="transfer_accepted_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"transfer {self.public_id} ({self.state})"
