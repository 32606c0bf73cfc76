"""Answer deadlines: a reminder the working day before, overdue and escalation after, and
the e-mails of notifications, sent exactly once with a first name and a link only."""

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import factory
import pytest
from django.core import mail
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from consent.services import withdraw_consent
from directory.models import Organisation
from maillage.actor import Actor
from notifications.models import Notification
from notifications.tasks import send_notification_email
from referrals import services
from referrals.reminders import check_referral_deadlines
from referrals.tasks import check_referral_deadlines_everywhere
from tenants.models import Coordination
from tests.factories import MembershipFactory, PersonFactory, ReferralFactory, organisation_of, world

BRUSSELS = ZoneInfo("Europe/Brussels")
FRIDAY = datetime(2026, 11, 13, 10, 0, tzinfo=BRUSSELS)  # 1 working day: due Monday 16 November
MONDAY_BEFORE_ARMISTICE = datetime(2026, 11, 9, 10, 0, tzinfo=BRUSSELS)  # 2 working days: due Thursday 12


def _sender(world, days):
    """The BAPA worker, in a coordination whose deadline is `days` working days (in memory
    only: the session's coordination stays as it is)."""
    coordination = Coordination.objects.get(pk=world.schaerbeek.pk)
    coordination.referral_response_working_days = days
    return replace(world["bapa_worker"].actor(), coordination=coordination)


class AminasReferral(ReferralFactory):
    """A BAPA referral of Amina Haddad to the organisation of persona `to`, sent at `sent_at`
    (a Friday) by a coordination whose deadline is `days` working days. The e-mails may
    carry her first name, nothing else of her or of the reason."""

    class Params:
        to = "cpas_referent"
        days = 1

    actor = factory.LazyAttribute(lambda o: _sender(world(), o.days))
    person = factory.SubFactory(
        PersonFactory, actor=factory.SelfAttribute("..actor"), given_name="Amina", family_name="Haddad", birth_year=1990
    )
    to_organisation = factory.LazyAttribute(lambda o: organisation_of(o.to))
    reason = "Cherche un logement: bail qui se termine en décembre"
    status = "sent"
    sent_at = FRIDAY


def _system(world):
    return Actor.system(world.schaerbeek)


def _told(referral, kind):
    return sorted(
        n.recipient.email for n in Notification.objects.filter(kind=kind, params__referral=str(referral.public_id))
    )


def test_referral_sent_on_friday_with_one_working_day_is_due_on_monday(tenant_db):
    with schema_context("schaerbeek"):
        referral = AminasReferral()
    assert referral.response_due == date(2026, 11, 16)


def test_recipients_are_reminded_the_working_day_before(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = AminasReferral()
        system = _system(world)
        assert check_referral_deadlines(actor=system, today=date(2026, 11, 12)) == {"reminded": 0, "overdue": 0}
        assert check_referral_deadlines(actor=system, today=date(2026, 11, 13)) == {"reminded": 1, "overdue": 0}
        referral.refresh_from_db()
        assert referral.reminded_at is not None and referral.overdue_since is None
        assert _told(referral, "referral_due_soon") == [world["cpas_referent"].email]
        event = AuditEvent.objects.get(action="referral.reminded")
        assert event.person_public_id == referral.person.public_id


def test_reminder_skips_the_weekend_and_public_holidays(tenant_db):
    with schema_context("schaerbeek"):
        referral = AminasReferral(sent_at=MONDAY_BEFORE_ARMISTICE, days=2)
        assert referral.response_due == date(2026, 11, 12)  # 11 November does not count
        system = _system(tenant_db)
        assert check_referral_deadlines(actor=system, today=date(2026, 11, 9))["reminded"] == 0
        assert check_referral_deadlines(actor=system, today=date(2026, 11, 10))["reminded"] == 1


def test_no_reminder_on_a_day_off(tenant_db):
    with schema_context("schaerbeek"):
        AminasReferral()
        assert check_referral_deadlines(actor=_system(tenant_db), today=date(2026, 11, 15))["reminded"] == 0


def test_overdue_referral_to_a_cpas_escalates_to_its_reference_persons_and_the_coordinator(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = AminasReferral()
        assert check_referral_deadlines(actor=_system(world), today=date(2026, 11, 16))["overdue"] == 0
        assert check_referral_deadlines(actor=_system(world), today=date(2026, 11, 17)) == {
            "reminded": 0,
            "overdue": 1,
        }
        referral.refresh_from_db()
        assert referral.overdue_since is not None and referral.escalated_at is not None
        assert _told(referral, "referral_overdue") == sorted(
            [world["cpas_referent"].email, world["coordinator"].email, world["bapa_worker"].email]
        )
        event = AuditEvent.objects.get(action="referral.overdue")
        assert event.person_public_id == referral.person.public_id


def test_overdue_referral_elsewhere_escalates_to_the_coordinator(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = AminasReferral(to="outsider")
        check_referral_deadlines(actor=_system(world), today=date(2026, 11, 17))
        assert _told(referral, "referral_overdue") == sorted(
            [world["outsider"].email, world["coordinator"].email, world["bapa_worker"].email]
        )


def test_deadline_check_twice_the_same_day_does_nothing_more(tenant_db):
    with schema_context("schaerbeek"):
        AminasReferral()
        AminasReferral(sent_at=datetime(2026, 11, 16, 10, 0, tzinfo=BRUSSELS))  # due Tuesday 17
        system = _system(tenant_db)
        assert check_referral_deadlines(actor=system, today=date(2026, 11, 17)) == {"reminded": 1, "overdue": 1}
        count = Notification.objects.count()
        assert check_referral_deadlines(actor=system, today=date(2026, 11, 17)) == {"reminded": 0, "overdue": 0}
        assert check_referral_deadlines(actor=system, today=date(2026, 11, 18)) == {"reminded": 0, "overdue": 1}
        assert check_referral_deadlines(actor=system, today=date(2026, 11, 19)) == {"reminded": 0, "overdue": 0}
        assert Notification.objects.count() == count + 3  # the second one's overdue notices, once


def test_answered_referral_is_never_overdue(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = AminasReferral()
        services.accept_referral(actor=world["cpas_referent"].actor(), referral=referral)
        assert check_referral_deadlines(actor=_system(world), today=date(2026, 11, 20)) == {
            "reminded": 0,
            "overdue": 0,
        }


def test_daily_job_fans_out_to_every_active_coordination(tenant_db):
    assert check_referral_deadlines_everywhere() == 2  # Schaerbeek and Tournai


# --- E-mails -------------------------------------------------------------------------


def test_notification_is_emailed_once_even_if_the_task_runs_twice(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = AminasReferral()
        notice = Notification.objects.get(kind="referral_sent", params__referral=str(referral.public_id))
    send_notification_email("schaerbeek", notice.pk)
    send_notification_email("schaerbeek", notice.pk)
    assert [m.to for m in mail.outbox] == [[world["cpas_referent"].email]]
    with schema_context("schaerbeek"):
        assert Notification.objects.get(pk=notice.pk).emailed_at is not None


def test_email_carries_the_first_name_and_a_link_only(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = AminasReferral()
        notice = Notification.objects.get(kind="referral_sent", params__referral=str(referral.public_id))
    send_notification_email("schaerbeek", notice.pk)
    message = mail.outbox[0]
    text = message.subject + message.body
    assert "Amina" in message.body
    assert "Amina" not in message.subject
    assert f"{world.schaerbeek.absolute_url}referrals/{referral.public_id}/" in message.body
    for other in ("Haddad", "1990", "logement", "bail", "décembre", str(referral.person.public_id)):
        assert other not in text


def test_overdue_email_names_the_deadline(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = AminasReferral()
        check_referral_deadlines(actor=_system(world), today=date(2026, 11, 17))
        notice = Notification.objects.get(kind="referral_overdue", recipient=world["cpas_referent"].user)
    send_notification_email("schaerbeek", notice.pk)
    assert "16" in mail.outbox[0].body and "Amina" in mail.outbox[0].body
    assert str(referral.public_id) in mail.outbox[0].body


def test_no_first_name_once_the_consent_is_withdrawn(tenant_db, django_capture_on_commit_callbacks):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = AminasReferral()
        with django_capture_on_commit_callbacks(execute=True):
            withdraw_consent(actor=world["bapa_worker"].actor(), consent=referral.consent, reason="Elle le demande")
    to_cpas = [m for m in mail.outbox if m.to == [world["cpas_referent"].email]]
    assert len(to_cpas) == 1
    assert "Amina" not in to_cpas[0].body


MOVES = {
    "send": ("referral_sent", "cpas_referent", None),
    "accept": ("referral_accepted", "bapa_worker", lambda a, r: services.accept_referral(actor=a, referral=r)),
    "decline": (
        "referral_declined",
        "bapa_worker",
        lambda a, r: services.decline_referral(actor=a, referral=r, reason="no_capacity"),
    ),
    "complete": (
        "referral_completed",
        "bapa_worker",
        lambda a, r: services.complete_referral(actor=a, referral=r, outcome="housing_found"),
    ),
}


@pytest.mark.parametrize("move", MOVES)
def test_referral_notifications_are_emailed_after_commit(tenant_db, django_capture_on_commit_callbacks, move):
    world = tenant_db
    kind, told, call = MOVES[move]
    with schema_context("schaerbeek"):
        if call is None:
            with django_capture_on_commit_callbacks(execute=True):
                referral = AminasReferral()
        else:
            referral = AminasReferral()
            cpas = world["cpas_referent"].actor()
            if move == "complete":
                referral = services.accept_referral(actor=cpas, referral=referral)
            with django_capture_on_commit_callbacks(execute=True):
                call(cpas, referral)
        notice = Notification.objects.get(kind=kind, params__referral=str(referral.public_id))
        assert notice.emailed_at is not None
    assert [m.to for m in mail.outbox] == [[world[told].email]]
    assert "Amina" in mail.outbox[0].body and "Haddad" not in mail.outbox[0].body


def test_coordinators_outside_both_organisations_are_sent_to_the_overdue_list(tenant_db):
    """They may not open the referral itself; the sender's side may."""
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = AminasReferral(to="outsider")
        check_referral_deadlines(actor=_system(world), today=date(2026, 11, 17))
        urls = dict(Notification.objects.filter(kind="referral_overdue").values_list("recipient__email", "url"))
    assert urls[world["bapa_worker"].email] == f"referrals/{referral.public_id}/"
    # The coordinator works at the sending organisation (the BAPA): the referral itself.
    assert urls[world["coordinator"].email] == f"referrals/{referral.public_id}/"


def test_a_third_organisations_coordinator_gets_the_overdue_list(tenant_db):
    from members.roles import Role

    world = tenant_db
    with schema_context("schaerbeek"):
        exil = Organisation.objects.get(name="Exil")
        user = MembershipFactory(user__email="coordination@exil.test", organisation=exil, role=Role.COORDINATOR).user
        AminasReferral(to="outsider")
        check_referral_deadlines(actor=_system(world), today=date(2026, 11, 17))
        notice = Notification.objects.get(kind="referral_overdue", recipient=user)
    assert notice.url == "referrals/overdue/"


def test_the_overdue_list_shows_organisations_and_dates_to_coordinators_only(tenant_db, login, client):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = AminasReferral(to="outsider")
        check_referral_deadlines(actor=_system(world), today=date(2026, 11, 17))
    login(world["coordinator"])
    page = client.get("/c/schaerbeek/referrals/overdue/").content.decode()
    assert "SESO" in page and "VIA — BAPA Schaerbeek" in page
    assert referral.person.given_name not in page and referral.person.family_name not in page
    for persona in ("bapa_worker", "cpas_referent", "outsider", "observer"):
        client.logout()
        login(world[persona])
        assert client.get("/c/schaerbeek/referrals/overdue/").status_code == 404
    client.logout()
    login(world["tournai_coordinator"])
    assert client.get("/c/schaerbeek/referrals/overdue/").status_code == 404
