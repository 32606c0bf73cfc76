"""HSDS 3.0 export and import, CSV import: round trips, idempotence, all or nothing."""

import copy
import csv
import io
import uuid
from datetime import time, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from directory.interop.csv import import_csv
from directory.interop.hsds import export_hsds, import_hsds
from directory.models import Location, Offer, OpeningHours, Organisation
from directory.services import OfferInput, OrganisationInput, PlaceInput, Slot, create_offer, create_organisation
from maillage.actor import Actor
from maillage.errors import Forbidden
from members.provisioning import CommuneInput, provision_coordination

TABLES = {
    "organizations",
    "organization_identifiers",
    "services",
    "locations",
    "service_at_locations",
    "schedules",
    "languages",
    "phones",
    "taxonomies",
    "taxonomy_terms",
    "attributes",
}


def _stored() -> tuple[int, int, int, int]:
    return (
        Organisation.objects.count(),
        Offer.objects.count(),
        Location.objects.count(),
        OpeningHours.objects.count(),
    )


def _directory(actor: Actor) -> dict:
    """A few organisations and offers with varied fields; returns the offers by name."""
    today = timezone.localdate()
    langues = create_organisation(
        actor=actor,
        data=OrganisationInput(
            name="Maison des Langues",
            kind="association",
            enterprise_number="BE 0403.019.261",
            is_member=False,
            description="Cours et tables de conversation.",
            street="Rue Josaphat 12",
            postcode="1030",
            city="Schaerbeek",
            website="https://langues.example.be",
            email="Info@Langues.example.be",
            phone="02 123 45 67",
            staff_languages=["fr", "ar"],
        ),
    )
    course = create_offer(
        actor=actor,
        organisation=langues,
        data=OfferInput(
            title="Cours de français",
            primary_domain="language",
            description="Niveaux A1 à B1.",
            secondary_domains=["social_link", "employment_training"],
            target_statuses=["refugee", "subsidiary_protection"],
            age_min=16,
            eligibility="Inscription sur place.",
            languages=["fr", "ar", "prs"],
            interpretation_available=True,
            places=[
                PlaceInput("Rue Josaphat 12", "1030", "Schaerbeek", name="Siège"),
                PlaceInput("Avenue Louis Bertrand 5", "1030", "Schaerbeek"),
            ],
            phone="02 123 45 68",
            opening_hours=[Slot(1, time(9), time(12)), Slot(2, time(13, 30), time(17)), Slot(4, time(9), time(12))],
            schedule_notes="Fermé pendant les vacances scolaires.",
            capacity_status="waiting_list",
            waiting_weeks=6,
            cost="contribution",
            cost_note="5 € par mois",
            access="drop_in",
            valid_from=today - timedelta(days=60),
            valid_until=today + timedelta(days=300),
        ),
    )
    cpas = Organisation.objects.get(name="CPAS de Schaerbeek")
    online = create_offer(
        actor=actor,
        organisation=cpas,
        data=OfferInput(
            title="Permanence en ligne jeunes",
            primary_domain="social_rights",
            age_min=18,
            age_max=25,
            is_online=True,
            online_url="https://cpas.example.be/jeunes",
            valid_from=today - timedelta(days=400),
            valid_until=today - timedelta(days=30),
            confirm_ended=True,
            access="referral_only",
        ),
    )
    return {"course": course, "online": online}


def _document(**overrides) -> dict:
    """A small HSDS document written by hand, as another directory would send it."""
    organisation_id, service_id = str(uuid.uuid4()), str(uuid.uuid4())
    document = {
        "organizations": [
            {"id": organisation_id, "name": "Nouvelle ASBL", "description": "", "tax_id": "0202.239.951"},
        ],
        "services": [
            {
                "id": service_id,
                "organization_id": organisation_id,
                "name": "Aide au logement",
                "description": "Recherche de logement.",
                "minimum_age": 18,
            }
        ],
        "locations": [
            {
                "id": "loc-1",
                "organization_id": organisation_id,
                "name": "Bureau",
                "addresses": [{"id": "a-1", "address_1": "Rue Royale 1", "postal_code": "1030", "city": "Bruxelles"}],
            }
        ],
        "service_at_locations": [{"id": "sal-1", "service_id": service_id, "location_id": "loc-1"}],
        "schedules": [
            {
                "id": "s-1",
                "service_id": service_id,
                "freq": "WEEKLY",
                "byday": "MO,WE",
                "opens_at": "09:00",
                "closes_at": "12:00",
            }
        ],
        "languages": [{"id": "l-1", "service_id": service_id, "code": "fr", "name": "français"}],
        "taxonomies": [{"id": "t-d", "name": "maillage-need-domains"}, {"id": "t-f", "name": "maillage-facts"}],
        "taxonomy_terms": [
            {"id": "term-housing", "code": "housing", "name": "Logement", "taxonomy_id": "t-d"},
            {"id": "term-kind", "code": "kind", "name": "kind", "taxonomy_id": "t-f"},
            {"id": "term-from", "code": "valid_from", "name": "valid_from", "taxonomy_id": "t-f"},
            {"id": "term-until", "code": "valid_until", "name": "valid_until", "taxonomy_id": "t-f"},
        ],
        "attributes": [
            {
                "id": "at-1",
                "link_id": service_id,
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": "term-housing",
                "label": "primary",
            },
            {
                "id": "at-2",
                "link_id": organisation_id,
                "link_entity": "organization",
                "taxonomy_term_id": "term-kind",
                "value": "association",
            },
            {
                "id": "at-3",
                "link_id": service_id,
                "link_entity": "service",
                "taxonomy_term_id": "term-from",
                "value": "2026-01-01",
            },
            {
                "id": "at-4",
                "link_id": service_id,
                "link_entity": "service",
                "taxonomy_term_id": "term-until",
                "value": "2026-12-31",
            },
        ],
    }
    document.update(overrides)
    return document


def _without_organisation(document: dict, organisation_id: str) -> dict:
    document = copy.deepcopy(document)
    document["organizations"] = [row for row in document["organizations"] if row["id"] != organisation_id]
    document["attributes"] = [row for row in document["attributes"] if row["link_id"] != organisation_id]
    return document


# --- HSDS export ---------------------------------------------------------------------


def test_hsds_export_has_every_table_sorted_by_id(tenant_db):
    with schema_context("schaerbeek"):
        actor = tenant_db["coordinator"].actor()
        _directory(actor)
        exported = export_hsds(actor=actor)
    assert set(exported) == TABLES
    for rows in exported.values():
        assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)


def test_hsds_export_maps_offer_fields_to_hsds_names(tenant_db):
    with schema_context("schaerbeek"):
        actor = tenant_db["coordinator"].actor()
        course = _directory(actor)["course"]
        exported = export_hsds(actor=actor)
    service_id = str(course.public_id)
    service = next(row for row in exported["services"] if row["id"] == service_id)
    assert service["organization_id"] == str(course.organisation.public_id)
    assert (service["name"], service["status"], service["fees_description"]) == (
        "Cours de français",
        "active",
        "5 € par mois",
    )
    assert service["minimum_age"] == 16 and "maximum_age" not in service
    schedules = {
        (r["byday"], r["opens_at"], r["closes_at"]) for r in exported["schedules"] if r["service_id"] == service_id
    }
    assert schedules == {("MO", "09:00", "12:00"), ("TU", "13:30", "17:00"), ("TH", "09:00", "12:00")}
    terms = {row["id"]: row["code"] for row in exported["taxonomy_terms"]}
    links = {
        (terms[r["taxonomy_term_id"]], r["label"], r.get("value"))
        for r in exported["attributes"]
        if r["link_id"] == service_id
    }
    assert {("language", "primary", None), ("social_link", "secondary", None)} <= links
    assert ("waiting_weeks", "waiting_weeks", "6") in links
    assert ("target_statuses", "target_statuses", '["refugee", "subsidiary_protection"]') in links
    assert [
        r["code"] for r in sorted(exported["languages"], key=lambda r: r["x_position"]) if r["service_id"] == service_id
    ] == [
        "fr",
        "ar",
        "prs",
    ]
    addresses = [location["addresses"][0] for location in exported["locations"]]
    assert {(a["address_1"], a["postal_code"], a["country"]) for a in addresses} >= {
        ("Rue Josaphat 12", "1030", "BE"),
        ("Avenue Louis Bertrand 5", "1030", "BE"),
    }


def test_hsds_export_marks_an_offer_past_its_end_date_inactive(tenant_db):
    with schema_context("schaerbeek"):
        actor = tenant_db["coordinator"].actor()
        online = _directory(actor)["online"]
        exported = export_hsds(actor=actor)
    service = next(row for row in exported["services"] if row["id"] == str(online.public_id))
    assert service["status"] == "inactive"
    assert service["url"] == "https://cpas.example.be/jeunes"


# --- HSDS import ---------------------------------------------------------------------


def test_hsds_round_trip_into_a_new_coordination_gives_the_same_export(tenant_db):
    with schema_context("schaerbeek"):
        actor = tenant_db["coordinator"].actor()
        _directory(actor)
        exported = export_hsds(actor=actor)
    ixelles = provision_coordination(
        actor=Actor.system(),
        name="Ixelles",
        slug="ixelles",
        region="brussels",
        communes=[CommuneInput("Ixelles", "21009")],
        lead_organisation_name="Maison de la cohésion d'Ixelles",
        lead_organisation_kind="association",
        coordinator_email="c@ixelles.test",
        coordinator_password="a-long-password-for-ixelles",
    )
    with schema_context("ixelles"):
        report = import_hsds(actor=Actor.system(ixelles), document=exported)
        again = export_hsds(actor=Actor.system(ixelles))
    assert report.ok, report.errors
    assert report.created == {"organisations": len(exported["organizations"]), "offers": len(exported["services"])}
    assert _without_organisation(again, str(ixelles.lead_organisation_public_id)) == exported


def test_hsds_reimport_updates_without_duplicating(tenant_db):
    with schema_context("schaerbeek"):
        actor = tenant_db["coordinator"].actor()
        _directory(actor)
        exported = export_hsds(actor=actor)
        before = _stored()
        report = import_hsds(actor=actor, document=exported)
        assert _stored() == before
        assert export_hsds(actor=actor) == exported
    assert report.ok, report.errors
    assert report.created == {"organisations": 0, "offers": 0}
    assert report.updated == {"organisations": len(exported["organizations"]), "offers": len(exported["services"])}


def test_hsds_reimport_by_the_system_actor_leaves_unchanged_organisations_alone(tenant_db):
    with schema_context("schaerbeek"):
        _directory(tenant_db["coordinator"].actor())
        system = Actor.system(tenant_db.schaerbeek)
        exported = export_hsds(actor=system)
        report = import_hsds(actor=system, document=exported)
        edits = AuditEvent.objects.filter(action="organisation.updated").count()
    assert report.ok, report.errors
    assert report.updated["organisations"] == len(exported["organizations"])
    assert edits == 0


def test_hsds_import_of_a_hand_written_document_creates_organisation_and_offer(tenant_db):
    document = _document()
    with schema_context("schaerbeek"):
        report = import_hsds(actor=tenant_db["coordinator"].actor(), document=document)
        offer = Offer.objects.select_related("organisation", "primary_domain").get(
            public_id=document["services"][0]["id"]
        )
        slots = [(s.weekday, s.opens_at, s.closes_at) for s in offer.opening_hours.all()]
        place = offer.locations.get()
    assert report.ok, report.errors
    assert report.created == {"organisations": 1, "offers": 1}
    assert offer.organisation.enterprise_number == "0202239951" and offer.organisation.kind == "association"
    assert (offer.primary_domain.code, offer.languages, offer.age_min) == ("housing", ["fr"], 18)
    assert slots == [(1, time(9), time(12)), (3, time(9), time(12))]
    assert (place.street, place.postcode, place.name) == ("Rue Royale 1", "1030", "Bureau")


def _unknown_domain(document):
    document["taxonomy_terms"][0]["code"] = "astrology"


def _closes_before_opening(document):
    document["schedules"][0].update(opens_at="17:00", closes_at="09:00")


def _bad_enterprise_number(document):
    document["organizations"][0]["tax_id"] = "0123.456.789"


def _end_before_start(document):
    document["attributes"][3]["value"] = "2025-06-30"


def _missing_services(document):
    del document["services"]


def _not_a_date(document):
    document["attributes"][2]["value"] = "1st of January"


@pytest.mark.parametrize(
    ("spoil", "table", "field"),
    [
        (_unknown_domain, "attributes", "taxonomy_term_id"),
        (_closes_before_opening, "schedules", "closes_at"),
        (_bad_enterprise_number, "organizations", "tax_id"),
        (_end_before_start, "services", "valid_until"),
        (_missing_services, "services", ""),
        (_not_a_date, "attributes", "value"),
    ],
    ids=["unknown-domain", "closes-before-opening", "enterprise-number", "end-before-start", "no-services", "bad-date"],
)
def test_malformed_hsds_is_reported_and_nothing_stored(tenant_db, spoil, table, field):
    document = _document()
    spoil(document)
    with schema_context("schaerbeek"):
        before = _stored()
        report = import_hsds(actor=tenant_db["coordinator"].actor(), document=document)
        assert _stored() == before
    assert not report.ok
    assert (table, field) in {(e["table"], e["field"]) for e in report.errors}
    assert all(e["error"] for e in report.errors)
    assert report.created == {"organisations": 0, "offers": 0}


def test_hsds_that_is_not_an_object_is_reported(tenant_db):
    with schema_context("schaerbeek"):
        report = import_hsds(actor=tenant_db["coordinator"].actor(), document=[{"id": "x"}])
    assert [(e["table"], e["row"]) for e in report.errors] == [("", None)]


def test_hsds_error_raised_by_a_service_rolls_back_rows_already_written(tenant_db):
    document = _document()
    taken = {"id": str(uuid.uuid4()), "name": "cpas de schaerbeek", "description": ""}
    document["organizations"].append(taken)
    with schema_context("schaerbeek"):
        before = _stored()
        report = import_hsds(actor=tenant_db["coordinator"].actor(), document=document)
        assert _stored() == before
    assert [(e["table"], e["row"], e["field"]) for e in report.errors] == [("organizations", 1, "name")]


def test_hsds_dry_run_stores_nothing_but_counts(tenant_db):
    with schema_context("schaerbeek"):
        before = _stored()
        report = import_hsds(actor=tenant_db["coordinator"].actor(), document=_document(), dry_run=True)
        assert _stored() == before
    assert report.ok and report.dry_run
    assert report.created == {"organisations": 1, "offers": 1}


def test_hsds_import_needs_a_coordinator(tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Forbidden):
        import_hsds(actor=tenant_db["bapa_worker"].actor(), document=_document())


# --- CSV import ----------------------------------------------------------------------

CSV_ROWS = [
    {
        "organisation_name": "Maison des Langues",
        "organisation_kind": "association",
        "enterprise_number": "0403.019.261",
        "title": "Cours de français",
        "primary_domain": "language",
        "secondary_domains": "social_link;employment_training",
        "target_statuses": "refugee;applicant",
        "languages": "fr;AR",
        "interpretation_available": "oui",
        "street": "Rue Josaphat 12",
        "postcode": "1030",
        "city": "Schaerbeek",
        "opening_hours": "lun 09:00-12:00; mar 13:30-17:00",
        "capacity_status": "waiting_list",
        "waiting_weeks": "4",
        "valid_from": "2026-01-01",
        "valid_until": "2026-12-31",
        "age_min": "16",
    },
    {
        "organisation_name": "cpas de schaerbeek",
        "title": "Permanence sociale",
        "primary_domain": "social_rights",
        "is_online": "yes",
        "online_url": "https://cpas.example.be",
        "opening_hours": "wed 9:00-11:30",
        "access": "drop_in",
    },
]


def _csv(rows, *, delimiter=";", bom=False) -> str:
    columns = list(dict.fromkeys(name for row in rows for name in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" if bom else "") + out.getvalue()


def _import_csv(world, text, *, dry_run=False):
    with schema_context("schaerbeek"):
        return import_csv(actor=world["coordinator"].actor(), text=text, dry_run=dry_run)


def test_csv_creates_offers_and_missing_organisations(tenant_db):
    report = _import_csv(tenant_db, _csv(CSV_ROWS))
    assert report.ok, report.errors
    assert report.created == {"organisations": 1, "offers": 2}
    with schema_context("schaerbeek"):
        course = Offer.objects.get(title="Cours de français")
        assert course.organisation.enterprise_number == "0403019261"
        assert sorted(d.code for d in course.secondary_domains.all()) == ["employment_training", "social_link"]
        assert (course.languages, course.interpretation_available, course.waiting_weeks) == (["fr", "ar"], True, 4)
        assert [(s.weekday, s.opens_at) for s in course.opening_hours.all()] == [(1, time(9)), (2, time(13, 30))]
        assert course.locations.get().street == "Rue Josaphat 12"
        online = Offer.objects.get(title="Permanence sociale")
        assert online.organisation.name == "CPAS de Schaerbeek" and online.is_online


def test_csv_errors_on_rows_2_and_4_are_reported_and_nothing_stored(tenant_db):
    rows = [
        {**CSV_ROWS[1], "primary_domain": "astrology"},
        {**CSV_ROWS[0], "organisation_name": "Autre ASBL"},
        {**CSV_ROWS[0], "title": "Tables de conversation", "opening_hours": "tue 17:00-09:00"},
    ]
    with schema_context("schaerbeek"):
        before = _stored()
    report = _import_csv(tenant_db, _csv(rows))
    with schema_context("schaerbeek"):
        assert _stored() == before
    assert {(e["row"], e["field"]) for e in report.errors} == {(2, "primary_domain"), (4, "opening_hours")}
    assert all(e["error"] for e in report.errors)
    assert report.created == {"organisations": 0, "offers": 0}


def test_csv_dry_run_stores_nothing_but_counts(tenant_db):
    with schema_context("schaerbeek"):
        before = _stored()
    report = _import_csv(tenant_db, _csv(CSV_ROWS), dry_run=True)
    with schema_context("schaerbeek"):
        assert _stored() == before
    assert report.ok and report.dry_run
    assert report.created == {"organisations": 1, "offers": 2}


def test_csv_reimport_updates_without_duplicates(tenant_db):
    _import_csv(tenant_db, _csv(CSV_ROWS))
    with schema_context("schaerbeek"):
        before = _stored()
    changed = [{**CSV_ROWS[0], "title": "COURS DE FRANÇAIS", "waiting_weeks": "8"}, CSV_ROWS[1]]
    report = _import_csv(tenant_db, _csv(changed))
    with schema_context("schaerbeek"):
        assert _stored() == before
        assert Offer.objects.get(title="COURS DE FRANÇAIS").waiting_weeks == 8
    assert report.created == {"organisations": 0, "offers": 0}
    assert report.updated == {"organisations": 0, "offers": 2}


def test_csv_offer_id_updates_that_offer_even_renamed(tenant_db):
    _import_csv(tenant_db, _csv(CSV_ROWS))
    with schema_context("schaerbeek"):
        offer = Offer.objects.get(title="Permanence sociale")
    row = {"offer_id": str(offer.public_id), **CSV_ROWS[1], "title": "Permanence sociale du mardi"}
    report = _import_csv(tenant_db, _csv([row]))
    with schema_context("schaerbeek"):
        offer.refresh_from_db()
    assert report.updated["offers"] == 1 and report.created["offers"] == 0
    assert offer.title == "Permanence sociale du mardi"


def test_csv_column_left_out_keeps_the_stored_value(tenant_db):
    _import_csv(tenant_db, _csv(CSV_ROWS))
    row = {key: CSV_ROWS[0][key] for key in ("organisation_name", "title", "primary_domain", "waiting_weeks")}
    report = _import_csv(tenant_db, _csv([{**row, "waiting_weeks": "2"}]))
    with schema_context("schaerbeek"):
        course = Offer.objects.get(title="Cours de français")
        slot_count = course.opening_hours.count()
    assert report.ok, report.errors
    assert (course.waiting_weeks, course.languages, slot_count) == (2, ["fr", "ar"], 2)


@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_accepts_semicolon_and_comma_delimiters(tenant_db, delimiter):
    report = _import_csv(tenant_db, _csv(CSV_ROWS, delimiter=delimiter))
    assert report.ok, report.errors
    assert report.created["offers"] == 2


def test_csv_accepts_a_utf8_bom(tenant_db):
    report = _import_csv(tenant_db, _csv(CSV_ROWS, bom=True))
    assert report.ok, report.errors
    assert report.created["offers"] == 2


@pytest.mark.parametrize(
    "hours", ["mon 09:00-12:00; thu 14:00-16:00", "lun 9h00-12h00; jeu 14:00-16:00", "ma 09:00-12:00; do 14:00-16:00"]
)
def test_csv_opening_hours_take_english_french_and_dutch_days(tenant_db, hours):
    report = _import_csv(tenant_db, _csv([{**CSV_ROWS[1], "opening_hours": hours}]))
    with schema_context("schaerbeek"):
        offer = Offer.objects.get(title="Permanence sociale")
        slots = [(s.weekday, s.opens_at, s.closes_at) for s in offer.opening_hours.all()]
    assert report.ok, report.errors
    assert slots == [(1, time(9), time(12)), (4, time(14), time(16))]


def test_csv_new_organisation_needs_a_kind(tenant_db):
    row = {**CSV_ROWS[0], "organisation_kind": ""}
    report = _import_csv(tenant_db, _csv([row]))
    assert [(e["row"], e["field"]) for e in report.errors] == [(2, "organisation_kind")]


def test_csv_unknown_column_is_reported_on_the_header_row(tenant_db):
    report = _import_csv(tenant_db, _csv([{**CSV_ROWS[1], "colour": "blue"}]))
    assert [(e["row"], e["field"]) for e in report.errors] == [(1, "colour")]


# --- HSDS written by another publisher -----------------------------------------------------


def _ids(*names: str) -> dict[str, str]:
    return {name: str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://other.example/{name}")) for name in names}


def _publisher_service() -> dict:
    """One service as the specification's examples write it: nested, optional fields left
    out, fields and tables Maillage has no place for, several languages, no Maillage
    taxonomy."""
    i = _ids("service", "org", "bce", "fr", "nl", "ar", "weekly", "monthly", "phone", "sal", "place", "address")
    i |= _ids("attribute", "term", "taxonomy", "area")
    return {
        "id": i["service"],
        "name": "Permanence logement",
        "alternate_name": "Logement",
        "description": "Aide à la recherche d'un logement.",
        "status": "active",
        "interpretation_services": "Arabe sur demande",
        "minimum_age": 18,
        "assured_date": "2026-01-15",
        "last_modified": "2026-01-15T10:30:45.123Z",
        "x_internal_code": "LOG-7",
        "organization": {
            "id": i["org"],
            "name": "Association du Quartier Nord",
            "description": "Association de quartier.",
            "year_incorporated": 1998,
            "organization_identifiers": [
                {
                    "id": i["bce"],
                    "identifier_scheme": "BE-BCE_KBO",
                    "identifier_type": "Numéro d'entreprise",
                    "identifier": "0403.019.261",
                }
            ],
        },
        "languages": [
            {"id": i["fr"], "name": "French", "code": "fr"},
            {"id": i["nl"], "name": "Dutch", "code": "nl"},
            {"id": i["ar"], "name": "Arabic", "code": "ar", "note": "Le mardi"},
        ],
        "schedules": [
            {
                "id": i["weekly"],
                "freq": "WEEKLY",
                "byday": "TU,TH",
                "opens_at": "09:00:00",
                "closes_at": "12:00:00",
                "description": "Sans rendez-vous",
            },
            {"id": i["monthly"], "freq": "MONTHLY", "bymonthday": "1", "opens_at": "14:00", "closes_at": "16:00"},
        ],
        "phones": [{"id": i["phone"], "number": "02 201 02 03", "type": "voice"}],
        "service_areas": [{"id": i["area"], "name": "Schaerbeek"}],
        "service_at_locations": [
            {
                "id": i["sal"],
                "location": {
                    "id": i["place"],
                    "location_type": "physical",
                    "name": "Bureau",
                    "latitude": 50.86,
                    "longitude": 4.37,
                    "addresses": [
                        {
                            "id": i["address"],
                            "address_1": "Rue Royale 1",
                            "city": "Schaerbeek",
                            "state_province": "Bruxelles",
                            "postal_code": "1030",
                            "country": "BE",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        "attributes": [
            {
                "id": i["attribute"],
                "taxonomy_term_id": i["term"],
                "taxonomy_term": {
                    "id": i["term"],
                    "code": "BH-1800",
                    "name": "Housing",
                    "description": "Housing",
                    "taxonomy_detail": {"id": i["taxonomy"], "name": "Open Eligibility", "description": "..."},
                },
            }
        ],
    }


def test_hsds_of_another_publisher_imports_and_says_what_it_could_not_map(tenant_db):
    document = _publisher_service()
    with schema_context("schaerbeek"):
        report = import_hsds(actor=tenant_db["coordinator"].actor(), document=document)
        assert report.ok, report.errors
        offer = Offer.objects.select_related("organisation", "primary_domain").get(public_id=document["id"])
        slots = [(s.weekday, s.opens_at, s.closes_at) for s in offer.opening_hours.all()]
        place = offer.locations.get()
    assert report.created == {"organisations": 1, "offers": 1}
    assert (offer.organisation.name, offer.organisation.enterprise_number) == (
        "Association du Quartier Nord",
        "0403019261",
    )
    assert (offer.languages, offer.age_min, offer.phone) == (["fr", "nl", "ar"], 18, "02 201 02 03")
    assert offer.primary_domain.code == "other"
    assert slots == [(2, time(9), time(12)), (4, time(9), time(12))]
    assert (place.street, place.postcode, place.name) == ("Rue Royale 1", "1030", "Bureau")
    unmapped = {(row["table"], row["field"]) for row in report.unmapped}
    assert {
        ("services", "alternate_name"),
        ("services", "interpretation_services"),
        ("services", "x_internal_code"),
        ("services", "attributes"),
        ("organizations", "year_incorporated"),
        ("languages", "note"),
        ("schedules", "description"),
        ("schedules", "freq"),
        ("service_areas", ""),
        ("locations", "latitude"),
        ("phones", "type"),
        ("attributes", "taxonomy_term_id"),
    } <= unmapped
    assert all(row["rows"] >= 1 and row["note"] for row in report.unmapped)


def test_hsds_of_another_publisher_in_a_page_is_all_or_nothing(tenant_db):
    good, bad = _publisher_service(), _publisher_service()
    bad["id"] = str(uuid.uuid4())
    bad["languages"] = [{"id": str(uuid.uuid4()), "code": "klingon"}]
    with schema_context("schaerbeek"):
        before = _stored()
        report = import_hsds(actor=tenant_db["coordinator"].actor(), document={"contents": [good, bad]})
        assert _stored() == before
    assert [(e["table"], e["field"]) for e in report.errors] == [("languages", "code")]
