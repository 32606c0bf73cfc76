"""HSDS and CSV through the API and the import page."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from directory.models import Offer

CSV = (
    "organisation_name;organisation_kind;title;primary_domain;languages;opening_hours;street;postcode;city\n"
    "CPAS de Schaerbeek;cpas;Permanence logement;housing;fr;mon 09:00-12:00;Rue Verte 1;1030;Schaerbeek\n"
)


def test_hsds_document_and_service_endpoints(tenant_db, make_offer, token_client):
    offer = make_offer(languages=["fr", "ar"])
    api = token_client(tenant_db["volunteer"])
    document = api.get("/c/schaerbeek/api/v1/hsds/export/").json()
    assert str(offer.public_id) in {s["id"] for s in document["services"]}
    service = api.get(f"/c/schaerbeek/api/v1/hsds/services/{offer.public_id}/").json()
    assert {row["code"] for row in service["languages"]} == {"fr", "ar"}
    assert service["schedules"][0]["byday"] == "MO"
    assert api.get("/c/schaerbeek/api/v1/hsds/services/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_hsds_import_is_for_coordinators(tenant_db, token_client):
    response = token_client(tenant_db["bapa_worker"]).post(
        "/c/schaerbeek/api/v1/hsds/import/", {"organizations": [], "services": []}, format="json"
    )
    assert response.status_code == 403


def test_malformed_hsds_is_400_with_rows(tenant_db, token_client):
    response = token_client(tenant_db["coordinator"]).post(
        "/c/schaerbeek/api/v1/hsds/import/", [1, 2, 3], format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_import" and body["errors"]


def test_csv_dry_run_stores_nothing_then_import_stores(tenant_db, token_client):
    api = token_client(tenant_db["coordinator"])
    upload = SimpleUploadedFile("offers.csv", CSV.encode(), content_type="text/csv")
    response = api.post("/c/schaerbeek/api/v1/import/csv/?dry_run=1", {"file": upload}, format="multipart")
    assert response.status_code == 200 and response.json()["dry_run"] is True
    with schema_context("schaerbeek"):
        assert not Offer.objects.filter(title="Permanence logement").exists()
    upload = SimpleUploadedFile("offers.csv", CSV.encode(), content_type="text/csv")
    assert api.post("/c/schaerbeek/api/v1/import/csv/", {"file": upload}, format="multipart").status_code == 200
    with schema_context("schaerbeek"):
        assert Offer.objects.filter(title="Permanence logement").count() == 1


def test_csv_without_file_is_400_naming_the_field(tenant_db, token_client):
    response = token_client(tenant_db["coordinator"]).post("/c/schaerbeek/api/v1/import/csv/", {}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["fields"]


def test_import_page_reports_row_and_field(tenant_db, login, client):
    login(tenant_db["coordinator"])
    bad = CSV.replace("housing", "astrology")
    response = client.post(
        "/c/schaerbeek/directory/import/",
        {"format": "csv", "dry_run": "on", "file": SimpleUploadedFile("o.csv", bad.encode(), content_type="text/csv")},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "primary_domain" in page and "astrology" in page


def test_export_download(tenant_db, login, client, make_offer):
    make_offer()
    login(tenant_db["observer"])
    response = client.get("/c/schaerbeek/directory/export.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_csv_over_the_upload_limit_is_400_naming_the_field(tenant_db, token_client, settings):
    settings.MAILLAGE_UPLOAD_MAX_BYTES = 64
    upload = SimpleUploadedFile("offers.csv", CSV.encode(), content_type="text/csv")
    response = token_client(tenant_db["coordinator"]).post(
        "/c/schaerbeek/api/v1/import/csv/?dry_run=1", {"file": upload}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()["fields"]


def test_import_page_refuses_a_file_over_the_upload_limit(tenant_db, login, client, settings):
    settings.MAILLAGE_UPLOAD_MAX_BYTES = 64
    login(tenant_db["coordinator"])
    upload = SimpleUploadedFile("offers.csv", CSV.encode(), content_type="text/csv")
    response = client.post("/c/schaerbeek/directory/import/", {"format": "csv", "dry_run": "on", "file": upload})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert response.context["report"] is None


def test_json_body_over_the_limit_is_413(tenant_db, token_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64
    response = token_client(tenant_db["coordinator"]).post(
        "/c/schaerbeek/api/v1/hsds/import/?dry_run=1",
        {"organizations": [], "services": [], "x": "y" * 100},
        format="json",
    )
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
