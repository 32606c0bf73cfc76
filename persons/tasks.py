"""The daily retention job, fanned out to every coordination."""

from celery import shared_task
from django_tenants.utils import schema_context

from consent.services import purge_consent_proofs
from maillage.actor import Actor
from persons.services import anonymise_closed_files
from tenants.models import Coordination
from tenants.tasks import for_each_coordination


@shared_task
def apply_retention_everywhere() -> int:
    """Queues the job for each active coordination; returns how many were queued."""
    return for_each_coordination(apply_retention)


@shared_task
def apply_retention(schema_name: str) -> dict:
    coordination = Coordination.objects.get(schema_name=schema_name)
    with schema_context(schema_name):
        actor = Actor.system(coordination)
        return {
            "anonymised": anonymise_closed_files(actor=actor),
            "proofs_purged": purge_consent_proofs(actor=actor),
        }
