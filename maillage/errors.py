"""Domain errors raised by services and selectors, mapped to HTTP by one handler."""

from django.utils.translation import gettext_lazy as _


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
