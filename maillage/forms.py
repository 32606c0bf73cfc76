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
