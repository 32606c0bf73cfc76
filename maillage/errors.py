"""Domain errors raised by services and selectors. Each carries its HTTP status; the API's
handler (maillage.api.exception_handler) and the pages' middleware
(maillage.middleware.DomainErrorMiddleware) turn them into responses, both through `body`."""

from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext_lazy as _

# What a 503 tells a client to wait before trying again: about a PostgreSQL restart.
RETRY_AFTER_SECONDS = 5


class DomainError(Exception):
    status = 400
    code = "error"
    default_message = _("The request could not be carried out.")

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(str(self.message))


def body(error: DomainError) -> dict:
    """The stable JSON body of an error: {"error": code, "detail": message} (+ "fields")."""
    result = {"error": error.code, "detail": str(error.message)}
    if error.fields:
        result["fields"] = {name: [str(m) for m in messages] for name, messages in error.fields.items()}
    return result


def text(error: DomainError) -> str:
    """The error in one sentence for a page: its own message, or its field messages when
    it has only those."""
    if error.fields and str(error.message) == str(Invalid.default_message):
        return " ".join(str(message) for messages in error.fields.values() for message in messages)
    return str(error.message)


class Invalid(DomainError):
    status = 400
    code = "invalid"
    default_message = _("Some fields are not valid.")


class NotFound(DomainError):
    """Missing, or out of the actor's scope: the two look the same on purpose."""

    status = 404
    code = "not_found"
    default_message = _("Not found.")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_message = _("You may not do this.")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _("This conflicts with the record's current state.")


class Unavailable(DomainError):
    """The database went away (a restart, a fail-over) while the request ran; the
    transaction it was in ended with the connection."""

    status = 503
    code = "unavailable"
    default_message = _("The service is briefly unavailable. Please try again in a moment.")


def is_database_outage(error: BaseException | None) -> bool:
    """The connection failed or was ended by the server, as opposed to a query the database
    refused (those are IntegrityError, DataError, ProgrammingError)."""
    return isinstance(error, OperationalError | InterfaceError)
