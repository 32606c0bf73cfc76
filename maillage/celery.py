"""The Celery app. Tasks take a schema name and ids, never model instances."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

app = Celery("maillage")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {
    "remind-unverified-offers": {
        "task": "notifications.tasks.remind_unverified_offers_everywhere",
        "schedule": crontab(day_of_week="mon", hour=6, minute=30),
    },
    "compute-indicators": {
        "task": "regions.tasks.compute_indicators",
        "schedule": crontab(hour=1, minute=30),
    },
    "clear-expired-sessions": {
        "task": "maillage.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=17),
    },
    "apply-retention": {
        "task": "persons.tasks.apply_retention_everywhere",
        "schedule": crontab(hour=2, minute=40),
    },
    "check-referral-deadlines": {
        "task": "referrals.tasks.check_referral_deadlines_everywhere",
        "schedule": crontab(hour=7, minute=0),
    },
    "remind-meeting-actions": {
        "task": "meetings.tasks.remind_actions_everywhere",
        "schedule": crontab(hour=7, minute=15),
    },
    # CELERY_TIMEZONE is Europe/Brussels.
    "send-weekly-digests": {
        "task": "notifications.tasks.send_weekly_digests_everywhere",
        "schedule": crontab(day_of_week="mon", hour=7, minute=0),
    },
}
