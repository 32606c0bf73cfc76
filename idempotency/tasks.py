"""The daily purge of kept responses past their 24 hours, fanned out to every coordination."""

from celery import shared_task
from django_tenants.utils import schema_context

from idempotency.services import purge_expired
from tenants.tasks import for_each_coordination


@shared_task
def purge_expired_keys_everywhere() -> int:
    """Purges the public schema's keys (the account's own API) and queues the purge for each
    active coordination; returns how many coordinations."""
    purge_expired_keys("public")
    return for_each_coordination(purge_expired_keys)


@shared_task
def purge_expired_keys(schema_name: str) -> int:
    with schema_context(schema_name):
        return purge_expired()
