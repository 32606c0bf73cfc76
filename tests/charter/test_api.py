"""The API of membership requests, charter versions and adoptions: happy paths, errors,
permissions and isolation."""

import pytest
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from charter.models import CharterAdoption, MembershipRequest
from charter.policies import join_token
from tenants.models import User
from tests.charter.conftest import adopt
from tests.conftest import PASSWORD
from tests.factories import api_token_for

API = "/c/schaerbeek/api/v1/"
REQUEST = {
    "organisation_name": "Maison de quartier Helmet",
    "kind": "association",
    "city": "Schaerbeek",
    "contact_name": "Inès Lambert",
    "contact_email": "ines@helmet.test",
    "motivation": "Cours de français.",
}
CHARTER = {
    "title": "Charte",
    "purposes": "Orienter.",
    "secrecy_rules": "Secret partagé.",
    "retention": "24 mois.",
    "data_protection_contact": "dpo@example.test",
}


@pytest.fixture
def stranger_api(tenant_db):
    """A token client for an account without membership in Schaerbeek."""
    user = User.objects.create_user("stranger@helmet.test", password=PASSWORD)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    return api


@pytest.fixture
def code(tenant_db):
    """The join code of Schaerbeek's join link."""
    return {"join_code": join_token(tenant_db.schaerbeek, 0)}


# --- Membership requests -----------------------------------------------------------------


def test_someone_without_membership_files_a_request(stranger_api, code):
    response = stranger_api.post(f"{API}membership-requests/", {**REQUEST, **code}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending" and body["requested_by"] == "stranger@helmet.test"
    assert body["organisation"] is None


def test_without_membership_nothing_else_is_open(stranger_api):
    assert stranger_api.get(f"{API}membership-requests/").status_code == 404
    assert stranger_api.get(f"{API}charter/versions/").status_code == 404
    assert stranger_api.post(f"{API}charter/adoptions/", {"representative": "X"}, format="json").status_code == 404


def test_anonymous_cannot_file_a_request(tenant_db, api_client, code):
    assert api_client.post(f"{API}membership-requests/", {**REQUEST, **code}, format="json").status_code == 401


def test_without_the_join_code_a_non_member_gets_404(stranger_api, tenant_db):
    response = stranger_api.post(f"{API}membership-requests/", {**REQUEST, "join_code": "guess"}, format="json")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert stranger_api.post(f"{API}membership-requests/", REQUEST, format="json").status_code == 404
    tournai_code = {"join_code": join_token(tenant_db.tournai, 0)}
    assert (
        stranger_api.post(f"{API}membership-requests/", {**REQUEST, **tournai_code}, format="json").status_code == 404
    )
    with schema_context("schaerbeek"):
        assert not MembershipRequest.objects.exists()


def test_a_member_files_a_request_without_the_code(tenant_db, token_client):
    response = token_client(tenant_db["bapa_worker"]).post(f"{API}membership-requests/", REQUEST, format="json")
    assert response.status_code == 201


def test_a_request_with_missing_fields_is_400(stranger_api, code):
    response = stranger_api.post(
        f"{API}membership-requests/", {**REQUEST, **code, "kind": "pirate", "city": ""}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"kind", "city"}


def test_a_duplicate_pending_request_is_409(stranger_api, code):
    stranger_api.post(f"{API}membership-requests/", {**REQUEST, **code}, format="json")
    response = stranger_api.post(f"{API}membership-requests/", {**REQUEST, **code}, format="json")
    assert response.status_code == 409
    assert response.json()["error"] == "request_pending"


def test_coordinator_lists_approves_and_the_organisation_is_a_member(stranger_api, code, tenant_db, token_client):
    created = stranger_api.post(f"{API}membership-requests/", {**REQUEST, **code}, format="json").json()
    api = token_client(tenant_db["coordinator"])
    listed = api.get(f"{API}membership-requests/?status=pending").json()
    assert [row["id"] for row in listed["results"]] == [created["id"]]
    response = api.post(f"{API}membership-requests/{created['id']}/approve/")
    assert response.status_code == 200
    body = response.json()
    assert body["contact_invited"] is True and body["request"]["status"] == "approved"
    organisation = api.get(f"{API}organisations/{body['organisation']}/").json()
    assert organisation["is_member"] is True and organisation["name"] == "Maison de quartier Helmet"


def test_refusal_without_reason_is_400_and_with_reason_200(stranger_api, code, tenant_db, token_client):
    created = stranger_api.post(f"{API}membership-requests/", {**REQUEST, **code}, format="json").json()
    api = token_client(tenant_db["coordinator"])
    path = f"{API}membership-requests/{created['id']}/refuse/"
    response = api.post(path, {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    response = api.post(path, {"reason": "Hors territoire."}, format="json")
    assert response.status_code == 200
    assert response.json()["refusal_reason"] == "Hors territoire."
    assert api.post(path, {"reason": "Encore"}, format="json").status_code == 409


@pytest.mark.parametrize("persona", ["bapa_worker", "cpas_referent", "volunteer", "observer", "outsider"])
def test_non_coordinators_get_404_on_every_request_route(stranger_api, code, tenant_db, token_client, persona):
    created = stranger_api.post(f"{API}membership-requests/", {**REQUEST, **code}, format="json").json()
    api = token_client(tenant_db[persona])
    assert api.get(f"{API}membership-requests/").status_code == 404
    assert api.get(f"{API}membership-requests/{created['id']}/").status_code == 404
    assert api.post(f"{API}membership-requests/{created['id']}/approve/").status_code == 404
    assert api.post(f"{API}membership-requests/{created['id']}/refuse/", {"reason": "x"}).status_code == 404
    with schema_context("schaerbeek"):
        assert MembershipRequest.objects.get().status == "pending"


def test_the_request_list_is_query_guarded(stranger_api, code, tenant_db, token_client, django_assert_max_num_queries):
    for n in range(5):
        stranger_api.post(
            f"{API}membership-requests/", {**REQUEST, **code, "organisation_name": f"Asbl {n}"}, format="json"
        )
    api = token_client(tenant_db["coordinator"])
    with django_assert_max_num_queries(12):
        assert api.get(f"{API}membership-requests/").json()["count"] == 5


# --- Charter versions ----------------------------------------------------------------------


def test_coordinator_writes_publishes_and_everyone_reads_the_current_version(tenant_db, token_client):
    api = token_client(tenant_db["coordinator"])
    assert api.get(f"{API}charter/current/").status_code == 404
    draft = api.post(f"{API}charter/versions/", CHARTER, format="json").json()
    assert draft["status"] == "draft" and draft["number"] is None
    patched = api.patch(f"{API}charter/versions/{draft['id']}/", {"retention": "12 mois."}, format="json").json()
    assert patched["retention"] == "12 mois." and patched["title"] == "Charte"
    published = api.post(f"{API}charter/versions/{draft['id']}/publish/").json()
    assert published["number"] == 1 and published["status"] == "published"
    current = token_client(tenant_db["observer"]).get(f"{API}charter/current/").json()
    assert current["id"] == draft["id"] and current["retention"] == "12 mois."


def test_editing_a_published_version_is_409(charter, tenant_db, token_client):
    response = token_client(tenant_db["coordinator"]).patch(
        f"{API}charter/versions/{charter.public_id}/", {"title": "Autre"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["error"] == "charter_published"


def test_a_non_coordinator_cannot_write_or_publish(charter, tenant_db, token_client):
    api = token_client(tenant_db["bapa_worker"])
    assert api.post(f"{API}charter/versions/", CHARTER, format="json").status_code == 403
    assert api.patch(f"{API}charter/versions/{charter.public_id}/", {"title": "x"}, format="json").status_code == 403
    draft = token_client(tenant_db["coordinator"]).post(f"{API}charter/versions/", CHARTER, format="json").json()
    assert api.get(f"{API}charter/versions/{draft['id']}/").status_code == 404
    assert api.post(f"{API}charter/versions/{draft['id']}/publish/").status_code == 404
    assert [v["number"] for v in api.get(f"{API}charter/versions/").json()["results"]] == [1]


def test_a_draft_with_empty_sections_is_400_naming_them(tenant_db, token_client):
    response = token_client(tenant_db["coordinator"]).post(
        f"{API}charter/versions/", {**CHARTER, "purposes": "", "retention": ""}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"purposes", "retention"}


def test_charter_of_schaerbeek_is_not_visible_in_tournai(charter, tenant_db, token_client):
    api = token_client(tenant_db["tournai_coordinator"])
    assert api.get("/c/tournai/api/v1/charter/current/").status_code == 404
    assert api.get(f"/c/tournai/api/v1/charter/versions/{charter.public_id}/").status_code == 404
    assert api.get(f"{API}charter/current/").status_code == 404  # not a member of Schaerbeek


# --- Adoptions -----------------------------------------------------------------------------


def test_a_member_adopts_for_its_organisation(charter, tenant_db, token_client):
    api = token_client(tenant_db["cpas_referent"])
    response = api.post(
        f"{API}charter/adoptions/",
        {"representative": "Jean-Luc Marchal", "representative_title": "Secrétaire général", "version": 1},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["organisation_name"] == "CPAS de Schaerbeek" and body["version"] == 1
    assert body["representative"] == "Jean-Luc Marchal" and body["adopted_by"] == tenant_db["cpas_referent"].email
    listed = token_client(tenant_db["observer"]).get(f"{API}charter/adoptions/").json()
    assert [row["organisation_name"] for row in listed["results"]] == ["CPAS de Schaerbeek"]


def test_adopting_for_another_organisation_is_400_naming_the_field(charter, tenant_db, token_client):
    response = token_client(tenant_db["bapa_worker"]).post(
        f"{API}charter/adoptions/",
        {"representative": "Sarah", "organisation": str(tenant_db["cpas_referent"].organisation_public_id)},
        format="json",
    )
    assert response.status_code == 400
    assert "organisation" in response.json()["fields"]
    with schema_context("schaerbeek"):
        assert not CharterAdoption.objects.exists()


def test_adopting_for_an_organisation_of_another_coordination_is_400(charter, tenant_db, token_client):
    response = token_client(tenant_db["bapa_worker"]).post(
        f"{API}charter/adoptions/",
        {"representative": "Sarah", "organisation": str(tenant_db["foreigner"].organisation_public_id)},
        format="json",
    )
    assert response.status_code == 400
    assert "organisation" in response.json()["fields"]


def test_adopting_without_representative_is_400(charter, tenant_db, token_client):
    response = token_client(tenant_db["bapa_worker"]).post(
        f"{API}charter/adoptions/", {"representative": ""}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"representative"}


def test_adopting_before_any_charter_is_409(tenant_db, token_client):
    response = token_client(tenant_db["bapa_worker"]).post(
        f"{API}charter/adoptions/", {"representative": "Sarah"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["error"] == "no_charter"


def test_adoptions_of_an_older_version(charter, tenant_db, token_client):
    from tests.charter.conftest import publish

    with schema_context("schaerbeek"):
        adopt(tenant_db, "cpas_referent")
        publish(tenant_db, title="v2")
    api = token_client(tenant_db["observer"])
    assert api.get(f"{API}charter/adoptions/").json()["count"] == 0
    assert api.get(f"{API}charter/adoptions/?version=1").json()["count"] == 1
    assert api.get(f"{API}charter/adoptions/?version=9").status_code == 404
    assert api.get(f"{API}charter/adoptions/?version=x").status_code == 400


def test_the_adoption_list_is_query_guarded(charter, tenant_db, token_client, django_assert_max_num_queries):
    with schema_context("schaerbeek"):
        adopt(tenant_db, "cpas_referent", "bapa_worker", "outsider", "volunteer")
    api = token_client(tenant_db["observer"])
    with django_assert_max_num_queries(10):
        assert api.get(f"{API}charter/adoptions/").json()["count"] == 4
