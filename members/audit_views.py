"""Pages of the audit trail: the coordinators' list and its CSV export.

They live here rather than in audit/ because the list names each event's organisation:
audit is the lowest domain app (everyone, the public core included, writes through
`record_event`) and reads no other app, while members may read the directory."""

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import render

from audit.selectors import events_visible_to
from audit.services import record_event
from directory.selectors import organisation_names
from maillage.errors import DomainError
from maillage.exports import spreadsheet_safe


def audit_trail(request):
    try:
        events = events_visible_to(actor=request.actor)
    except DomainError:
        return HttpResponseForbidden()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    names = organisation_names(event.organisation_public_id for event in page.object_list)
    for event in page.object_list:
        event.organisation_name = names.get(event.organisation_public_id, "")
    return render(request, "audit/trail.html", {"page": page})


def audit_export(request):
    try:
        events = events_visible_to(actor=request.actor)
    except DomainError:
        return HttpResponseForbidden()
    record_event(actor=request.actor, action="audit.exported", object_type="audit_trail")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{request.tenant.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "occurred_at",
            "actor_email",
            "organisation_id",
            "action",
            "object_type",
            "object_id",
            "person_id",
            "request_id",
            "ip_address",
        ]
    )
    for event in events.iterator(chunk_size=2000):
        writer.writerow(
            spreadsheet_safe(v)
            for v in [
                event.occurred_at.isoformat(),
                event.actor.email if event.actor else "system",
                event.organisation_public_id or "",
                event.action,
                event.object_type,
                event.object_public_id or "",
                event.person_public_id or "",
                event.request_id or "",
                event.ip_address or "",
            ]
        )
    return response
