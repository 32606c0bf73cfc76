"""The daily job that gives an ended consent a withdrawal's effects, fanned out to every
coordination."""

from celery import shared_task
from django_tenants.utils import schema_context

from consent.services import apply_expiries
from maillage.actor import Actor
from tenants.models import Coordination
from tenants.tasks import for_each_coordination


@shared_task
def apply_consent_expiries_everywhere() -> int:
    """Queues the job for each active coordination; returns how many were queued."""
    return for_each_coordination(apply_consent_expiries)


@shared_task
def apply_consent_expiries(schema_name: str) -> int:
    coordination = Coordination.objects.get(schema_name=schema_name)
    with schema_context(schema_name):
        return apply_expiries(actor=Actor.system(coordination))
