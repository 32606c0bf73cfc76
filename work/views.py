"""The member's work page: the landing page after sign-in (tenants.selectors.landing_url)."""

from django.shortcuts import render

from audit.services import record_reads
from work.selectors import my_work

# Lines shown per section; the full lists are a link away (work.selectors.MORE_PATHS).
PAGE_LINES = 20


def my_work_page(request):
    actor = request.actor
    work = my_work(actor=actor, limit=PAGE_LINES)
    record_reads(actor=actor, persons=work.persons)
    return render(request, "work/my_work.html", {"work": work})
