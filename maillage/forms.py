"""Form helpers shared by every app's pages."""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.validators import MaxValueValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from maillage.errors import DomainError

T = TypeVar("T")


def add_domain_error(form, error: DomainError) -> None:
    """Shows a service's validation error on the form: each message by its field when the
    form has that field, otherwise at the top."""
    for field, field_messages in error.fields.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)
    if not error.fields:
        form.add_error(None, error.message)


def filled_data(form) -> dict:
    """The form's cleaned values, a field at fault standing as its empty value: enough for a
    service to judge the other fields in the same round."""
    cleaned = getattr(form, "cleaned_data", {})
    return {name: cleaned[name] if name in cleaned else field.to_python(None) for name, field in form.fields.items()}


def add_service_errors(form, errors: dict, *, rename: dict | None = None) -> None:
    """Adds a service's objections (by field, found without writing) to the form's own, so
    that one submit shows every problem. A field that already has an error keeps only that
    one; `rename` maps the service's field names to the form's (None: at the top)."""
    for name, field_messages in errors.items():
        field = (rename or {}).get(name, name)
        field = field if field in form.fields else None
        if field is not None and field in form.errors:
            continue
        for message in field_messages:
            form.add_error(field, message)


def report_form_errors(request, form) -> None:
    """For small forms posted from a page that redirects back: each error as a message."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    save: Callable[[], T],
    saved_message: str,
    done: Callable[[T], HttpResponse],
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The create-or-edit page: a valid POST calls `save` (one service call); the service's
    error shows on the form, a success as `saved_message` on the page `done(saved)` redirects
    to. Otherwise the template shows the form, with 400 while the form has errors."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save()
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, saved_message)
            return done(saved)
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


# The field a confirmation step posts. Only a POST that carries it changes state: a stale
# one-click form, or a POST forged without the page, is shown the confirmation step instead.
CONFIRM_FIELD = "confirmed"


def is_confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "yes"


def confirm_page(
    request: HttpRequest,
    *,
    perform: Callable[[], object],
    done_message: str,
    done: Callable[[], HttpResponse],
    title: str,
    consequence: str,
    button: str,
    back: str,
    subject: str = "",
) -> HttpResponse:
    """The confirmation step of an action that cannot be undone in one click: a page (GET,
    or a POST without the confirmation field) naming the consequence; the confirmed POST
    calls `perform` (one service call), whose refusal shows at the top of the step. (The
    actions whose record keeps a reason, withdrawing a consent and cancelling a meeting,
    ask for it on their own page, which is their confirmation step.)"""
    form = forms.Form(request.POST if is_confirmed(request) else None)
    if form.is_bound:
        try:
            perform()
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, done_message)
            return done()
    context = {
        "form": form,
        "title": title,
        "consequence": consequence,
        "button": button,
        "back": back,
        "subject": subject,
        "confirm_field": CONFIRM_FIELD,
    }
    return render(request, "confirm.html", context, status=400 if form.errors else 200)


def textarea_field(label, *, rows: int, help_text="", **options) -> forms.CharField:
    """An optional multi-line text field: the services, not the form, say what is required."""
    return forms.CharField(
        label=label, required=False, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows}), **options
    )


class TokenLifetimeForm(forms.Form):
    """A token's lifetime in days, from 1 to MAILLAGE_API_TOKEN_MAX_DAYS (the longest by
    default): personal API tokens and harvesting tokens alike."""

    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        longest = settings.MAILLAGE_API_TOKEN_MAX_DAYS
        days = self.fields["days"]
        days.max_value = longest
        days.initial = longest
        days.validators.append(MaxValueValidator(longest))
        days.widget.attrs.update({"min": 1, "max": longest})
