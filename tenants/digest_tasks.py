"""The weekly digest job (Celery beat, Monday morning), fanned out to every coordination.

Imported by `tenants.tasks` so that the worker registers these tasks."""

from datetime import date

from celery import shared_task
from django.utils import timezone
from django_tenants.utils import schema_context

from maillage.actor import Actor
from tenants.models import Coordination


@shared_task
def send_weekly_digests_everywhere() -> int:
    """Queues the digest of each active coordination; returns how many were queued. The
    sending day is fixed here, so a retry later keeps the same week and the same content."""
    from tenants.selectors import active_coordination_schemas

    today = timezone.localdate().isoformat()
    schemas = active_coordination_schemas()
    for schema_name in schemas:
        send_weekly_digests.delay(schema_name, today)
    return len(schemas)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_weekly_digests(schema_name: str, day: str | None = None) -> dict:
    """`day` (ISO date) is the sending day, today when not given."""
    from tenants.digest_services import send_weekly_digests as send

    today = date.fromisoformat(day) if day else timezone.localdate()
    coordination = Coordination.objects.get(schema_name=schema_name)
    with schema_context(schema_name):
        run = send(actor=Actor.system(coordination), today=today)
    return {"week": run.week, "sent": run.sent, "already_sent": run.already_sent, "nothing_new": run.nothing_new}
