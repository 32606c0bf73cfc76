"""The e-mail telling the requester how the coordinators decided on a membership request,
and the sweep that queues it again when it was not sent."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from charter.models import MembershipRequest
from charter.selectors import decisions_to_email_again, join_link
from maillage.delivery import SWEEP_BATCH, TRANSIENT_ERRORS, retry_or_give_up
from tenants.models import Coordination
from tenants.tasks import for_each_coordination


@shared_task(bind=True, max_retries=settings.MAILLAGE_EMAIL_MAX_RETRIES)
def send_membership_decision_email(self, schema_name: str, request_id: int) -> None:
    """Tells the requester the decision, once: the row lock and `decision_emailed_at` make
    a task delivered twice send nothing the second time. A database or mail failure is
    retried; after the last retry the request shows the failure to the coordinators, and
    the sweeper tries again later."""
    try:
        _email_decision(schema_name, request_id)
    except TRANSIENT_ERRORS as error:

        def give_up(failure: str) -> None:
            with schema_context(schema_name):
                _record_failure(request_id=request_id, failure=failure)

        retry_or_give_up(self, error, log_ref=f"membership request {request_id} in {schema_name}", give_up=give_up)


def _email_decision(schema_name: str, request_id: int) -> None:
    """The e-mail carries the decision and, for a refusal, the coordinators' reason: the
    requester may have no account, or no membership here to read it on. It goes to the
    account that filed the request, or to the contact address when it was filed without
    one."""
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
        # Sent under the lock: a failure rolls back and the retry finds the date unset.
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        request.decision_emailed_at = timezone.now()
        request.decision_email_failed_at = None
        request.decision_email_failure = ""
        request.save(
            update_fields=["decision_emailed_at", "decision_email_failed_at", "decision_email_failure", "updated_at"]
        )


def _record_failure(*, request_id: int, failure: str) -> None:
    MembershipRequest.objects.filter(pk=request_id, decision_emailed_at__isnull=True).update(
        decision_email_failed_at=timezone.now(), decision_email_failure=failure, updated_at=timezone.now()
    )


@shared_task
def resend_decision_emails_everywhere() -> int:
    """Queues the sweep of each active coordination (Celery beat, every few minutes)."""
    return for_each_coordination(resend_decision_emails)


@shared_task
def resend_decision_emails(schema_name: str) -> int:
    """Queues again every decision e-mail that should have gone by now and has not (see
    charter.selectors.decisions_to_email_again); returns how many."""
    with schema_context(schema_name):
        request_ids = list(decisions_to_email_again(now=timezone.now())[:SWEEP_BATCH])
    for request_id in request_ids:
        send_membership_decision_email.delay(schema_name, request_id)
    return len(request_ids)
