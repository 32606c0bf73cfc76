"""The meetings API: contracts, field-level 400s, 403 vs 404, filters, query counts, schema."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from .conftest import org_id

BASE = "/c/schaerbeek/api/v1"


def _future(days=10) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


def test_coordinator_creates_a_meeting_with_agenda_and_attendance(tenant_db, token_client):
    with schema_context("schaerbeek"):
        cpas = str(org_id("CPAS de Schaerbeek"))
    response = token_client(tenant_db["coordinator"]).post(
        f"{BASE}/meetings/",
        {
            "title": "Réunion logement",
            "starts_at": _future(),
            "video_url": "https://visio.example.org/logement",
            "agenda": ["Tour de table", "Logement"],
            "attendance": [{"organisation": cpas, "status": "excused"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["agenda"] == ["Tour de table", "Logement"]
    assert body["attendance"] == [
        {"organisation": cpas, "organisation_name": "CPAS de Schaerbeek", "status": "excused"}
    ]
    assert body["place"] == "" and body["minutes"] == "" and body["actions"] == []


def test_past_meeting_without_minutes_is_a_400_naming_minutes(tenant_db, token_client):
    response = token_client(tenant_db["coordinator"]).post(
        f"{BASE}/meetings/", {"title": "Bilan", "starts_at": _future(-3), "place": "VIA"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid"
    assert set(response.json()["fields"]) == {"minutes"}


def test_bad_video_link_is_a_400_naming_video_url(tenant_db, token_client):
    response = token_client(tenant_db["coordinator"]).post(
        f"{BASE}/meetings/",
        {"title": "Visio", "starts_at": _future(), "video_url": "javascript:alert(1)"},
        format="json",
    )
    assert response.status_code == 400
    assert "video_url" in response.json()["fields"]


def test_malformed_date_is_a_400_naming_the_field(tenant_db, token_client):
    response = token_client(tenant_db["coordinator"]).post(
        f"{BASE}/meetings/", {"title": "x", "starts_at": "next tuesday", "place": "VIA"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"starts_at"}


def test_non_coordinator_creating_a_meeting_gets_403(tenant_db, token_client):
    response = token_client(tenant_db["bapa_worker"]).post(
        f"{BASE}/meetings/", {"title": "x", "starts_at": _future(), "place": "VIA"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_coordinator_records_minutes_by_patch_and_keeps_the_rest(tenant_db, make_meeting, token_client):
    meeting = make_meeting(days=2, agenda=["Logement"])
    response = token_client(tenant_db["coordinator"]).patch(
        f"{BASE}/meetings/{meeting.public_id}/",
        {"minutes": "Tour de table.", "decisions": ["Partager la liste des AIS"]},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["minutes"] == "Tour de table." and body["decisions"] == ["Partager la liste des AIS"]
    assert body["agenda"] == ["Logement"] and body["place"] == "Maison communale, salle 2"


def test_tournai_member_cannot_read_a_schaerbeek_meeting(tenant_db, make_meeting, token_client):
    meeting = make_meeting(days=2)
    foreigner = token_client(tenant_db["foreigner"])
    assert foreigner.get(f"{BASE}/meetings/{meeting.public_id}/").status_code == 404
    tournai = token_client(tenant_db["tournai_coordinator"])
    assert tournai.get(f"/c/tournai/api/v1/meetings/{meeting.public_id}/").status_code == 404
    assert tournai.get("/c/tournai/api/v1/meetings/").json()["results"] == []


def test_action_without_owner_is_a_400_naming_owner(tenant_db, token_client):
    response = token_client(tenant_db["coordinator"]).post(
        f"{BASE}/actions/", {"what": "Lister les AIS"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"owner"}


def test_action_owned_outside_the_coordination_is_a_400_naming_owner(tenant_db, token_client):
    with schema_context("tournai"):
        tournai_cpas = str(org_id("CPAS de Tournai"))
    response = token_client(tenant_db["coordinator"]).post(
        f"{BASE}/actions/", {"what": "Lister les AIS", "owner": tournai_cpas}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"owner"}


def test_coordinator_records_an_action_decided_at_a_meeting(tenant_db, make_meeting, token_client):
    meeting = make_meeting(days=-2)
    with schema_context("schaerbeek"):
        cpas = str(org_id("CPAS de Schaerbeek"))
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    response = token_client(tenant_db["coordinator"]).post(
        f"{BASE}/actions/",
        {"what": "Lister les AIS", "owner": cpas, "due_on": due, "meeting": str(meeting.public_id)},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["owner"] == cpas and body["due_on"] == due and body["status"] == "open"
    assert body["meeting"] == str(meeting.public_id) and body["overdue"] is False
    detail = token_client(tenant_db["observer"]).get(f"{BASE}/meetings/{meeting.public_id}/").json()
    assert [a["id"] for a in detail["actions"]] == [body["id"]]


def test_owner_marks_the_action_done_and_others_get_403(tenant_db, make_action, token_client):
    action = make_action(owner="CPAS de Schaerbeek")
    path = f"{BASE}/actions/{action.public_id}/status/"
    assert token_client(tenant_db["outsider"]).post(path, {"status": "done"}, format="json").status_code == 403
    response = token_client(tenant_db["cpas_referent"]).post(path, {"status": "done"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    again = token_client(tenant_db["cpas_referent"]).post(path, {"status": "done"}, format="json")
    assert again.status_code == 409


def test_bad_status_is_a_400_naming_status(tenant_db, make_action, token_client):
    action = make_action(owner="CPAS de Schaerbeek")
    response = token_client(tenant_db["cpas_referent"]).post(
        f"{BASE}/actions/{action.public_id}/status/", {"status": "finished"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"status"}


def test_only_coordinators_patch_an_action(tenant_db, make_action, token_client):
    action = make_action(owner="CPAS de Schaerbeek")
    path = f"{BASE}/actions/{action.public_id}/"
    assert token_client(tenant_db["cpas_referent"]).patch(path, {"what": "x"}, format="json").status_code == 403
    response = token_client(tenant_db["coordinator"]).patch(path, {"what": "Autre chose"}, format="json")
    assert response.status_code == 200 and response.json()["what"] == "Autre chose"
    assert response.json()["owner_name"] == "CPAS de Schaerbeek"


def test_action_list_filters_open_and_overdue(tenant_db, make_action, token_client):
    late = make_action(owner="CPAS de Schaerbeek", due_in=-2, what="En retard")
    soon = make_action(owner="Exil", due_in=3, what="Bientôt")
    with schema_context("schaerbeek"):
        from meetings.services import set_action_status

        done = make_action(owner="Exil", due_in=-5, what="Fait")
        set_action_status(actor=tenant_db["coordinator"].actor(), action=done, status="done")
    api = token_client(tenant_db["volunteer"])

    def ids(query):
        return {row["id"] for row in api.get(f"{BASE}/actions/{query}").json()["results"]}

    assert ids("?status=open") == {str(late.public_id), str(soon.public_id)}
    assert ids("?overdue=true") == {str(late.public_id)}
    assert ids("?status=done") == {str(done.public_id)}
    assert api.get(f"{BASE}/actions/?status=finished").status_code == 400


def test_action_list_is_query_bounded(
    tenant_db, make_action, make_meeting, token_client, django_assert_max_num_queries
):
    meeting = make_meeting(days=-1)
    for days in range(6):
        make_action(owner="Exil", due_in=days, meeting=meeting.public_id)
    api = token_client(tenant_db["volunteer"])
    with django_assert_max_num_queries(8):
        response = api.get(f"{BASE}/actions/")
    assert response.json()["count"] == 6


def test_meeting_list_is_query_bounded(tenant_db, make_meeting, token_client, django_assert_max_num_queries):
    for days in (-9, -3, 4, 8, 15):
        make_meeting(days=days, agenda=["Un", "Deux"])
    api = token_client(tenant_db["observer"])
    # 8, and the write that stamps a new token's first use.
    with django_assert_max_num_queries(9):
        response = api.get(f"{BASE}/meetings/")
    assert response.json()["count"] == 5
    assert all(row["agenda"] == ["Un", "Deux"] for row in response.json()["results"])


def test_objectives_come_with_actions_and_figures(tenant_db, make_action, token_client):
    api = token_client(tenant_db["coordinator"])
    created = api.post(
        f"{BASE}/objectives/", {"need_domain": "housing", "title": "Un logement en trois mois"}, format="json"
    )
    assert created.status_code == 201
    objective_id = created.json()["id"]
    make_action(owner="CPAS de Schaerbeek", objective=objective_id)
    listing = token_client(tenant_db["observer"]).get(f"{BASE}/objectives/").json()["results"]
    (row,) = listing
    assert row["need_domain"] == "housing" and len(row["actions"]) == 1
    assert row["figures"] == {"period": "", "open_offers": "", "referrals_in_domain": "", "referrals_sent": ""}
    bad = api.post(f"{BASE}/objectives/", {"need_domain": "nope", "title": ""}, format="json")
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"need_domain", "title"}


def test_non_coordinator_cannot_change_an_objective(tenant_db, token_client):
    api = token_client(tenant_db["coordinator"])
    objective_id = api.post(
        f"{BASE}/objectives/", {"need_domain": "housing", "title": "Objectif"}, format="json"
    ).json()["id"]
    response = token_client(tenant_db["bapa_worker"]).patch(
        f"{BASE}/objectives/{objective_id}/", {"status": "achieved"}, format="json"
    )
    assert response.status_code == 403


def test_schema_documents_the_meeting_endpoints():
    schema = SchemaGenerator(urlconf="maillage.urls_tenant").get_schema(request=None, public=True)
    validate_schema(schema)
    for path in ("/api/v1/meetings/", "/api/v1/actions/", "/api/v1/actions/{public_id}/status/", "/api/v1/objectives/"):
        assert path in schema["paths"], path
