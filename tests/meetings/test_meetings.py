"""Meetings: validation, who may write them, notices, audit, pages and printable minutes."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from maillage.errors import Forbidden, Invalid
from meetings.models import Meeting
from meetings.services import MeetingInput, create_meeting, update_meeting
from notifications.models import Notification

from .conftest import org_id


def _fields(error) -> set:
    return set(error.value.fields)


def _future(**fields) -> MeetingInput:
    fields.setdefault("title", "Réunion de coordination")
    fields.setdefault("starts_at", timezone.now() + timedelta(days=10))
    fields.setdefault("place", "VIA, salle 1")
    return MeetingInput(**fields)


def test_past_meeting_without_minutes_is_refused_naming_minutes(tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Invalid) as error:
        create_meeting(
            actor=tenant_db["coordinator"].actor(), data=_future(starts_at=timezone.now() - timedelta(days=2))
        )
    assert _fields(error) == {"minutes"}
    with schema_context("schaerbeek"):
        assert not Meeting.objects.exists()


def test_future_meeting_needs_no_minutes(tenant_db):
    with schema_context("schaerbeek"):
        meeting = create_meeting(actor=tenant_db["coordinator"].actor(), data=_future())
        assert meeting.minutes == ""
        assert meeting.ends_at - meeting.starts_at == timedelta(hours=2)


def test_meeting_that_has_taken_place_cannot_be_saved_without_minutes(tenant_db, make_meeting):
    meeting = make_meeting(days=3)
    with schema_context("schaerbeek"):
        data = MeetingInput.of(meeting)
        with pytest.raises(Invalid) as error:
            update_meeting(
                actor=tenant_db["coordinator"].actor(),
                meeting=meeting,
                data=data,
                now=timezone.now() + timedelta(days=4),
            )
    assert _fields(error) == {"minutes"}


def test_meeting_needs_a_place_or_a_video_link(tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Invalid) as error:
        create_meeting(actor=tenant_db["coordinator"].actor(), data=_future(place=""))
    assert _fields(error) == {"place"}


@pytest.mark.parametrize("url", ["javascript:alert(1)", "meet.example.org/abc", "https://", "ftp://meet.example.org"])
def test_bad_video_link_is_refused_naming_video_url(tenant_db, url):
    with schema_context("schaerbeek"), pytest.raises(Invalid) as error:
        create_meeting(actor=tenant_db["coordinator"].actor(), data=_future(place="", video_url=url))
    assert "video_url" in _fields(error)


def test_video_meeting_without_place_is_accepted(tenant_db):
    with schema_context("schaerbeek"):
        meeting = create_meeting(
            actor=tenant_db["coordinator"].actor(), data=_future(place="", video_url="https://visio.example.org/x")
        )
    assert meeting.video_url == "https://visio.example.org/x"


def test_meeting_must_end_after_it_starts(tenant_db):
    start = timezone.now() + timedelta(days=3)
    with schema_context("schaerbeek"), pytest.raises(Invalid) as error:
        create_meeting(
            actor=tenant_db["coordinator"].actor(), data=_future(starts_at=start, ends_at=start - timedelta(hours=1))
        )
    assert _fields(error) == {"ends_at"}


def test_attendance_only_names_member_organisations(tenant_db):
    with schema_context("tournai"):
        tournai_cpas = org_id("CPAS de Tournai")
    with schema_context("schaerbeek"), pytest.raises(Invalid) as error:
        create_meeting(actor=tenant_db["coordinator"].actor(), data=_future(attendance={tournai_cpas: "present"}))
    assert _fields(error) == {"attendance"}


def test_agenda_decisions_and_attendance_are_recorded_in_order(tenant_db):
    with schema_context("schaerbeek"):
        meeting = create_meeting(
            actor=tenant_db["coordinator"].actor(),
            data=MeetingInput(
                title="Bilan",
                starts_at=timezone.now() - timedelta(days=1),
                place="VIA",
                agenda=["Tour de table", "Logement", "  ", "Divers"],
                minutes="Compte rendu.",
                decisions=["Décision A", "Décision B"],
                attendance={org_id("CPAS de Schaerbeek"): "present", org_id("Exil"): "excused"},
            ),
        )
        assert [i.title for i in meeting.agenda_items.all()] == ["Tour de table", "Logement", "Divers"]
        assert [d.text for d in meeting.decisions.all()] == ["Décision A", "Décision B"]
        assert {a.organisation.name: a.status for a in meeting.attendances.all()} == {
            "CPAS de Schaerbeek": "present",
            "Exil": "excused",
        }


@pytest.mark.parametrize("persona", ["bapa_worker", "cpas_referent", "volunteer", "observer"])
def test_only_coordinators_create_meetings(tenant_db, persona):
    with schema_context("schaerbeek"), pytest.raises(Forbidden):
        create_meeting(actor=tenant_db[persona].actor(), data=_future())


def test_meeting_writes_are_audited_with_ids_only(tenant_db, make_meeting):
    meeting = make_meeting(days=5, title="Réunion logement")
    with schema_context("schaerbeek"):
        update_meeting(actor=tenant_db["coordinator"].actor(), meeting=meeting, data=MeetingInput.of(meeting))
        events = list(AuditEvent.objects.filter(object_public_id=meeting.public_id).order_by("pk"))
    assert [e.action for e in events] == ["meeting.created", "meeting.updated"]
    assert all("Réunion logement" not in str(e.detail) for e in events)


def test_members_are_told_of_a_planned_meeting_once_by_e_mail(
    tenant_db, make_meeting, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = make_meeting(days=5)
    with schema_context("schaerbeek"):
        notices = Notification.objects.filter(kind="meeting_planned", params__meeting=str(meeting.public_id))
        recipients = {n.recipient.email for n in notices}
    assert tenant_db["cpas_referent"].email in recipients
    assert tenant_db["coordinator"].email not in recipients
    assert tenant_db["foreigner"].email not in recipients
    assert sorted(m.to[0] for m in mail.outbox) == sorted(recipients)
    assert f"/c/schaerbeek/meetings/{meeting.public_id}/" in mail.outbox[0].body


def test_recording_a_past_meeting_tells_nobody(tenant_db, make_meeting):
    make_meeting(days=-3)
    with schema_context("schaerbeek"):
        assert not Notification.objects.filter(kind="meeting_planned").exists()


# --- Pages ---------------------------------------------------------------------------


def test_coordinator_plans_a_meeting_from_the_page(tenant_db, login, client):
    login(tenant_db["coordinator"])
    with schema_context("schaerbeek"):
        cpas = org_id("CPAS de Schaerbeek")
    start = (timezone.localtime() + timedelta(days=8)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/c/schaerbeek/meetings/new/",
        {
            "title": "Réunion logement",
            "starts_at": start,
            "place": "VIA",
            "agenda": "Tour de table\nLogement",
            f"attendance_{cpas.hex}": "excused",
        },
    )
    assert response.status_code == 302
    with schema_context("schaerbeek"):
        meeting = Meeting.objects.get(title="Réunion logement")
        assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M") == start
        assert meeting.attendances.get().status == "excused"
    assert response["Location"].endswith(f"/meetings/{meeting.public_id}/")


def test_past_meeting_form_without_minutes_is_a_400_naming_minutes(tenant_db, login, client):
    login(tenant_db["coordinator"])
    start = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post("/c/schaerbeek/meetings/new/", {"title": "Bilan", "starts_at": start, "place": "VIA"})
    assert response.status_code == 400
    assert "minutes" in response.context["form"].errors


def test_non_coordinator_gets_403_on_the_meeting_form(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    assert client.get("/c/schaerbeek/meetings/new/").status_code == 403
    assert client.post("/c/schaerbeek/meetings/new/", {"title": "x"}).status_code == 403


def test_members_read_meetings(tenant_db, make_meeting, login, client):
    meeting = make_meeting(days=4, title="Réunion logement", agenda=["Logement des familles"])
    login(tenant_db["observer"])
    listing = client.get("/c/schaerbeek/meetings/").content.decode()
    assert "Réunion logement" in listing
    page = client.get(f"/c/schaerbeek/meetings/{meeting.public_id}/")
    assert page.status_code == 200
    assert "Logement des familles" in page.content.decode()
    assert f"/meetings/{meeting.public_id}/edit/" not in page.content.decode()


def test_tournai_member_cannot_read_schaerbeek_meetings(tenant_db, make_meeting, login, client):
    meeting = make_meeting(days=4)
    login(tenant_db["foreigner"])
    assert client.get(f"/c/schaerbeek/meetings/{meeting.public_id}/").status_code == 404
    assert client.get(f"/c/schaerbeek/meetings/{meeting.public_id}/minutes/").status_code == 404
    assert client.get("/c/schaerbeek/meetings/").status_code == 404


def test_schaerbeek_meeting_is_missing_in_tournai(tenant_db, make_meeting, login, client):
    meeting = make_meeting(days=4)
    login(tenant_db["tournai_coordinator"])
    assert client.get(f"/c/tournai/meetings/{meeting.public_id}/").status_code == 404
    assert client.get(f"/c/tournai/meetings/{meeting.public_id}/edit/").status_code == 404


def test_printable_minutes_show_attendance_decisions_and_actions(tenant_db, make_meeting, make_action, login, client):
    with schema_context("schaerbeek"):
        attendance = {org_id("CPAS de Schaerbeek"): "present", org_id("Exil"): "excused"}
    meeting = make_meeting(
        days=-7,
        minutes="Les délais de logement restent longs.",
        decisions=["Partager la liste des AIS"],
        attendance=attendance,
    )
    make_action(owner="Exil", meeting=meeting.public_id, what="Lister les AIS partenaires")
    login(tenant_db["volunteer"])
    response = client.get(f"/c/schaerbeek/meetings/{meeting.public_id}/minutes/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "meetings/minutes.css" in page and "maillage/print.css" in page
    assert "<script>" not in page and "style=" not in page
    assert "Les délais de logement restent longs." in page
    assert "Partager la liste des AIS" in page
    assert "Lister les AIS partenaires" in page and "Exil" in page
    assert "CPAS de Schaerbeek" in page


def test_meeting_list_is_query_bounded(tenant_db, make_meeting, login, client, django_assert_max_num_queries):
    for days in (-20, -10, 5, 12):
        make_meeting(days=days, agenda=["Un", "Deux"])
    login(tenant_db["bapa_worker"])
    client.get("/c/schaerbeek/meetings/")  # warm the session and the shell
    with django_assert_max_num_queries(18):
        response = client.get("/c/schaerbeek/meetings/")
    assert response.status_code == 200
    assert response.content.decode().count("Réunion de coordination") == 4
