"""What every model of the apps carries."""

from django.db import models
from django.utils import timezone


class Timestamped(models.Model):
    """When a row was written and last changed (aware datetimes)."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
