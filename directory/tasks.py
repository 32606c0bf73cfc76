"""Weekly freshness job, fanned out to every coordination."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tenants.utils import schema_context

from directory.models import Offer
from maillage.actor import Actor
from tenants.models import Coordination, User
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


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_verification_reminder_email(schema_name: str, user_id: int, offer_ids: list[int]) -> None:
    coordination = Coordination.objects.get(schema_name=schema_name)
    user = User.objects.get(pk=user_id)
    with schema_context(schema_name):
        offers = list(Offer.objects.filter(pk__in=offer_ids).order_by("title"))
        context = {
            "coordination": coordination,
            "offers": offers,
            "url": f"{coordination.absolute_url}directory/mine/",
        }
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = render_to_string("directory/email/verify_subject.txt", context).strip()
            body = render_to_string("directory/email/verify.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
