"""The signed paper form uploaded with a consent: a PDF or a photo, known by its first
bytes; at most MAILLAGE_UPLOAD_MAX_BYTES; stored under a name the uploader does not choose."""

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from consent.models import Consent
from maillage.uploads import sniff, stored_extension
from tests.factories import PersonFactory

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00" + b"\x00" * 32
HTML = b"<!doctype html><script>alert(document.cookie)</script>"


@pytest.fixture
def person(tenant_db):
    return PersonFactory(given_name="Amina", family_name="Haddad")


def _fields(world, proof):
    return {
        "recipients": [str(world["cpas_referent"].organisation_public_id)],
        "domains": ["housing"],
        "categories": ["identity"],
        "purpose": "Logement",
        "method": "paper_signed",
        "explanation_language": "ar",
        "proof": proof,
    }


def _page(world, login, client, person, proof):
    login(world["bapa_worker"])
    return client.post(f"/c/schaerbeek/persons/{person.public_id}/consents/new/", _fields(world, proof))


def _api(world, token_client, person, proof):
    return token_client(world["bapa_worker"]).post(
        f"/c/schaerbeek/api/v1/persons/{person.public_id}/consents/", _fields(world, proof), format="multipart"
    )


@pytest.mark.parametrize(
    ("head", "kind"), [(PDF, "pdf"), (PNG, "png"), (JPEG, "jpeg"), (WEBP, "webp"), (HEIC, "heic"), (HTML, None)]
)
def test_the_kind_is_read_from_the_first_bytes(head, kind):
    assert sniff(head[:16]) == kind


def test_an_html_file_is_refused_on_the_page(tenant_db, login, client, person):
    evil = SimpleUploadedFile("evil.html", HTML, content_type="text/html")
    response = _page(tenant_db, login, client, person, evil)
    assert response.status_code == 400
    assert "PDF" in response.content.decode()
    with schema_context("schaerbeek"):
        assert not Consent.objects.filter(person__public_id=person.public_id).exists()


def test_html_named_and_typed_as_a_pdf_is_still_refused_by_the_api(tenant_db, token_client, person):
    disguised = SimpleUploadedFile("scan.pdf", HTML, content_type="application/pdf")
    response = _api(tenant_db, token_client, person, disguised)
    assert response.status_code == 400, response.json()
    assert "proof" in response.json()["fields"]


def test_a_file_over_the_limit_is_refused(tenant_db, login, client, person, settings):
    settings.MAILLAGE_UPLOAD_MAX_BYTES = 1024
    large = SimpleUploadedFile("scan.pdf", PDF + b"\x00" * 1024, content_type="application/pdf")
    response = _page(tenant_db, login, client, person, large)
    assert response.status_code == 400
    assert response.context["form"].errors["proof"]
    with schema_context("schaerbeek"):
        assert not Consent.objects.filter(person__public_id=person.public_id).exists()


def test_a_file_over_the_limit_is_400_on_the_api(tenant_db, token_client, person, settings):
    settings.MAILLAGE_UPLOAD_MAX_BYTES = 1024
    large = SimpleUploadedFile("scan.pdf", PDF + b"\x00" * 1024, content_type="application/pdf")
    response = _api(tenant_db, token_client, person, large)
    assert response.status_code == 400
    assert "proof" in response.json()["fields"]


def test_the_default_limit_is_ten_mebibytes():
    assert django_settings.MAILLAGE_UPLOAD_MAX_BYTES == 10 * 1024 * 1024


def test_a_photo_is_stored_under_the_extension_of_its_content(tenant_db, token_client, person):
    photo = SimpleUploadedFile("page.html", PNG, content_type="text/html")
    response = _api(tenant_db, token_client, person, photo)
    assert response.status_code == 201, response.json()
    with schema_context("schaerbeek"):
        name = Consent.objects.get(public_id=response.json()["id"]).proof.name
    assert name.endswith(f"/{response.json()['id']}/signed-form.png")


def test_a_pdf_on_the_page_records_the_consent(tenant_db, login, client, person):
    response = _page(tenant_db, login, client, person, SimpleUploadedFile("signed.pdf", PDF))
    assert response.status_code == 302
    with schema_context("schaerbeek"):
        assert Consent.objects.get(person__public_id=person.public_id).proof.name.endswith("signed-form.pdf")


@pytest.mark.parametrize(("name", "kept"), [("a.pdf", "pdf"), ("a.JPG", "jpg"), ("a.html", "bin"), ("a", "bin")])
def test_a_stored_name_keeps_only_a_known_extension(name, kept):
    assert stored_extension(name) == kept


def test_the_file_picker_offers_pdfs_and_photos(tenant_db, login, client, person):
    login(tenant_db["bapa_worker"])
    page = client.get(f"/c/schaerbeek/persons/{person.public_id}/consents/new/").content.decode()
    assert 'accept="application/pdf,image/jpeg,image/png,image/webp,image/heic"' in page
