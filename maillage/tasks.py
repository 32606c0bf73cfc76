"""Platform-wide jobs."""

from celery import shared_task
from django.core.management import call_command


@shared_task
def clear_expired_sessions() -> None:
    """Expired sessions are personal data about sign-ins; drop them nightly."""
    call_command("clearsessions")
