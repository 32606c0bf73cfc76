"""Offers from a spreadsheet (CSV): one offer per row, created or updated, all or nothing."""

import csv
import io
import re
import uuid
from dataclasses import dataclass, replace
from datetime import time
from typing import Any

from django.db import IntegrityError
from django.utils.translation import gettext as _

from directory.interop.common import (
    ImportReport,
    _At,
    _closes_after_opens,
    _in_one_transaction,
    _may_import,
    _offers_by_public_id,
    _organisation_named,
    _parse_date,
    _parse_uuid,
)
from directory.models import (
    Access,
    CapacityStatus,
    Cost,
    Offer,
    Organisation,
    OrganisationKind,
)
from directory.services import (
    POSTCODE_RE,
    OfferInput,
    OrganisationInput,
    PlaceInput,
    Slot,
    create_offer,
    create_organisation,
    normalise_enterprise_number,
    update_offer,
)
from maillage.actor import Actor
from maillage.errors import DomainError, Invalid

CSV_COLUMNS = (
    "offer_id",
    "organisation_name",
    "organisation_kind",
    "enterprise_number",
    "title",
    "description",
    "title_nl",
    "description_nl",
    "title_en",
    "description_en",
    "primary_domain",
    "secondary_domains",
    "target_statuses",
    "languages",
    "interpretation_available",
    "street",
    "postcode",
    "city",
    "is_online",
    "online_url",
    "phone",
    "opening_hours",
    "schedule_notes",
    "capacity_status",
    "waiting_weeks",
    "cost",
    "access",
    "valid_from",
    "valid_until",
    "age_min",
    "age_max",
    "eligibility",
)
CSV_REQUIRED_COLUMNS = ("organisation_name", "title", "primary_domain")
_CSV_TABLE = "csv"
_CSV_ORGANISATION_COLUMNS = ("organisation_name", "organisation_kind", "enterprise_number")
_CSV_TEXT_COLUMNS = (
    "title",
    "primary_domain",
    "description",
    "title_nl",
    "description_nl",
    "title_en",
    "description_en",
    "eligibility",
    "online_url",
    "phone",
    "schedule_notes",
)
_CSV_DEFAULTS = {"capacity_status": CapacityStatus.OPEN, "cost": Cost.FREE, "access": Access.APPOINTMENT}
_TRUE = {"yes", "y", "true", "1", "oui", "ja"}
_FALSE = {"no", "n", "false", "0", "non", "nee", ""}
# English, French and Dutch day abbreviations.
CSV_DAYS = {
    **{"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7},
    **{"lun": 1, "mar": 2, "mer": 3, "jeu": 4, "ven": 5, "sam": 6, "dim": 7},
    **{"ma": 1, "di": 2, "wo": 3, "do": 4, "vr": 5, "za": 6, "zo": 7},
}
_CSV_SLOT_RE = re.compile(r"^(?P<day>[^\W\d_]+)\.?\s+(?P<hours>.+)$")
_CSV_TIME_RE = re.compile(r"^(\d{1,2})[:h.](\d{2})$")
_OFFER_FIELD_IN_CSV = {"places": "street"}
_ORGANISATION_FIELD_IN_CSV = {"name": "organisation_name", "kind": "organisation_kind"}


@dataclass
class _CsvRow:
    number: int
    offer_id: uuid.UUID | None
    organisation_name: str
    organisation_kind: str
    enterprise_number: str
    title: str
    # The OfferInput fields the file gives; the others keep their stored value.
    values: dict[str, Any]
    valid: bool = True
    organisation_valid: bool = True


def _split(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", value) if part.strip()]


def _csv_delimiter(header_line: str) -> str:
    try:
        return csv.Sniffer().sniff(header_line, delimiters=";,").delimiter
    except csv.Error:
        return ";" if header_line.count(";") >= header_line.count(",") else ","


def _csv_opening_hours(at: _At, value: str) -> list[Slot]:
    slots = []
    for item in (part.strip() for part in value.split(";")):
        if not item:
            continue
        match = _CSV_SLOT_RE.match(item)
        day = CSV_DAYS.get(match["day"].lower()) if match else None
        if match is None or day is None:
            at.error("opening_hours", _("Not an opening slot (e.g. “mon 09:00-12:00”): %(value)s.") % {"value": item})
            continue
        for hours in match["hours"].split(","):
            times = [_CSV_TIME_RE.match(t.strip()) for t in re.split(r"[-–]", hours)]
            if len(times) != 2 or not all(t and int(t[1]) < 24 and int(t[2]) < 60 for t in times):
                at.error(
                    "opening_hours", _("Not an opening slot (e.g. “mon 09:00-12:00”): %(value)s.") % {"value": item}
                )
                continue
            opens_at, closes_at = (time(int(t[1]), int(t[2])) for t in times if t)
            if not _closes_after_opens(at, "opening_hours", opens_at, closes_at):
                continue
            slots.append(Slot(day, opens_at, closes_at))
    return slots


def _read_csv_values(at: _At, cells: dict[str, str]) -> dict[str, Any]:
    """The OfferInput fields of the columns the file has, parsed and checked."""
    values: dict[str, Any] = {name: cells[name] for name in _CSV_TEXT_COLUMNS if name in cells}
    for name in ("secondary_domains", "target_statuses"):
        if name in cells:
            values[name] = _split(cells[name])
    if "languages" in cells:
        values["languages"] = [code.lower() for code in _split(cells["languages"])]
    for name in ("interpretation_available", "is_online"):
        if name in cells:
            if cells[name].lower() not in _TRUE | _FALSE:
                at.error(name, _("Answer yes or no."))
            values[name] = cells[name].lower() in _TRUE
    for name in ("waiting_weeks", "age_min", "age_max"):
        if name in cells:
            values[name] = int(cells[name]) if cells[name].isdigit() else None
            if cells[name] and not cells[name].isdigit():
                at.error(name, _("Expected a whole number."))
    for name in ("valid_from", "valid_until"):
        if name in cells:
            values[name] = _parse_date(at, cells[name], name)
    for name, default in _CSV_DEFAULTS.items():
        if name in cells:
            values[name] = cells[name] or default
    if "opening_hours" in cells:
        values["opening_hours"] = _csv_opening_hours(at, cells["opening_hours"])
    if {"street", "postcode", "city"} & cells.keys():
        street, postcode, city = (cells.get(name, "") for name in ("street", "postcode", "city"))
        values["places"] = []
        if street or postcode or city:
            if not street:
                at.error("street", _("Give the street and number of the place."))
            if not POSTCODE_RE.match(postcode):
                at.error("postcode", _("A Belgian postcode has four digits."))
            if not city:
                at.error("city", _("Give the city of the place."))
            values["places"] = [PlaceInput(street=street, postcode=postcode, city=city)]
    return values


def _read_csv_row(number: int, cells: dict[str, str], report: ImportReport) -> _CsvRow:
    at = _At(report, _CSV_TABLE, number, cells.get("offer_id") or None)
    first_error = len(report.errors)
    offer_id = _parse_uuid(at, cells["offer_id"], "offer_id") if cells.get("offer_id") else None
    if not cells.get("organisation_name"):
        at.error("organisation_name", _("This field is required."))
    if not (cells.get("title") or cells.get("title_nl") or cells.get("title_en")):
        at.error("title", _("An offer needs a title."))
    enterprise_number = ""
    try:
        enterprise_number = normalise_enterprise_number(cells.get("enterprise_number", ""))
    except Invalid:
        at.error("enterprise_number", _("This is not a valid BCE/KBO enterprise number."))
    values = _read_csv_values(at, cells)
    errors = report.errors[first_error:]
    return _CsvRow(
        number=number,
        offer_id=offer_id,
        organisation_name=cells.get("organisation_name", ""),
        organisation_kind=cells.get("organisation_kind", ""),
        enterprise_number=enterprise_number,
        # Matched against Offer.title: the first version given, in the same order.
        title=cells.get("title") or cells.get("title_nl") or cells.get("title_en") or "",
        values=values,
        valid=not errors,
        organisation_valid=not any(e["field"] in _CSV_ORGANISATION_COLUMNS for e in errors),
    )


def _read_csv(text: str, report: ImportReport) -> list[_CsvRow]:
    text = text.removeprefix("\ufeff")
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    if not header_line:
        report.error(_CSV_TABLE, 1, None, "", _("The file is empty."))
        return []
    reader = csv.reader(io.StringIO(text.lstrip("\r\n")), delimiter=_csv_delimiter(header_line))
    header = [name.strip().lower() for name in next(reader)]
    for name in header:
        if name and name not in CSV_COLUMNS:
            report.error(_CSV_TABLE, 1, None, name, _("Unknown column: %(name)s.") % {"name": name})
    for name in CSV_REQUIRED_COLUMNS:
        if name not in header:
            report.error(_CSV_TABLE, 1, None, name, _("The column %(name)s is missing.") % {"name": name})
    if report.errors:
        return []
    rows = []
    seen: dict[tuple, int] = {}
    # Row numbers as a spreadsheet shows them: the header is row 1.
    for number, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            report.error(_CSV_TABLE, number, None, "", _("This row has more cells than the header has columns."))
            continue
        cells = {name: value.strip() for name, value in zip(header, record, strict=False) if name}
        row = _read_csv_row(number, cells, report)
        key = ("id", row.offer_id) if row.offer_id else ("title", row.organisation_name.lower(), row.title.lower())
        if key in seen:
            report.error(
                _CSV_TABLE,
                number,
                row.offer_id,
                "title",
                _("This offer is already on row %(row)s.") % {"row": seen[key]},
            )
            row.valid = False
        seen.setdefault(key, number)
        rows.append(row)
    return rows


def _offer_input(offer: Offer) -> OfferInput:
    """An offer as the services take it, to change only the fields a file gives."""
    return OfferInput(
        title=offer.title_fr,
        title_nl=offer.title_nl,
        title_en=offer.title_en,
        primary_domain=offer.primary_domain.code,
        description=offer.description_fr,
        description_nl=offer.description_nl,
        description_en=offer.description_en,
        secondary_domains=[domain.code for domain in offer.secondary_domains.all()],
        target_statuses=list(offer.target_statuses),
        age_min=offer.age_min,
        age_max=offer.age_max,
        eligibility=offer.eligibility,
        languages=list(offer.languages),
        interpretation_available=offer.interpretation_available,
        places=[PlaceInput(p.street, p.postcode, p.city, p.name) for p in offer.locations.all()],
        is_online=offer.is_online,
        online_url=offer.online_url,
        phone=offer.phone,
        opening_hours=[Slot(s.weekday, s.opens_at, s.closes_at) for s in offer.opening_hours.all()],
        schedule_notes=offer.schedule_notes,
        capacity_status=offer.capacity_status,
        waiting_weeks=offer.waiting_weeks,
        cost=offer.cost,
        cost_note=offer.cost_note,
        access=offer.access,
        valid_from=offer.valid_from,
        valid_until=offer.valid_until,
    )


def import_csv(*, actor: Actor, text: str, dry_run: bool) -> ImportReport:
    """Creates or updates one offer per row; all or nothing.

    Rows are numbered as a spreadsheet shows them: the header is row 1, so the first
    data line is row 2. Delimiter ";" or ",", UTF-8 with or without a BOM.

    An offer is matched by offer_id, else by its organisation and title (both
    case-insensitive). On an update an empty cell clears its field and a column the file
    does not have keeps the stored value. An organisation is matched by name
    (case-insensitive) and created when missing, which needs organisation_kind; a CSV
    import does not change existing organisations.

    Every row is checked and tried, so one report lists all the errors of the file.
    """
    _may_import(actor)
    report = ImportReport(dry_run=dry_run)
    rows = _read_csv(text, report)
    if not rows:
        report.clear_counts()
        return report

    def write() -> None:
        organisations: dict[str, Organisation] = {}
        offers = _offers_by_public_id(row.offer_id for row in rows if row.offer_id)
        for row in rows:
            # A row with errors still creates its organisation, so that later rows of the
            # same new organisation are not reported for a missing kind.
            organisation = _csv_organisation(actor, row, organisations, report) if row.organisation_valid else None
            if organisation is None or not row.valid:
                continue
            at = _At(report, _CSV_TABLE, row.number, row.offer_id)
            if row.offer_id is not None:
                existing = offers.get(row.offer_id)
                if existing is None:
                    at.error("offer_id", _("No offer has this id in this coordination."))
                    continue
                if existing.organisation_id != organisation.pk:
                    at.error("offer_id", _("This offer belongs to another organisation."))
                    continue
            else:
                existing = organisation.offers.filter(title__iexact=row.title).first()
            base = OfferInput(title="", primary_domain="") if existing is None else _offer_input(existing)
            # A file records offers as they were, ended ones too (an export read back in).
            data = replace(base, **row.values, confirm_ended=True)
            try:
                if existing is None:
                    create_offer(actor=actor, organisation=organisation, data=data)
                    report.created["offers"] += 1
                else:
                    update_offer(actor=actor, offer=existing, data=data)
                    report.updated["offers"] += 1
            except DomainError as error:
                report.add_service_error(_CSV_TABLE, row.number, row.offer_id, error, _OFFER_FIELD_IN_CSV)
            except IntegrityError:
                at.error("", _("This row conflicts with stored data."))

    return _in_one_transaction(report, actor=actor, source="csv", write=write)


def _csv_organisation(
    actor: Actor, row: _CsvRow, organisations: dict[str, Organisation], report: ImportReport
) -> Organisation | None:
    key = row.organisation_name.lower()
    if key in organisations:
        return organisations[key]
    found = _organisation_named(row.organisation_name)
    if found is None:
        if not row.organisation_kind:
            kinds = ", ".join(OrganisationKind.values)
            message = _("This organisation is new: give its kind (%(kinds)s).") % {"kinds": kinds}
            report.error(_CSV_TABLE, row.number, row.offer_id, "organisation_kind", message)
            return None
        data = OrganisationInput(
            name=row.organisation_name, kind=row.organisation_kind, enterprise_number=row.enterprise_number
        )
        try:
            found = create_organisation(actor=actor, data=data)
        except DomainError as error:
            report.add_service_error(_CSV_TABLE, row.number, row.offer_id, error, _ORGANISATION_FIELD_IN_CSV)
            return None
        report.created["organisations"] += 1
    organisations[key] = found
    return found
