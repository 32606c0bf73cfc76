"""Weekly freshness job, fanned out to every coordination."""

from celery import shared_task
from django_tenants.utils import schema_context

from maillage.actor import Actor
from tenants.models import Coordination
from tenants.tasks import for_each_coordination


@shared_task
def remind_unverified_offers_everywhere() -> int:
    return for_each_coordination(remind_unverified_offers)


@shared_task
def remind_unverified_offers(schema_name: str) -> int:
    from directory.services import send_verification_reminders

    coordination = Coordination.objects.get(schema_name=schema_name)
    with schema_context(schema_name):
        return send_verification_reminders(actor=Actor.system(coordination))
