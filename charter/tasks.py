"""The e-mail telling the requester how the coordinators decided on a membership request."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from charter.models import MembershipRequest
from charter.selectors import join_link
from tenants.models import Coordination


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_membership_decision_email(schema_name: str, request_id: int) -> None:
    """Tells the requester the decision, once: the row lock and `decision_emailed_at` make
    a task delivered twice send nothing the second time. The e-mail carries the decision
    and, for a refusal, the coordinators' reason: the requester may have no account, or no
    membership here to read it on. It goes to the account that filed the request, or to
    the contact address when it was filed without one."""
    coordination = Coordination.objects.get(schema_name=schema_name)
    with schema_context(schema_name), transaction.atomic():
        request = (
            MembershipRequest.objects.select_for_update(of=("self",))
            .select_related("requested_by")
            .filter(pk=request_id)
            .first()
        )
        if request is None or request.decision_emailed_at is not None:
            return
        account = request.requested_by
        if account is not None and not account.is_active:
            return
        address = account.email if account is not None else request.contact_email
        language = (account.preferred_language if account is not None else "") or request.language
        context = {"coordination": coordination, "request": request, "signed_in": account is not None}
        if account is not None:
            context["url"] = join_link(coordination)
        with translation.override(language or settings.LANGUAGE_CODE):
            subject = render_to_string("charter/email/decision_subject.txt", context).strip()
            body = render_to_string("charter/email/decision.txt", context)
        # Sent under the lock: an OSError rolls back and the retry finds the date unset.
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        request.decision_emailed_at = timezone.now()
        request.save(update_fields=["decision_emailed_at", "updated_at"])
