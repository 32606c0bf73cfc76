"""Pages of the audit trail: the coordinators' list and its CSV export, both narrowed by
the same filters in the query string (audit.filters).

They live here rather than in audit/ because the list names each event's organisation,
actor and person: audit is the lowest domain app (everyone, the public core included,
writes through `record_event`) and reads no other app, while members may read the
directory and name persons through MAILLAGE_AUDIT_PERSON_REFERENCES."""

import csv
from itertools import islice

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.utils.translation import gettext as _

from audit.actions import ACTION_LABELS, action_choices
from audit.filters import AuditFilterForm
from audit.policies import can_read_audit_trail
from audit.selectors import events_visible_to
from audit.services import record_event
from directory.selectors import organisations
from maillage.exports import spreadsheet_safe
from members.selectors import audit_actor_choices, describe_audit_events

PAGE_SIZE = 50
EXPORT_BATCH = 2000
EXPORT_HEADER = [
    "occurred_at",
    "actor_email",
    "organisation_id",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "request_id",
    "ip_address",
    "id",
    "action_label",
    "actor_name",
    "organisation_name",
    "person_reference",
    "object_reference",
]


def _filter_form(request) -> AuditFilterForm:
    """The filters of the query string, with the choices the page offers."""
    actor = request.actor
    form = AuditFilterForm(request.GET or None)
    form.fields["actor"].widget.choices = [("", _("Anyone")), *audit_actor_choices(actor=actor)]
    form.fields["organisation"].widget.choices = [
        ("", _("Any organisation")),
        *((str(o.public_id), o.name) for o in organisations(actor=actor)),
    ]
    actions = [("", _("Anything")), *action_choices()]
    current = request.GET.get("action", "")
    if current and current not in ACTION_LABELS:
        actions.append((current, current))  # a family (referral) or a code without a label
    form.fields["action"].widget.choices = actions
    return form


def _query(request) -> str:
    """The filters of the query string, for the pager and the export link."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def audit_trail(request):
    if not can_read_audit_trail(request.actor):
        return HttpResponseForbidden()
    form = _filter_form(request)
    if request.GET and not form.is_valid():
        context = {"form": form, "page": None, "query": ""}
        return render(request, "audit/trail.html", context, status=400)
    filters = form.filters() if form.is_bound else None
    events = events_visible_to(actor=request.actor, filters=filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    describe_audit_events(page.object_list)
    query = _query(request)
    context = {"form": form, "page": page, "query": query, "filtered": bool(filters and filters.as_detail())}
    return render(request, "audit/trail.html", context)


def audit_export(request):
    """Every event the same filters show on the page, oldest last; the export is audited
    with its filters."""
    if not can_read_audit_trail(request.actor):
        return HttpResponseForbidden()
    form = _filter_form(request)
    if request.GET and not form.is_valid():
        return render(request, "audit/trail.html", {"form": form, "page": None, "query": ""}, status=400)
    filters = form.filters() if form.is_bound else None
    events = events_visible_to(actor=request.actor, filters=filters)
    record_event(
        actor=request.actor,
        action="audit.exported",
        object_type="audit_trail",
        detail={"filters": filters.as_detail()} if filters and filters.as_detail() else None,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{request.tenant.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_HEADER)
    rows = events.iterator(chunk_size=EXPORT_BATCH)
    while batch := list(islice(rows, EXPORT_BATCH)):
        for event in describe_audit_events(batch):
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
                    event.pk,
                    event.action_label,
                    event.actor_name,
                    event.organisation_name,
                    event.person_reference,
                    event.object_reference,
                ]
            )
    return response
