"""Daily reminders of follow-up actions, fanned out to every coordination."""

from celery import shared_task
from django_tenants.utils import schema_context

from maillage.actor import Actor
from meetings.services import send_action_reminders
from tenants.models import Coordination
from tenants.tasks import for_each_coordination


@shared_task
def remind_actions_everywhere() -> int:
    """Queues the daily action reminders for each active coordination; returns how many."""
    return for_each_coordination(remind_actions)


@shared_task
def remind_actions(schema_name: str) -> dict:
    coordination = Coordination.objects.get(schema_name=schema_name)
    with schema_context(schema_name):
        return send_action_reminders(actor=Actor.system(coordination))
