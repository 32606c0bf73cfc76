"""The notices page: each notice says who acted (the organisation), about whom (the
person's first name, to a reader the consent covers), what happened and what to do next
(a link); notices are grouped by day with their time; listing them reads none, opening
one or marking reads it.

The dataset (`accepted`): Sarah Bapa (BAPA) refers Samira Darwish to the CPAS; Marc Cpas
accepts. Marc holds a "New referral" notice by the BAPA, Sarah a "Referral accepted"
notice by the CPAS."""

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from notifications.models import Notification
from notifications.services import notify
from tests.factories import MeetingFactory, ReferralFactory

PAGE = "/c/schaerbeek/notifications/"


@pytest.fixture
def accepted(tenant_db):
    with schema_context("schaerbeek"):
        return ReferralFactory(status="accepted")


def _notice(persona, kind) -> Notification:
    with schema_context("schaerbeek"):
        return Notification.objects.get(recipient=persona.user, kind=kind)


def _read_at(notice):
    with schema_context("schaerbeek"):
        return Notification.objects.get(pk=notice.pk).read_at


def test_a_notice_names_the_organisation_the_person_and_the_next_step(accepted, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    client.cookies["django_language"] = "fr"
    html = unescape(client.get(PAGE, HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    notice = _notice(tenant_db["bapa_worker"], "referral_accepted")
    assert "Orientation acceptée" in html
    assert "par CPAS de Schaerbeek" in html
    assert "pour Samira" in html
    assert "Darwish" not in html
    assert f'href="/c/schaerbeek/notifications/{notice.public_id}/open/">Voir l\'orientation</a>' in html


def test_the_receiving_side_is_told_by_the_sending_organisation(accepted, tenant_db, login, client):
    login(tenant_db["cpas_referent"])
    html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with translation.override("en"):
        assert "by VIA — BAPA Schaerbeek" in html
        assert "Read and answer the referral" in html


def test_an_outsider_is_not_told_the_first_name(accepted, tenant_db, login, client):
    with schema_context("schaerbeek"):
        notify(
            [tenant_db["outsider"].user],
            kind="referral_accepted",
            params={"referral": str(accepted.public_id), "by": str(tenant_db["cpas_referent"].organisation_public_id)},
            url=f"referrals/{accepted.public_id}/",
            email=False,
        )
    login(tenant_db["outsider"])
    html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "by CPAS de Schaerbeek" in html
    assert "Samira" not in html


def test_listing_reads_nothing(accepted, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    notice = _notice(tenant_db["bapa_worker"], "referral_accepted")
    client.get(PAGE)
    client.get(PAGE)
    assert _read_at(notice) is None


def test_opening_a_notice_reads_it_and_leads_to_its_page(accepted, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    notice = _notice(tenant_db["bapa_worker"], "referral_accepted")
    response = client.get(f"{PAGE}{notice.public_id}/open/")
    assert response.status_code == 302
    assert response.url == f"/c/schaerbeek/referrals/{accepted.public_id}/"
    assert _read_at(notice) is not None


def test_marking_a_notice_reads_it_and_no_other(accepted, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    notice = _notice(tenant_db["bapa_worker"], "referral_accepted")
    with schema_context("schaerbeek"):
        (other,) = notify(
            [tenant_db["bapa_worker"].user], kind="charter_to_adopt", params={}, url="charter/", email=False
        )
    assert client.get(f"{PAGE}{notice.public_id}/read/").status_code == 405
    assert client.post(f"{PAGE}{notice.public_id}/read/").status_code == 302
    assert _read_at(notice) is not None
    assert _read_at(other) is None


def test_mark_all_reads_every_notice_of_the_reader_only(accepted, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    client.post(f"{PAGE}read/")
    with schema_context("schaerbeek"):
        assert not Notification.objects.filter(recipient=tenant_db["bapa_worker"].user, read_at__isnull=True).exists()
        assert Notification.objects.filter(recipient=tenant_db["cpas_referent"].user, read_at__isnull=True).exists()


def test_someone_elses_notice_looks_missing(accepted, tenant_db, login, client):
    notice = _notice(tenant_db["cpas_referent"], "referral_sent")
    login(tenant_db["bapa_worker"])
    assert client.get(f"{PAGE}{notice.public_id}/open/").status_code == 404
    assert client.post(f"{PAGE}{notice.public_id}/read/").status_code == 404
    assert _read_at(notice) is None


def test_a_foreigner_cannot_open_a_notice(accepted, tenant_db, login, client):
    notice = _notice(tenant_db["bapa_worker"], "referral_accepted")
    login(tenant_db["foreigner"])
    assert client.get(f"{PAGE}{notice.public_id}/open/").status_code == 404
    assert _read_at(notice) is None


def test_notices_are_grouped_by_day_with_their_time(tenant_db, login, client):
    user = tenant_db["bapa_worker"].user
    now = timezone.localtime()
    with schema_context("schaerbeek"):
        for days, hour in ((0, 9), (0, 11), (1, 15), (5, 8)):
            (notice,) = notify([user], kind="charter_to_adopt", params={}, url="charter/", email=False)
            at = (now - timedelta(days=days)).replace(hour=hour, minute=30)
            Notification.objects.filter(pk=notice.pk).update(created_at=at)
    login(tenant_db["bapa_worker"])
    html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.count('<section class="notice-day">') == 3
    assert html.index(">Today<") < html.index(">Yesterday<")
    assert "11:30" in html and "09:30" in html and "15:30" in html
    assert html.index("11:30") < html.index("09:30") < html.index("15:30")


def test_the_page_costs_few_queries(accepted, tenant_db, login, client, django_assert_max_num_queries):
    with schema_context("schaerbeek"):
        for _ in range(5):
            ReferralFactory(status="accepted")
    login(tenant_db["bapa_worker"])
    with django_assert_max_num_queries(25):
        assert client.get(PAGE).status_code == 200


def test_a_meeting_notice_names_the_coordinators_organisation(tenant_db, login, client):
    MeetingFactory()
    login(tenant_db["cpas_referent"])
    html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with schema_context("schaerbeek"):
        notice = Notification.objects.get(recipient=tenant_db["cpas_referent"].user, kind="meeting_planned")
    assert "by VIA — BAPA Schaerbeek" in html
    assert f"notifications/{notice.public_id}/open/" in html


def test_a_deadline_notice_names_no_organisation(accepted, tenant_db):
    from referrals.notices import notify_recipients

    with schema_context("schaerbeek"):
        notify_recipients(accepted, "referral_overdue")
        notice = Notification.objects.filter(kind="referral_overdue").latest("pk")
    assert "by" not in notice.params
