"""What the HSDS and CSV imports share: the report, where an error points, the reads,
the parsers both formats need and the one transaction.

Imports are all or nothing: the document is checked first, then every row is written
through directory.services inside one transaction, and any error rolls all of it back.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from audit.services import record_event
from directory import policies
from directory.models import Location, NeedDomain, Offer, Organisation
from maillage.actor import Actor
from maillage.errors import DomainError, Forbidden


@dataclass
class ImportReport:
    """What an import created and updated, or why it stored nothing.

    `updated` counts rows that already existed (matched by id, or for CSV by name and
    title) and were brought in line with the file, whether or not a value changed. Each
    error is {"table", "row", "id", "field", "error"}; when there is any, nothing was
    stored and the counts are zero. A dry run stores nothing and counts what it would do.
    `unmapped` says what the document holds that Maillage keeps no place for, as
    {"table", "field", "rows", "note"}: it is read past, not an error.
    """

    created: dict[str, int] = field(default_factory=lambda: {"organisations": 0, "offers": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"organisations": 0, "offers": 0})
    errors: list[dict] = field(default_factory=list)
    unmapped: list[dict] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, table: str, row: int | None, row_id: Any, field_name: str, message: Any) -> None:
        row_id = None if row_id is None else str(row_id)
        self.errors.append({"table": table, "row": row, "id": row_id, "field": field_name, "error": str(message)})

    def skip(self, table: str, field_name: str, rows: int, note: Any) -> None:
        self.unmapped.append({"table": table, "field": field_name, "rows": rows, "note": str(note)})

    def add_service_error(self, table: str, row: int | None, row_id: Any, error: DomainError, names: dict) -> None:
        if not error.fields:
            self.error(table, row, row_id, "", error.message)
        for name, messages in error.fields.items():
            for message in messages:
                self.error(table, row, row_id, names.get(name, name), message)

    def clear_counts(self) -> None:
        self.created = dict.fromkeys(self.created, 0)
        self.updated = dict.fromkeys(self.updated, 0)


class _RollBack(Exception):
    """Leaves the import's transaction without storing anything."""


def _check_schema(actor: Actor) -> None:
    if actor.coordination is not None and actor.coordination.schema_name != connection.schema_name:
        raise Forbidden()


def _may_import(actor: Actor) -> None:
    _check_schema(actor)
    # An import creates organisations, which only coordinators do.
    if not (actor.is_system or policies.can_manage_organisations(actor)):
        raise Forbidden()


# --- Reads ---------------------------------------------------------------------------
# Import and export read the whole coordination's directory (the schema is the scope);
# writes go through directory.services.


def _all_organisations():
    return Organisation.objects.order_by("pk")


def _all_offers():
    return (
        Offer.objects.select_related("organisation", "primary_domain")
        .prefetch_related(
            "secondary_domains",
            "opening_hours",
            Prefetch("locations", queryset=Location.objects.select_related("organisation")),
        )
        .order_by("pk")
    )


def _all_need_domains():
    return NeedDomain.objects.order_by("code")


def _need_domain_codes() -> set[str]:
    return set(NeedDomain.objects.values_list("code", flat=True))


def _organisations_by_public_id(public_ids) -> dict[uuid.UUID, Organisation]:
    return {o.public_id: o for o in Organisation.objects.filter(public_id__in=list(public_ids))}


def _offers_by_public_id(public_ids) -> dict[uuid.UUID, Offer]:
    found = Offer.objects.select_related("organisation").filter(public_id__in=list(public_ids))
    return {o.public_id: o for o in found}


def _organisation_named(name: str) -> Organisation | None:
    return Organisation.objects.filter(name__iexact=name).first()


# --- Parsing -------------------------------------------------------------------------


@dataclass
class _At:
    """Where in the document a value comes from, to report errors against it."""

    report: ImportReport
    table: str
    row: int | None
    id: Any = None

    def error(self, field_name: str, message: Any) -> None:
        self.report.error(self.table, self.row, self.id, field_name, message)


def _parse_uuid(at: _At, value: Any, field_name: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if isinstance(value, str) else None
    except ValueError:
        pass
    at.error(field_name, _("Expected an identifier (UUID)."))
    return None


def _parse_date(at: _At, value: Any, field_name: str) -> date | None:
    if value in (None, "", "null"):
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        at.error(field_name, _("Not a date (YYYY-MM-DD): %(value)s.") % {"value": value})
        return None


def _closes_after_opens(at: _At, field_name: str, opens_at: time, closes_at: time) -> bool:
    """Whether an opening slot ends after it starts; reported against field_name when not."""
    if closes_at > opens_at:
        return True
    at.error(
        field_name,
        _("A slot closes after it opens (%(opens)s–%(closes)s).")
        % {"opens": opens_at.strftime("%H:%M"), "closes": closes_at.strftime("%H:%M")},
    )
    return False


# --- Writing ---------------------------------------------------------------------------


def _in_one_transaction(report: ImportReport, *, actor: Actor, source: str, write) -> ImportReport:
    """Runs `write` in one transaction kept only if it reported no error and is no dry run."""
    try:
        with transaction.atomic():
            write()
            if report.errors or report.dry_run:
                raise _RollBack()
            record_event(
                actor=actor,
                action="directory.imported",
                object_type="directory",
                detail={"format": source, "created": report.created, "updated": report.updated},
            )
    except _RollBack:
        pass
    if report.errors:
        report.clear_counts()
    return report
