"""Printable consent documents (form to sign, receipt) in the person's language."""

from django.http import Http404


def consent_form_document(request, public_id):
    raise Http404  # replaced by the documents work in progress


def consent_receipt(request, public_id):
    raise Http404  # replaced by the documents work in progress
