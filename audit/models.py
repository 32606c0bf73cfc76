"""The audit trail. Rows are written once; the database refuses UPDATE and DELETE.

The table exists in the public schema (platform events: provisioning, regional
administrators) and in every coordination's schema (everything done inside it). It holds
ids, never names or free text about a person, so it can be kept and exported as it is.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        # Every reference to an account from a coordination's schema goes without a database
        # constraint (tenants/schemas.py says why); accounts are deactivated, never deleted.
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        help_text="Null for the system (scheduled jobs, provisioning from the command line).",
    )
    coordination_slug = models.CharField(max_length=40, blank=True)
    organisation_public_id = models.UUIDField(null=True, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_public_id = models.UUIDField(null=True, blank=True, db_index=True)
    person_public_id = models.UUIDField(null=True, blank=True, db_index=True)
    request_id = models.UUIDField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action}"
