"""JSON for API responses: every date-time in the platform's time zone (settings.TIME_ZONE,
Europe/Brussels) with its offset, e.g. 2026-12-03T14:30:00+01:00.

DRF's serializer fields already give local time; a datetime put in a response as is (a
dict built by hand, a kept idempotent response) would otherwise come out in UTC, as
PostgreSQL returns it. One convention everywhere, so a client never has to guess."""

from datetime import datetime

from django.utils import timezone
from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder as DRFJSONEncoder


def local_iso(value: datetime | None) -> str | None:
    """An aware date-time as ISO 8601 in the platform's time zone, with its offset."""
    if value is None:
        return None
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat()


class JSONEncoder(DRFJSONEncoder):
    def default(self, obj):
        if isinstance(obj, datetime):
            return local_iso(obj)
        return super().default(obj)


class JSONRenderer(renderers.JSONRenderer):
    encoder_class = JSONEncoder
