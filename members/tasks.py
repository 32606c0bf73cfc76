"""Jobs of the members app: the invitation e-mail, and an operations check of a
coordination's schema."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection
from django.template.loader import render_to_string
from django.utils import translation
from django_tenants.utils import schema_context

from directory.models import Organisation
from members.models import Invitation, Membership
from tenants.models import Coordination


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(schema_name: str, invitation_id: int, token: str) -> None:
    coordination = Coordination.objects.get(schema_name=schema_name)
    with schema_context(schema_name):
        invitation = Invitation.objects.select_related("organisation", "invited_by").get(pk=invitation_id)
        if not invitation.is_open():
            return
        context = {
            "coordination": coordination,
            "invitation": invitation,
            "url": f"{coordination.absolute_url}invitation/{token}/",
        }
        with translation.override(invitation.invited_by.preferred_language or settings.LANGUAGE_CODE):
            subject = render_to_string("members/email/invitation_subject.txt", context).strip()
            body = render_to_string("members/email/invitation.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


@shared_task(ignore_result=False)
def coordination_health(schema_name: str) -> dict:
    """Operations check: a worker reaches the coordination's schema and counts its rows
    (its caller waits for the answer, so it keeps a result, unlike the other tasks)."""
    with schema_context(schema_name):
        return {
            "schema": connection.schema_name,
            "organisations": Organisation.objects.count(),
            "active_members": Membership.objects.filter(is_active=True).count(),
        }
