"""The Celery app. Tasks take a schema name and ids, never model instances."""

import os
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

app = Celery("maillage")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _task(name: str, **when) -> dict:
    """A beat entry: the task, run at `when` (crontab fields) in CELERY_TIMEZONE, Europe/Brussels."""
    return {"task": name, "schedule": crontab(**when)}


def _every(name: str, seconds: int) -> dict:
    return {"task": name, "schedule": timedelta(seconds=seconds)}


app.conf.beat_schedule = {
    "remind-unverified-offers": _task(
        "notifications.tasks.remind_unverified_offers_everywhere", day_of_week="mon", hour=6, minute=30
    ),
    "compute-indicators": _task("regions.tasks.compute_indicators", hour=1, minute=30),
    "clear-expired-sessions": _task("maillage.tasks.clear_expired_sessions", hour=3, minute=17),
    "apply-retention": _task("persons.tasks.apply_retention_everywhere", hour=2, minute=40),
    "check-referral-deadlines": _task("referrals.tasks.check_referral_deadlines_everywhere", hour=7, minute=0),
    "remind-meeting-actions": _task("meetings.tasks.remind_actions_everywhere", hour=7, minute=15),
    "send-weekly-digests": _task(
        "notifications.tasks.send_weekly_digests_everywhere", day_of_week="mon", hour=7, minute=0
    ),
    # What was lost (a worker, a broker, a failed publish) or failed is queued again.
    "resend-unsent-email": _every(
        "notifications.tasks.resend_unsent_email_everywhere", settings.MAILLAGE_EMAIL_SWEEP_EVERY
    ),
    "resend-decision-emails": _every(
        "charter.tasks.resend_decision_emails_everywhere", settings.MAILLAGE_EMAIL_SWEEP_EVERY
    ),
}
