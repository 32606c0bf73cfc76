"""Follow-up actions: owner required and a member, who may close them, and the daily
reminders (due soon once, overdue once, never for closed actions)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from directory.models import Organisation
from directory.services import OrganisationInput, update_organisation
from maillage.actor import Actor
from maillage.errors import Conflict, Forbidden, Invalid
from meetings.models import Action
from meetings.services import (
    ActionInput,
    create_action,
    send_action_reminders,
    set_action_status,
    update_action,
)
from meetings.tasks import remind_actions, remind_actions_everywhere
from notifications.models import Notification
from tests.factories import ActionFactory

from .conftest import org_id


def test_action_without_owner_is_refused_naming_owner(tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Invalid) as error:
        ActionFactory(due_in=None, owner=None)
    assert set(error.value.fields) == {"owner"}


def test_owner_from_another_coordination_is_refused_naming_owner(tenant_db):
    with schema_context("tournai"):
        tournai_cpas = org_id("CPAS de Tournai")
    with schema_context("schaerbeek"), pytest.raises(Invalid) as error:
        ActionFactory(due_in=None, owner=tournai_cpas)
    assert set(error.value.fields) == {"owner"}


def test_owner_that_is_not_a_member_organisation_is_refused(tenant_db):
    with schema_context("schaerbeek"):
        exil = Organisation.objects.get(name="Exil")
        data = OrganisationInput.of(exil)
        data.is_member = False
        update_organisation(actor=tenant_db["coordinator"].actor(), organisation=exil, data=data)
        with pytest.raises(Invalid) as error:
            ActionFactory(due_in=None, owner=exil.public_id)
    assert set(error.value.fields) == {"owner"}


def test_action_needs_to_say_what(tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Invalid) as error:
        ActionFactory(due_in=None, what="  ", owner=org_id("Exil"))
    assert set(error.value.fields) == {"what"}


def test_only_coordinators_record_actions(tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Forbidden):
        create_action(
            actor=tenant_db["cpas_referent"].actor(),
            data=ActionInput(what="Faire quelque chose", owner=org_id("CPAS de Schaerbeek")),
        )


def test_owner_organisation_member_marks_the_action_done(tenant_db, make_action):
    action = make_action(owner="CPAS de Schaerbeek")
    with schema_context("schaerbeek"):
        action = set_action_status(actor=tenant_db["cpas_referent"].actor(), action=action, status="done")
        assert action.status == "done" and action.status_changed_by == tenant_db["cpas_referent"].user
        event = AuditEvent.objects.get(action="action.status_changed", object_public_id=action.public_id)
    assert event.detail == {"from": "open", "to": "done"}


@pytest.mark.parametrize("persona", ["outsider", "bapa_worker"])
def test_member_of_another_organisation_cannot_close_the_action(tenant_db, make_action, persona):
    action = make_action(owner="CPAS de Schaerbeek")
    with schema_context("schaerbeek"), pytest.raises(Forbidden):
        set_action_status(actor=tenant_db[persona].actor(), action=action, status="dropped")


def test_observer_of_the_owner_organisation_cannot_close_the_action(tenant_db, make_action):
    action = make_action(owner="Exil")
    with schema_context("schaerbeek"), pytest.raises(Forbidden):
        set_action_status(actor=tenant_db["observer"].actor(), action=action, status="done")


def test_owner_cannot_reopen_but_a_coordinator_can(tenant_db, make_action):
    action = make_action(owner="CPAS de Schaerbeek")
    with schema_context("schaerbeek"):
        set_action_status(actor=tenant_db["cpas_referent"].actor(), action=action, status="dropped")
        with pytest.raises(Forbidden):
            set_action_status(actor=tenant_db["cpas_referent"].actor(), action=action, status="open")
        assert set_action_status(actor=tenant_db["coordinator"].actor(), action=action, status="open").status == "open"


def test_setting_the_same_status_twice_is_a_conflict(tenant_db, make_action):
    action = make_action(owner="CPAS de Schaerbeek")
    with schema_context("schaerbeek"):
        set_action_status(actor=tenant_db["cpas_referent"].actor(), action=action, status="done")
        with pytest.raises(Conflict):
            set_action_status(actor=tenant_db["cpas_referent"].actor(), action=action, status="done")


def test_only_coordinators_edit_an_action(tenant_db, make_action):
    action = make_action(owner="CPAS de Schaerbeek")
    with schema_context("schaerbeek"):
        data = ActionInput.of(action)
        data.what = "Autre chose"
        with pytest.raises(Forbidden):
            update_action(actor=tenant_db["cpas_referent"].actor(), action=action, data=data)
        assert update_action(actor=tenant_db["coordinator"].actor(), action=action, data=data).what == "Autre chose"


# --- Reminders -----------------------------------------------------------------------


def _system(world):
    return Actor.system(world.schaerbeek)


def _told(action):
    return sorted(
        (n.recipient.email, n.params["overdue"])
        for n in Notification.objects.filter(kind="action_due", params__action=str(action.public_id))
    )


def test_owner_members_are_reminded_three_days_before_once(tenant_db, make_action):
    action = make_action(owner="CPAS de Schaerbeek", due_in=5)
    today = timezone.localdate()
    with schema_context("schaerbeek"):
        assert send_action_reminders(actor=_system(tenant_db), today=today) == {"reminded": 0, "overdue": 0}
        assert send_action_reminders(actor=_system(tenant_db), today=today + timedelta(days=2)) == {
            "reminded": 1,
            "overdue": 0,
        }
        assert send_action_reminders(actor=_system(tenant_db), today=today + timedelta(days=3)) == {
            "reminded": 0,
            "overdue": 0,
        }
        assert _told(action) == [(tenant_db["cpas_referent"].email, False)]
        action.refresh_from_db()
        assert action.reminded_at is not None
        assert AuditEvent.objects.filter(action="action.reminded", object_public_id=action.public_id).count() == 1


def test_overdue_action_is_notified_once(tenant_db, make_action):
    action = make_action(owner="CPAS de Schaerbeek", due_in=1)
    later = timezone.localdate() + timedelta(days=2)
    with schema_context("schaerbeek"):
        assert send_action_reminders(actor=_system(tenant_db), today=later)["overdue"] == 1
        assert send_action_reminders(actor=_system(tenant_db), today=later + timedelta(days=1))["overdue"] == 0
        assert _told(action) == [(tenant_db["cpas_referent"].email, True)]


def test_done_and_dropped_actions_are_not_reminded(tenant_db, make_action):
    done = make_action(owner="CPAS de Schaerbeek", due_in=1)
    dropped = make_action(owner="CPAS de Schaerbeek", due_in=-2)
    with schema_context("schaerbeek"):
        set_action_status(actor=tenant_db["cpas_referent"].actor(), action=done, status="done")
        set_action_status(actor=tenant_db["cpas_referent"].actor(), action=dropped, status="dropped")
        assert send_action_reminders(actor=_system(tenant_db)) == {"reminded": 0, "overdue": 0}
        assert not Notification.objects.filter(kind="action_due").exists()


def test_action_without_due_date_is_never_reminded(tenant_db, make_action):
    make_action(owner="CPAS de Schaerbeek", due_in=None)
    with schema_context("schaerbeek"):
        assert send_action_reminders(actor=_system(tenant_db)) == {"reminded": 0, "overdue": 0}


def test_new_due_date_asks_for_a_new_reminder(tenant_db, make_action):
    action = make_action(owner="CPAS de Schaerbeek", due_in=2)
    with schema_context("schaerbeek"):
        assert send_action_reminders(actor=_system(tenant_db))["reminded"] == 1
        data = ActionInput.of(action)
        data.due_on = timezone.localdate() + timedelta(days=1)
        update_action(actor=tenant_db["coordinator"].actor(), action=action, data=data)
        assert send_action_reminders(actor=_system(tenant_db))["reminded"] == 1


def test_reminders_go_to_the_owner_organisation_only_and_not_to_observers(tenant_db, make_action):
    exil_action = make_action(owner="Exil", due_in=1)  # Exil's only member is an observer
    via_action = make_action(owner="VIA — BAPA Schaerbeek", due_in=1)
    with schema_context("schaerbeek"):
        send_action_reminders(actor=_system(tenant_db))
        assert _told(exil_action) == []
        assert _told(via_action) == sorted(
            [(tenant_db["coordinator"].email, False), (tenant_db["bapa_worker"].email, False)]
        )


def test_daily_task_reminds_by_e_mail_once(tenant_db, make_action, django_capture_on_commit_callbacks):
    make_action(owner="CPAS de Schaerbeek", due_in=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_actions("schaerbeek") == {"reminded": 1, "overdue": 0}
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_actions("schaerbeek") == {"reminded": 0, "overdue": 0}
    assert [m.to for m in mail.outbox] == [[tenant_db["cpas_referent"].email]]
    assert "/c/schaerbeek/meetings/actions/" in mail.outbox[0].body


def test_daily_job_fans_out_to_every_active_coordination(tenant_db, make_action):
    make_action(owner="CPAS de Schaerbeek", due_in=1)
    assert remind_actions_everywhere() >= 2
    with schema_context("schaerbeek"):
        assert Action.objects.get().reminded_at is not None


# --- Pages ---------------------------------------------------------------------------


def test_owner_marks_the_action_done_from_the_page(tenant_db, make_action, login, client):
    action = make_action(owner="CPAS de Schaerbeek")
    login(tenant_db["cpas_referent"])
    page = client.get(f"/c/schaerbeek/meetings/actions/{action.public_id}/").content.decode()
    assert 'value="done"' in page
    response = client.post(f"/c/schaerbeek/meetings/actions/{action.public_id}/status/", {"status": "done"})
    assert response.status_code == 302
    with schema_context("schaerbeek"):
        action.refresh_from_db()
    assert action.status == "done"


def test_other_organisation_gets_403_on_the_status_and_sees_no_button(tenant_db, make_action, login, client):
    action = make_action(owner="CPAS de Schaerbeek")
    login(tenant_db["outsider"])
    page = client.get(f"/c/schaerbeek/meetings/actions/{action.public_id}/").content.decode()
    assert 'value="done"' not in page
    response = client.post(f"/c/schaerbeek/meetings/actions/{action.public_id}/status/", {"status": "done"})
    assert response.status_code == 403


def test_tournai_member_cannot_open_schaerbeek_actions(tenant_db, make_action, login, client):
    action = make_action(owner="CPAS de Schaerbeek")
    login(tenant_db["tournai_coordinator"])
    assert client.get(f"/c/tournai/meetings/actions/{action.public_id}/").status_code == 404
    response = client.post(f"/c/tournai/meetings/actions/{action.public_id}/status/", {"status": "done"})
    assert response.status_code == 404


def test_action_form_without_owner_is_a_400_naming_owner(tenant_db, login, client):
    login(tenant_db["coordinator"])
    response = client.post("/c/schaerbeek/meetings/actions/new/", {"what": "Lister les AIS"})
    assert response.status_code == 400
    assert "owner" in response.context["form"].errors


def test_action_list_filters_overdue_and_is_query_bounded(
    tenant_db, make_action, login, client, django_assert_max_num_queries
):
    make_action(owner="CPAS de Schaerbeek", due_in=-3, what="En retard")
    for days in (2, 5, 9):
        make_action(owner="Exil", due_in=days, what=f"Dans {days} jours")
    login(tenant_db["volunteer"])
    client.get("/c/schaerbeek/meetings/actions/")
    with django_assert_max_num_queries(18):
        page = client.get("/c/schaerbeek/meetings/actions/").content.decode()
    assert page.count("Dans ") == 3 and "En retard" in page
    overdue = client.get("/c/schaerbeek/meetings/actions/?overdue=on").content.decode()
    assert "En retard" in overdue and "Dans 2 jours" not in overdue


def test_the_e_mail_says_whether_the_action_is_due_soon_or_overdue(
    tenant_db, make_action, django_capture_on_commit_callbacks
):
    make_action(owner="CPAS de Schaerbeek", due_in=1)
    make_action(owner="CPAS de Schaerbeek", due_in=-1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_actions("schaerbeek") == {"reminded": 1, "overdue": 1}
    # French, the default language.
    bodies = sorted(message.body for message in mail.outbox)
    subjects = sorted(message.subject for message in mail.outbox)
    assert len(bodies) == 2
    assert any("bientôt" in subject for subject in subjects) and any("dépassé" in s for s in subjects)
    assert any("bientôt" in body for body in bodies) and any("dépassé" in body for body in bodies)
