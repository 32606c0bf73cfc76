"""A follow-up action is not due before the meeting that decided it (maillage.cleaning.
check_not_before, in the service the page and the API share), nor is a meeting moved past
its actions' due dates."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from maillage.errors import Invalid
from meetings.services import MeetingInput, update_meeting

from .conftest import org_id

API = "/c/schaerbeek/api/v1/actions/"
DUE_BEFORE = "An action is due on or after the day of its meeting."


@pytest.fixture(autouse=True)
def english(client):
    """The messages as written (the tests' language is otherwise French)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def test_an_action_due_before_its_meeting_is_refused_naming_the_due_date(tenant_db, make_meeting, make_action):
    meeting = make_meeting(days=30)
    with pytest.raises(Invalid) as error:
        make_action(due_in=10, meeting=meeting.public_id)
    assert error.value.fields == {"due_on": [DUE_BEFORE]}


def test_an_action_due_on_the_day_of_its_meeting_is_taken(tenant_db, make_meeting, make_action):
    meeting = make_meeting(days=-30)
    action = make_action(due_in=-30, meeting=meeting.public_id)
    assert action.due_on == timezone.localdate(meeting.starts_at)


def test_the_api_answers_400_on_due_on(tenant_db, make_meeting, token_client):
    meeting = make_meeting(days=-14)
    with schema_context("schaerbeek"):
        owner = str(org_id("Exil"))
    due = timezone.localdate() - timedelta(days=330)
    response = token_client(tenant_db["coordinator"]).post(
        API,
        {"what": "Lister les AIS", "owner": owner, "due_on": due.isoformat(), "meeting": str(meeting.public_id)},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"due_on"}


def test_the_page_shows_the_error_by_the_due_date(tenant_db, make_meeting, login, client):
    meeting = make_meeting(days=-14)
    with schema_context("schaerbeek"):
        owner = str(org_id("Exil"))
    login(tenant_db["coordinator"])
    response = client.post(
        "/c/schaerbeek/meetings/actions/new/",
        {
            "what": "Lister les AIS",
            "owner": owner,
            "due_on": (timezone.localdate() - timedelta(days=330)).isoformat(),
            "status": "open",
            "meeting": str(meeting.public_id),
        },
    )
    assert response.status_code == 400
    assert DUE_BEFORE in response.content.decode()


def test_a_meeting_moved_past_its_actions_due_dates_is_refused(tenant_db, make_meeting, make_action):
    meeting = make_meeting(days=7)
    make_action(due_in=10, meeting=meeting.public_id)
    with schema_context("schaerbeek"), pytest.raises(Invalid) as error:
        data = MeetingInput.of(meeting)
        data.starts_at = meeting.starts_at + timedelta(days=14)
        data.ends_at = None
        update_meeting(actor=tenant_db["coordinator"].actor(), meeting=meeting, data=data)
    assert set(error.value.fields) == {"starts_at"}
