"""One row per Idempotency-Key a user sent to this coordination's API, with the response
it got. In the coordination's schema, so a key is scoped to the coordination as well as
to the user."""

from django.conf import settings
from django.db import models

from maillage.models import Timestamped


class IdempotentRequest(Timestamped):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_constraint=False, related_name="+")
    key = models.CharField(max_length=255)
    # sha256 of the method, the path and the body: the same key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    # The response's data as JSON text (not jsonb, which would reorder its keys); it may
    # hold personal data, hence the short life (services.KEPT_FOR) and the daily purge.
    body = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_one_row_per_user_key")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created_at")]
