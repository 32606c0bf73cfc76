"""The daily referral deadline job, fanned out to every coordination."""

from celery import shared_task
from django_tenants.utils import schema_context

from maillage.actor import Actor
from referrals.reminders import check_referral_deadlines as check
from tenants.models import Coordination
from tenants.tasks import for_each_coordination


@shared_task
def check_referral_deadlines_everywhere() -> int:
    """Queues the daily deadline check for each active coordination; returns how many."""
    return for_each_coordination(check_referral_deadlines)


@shared_task
def check_referral_deadlines(schema_name: str) -> dict:
    coordination = Coordination.objects.get(schema_name=schema_name)
    with schema_context(schema_name):
        return check(actor=Actor.system(coordination))
