"""Getting a job to the worker, and an e-mail out, at least once.

Two halves: `queue_after_commit` hands a task to the broker once the transaction commits
and never fails the request that asked for it (the sweepers find what it could not queue);
`retry_or_give_up` retries a task whose database or mail server failed for a moment, then
records the failure where a coordinator sees it."""

import logging
import smtplib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import InterfaceError, OperationalError, models, transaction
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# A database that restarts or drops the connection, a mail server that refuses or times
# out, and the file backend's folder that cannot be written (it raises
# ImproperlyConfigured): all pass, so the task tries again rather than losing the e-mail.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, smtplib.SMTPException, OSError, ImproperlyConfigured)

# At most this many e-mails queued again per coordination and sweep: after a long outage
# the backlog drains over a few sweeps instead of flooding the broker with copies.
SWEEP_BATCH = 500

# What a broker that is down or unreachable raises when publishing.
PUBLISH_ERRORS = (KombuError, RedisError, OSError)


class EmailFailure(models.TextChoices):
    """Why an e-mail could not be sent, in words a coordinator can act on (the error's own
    text may name the address, so it goes to no page and no log)."""

    DATABASE = "database", _("The database was unavailable")
    MAIL_SERVER = "mail_server", _("The mail server refused or did not answer")
    MAIL_FOLDER = "mail_folder", _("The mail folder could not be written")


def failure_of(error: Exception) -> str:
    if isinstance(error, (OperationalError, InterfaceError)):
        return EmailFailure.DATABASE
    if isinstance(error, ImproperlyConfigured):
        return EmailFailure.MAIL_FOLDER
    return EmailFailure.MAIL_SERVER


# After a failed publish, this process queues nothing for a few seconds (the sweeper will):
# a request that writes ten notices waits for one broker timeout, not ten.
BROKER_PAUSE = 10.0
_broker_paused_until = 0.0


def queue_after_commit(task, *args, log_ref: str, **options) -> None:
    """Queues `task(*args)` (with apply_async's `options`) after the current transaction
    commits. The broker being down does not fail the request, whose data is saved: the
    failure is logged with `log_ref` (ids only, never a token) and the job's sweeper
    queues it again later."""

    def _publish() -> None:
        global _broker_paused_until
        if time.monotonic() < _broker_paused_until:
            logger.warning("broker down: %s for %s not queued; left to the sweeper", task.name, log_ref)
            return
        try:
            task.apply_async(args, **options)
        except PUBLISH_ERRORS:
            _broker_paused_until = time.monotonic() + BROKER_PAUSE
            logger.warning("could not queue %s for %s; left to the sweeper", task.name, log_ref, exc_info=True)

    transaction.on_commit(_publish)


def retry_delay(retries: int) -> int:
    """Seconds before retry number `retries + 1`: doubling from 2 s, capped well under the
    broker's visibility timeout (a message waiting for its retry is unacknowledged)."""
    return min(2 ** (retries + 1), settings.MAILLAGE_EMAIL_RETRY_MAX_DELAY)


def retry_or_give_up(task, error: Exception, *, log_ref: str, give_up: Callable[[str], None]) -> None:
    """Called from a task that caught one of TRANSIENT_ERRORS: schedules a retry with a
    growing delay; after the last one, logs at ERROR and calls `give_up(EmailFailure)` to mark the
    row, so the failure shows on a page and the sweeper tries again much later."""
    if task.request.retries < task.max_retries:
        raise task.retry(exc=error, countdown=retry_delay(task.request.retries))
    logger.error("%s for %s failed after %s retries: %s", task.name, log_ref, task.max_retries, type(error).__name__)
    give_up(failure_of(error))
