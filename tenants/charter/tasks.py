"""The e-mail telling the requester how the coordinators decided on a membership request."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from tenants.models import Coordination


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_membership_decision_email(schema_name: str, notification_id: int) -> None:
    """Like tenants.tasks.send_notification_email (sent once, under the notice's row lock),
    but the e-mail carries the decision and, for a refusal, the coordinators' reason: the
    requester may not be a member and so cannot read it on the platform's member pages."""
    from tenants.charter.models import MembershipRequest
    from tenants.members.models import Notification

    coordination = Coordination.objects.get(schema_name=schema_name)
    with schema_context(schema_name), transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None:
            return
        user = notification.recipient
        request = MembershipRequest.objects.filter(public_id=notification.params.get("request")).first()
        if not user.is_active or request is None:
            return
        context = {
            "coordination": coordination,
            "request": request,
            "url": f"{coordination.absolute_url}{notification.url}",
        }
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = render_to_string("charter/email/decision_subject.txt", context).strip()
            body = render_to_string("charter/email/decision.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at", "updated_at"])
