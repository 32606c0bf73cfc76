"""Jobs of the tenants app, run by the worker: the password set-up e-mail and an operations
check of a coordination's schema."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tenants.utils import schema_context

from tenants.models import User


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


@shared_task
def coordination_health(schema_name: str) -> dict:
    """Operations check: a worker reaches the coordination's schema and counts its rows."""
    from directory.models import Organisation
    from members.models import Membership

    with schema_context(schema_name):
        return {
            "schema": connection.schema_name,
            "organisations": Organisation.objects.count(),
            "active_members": Membership.objects.filter(is_active=True).count(),
        }
