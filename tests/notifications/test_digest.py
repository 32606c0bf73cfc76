"""The weekly digest: what it says, to whom, in which language, once a week, and never
about a person.

Sent on Monday 23 November 2026 (ISO week 2026-W48): it covers 16 to 22 November.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from directory.models import Offer, Organisation
from maillage.actor import Actor
from maillage.celery import app
from maillage.hooks import hooks
from meetings.models import Action, Meeting
from members.models import Membership
from members.services import deactivate_member
from notifications import services as digest_services
from notifications.selectors import digest_to_send_again
from notifications.services import send_weekly_digests
from tenants.models import User
from tests.factories import OrganisationFactory, ReferralFactory

BRUSSELS = ZoneInfo("Europe/Brussels")
MONDAY = date(2026, 11, 23)


def at(day: int, month: int = 11, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=BRUSSELS)


def _run(world, today=MONDAY):
    with schema_context("schaerbeek"):
        return send_weekly_digests(actor=Actor.system(world.schaerbeek), today=today)


def _to(email):
    return [m for m in mail.outbox if m.to == [email]]


def _active_members():
    with schema_context("schaerbeek"):
        return set(Membership.objects.filter(is_active=True).values_list("user__email", flat=True))


@pytest.fixture
def week(tenant_db, make_offer):
    """A week of news in Schaerbeek, and things that are not news."""
    with schema_context("schaerbeek"):
        joined = OrganisationFactory(name="L'Olivier")
        Organisation.objects.filter(pk=joined.pk).update(created_at=at(18))
        listed = OrganisationFactory(name="Listed only", kind="ngo", is_member=False)
        Organisation.objects.filter(pk=listed.pk).update(created_at=at(18))
        earlier = OrganisationFactory(name="Joined last month", kind="ngo")
        Organisation.objects.filter(pk=earlier.pk).update(created_at=at(20, 10))
    new = make_offer("Cours d'alphabétisation", "Plate-forme citoyenne", primary_domain="language")
    closing = make_offer("Aide au logement", valid_until=date(2026, 11, 30))
    ended = make_offer("Permanence juridique", "Exil", primary_domain="legal_aid", valid_until=date(2026, 11, 20))
    later = make_offer("Colis de Noël", "Exil", primary_domain="material_aid", valid_until=date(2026, 12, 31))
    today_offer = make_offer("Offre du lundi", "SESO", primary_domain="health")
    with schema_context("schaerbeek"):
        Offer.objects.filter(pk=new.pk).update(created_at=at(17))
        Offer.objects.filter(pk__in=[closing.pk, ended.pk, later.pk]).update(created_at=at(1, 9))
        Offer.objects.filter(pk=today_offer.pk).update(created_at=at(23, 11, 8))  # the sending day: next week
        cpas = Organisation.objects.get(name="CPAS de Schaerbeek")
        Meeting.objects.create(
            title="Réunion plénière", starts_at=at(26, 11, 14), ends_at=at(26, 11, 16), place="Maison communale"
        )
        Meeting.objects.create(title="Réunion passée", starts_at=at(19, 11, 14), ends_at=at(19, 11, 16), place="x")
        Meeting.objects.create(title="Réunion de janvier", starts_at=at(14, 1), ends_at=at(14, 1, 12), place="x")
        Action.objects.create(what="Mettre à jour la liste des permanences", owner=cpas, due_on=date(2026, 11, 30))
        Action.objects.create(what="Action terminée", owner=cpas, due_on=date(2026, 11, 30), status="done")
        Action.objects.create(what="Action de décembre", owner=cpas, due_on=date(2026, 12, 31))
        # A referral of the week: the digest must not carry it, nor the person.
        referral = ReferralFactory(reason="Expulsion imminente")
        person = referral.person
    connection.set_schema_to_public()
    mail.outbox.clear()
    return {"person": person, "referral": referral}


def test_digest_lists_the_news_of_the_week(week, tenant_db):
    _run(tenant_db)
    body = _to(tenant_db["bapa_worker"].email)[0].body
    for expected in (
        "L'Olivier",
        "Cours d'alphabétisation",
        "Aide au logement",
        "Permanence juridique",
        "Réunion plénière",
        "Maison communale",
        "Mettre à jour la liste des permanences",
    ):
        assert expected in body, expected


def test_digest_leaves_out_what_is_not_news(week, tenant_db):
    _run(tenant_db)
    body = _to(tenant_db["bapa_worker"].email)[0].body
    for absent in (
        "Listed only",  # not a member
        "Joined last month",
        "Colis de Noël",  # ends in more than two weeks
        "Offre du lundi",  # created on the sending day: next week's news
        "Réunion passée",
        "Réunion de janvier",  # not the next one
        "Action terminée",
        "Action de décembre",
    ):
        assert absent not in body, absent


def test_digest_carries_no_personal_data(week, tenant_db):
    _run(tenant_db)
    for message in mail.outbox:
        html = message.alternatives[0][0]
        for text in (message.body, html, message.subject):
            for forbidden in ("Samira", "Darwish", "Expulsion", str(week["person"].public_id)):
                assert forbidden not in text
            assert str(week["referral"].public_id) not in text
        assert "Sarah Bapa" not in message.body and "Marc Cpas" not in message.body


def test_listed_organisation_approved_as_member_this_week_is_news(week, tenant_db):
    from charter.models import MembershipRequest

    with schema_context("schaerbeek"):
        listed = Organisation.objects.get(name="Listed only")
        Organisation.objects.filter(pk=listed.pk).update(is_member=True, created_at=at(1, 6))
        MembershipRequest.objects.create(
            organisation_name=listed.name,
            kind=listed.kind,
            city="Schaerbeek",
            contact_name="Jeanne Contact",
            contact_email="jeanne@example.test",
            motivation="Cours du soir",
            organisation=listed,
            requested_by=tenant_db["outsider"].user,
            status="approved",
            decided_at=at(20),
        )
    _run(tenant_db)
    body = _to(tenant_db["bapa_worker"].email)[0].body
    assert "Listed only" in body
    assert "Jeanne" not in body and "jeanne@example.test" not in body


def test_every_active_member_gets_one_digest(week, tenant_db):
    run = _run(tenant_db)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(_active_members())
    assert run.sent == len(_active_members())


def test_digest_has_a_plain_text_body_and_an_html_alternative(week, tenant_db):
    _run(tenant_db)
    message = _to(tenant_db["volunteer"].email)[0]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "L&#x27;Olivier" in html and "L'Olivier" in message.body  # escaped in HTML only
    assert "2026-W48" in message.subject and "[Schaerbeek]" in message.subject


def test_opted_out_member_gets_nothing(week, tenant_db):
    with schema_context("schaerbeek"):
        Membership.objects.filter(public_id=tenant_db["volunteer"].membership_public_id).update(weekly_digest=False)
    _run(tenant_db)
    assert _to(tenant_db["volunteer"].email) == []
    assert _to(tenant_db["observer"].email) != []


def test_deactivated_member_gets_nothing(week, tenant_db):
    with schema_context("schaerbeek"):
        deactivate_member(
            actor=tenant_db["coordinator"].actor(), membership_public_id=tenant_db["observer"].membership_public_id
        )
    _run(tenant_db)
    assert _to(tenant_db["observer"].email) == []


def test_deactivated_account_gets_nothing(week, tenant_db):
    User.objects.filter(pk=tenant_db["outsider"].user.pk).update(is_active=False)
    _run(tenant_db)
    assert _to(tenant_db["outsider"].email) == []


def test_digest_is_not_sent_twice_the_same_week(week, tenant_db):
    first = _run(tenant_db)
    count = len(mail.outbox)
    second = _run(tenant_db, today=date(2026, 11, 26))  # the Thursday of the same ISO week
    assert len(mail.outbox) == count
    assert (second.sent, second.already_sent) == (0, first.sent)
    with schema_context("schaerbeek"):
        events = AuditEvent.objects.filter(action="digest.sent", detail__week="2026-W48")
        assert events.count() == first.sent


def test_next_week_brings_a_new_digest(week, tenant_db):
    _run(tenant_db)
    mail.outbox.clear()
    _run(tenant_db, today=date(2026, 11, 30))  # "Offre du lundi" is now news
    body = _to(tenant_db["bapa_worker"].email)[0].body
    assert "Offre du lundi" in body and "2026-W49" in _to(tenant_db["bapa_worker"].email)[0].subject


def test_nothing_is_sent_in_a_week_without_news(tenant_db):
    run = _run(tenant_db, today=date(2030, 6, 3))
    assert run.nothing_new is True
    assert mail.outbox == []


def test_digest_is_in_the_account_language(week, tenant_db):
    User.objects.filter(pk=tenant_db["cpas_referent"].user.pk).update(preferred_language="nl")
    User.objects.filter(pk=tenant_db["bapa_worker"].user.pk).update(preferred_language="fr")
    _run(tenant_db)
    dutch = _to(tenant_db["cpas_referent"].email)[0].body
    french = _to(tenant_db["bapa_worker"].email)[0].body
    # Need-domain labels and dates follow the reader's language, whatever the catalogue.
    assert "Frans of Nederlands leren" in dutch and "Apprentissage du français" not in dutch
    assert "Apprentissage du français" in french
    assert "november 2026" in dutch and "novembre 2026" in french


def test_failed_sending_is_retried_for_that_member_only(week, tenant_db, monkeypatch):
    target = tenant_db["observer"].email
    original = digest_services.EmailMultiAlternatives.send

    def flaky(message, *args, **kwargs):
        if message.to == [target]:
            raise OSError("SMTP down")
        return original(message, *args, **kwargs)

    monkeypatch.setattr(digest_services.EmailMultiAlternatives, "send", flaky)
    with pytest.raises(OSError):
        _run(tenant_db)
    assert _to(target) == [] and len(mail.outbox) == len(_active_members()) - 1
    monkeypatch.setattr(digest_services.EmailMultiAlternatives, "send", original)
    mail.outbox.clear()
    retry = _run(tenant_db)
    assert [m.to[0] for m in mail.outbox] == [target]
    assert retry.sent == 1


def test_digest_without_the_meetings_sections_leaves_them_out(week, tenant_db, settings):
    settings.MAILLAGE_DIGEST_SECTIONS = [
        section for section in settings.MAILLAGE_DIGEST_SECTIONS if not section.startswith("meetings.")
    ]
    _run(tenant_db)
    body = _to(tenant_db["bapa_worker"].email)[0].body
    assert "Réunion plénière" not in body and "Mettre à jour" not in body
    assert "Cours d'alphabétisation" in body


def test_digest_links_to_the_setting_page(week, tenant_db):
    _run(tenant_db)
    message = _to(tenant_db["bapa_worker"].email)[0]
    assert "/c/schaerbeek/digest/" in message.body
    assert 'href="http://' in message.alternatives[0][0] and "/c/schaerbeek/digest/" in message.alternatives[0][0]


def test_weekly_job_runs_for_every_coordination(tenant_db):
    from django.utils import timezone

    from notifications.tasks import send_weekly_digests_everywhere

    yesterday = datetime.combine(timezone.localdate() - timedelta(days=1), time(9), tzinfo=BRUSSELS)
    with schema_context("schaerbeek"):
        joined = OrganisationFactory(name="Nouvelle asbl", kind="ngo")
        Organisation.objects.filter(pk=joined.pk).update(created_at=yesterday)
    connection.set_schema_to_public()
    assert send_weekly_digests_everywhere() >= 2
    assert {m.to[0] for m in mail.outbox} == _active_members()  # Tournai had no news


def test_beat_schedules_the_digest_on_monday_morning():
    app.loader.import_default_modules()
    entry = next(e for e in app.conf.beat_schedule.values() if e["task"].endswith("send_weekly_digests_everywhere"))
    assert entry["task"] in app.tasks
    assert entry["schedule"].day_of_week == {1} and entry["schedule"].hour == {7}


def test_every_digest_section_is_a_function_of_the_app_that_owns_the_data():
    assert {section.__module__ for section in hooks("MAILLAGE_DIGEST_SECTIONS")} == {
        "directory.digest",
        "charter.digest",
        "meetings.digest",
    }


def test_sweeper_finds_the_digest_lost_on_monday_and_nothing_once_it_is_sent(week, tenant_db):
    with schema_context("schaerbeek"):
        Membership.objects.update(created_at=at(1))  # members before the sending day
        actor = Actor.system(tenant_db.schaerbeek)
        assert digest_to_send_again(actor=actor, now=at(23, hour=7)) is None  # the Monday job has not run yet
        assert digest_to_send_again(actor=actor, now=at(24)) == MONDAY
    _run(tenant_db)
    with schema_context("schaerbeek"):
        assert digest_to_send_again(actor=actor, now=at(24)) is None


def test_sweeper_leaves_a_member_who_joined_after_the_sending_day(week, tenant_db):
    with schema_context("schaerbeek"):
        Membership.objects.update(created_at=at(1))
        latest = Membership.objects.filter(is_active=True, weekly_digest=True).order_by("pk").last()
        Membership.objects.filter(pk=latest.pk).update(weekly_digest=False)
    _run(tenant_db)  # everyone but the latest, who joins on Tuesday
    with schema_context("schaerbeek"):
        Membership.objects.filter(pk=latest.pk).update(weekly_digest=True, created_at=at(24, hour=9))
        assert digest_to_send_again(actor=Actor.system(tenant_db.schaerbeek), now=at(25)) is None
