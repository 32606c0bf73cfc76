"""The iCalendar feed: fetched without a session through a per-member secret, parsed back
by two parsers; a revoked secret, a deactivated member or another coordination: 404."""

import re
from datetime import UTC, timedelta

import icalendar
import pytest
import vobject
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from meetings.models import CalendarFeed
from meetings.services import MeetingInput, create_calendar_feed, revoke_calendar_feed, update_meeting
from members.services import deactivate_member


def _token(world, persona="cpas_referent", schema="schaerbeek") -> str:
    with schema_context(schema):
        return create_calendar_feed(actor=world[persona].actor()).token


def _fetch(client, token, slug="schaerbeek"):
    return client.get(f"/c/{slug}/meetings/feed/{token}.ics")


def _events(body: bytes) -> dict:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_feed_lists_the_meetings_with_their_times_places_and_agenda(tenant_db, make_meeting, client):
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=9)
    planned = make_meeting(
        title="Réunion logement; suivi, familles",
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        place="VIA, salle 1",
        agenda=["Tour de table", "Logement des familles"],
    )
    video = make_meeting(days=-5, title="Bilan emploi", place="", video_url="https://visio.example.org/emploi")
    token = _token(tenant_db)
    response = _fetch(client, token)  # no session: a calendar app
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = _events(response.content)
    assert set(events) == {
        f"meeting-{planned.public_id}@schaerbeek.maillage",
        f"meeting-{video.public_id}@schaerbeek.maillage",
    }
    event = events[f"meeting-{planned.public_id}@schaerbeek.maillage"]
    assert event.decoded("DTSTART") == start.astimezone(UTC)
    assert event.decoded("DTEND") == start.astimezone(UTC) + timedelta(minutes=90)
    assert str(event["SUMMARY"]) == "Réunion logement; suivi, familles"
    assert str(event["LOCATION"]) == "VIA, salle 1"
    assert "1. Tour de table\n2. Logement des familles" in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(f"/c/schaerbeek/meetings/{planned.public_id}/")
    other = events[f"meeting-{video.public_id}@schaerbeek.maillage"]
    assert str(other["URL"]) == "https://visio.example.org/emploi"


def test_feed_parses_with_a_second_parser(tenant_db, make_meeting, client):
    meeting = make_meeting(days=3, title="Réunion — accueil", agenda=["Accès au CPAS"])
    body = _fetch(client, _token(tenant_db)).content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    calendar = vobject.readOne(body)
    (event,) = calendar.vevent_list
    assert event.uid.value == f"meeting-{meeting.public_id}@schaerbeek.maillage"
    assert event.summary.value == "Réunion — accueil"
    assert event.dtstart.value == meeting.starts_at


def test_event_uid_stays_and_sequence_grows_when_a_meeting_changes(tenant_db, make_meeting, client):
    meeting = make_meeting(days=3)
    token = _token(tenant_db)
    before = _events(_fetch(client, token).content)
    with schema_context("schaerbeek"):
        data = MeetingInput.of(meeting)
        data.place = "Maison des associations"
        update_meeting(actor=tenant_db["coordinator"].actor(), meeting=meeting, data=data)
    after = _events(_fetch(client, token).content)
    assert set(before) == set(after)
    (event,) = after.values()
    assert str(event["LOCATION"]) == "Maison des associations"
    assert int(event["SEQUENCE"]) == 1


def test_only_the_hash_of_the_secret_is_stored(tenant_db):
    token = _token(tenant_db)
    with schema_context("schaerbeek"):
        feed = CalendarFeed.objects.get()
    assert token not in feed.token_hash and len(feed.token_hash) == 64


def test_wrong_token_is_a_404(tenant_db, client):
    _token(tenant_db)
    assert _fetch(client, "not-the-right-secret").status_code == 404


def test_revoked_token_is_a_404(tenant_db, client):
    token = _token(tenant_db)
    assert _fetch(client, token).status_code == 200
    with schema_context("schaerbeek"):
        assert revoke_calendar_feed(actor=tenant_db["cpas_referent"].actor()) == 1
        assert AuditEvent.objects.filter(action="calendar_feed.revoked").count() == 1
    assert _fetch(client, token).status_code == 404


def test_a_new_address_replaces_the_old_one(tenant_db, client):
    old = _token(tenant_db)
    new = _token(tenant_db)
    assert _fetch(client, old).status_code == 404
    assert _fetch(client, new).status_code == 200


def test_deactivated_members_token_stops_at_once(tenant_db, client):
    token = _token(tenant_db, "outsider")
    assert _fetch(client, token).status_code == 200
    with schema_context("schaerbeek"):
        deactivate_member(
            actor=tenant_db["coordinator"].actor(), membership_public_id=tenant_db["outsider"].membership_public_id
        )
    assert _fetch(client, token).status_code == 404


def test_token_works_only_in_its_own_coordination(tenant_db, make_meeting, client):
    make_meeting(days=3, title="Réunion de Schaerbeek")
    tournai_token = _token(tenant_db, "foreigner", schema="tournai")
    assert _fetch(client, tournai_token, slug="schaerbeek").status_code == 404
    response = _fetch(client, tournai_token, slug="tournai")
    assert response.status_code == 200
    assert _events(response.content) == {}


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_feed_answers_only_reads(tenant_db, client, method):
    token = _token(tenant_db)
    assert getattr(client, method)(f"/c/schaerbeek/meetings/feed/{token}.ics").status_code == 404


def test_member_creates_the_address_from_the_page_and_sees_it_once(tenant_db, login, client):
    login(tenant_db["volunteer"])
    page = client.post("/c/schaerbeek/meetings/feed/", {"do": "create"}).content.decode()
    (token,) = set(re.findall(r"http://testserver/c/schaerbeek/meetings/feed/([A-Za-z0-9_-]{40,})\.ics", page))
    assert f"webcal://testserver/c/schaerbeek/meetings/feed/{token}.ics" in page
    again = client.get("/c/schaerbeek/meetings/feed/").content.decode()
    assert token not in again
    client.logout()
    assert _fetch(client, token).status_code == 200


def test_member_stops_the_address_from_the_page(tenant_db, login, client):
    token = _token(tenant_db, "volunteer")
    login(tenant_db["volunteer"])
    assert client.post("/c/schaerbeek/meetings/feed/", {"do": "revoke"}).status_code == 302
    client.logout()
    assert _fetch(client, token).status_code == 404
