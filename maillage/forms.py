"""Form helpers shared by every app's pages."""

from maillage.errors import DomainError


def add_domain_error(form, error: DomainError) -> None:
    """Shows a service's validation error on the form: each message by its field when the
    form has that field, otherwise at the top."""
    for field, messages in error.fields.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
    if not error.fields:
        form.add_error(None, error.message)


def report_form_errors(request, form) -> None:
    """For small forms posted from a page that redirects back: each error as a message."""
    from django.contrib import messages

    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
