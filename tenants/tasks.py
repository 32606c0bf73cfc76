"""Jobs of the tenants app, run by the worker: the password set-up e-mail, and the fan-out
of a job to every active coordination."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tenants.models import User
from tenants.selectors import active_coordination_schemas


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_password_setup_email(user_id: int) -> None:
    user = User.objects.get(pk=user_id)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    context = {
        "user": user,
        "url": f"{settings.MAILLAGE_SITE_URL}/accounts/reset/{uid}/{token}/",
    }
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = render_to_string("tenants/email/password_setup_subject.txt", context).strip()
        body = render_to_string("tenants/email/password_setup.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def for_each_coordination(task, *args) -> int:
    """Queues `task(schema_name, *args)` for every active coordination; returns how many."""
    schemas = active_coordination_schemas()
    for schema_name in schemas:
        task.delay(schema_name, *args)
    return len(schemas)
