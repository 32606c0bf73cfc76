"""The access report (GDPR article 15) for a person."""

from django.http import Http404


def access_report(request, public_id):
    raise Http404  # replaced by the access-report work in progress
