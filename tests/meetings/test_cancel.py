"""Cancelling a meeting still to come: a required reason, coordinators only, once, never
a past meeting; the record stays (marked), the calendar feed drops it, members are told,
the weekly digest skips it, and nothing crosses coordinations."""

import icalendar
import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tenants.utils import schema_context
from drf_spectacular.generators import SchemaGenerator

from audit.models import AuditEvent
from maillage.actor import Actor
from maillage.errors import Conflict, Forbidden, Invalid
from meetings.models import Meeting
from meetings.services import MeetingInput, cancel_meeting, create_calendar_feed, update_meeting
from notifications.models import Notification
from notifications.selectors import weekly_news
from tenants.models import Coordination

REASON = "Trop d'organisations excusées ; reportée au mois prochain."
API = "/c/schaerbeek/api/v1"


def _cancel(world, meeting, reason=REASON, persona="coordinator"):
    with schema_context("schaerbeek"):
        return cancel_meeting(actor=world[persona].actor(), meeting=meeting, reason=reason)


def _reload(meeting) -> Meeting:
    with schema_context("schaerbeek"):
        return Meeting.objects.get(pk=meeting.pk)


# --- The rules -------------------------------------------------------------------------


def test_coordinator_cancels_a_future_meeting_and_it_keeps_its_data(tenant_db, make_meeting):
    meeting = make_meeting(days=6, title="Réunion logement", agenda=["Tour de table"])
    _cancel(tenant_db, meeting, reason=f"  {REASON}  ")
    cancelled = _reload(meeting)
    assert cancelled.is_cancelled
    assert cancelled.cancellation_reason == REASON
    assert cancelled.cancelled_by_id == tenant_db["coordinator"].user.pk
    assert cancelled.sequence == meeting.sequence + 1
    assert cancelled.title == "Réunion logement" and cancelled.starts_at == meeting.starts_at
    with schema_context("schaerbeek"):
        assert [item.title for item in cancelled.agenda_items.all()] == ["Tour de table"]


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_cancelling_without_a_reason_is_refused_naming_reason(tenant_db, make_meeting, reason):
    meeting = make_meeting(days=6)
    with pytest.raises(Invalid) as error:
        _cancel(tenant_db, meeting, reason=reason)
    assert set(error.value.fields) == {"reason"}
    assert not _reload(meeting).is_cancelled


def test_too_long_a_reason_is_refused_naming_reason(tenant_db, make_meeting):
    meeting = make_meeting(days=6)
    with pytest.raises(Invalid) as error:
        _cancel(tenant_db, meeting, reason="x" * 501)
    assert set(error.value.fields) == {"reason"}


def test_past_meeting_cannot_be_cancelled(tenant_db, make_meeting):
    meeting = make_meeting(days=-3)
    with pytest.raises(Conflict):
        _cancel(tenant_db, meeting)
    assert not _reload(meeting).is_cancelled


def test_meeting_cannot_be_cancelled_twice(tenant_db, make_meeting):
    meeting = make_meeting(days=6)
    _cancel(tenant_db, meeting)
    with pytest.raises(Conflict):
        _cancel(tenant_db, meeting, reason="Une autre raison")
    assert _reload(meeting).cancellation_reason == REASON


@pytest.mark.parametrize("persona", ["bapa_worker", "cpas_referent", "volunteer", "observer"])
def test_only_coordinators_cancel_a_meeting(tenant_db, make_meeting, persona):
    meeting = make_meeting(days=6)
    with pytest.raises(Forbidden):
        _cancel(tenant_db, meeting, persona=persona)
    assert not _reload(meeting).is_cancelled


def test_cancelled_meeting_can_no_longer_be_edited(tenant_db, make_meeting):
    meeting = make_meeting(days=6)
    _cancel(tenant_db, meeting)
    with schema_context("schaerbeek"), pytest.raises(Conflict):
        data = MeetingInput.of(meeting)
        data.title = "Autre titre"
        update_meeting(actor=tenant_db["coordinator"].actor(), meeting=meeting, data=data)
    assert _reload(meeting).title == "Réunion de coordination"


def test_cancellation_fields_go_together_in_the_database(tenant_db, make_meeting):
    meeting = make_meeting(days=6)
    with schema_context("schaerbeek"), pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(cancelled_at=timezone.now())


def test_cancellation_is_audited_without_the_reason(tenant_db, make_meeting):
    meeting = make_meeting(days=6)
    _cancel(tenant_db, meeting)
    with schema_context("schaerbeek"):
        event = AuditEvent.objects.get(object_public_id=meeting.public_id, action="meeting.cancelled")
    assert event.actor_id == tenant_db["coordinator"].user.pk
    assert event.detail["sequence"] == meeting.sequence + 1
    assert "organisations" not in str(event.detail)


# --- Notices ---------------------------------------------------------------------------


def test_members_are_told_of_the_cancellation_in_the_app_and_by_e_mail(
    tenant_db, make_meeting, django_capture_on_commit_callbacks
):
    meeting = make_meeting(days=6)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _cancel(tenant_db, meeting)
    with schema_context("schaerbeek"):
        notices = list(Notification.objects.filter(kind="meeting_planned", params__cancelled=True))
        recipients = {n.recipient.email for n in notices}
    assert tenant_db["cpas_referent"].email in recipients and tenant_db["observer"].email in recipients
    assert tenant_db["coordinator"].email not in recipients
    assert tenant_db["foreigner"].email not in recipients
    assert all(n.params["meeting"] == str(meeting.public_id) for n in notices)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(recipients)
    message = next(m for m in mail.outbox if m.to == [tenant_db["cpas_referent"].email])
    with translation.override(tenant_db["cpas_referent"].user.preferred_language or settings.LANGUAGE_CODE):
        subject = gettext("Coordination meeting cancelled")
        body = gettext("A coordination meeting was cancelled: it will not take place. The reason is on Maillage.")
    assert message.subject.endswith(subject)
    assert body in message.body
    assert f"/c/schaerbeek/meetings/{meeting.public_id}/" in message.body
    assert REASON not in message.body  # the reason stays behind sign-in


def test_planned_meeting_e_mail_still_says_planned(tenant_db, make_meeting, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_meeting(days=6)
    message = next(m for m in mail.outbox if m.to == [tenant_db["cpas_referent"].email])
    with translation.override(tenant_db["cpas_referent"].user.preferred_language or settings.LANGUAGE_CODE):
        planned = gettext("Coordination meeting planned")
        cancelled = gettext("A coordination meeting was cancelled: it will not take place. The reason is on Maillage.")
    assert message.subject.endswith(planned)
    assert cancelled not in message.body


# --- The calendar feed -----------------------------------------------------------------


def test_feed_emits_a_cancelled_meeting_with_status_cancelled_and_a_higher_sequence(tenant_db, make_meeting, client):
    kept = make_meeting(days=4, title="Réunion emploi")
    dropped = make_meeting(days=6)
    with schema_context("schaerbeek"):
        token = create_calendar_feed(actor=tenant_db["cpas_referent"].actor()).token
    url = f"/c/schaerbeek/meetings/feed/{token}.ics"
    before = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")}
    _cancel(tenant_db, dropped)
    after = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")}
    uid = f"meeting-{dropped.public_id}@schaerbeek.maillage"
    assert uid in after  # still emitted, so calendar apps learn it is off
    assert str(after[uid]["STATUS"]) == "CANCELLED"
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    assert REASON in str(after[uid]["DESCRIPTION"])
    assert "STATUS" not in after[f"meeting-{kept.public_id}@schaerbeek.maillage"]


# --- The weekly digest -----------------------------------------------------------------


def test_weekly_digest_skips_a_cancelled_meeting_for_the_next_one(tenant_db, make_meeting):
    soon = make_meeting(days=3, title="Réunion annulée")
    make_meeting(days=10, title="Réunion suivante")
    _cancel(tenant_db, soon)
    coordination = Coordination.objects.get(schema_name="schaerbeek")
    with schema_context("schaerbeek"):
        news = weekly_news(actor=Actor.system(coordination), today=timezone.localdate())
    assert news.meetings_known
    assert news.next_meeting is not None and news.next_meeting.title == "Réunion suivante"


def test_weekly_digest_has_no_next_meeting_when_the_only_one_is_cancelled(tenant_db, make_meeting):
    _cancel(tenant_db, make_meeting(days=3))
    coordination = Coordination.objects.get(schema_name="schaerbeek")
    with schema_context("schaerbeek"):
        news = weekly_news(actor=Actor.system(coordination), today=timezone.localdate())
    assert news.meetings_known and news.next_meeting is None


# --- Pages -----------------------------------------------------------------------------


def test_coordinator_sees_a_labelled_cancel_form_on_a_future_meeting(tenant_db, make_meeting, login, client):
    meeting = make_meeting(days=6)
    login(tenant_db["coordinator"])
    page = client.get(f"/c/schaerbeek/meetings/{meeting.public_id}/").content.decode()
    assert '<label for="id_reason">' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "<script>" not in page and "style=" not in page


def test_no_cancel_form_on_a_past_meeting_or_for_a_member(tenant_db, make_meeting, login, client):
    past = make_meeting(days=-3)
    future = make_meeting(days=6)
    login(tenant_db["coordinator"])
    assert 'id="id_reason"' not in client.get(f"/c/schaerbeek/meetings/{past.public_id}/").content.decode()
    login(tenant_db["bapa_worker"])
    assert 'id="id_reason"' not in client.get(f"/c/schaerbeek/meetings/{future.public_id}/").content.decode()


def test_coordinator_cancels_from_the_meeting_page_and_it_shows_cancelled(tenant_db, make_meeting, login, client):
    meeting = make_meeting(days=6, title="Réunion logement")
    login(tenant_db["coordinator"])
    response = client.post(f"/c/schaerbeek/meetings/{meeting.public_id}/", {"reason": REASON})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/meetings/{meeting.public_id}/")
    assert _reload(meeting).is_cancelled
    login(tenant_db["volunteer"])
    page = client.get(f"/c/schaerbeek/meetings/{meeting.public_id}/").content.decode()
    assert 'id="cancellation"' in page and "Trop d&#x27;organisations excusées" in page
    assert f"/meetings/{meeting.public_id}/edit/" not in page
    listing = client.get("/c/schaerbeek/meetings/").content.decode()
    assert "Réunion logement" in listing and 'class="badge warn"' in listing
    assert "Trop d&#x27;organisations excusées" in listing


def test_page_cancellation_without_reason_is_a_400_naming_reason(tenant_db, make_meeting, login, client):
    meeting = make_meeting(days=6)
    login(tenant_db["coordinator"])
    response = client.post(f"/c/schaerbeek/meetings/{meeting.public_id}/", {"reason": " "})
    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()
    assert not _reload(meeting).is_cancelled


def test_page_cancellation_of_a_past_meeting_is_a_409(tenant_db, make_meeting, login, client):
    meeting = make_meeting(days=-3)
    login(tenant_db["coordinator"])
    response = client.post(f"/c/schaerbeek/meetings/{meeting.public_id}/", {"reason": REASON})
    assert response.status_code == 409
    assert 'role="alert"' in response.content.decode()
    assert not _reload(meeting).is_cancelled


def test_member_posting_a_cancellation_gets_403(tenant_db, make_meeting, login, client):
    meeting = make_meeting(days=6)
    login(tenant_db["bapa_worker"])
    assert client.post(f"/c/schaerbeek/meetings/{meeting.public_id}/", {"reason": REASON}).status_code == 403
    assert not _reload(meeting).is_cancelled


def test_edit_page_of_a_cancelled_meeting_is_a_409(tenant_db, make_meeting, login, client):
    meeting = make_meeting(days=6)
    _cancel(tenant_db, meeting)
    login(tenant_db["coordinator"])
    assert client.get(f"/c/schaerbeek/meetings/{meeting.public_id}/edit/").status_code == 409
    response = client.post(f"/c/schaerbeek/meetings/{meeting.public_id}/edit/", {"title": "Autre", "place": "VIA"})
    assert response.status_code == 409
    assert _reload(meeting).title == "Réunion de coordination"


def test_other_coordinations_cannot_cancel_a_schaerbeek_meeting_from_the_page(tenant_db, make_meeting, login, client):
    meeting = make_meeting(days=6)
    login(tenant_db["tournai_coordinator"])
    assert client.post(f"/c/tournai/meetings/{meeting.public_id}/", {"reason": REASON}).status_code == 404
    login(tenant_db["foreigner"])
    assert client.post(f"/c/schaerbeek/meetings/{meeting.public_id}/", {"reason": REASON}).status_code == 404
    assert not _reload(meeting).is_cancelled


def test_meeting_list_with_cancelled_meetings_is_query_bounded(
    tenant_db, make_meeting, login, client, django_assert_max_num_queries
):
    for days in (3, 5, 8):
        _cancel(tenant_db, make_meeting(days=days, agenda=["Un"]))
    login(tenant_db["bapa_worker"])
    client.get("/c/schaerbeek/meetings/")
    with django_assert_max_num_queries(18):
        page = client.get("/c/schaerbeek/meetings/").content.decode()
    assert page.count(REASON.replace("'", "&#x27;")) == 3


# --- API -------------------------------------------------------------------------------


def test_api_coordinator_cancels_a_meeting(tenant_db, make_meeting, token_client):
    meeting = make_meeting(days=6)
    response = token_client(tenant_db["coordinator"]).post(
        f"{API}/meetings/{meeting.public_id}/cancel/", {"reason": REASON}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["cancelled"] is True and body["cancellation_reason"] == REASON and body["cancelled_at"]
    listed = token_client(tenant_db["observer"]).get(f"{API}/meetings/").json()
    row = next(m for m in listed["results"] if m["id"] == str(meeting.public_id))
    assert row["cancelled"] is True


def test_api_cancellation_without_reason_is_a_400_naming_reason(tenant_db, make_meeting, token_client):
    meeting = make_meeting(days=6)
    api = token_client(tenant_db["coordinator"])
    for payload in ({}, {"reason": ""}, {"reason": "  "}):
        response = api.post(f"{API}/meetings/{meeting.public_id}/cancel/", payload, format="json")
        assert response.status_code == 400, payload
        assert set(response.json()["fields"]) == {"reason"}


def test_api_cancelling_a_past_meeting_or_twice_is_a_409(tenant_db, make_meeting, token_client):
    past = make_meeting(days=-3)
    future = make_meeting(days=6)
    api = token_client(tenant_db["coordinator"])
    response = api.post(f"{API}/meetings/{past.public_id}/cancel/", {"reason": REASON}, format="json")
    assert response.status_code == 409 and response.json()["error"] == "conflict"
    assert response.json()["detail"]
    assert api.post(f"{API}/meetings/{future.public_id}/cancel/", {"reason": REASON}, format="json").status_code == 200
    again = api.post(f"{API}/meetings/{future.public_id}/cancel/", {"reason": REASON}, format="json")
    assert again.status_code == 409


def test_api_patching_a_cancelled_meeting_is_a_409(tenant_db, make_meeting, token_client):
    meeting = make_meeting(days=6)
    _cancel(tenant_db, meeting)
    response = token_client(tenant_db["coordinator"]).patch(
        f"{API}/meetings/{meeting.public_id}/", {"title": "Autre"}, format="json"
    )
    assert response.status_code == 409


def test_api_member_who_sees_the_meeting_gets_403(tenant_db, make_meeting, token_client):
    meeting = make_meeting(days=6)
    api = token_client(tenant_db["cpas_referent"])
    assert api.get(f"{API}/meetings/{meeting.public_id}/").status_code == 200
    response = api.post(f"{API}/meetings/{meeting.public_id}/cancel/", {"reason": REASON}, format="json")
    assert response.status_code == 403 and response.json()["error"] == "forbidden"


def test_api_cancellation_across_coordinations_is_a_404(tenant_db, make_meeting, token_client):
    meeting = make_meeting(days=6)
    tournai = token_client(tenant_db["tournai_coordinator"]).post(
        f"/c/tournai/api/v1/meetings/{meeting.public_id}/cancel/", {"reason": REASON}, format="json"
    )
    foreigner = token_client(tenant_db["foreigner"]).post(
        f"{API}/meetings/{meeting.public_id}/cancel/", {"reason": REASON}, format="json"
    )
    assert tournai.status_code == 404 and foreigner.status_code == 404
    assert (
        tournai.json()
        == token_client(tenant_db["tournai_coordinator"])
        .post(
            "/c/tournai/api/v1/meetings/00000000-0000-4000-8000-000000000000/cancel/", {"reason": REASON}, format="json"
        )
        .json()
    )
    assert not _reload(meeting).is_cancelled


def test_schema_documents_the_cancel_endpoint():
    schema = SchemaGenerator(urlconf="maillage.urls_tenant").get_schema(request=None, public=True)
    assert "post" in schema["paths"]["/api/v1/meetings/{public_id}/cancel/"]


def test_the_printable_minutes_say_the_meeting_was_cancelled(tenant_db, make_meeting, login, client):
    meeting = make_meeting(days=6, title="Réunion logement")
    _cancel(tenant_db, meeting)
    login(tenant_db["observer"])
    page = client.get(f"/c/schaerbeek/meetings/{meeting.public_id}/minutes/").content.decode()
    assert "annulée" in page  # French, the default language
    assert "Trop d&#x27;organisations excusées" in page
