"""Writes of the members app shared by the domain services: in-app notices."""

from django.db import connection, transaction

from tenants.members.models import Notification


def notify(users, *, kind: str, params: dict, url: str, email: bool = True) -> list[Notification]:
    """One in-app notice per account (an account listed twice gets one), each e-mailed once
    by the worker after commit (tenants.tasks.send_notification_email) unless `email` is
    False. `url` is relative to the coordination; `params` carry ids, never personal data."""
    recipients = {user.pk: user for user in users}.values()
    notices = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, params=params, url=url) for user in recipients
    )
    schema = connection.schema_name
    ids = [notice.pk for notice in notices]

    def _send():
        from tenants.tasks import send_notification_email

        for notification_id in ids:
            send_notification_email.delay(schema, notification_id)

    if ids and email:
        transaction.on_commit(_send)
    return notices
