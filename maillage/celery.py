"""The Celery app. Tasks take a schema name and ids, never model instances."""

import logging
import os
from datetime import timedelta

import redis
from celery import Celery, bootsteps
from celery.schedules import crontab
from django.conf import settings

from maillage import health

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

logger = logging.getLogger(__name__)

app = Celery("maillage")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class Heartbeat(bootsteps.StartStopStep):
    """Writes the worker's heartbeat (maillage.health) at start, then every 15 s from the
    main process's timer, which tasks running in the prefork pool's children do not hold
    up; /readyz reads it."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.timer_entry = None

    def start(self, worker):
        def beat():
            try:
                health.beat_heart()
            except (redis.RedisError, OSError):
                # Redis away: readiness shows it, and the worker carries on.
                logger.warning("worker heartbeat not written", exc_info=True)

        beat()
        self.timer_entry = worker.timer.call_repeatedly(health.HEARTBEAT_SECONDS, beat)

    def stop(self, worker):
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None


app.steps["worker"].add(Heartbeat)


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
    # Before the deadline job: a referral whose consent ended is closed, not reminded of.
    "apply-consent-expiries": _task("consent.tasks.apply_consent_expiries_everywhere", hour=0, minute=20),
    "purge-idempotency-keys": _task("idempotency.tasks.purge_expired_keys_everywhere", hour=3, minute=40),
    "apply-retention": _task("persons.tasks.apply_retention_everywhere", hour=2, minute=40),
    "check-referral-deadlines": _task("referrals.tasks.check_referral_deadlines_everywhere", hour=7, minute=0),
    "remind-meeting-actions": _task("meetings.tasks.remind_actions_everywhere", hour=7, minute=15),
    "send-weekly-digests": _task(
        "notifications.tasks.send_weekly_digests_everywhere", day_of_week="mon", hour=7, minute=0
    ),
    # An accepted transfer whose origin side was cut short after the receiving side committed.
    "finish-transfers": _every("transfers.tasks.finish_origin_sides", 900),
    # What was lost (a worker, a broker, a failed publish) or failed is queued again.
    "resend-unsent-email": _every(
        "notifications.tasks.resend_unsent_email_everywhere", settings.MAILLAGE_EMAIL_SWEEP_EVERY
    ),
    "resend-decision-emails": _every(
        "charter.tasks.resend_decision_emails_everywhere", settings.MAILLAGE_EMAIL_SWEEP_EVERY
    ),
}
