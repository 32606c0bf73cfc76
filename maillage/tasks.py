"""Platform-wide jobs."""

from celery import shared_task
from django.core.management import call_command


@shared_task
def clear_expired_sessions() -> None:
    """Expired sessions are personal data about sign-ins; drop them nightly."""
    call_command("clearsessions")


def for_each_coordination(task, *args) -> int:
    """Queues `task(schema_name, *args)` for every active coordination; returns how many."""
    from tenants.selectors import active_coordination_schemas

    schemas = active_coordination_schemas()
    for schema_name in schemas:
        task.delay(schema_name, *args)
    return len(schemas)
