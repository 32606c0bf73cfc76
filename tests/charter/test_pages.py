"""Charter pages: the charter and its adoptions, adopting, drafts for coordinators, the
printable charter, the overview's status, and isolation."""

import pytest
from django_tenants.utils import schema_context

from charter import services
from charter.models import CharterAdoption, CharterVersion
from tests.charter.conftest import adopt, charter_input


def test_the_charter_page_shows_the_text_and_who_adopted(charter, tenant_db, login, client):
    with schema_context("schaerbeek"):
        adopt(tenant_db, "cpas_referent")
    login(tenant_db["observer"])
    response = client.get("/c/schaerbeek/charter/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Secret professionnel partagé : consentement" in page
    rows = {row.organisation.name: row.adoption for row in response.context["rows"]}
    assert rows["CPAS de Schaerbeek"].representative_name == "Représentant cpas_referent"
    assert rows["Exil"] is None
    assert response.context["adopt_form"] is None  # observers read only


def test_a_member_adopts_on_the_page(charter, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    assert client.get("/c/schaerbeek/charter/").context["adopt_form"] is not None
    response = client.post(
        "/c/schaerbeek/charter/adopt/", {"representative": "Nadia El Amrani", "representative_title": "", "version": 1}
    )
    assert response.status_code == 302
    with schema_context("schaerbeek"):
        adoption = CharterAdoption.objects.get()
        assert (
            adoption.organisation.name == "VIA — BAPA Schaerbeek"
            and adoption.adopted_by == tenant_db["bapa_worker"].user
        )
    assert client.get("/c/schaerbeek/charter/").context["adopt_form"] is None


def test_adopting_on_the_page_without_representative_records_nothing(charter, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    response = client.post("/c/schaerbeek/charter/adopt/", {"representative": "", "version": 1}, follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]]
    with schema_context("schaerbeek"):
        assert not CharterAdoption.objects.exists()


def test_the_printable_charter(charter, tenant_db, login, client):
    login(tenant_db["volunteer"])
    response = client.get(f"/c/schaerbeek/charter/versions/{charter.public_id}/print/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "print.css" in page and "24 mois après la clôture du dossier." in page and "dpo@example.test" in page
    assert "<script" not in page and "style=" not in page


def test_coordinator_writes_edits_and_publishes_a_draft(tenant_db, login, client):
    login(tenant_db["coordinator"])
    data = vars(charter_input())
    response = client.post("/c/schaerbeek/charter/versions/new/", data)
    assert response.status_code == 302
    with schema_context("schaerbeek"):
        draft = CharterVersion.objects.get()
    edit = f"/c/schaerbeek/charter/versions/{draft.public_id}/edit/"
    assert client.post(edit, {**data, "retention": "6 mois."}).status_code == 302
    assert client.post(edit, {**data, "purposes": ""}).status_code == 400
    assert client.post(f"/c/schaerbeek/charter/versions/{draft.public_id}/publish/").status_code == 302
    with schema_context("schaerbeek"):
        draft.refresh_from_db()
        assert draft.number == 1 and draft.retention == "6 mois."
    assert client.get(edit).status_code == 409


def test_a_new_draft_starts_from_the_current_text(charter, tenant_db, login, client):
    login(tenant_db["coordinator"])
    form = client.get("/c/schaerbeek/charter/versions/new/").context["form"]
    assert form.initial["retention"] == "24 mois après la clôture du dossier."


@pytest.mark.parametrize("persona", ["bapa_worker", "cpas_referent", "volunteer", "observer"])
def test_drafts_and_writing_are_404_for_non_coordinators(charter, tenant_db, login, client, persona):
    with schema_context("schaerbeek"):
        draft = services.create_charter_draft(actor=tenant_db["coordinator"].actor(), data=charter_input())
    login(tenant_db[persona])
    assert client.get("/c/schaerbeek/charter/versions/new/").status_code == 404
    assert client.get(f"/c/schaerbeek/charter/versions/{draft.public_id}/").status_code == 404
    assert client.get(f"/c/schaerbeek/charter/versions/{draft.public_id}/edit/").status_code == 404
    assert client.post(f"/c/schaerbeek/charter/versions/{draft.public_id}/publish/").status_code == 404
    assert client.get(f"/c/schaerbeek/charter/versions/{charter.public_id}/").status_code == 200


def test_schaerbeek_charter_pages_are_404_from_tournai(charter, tenant_db, login, client):
    login(tenant_db["tournai_coordinator"])
    assert client.get("/c/schaerbeek/charter/").status_code == 404
    assert client.get(f"/c/tournai/charter/versions/{charter.public_id}/").status_code == 404
    assert client.get(f"/c/tournai/charter/versions/{charter.public_id}/print/").status_code == 404
    assert client.get("/c/tournai/charter/").context["current"] is None


def test_the_overview_says_when_the_organisation_must_adopt(charter, tenant_db, login, client):
    login(tenant_db["cpas_referent"])
    response = client.get("/c/schaerbeek/")
    assert response.status_code == 200
    assert response.context["adopted"] is False and response.context["current"] == charter
    assert 'class="warn"' in response.content.decode()
    with schema_context("schaerbeek"):
        adopt(tenant_db, "cpas_referent")
    assert client.get("/c/schaerbeek/").context["adopted"] is True
