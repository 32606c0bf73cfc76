"""An appointment is never in the past (maillage.cleaning.check_ahead): on a referral sent,
on the refer page and in the API, as on a proposed appointment."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from maillage.errors import Invalid
from referrals.models import Referral
from referrals.services import propose_appointment
from tests.factories import ConsentFactory, PersonFactory, ReferralFactory

PAST = "The appointment cannot be in the past."


@pytest.fixture(autouse=True)
def english(client):
    """The messages as written (the tests' language is otherwise French)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def file(tenant_db):
    with schema_context("schaerbeek"):
        person = PersonFactory()
        consent = ConsentFactory(person=person)
    return person, consent


def test_a_referral_with_an_appointment_thirteen_days_ago_is_refused(tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Invalid) as error:
        ReferralFactory(status="sent", appointment_at=timezone.now() - timedelta(days=13))
    assert set(error.value.fields) == {"appointment_at"}


def test_the_api_answers_400_on_appointment_at(tenant_db, token_client, file):
    person, _consent = file
    response = token_client(tenant_db["bapa_worker"]).post(
        "/c/schaerbeek/api/v1/referrals/",
        {
            "person": str(person.public_id),
            "to_organisation": str(tenant_db["cpas_referent"].organisation_public_id),
            "domains": ["housing"],
            "reason": "Logement",
            "appointment_at": (timezone.now() - timedelta(days=13)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"appointment_at"}


def test_the_refer_page_shows_the_error_by_the_date_and_sends_nothing(tenant_db, login, client, file):
    person, consent = file
    login(tenant_db["bapa_worker"])
    day = timezone.localdate() - timedelta(days=13)
    response = client.post(
        f"/c/schaerbeek/persons/{person.public_id}/refer/",
        {
            "to_organisation": str(tenant_db["cpas_referent"].organisation_public_id),
            "domains": ["housing"],
            "reason": "Recherche de logement",
            "urgency": "normal",
            "appointment_date": day.isoformat(),
            "appointment_time": "10:30",
            "consent": str(consent.public_id),
            "send": "1",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert PAST in page and 'href="#id_appointment_date"' in page
    with schema_context("schaerbeek"):
        assert not Referral.objects.filter(person=person).exists()


def test_an_appointment_later_today_is_taken(tenant_db):
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="sent", appointment_at=timezone.now() + timedelta(minutes=30))
    assert referral.appointment_at > timezone.now()


def test_a_proposed_appointment_years_ahead_is_refused(tenant_db):
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="sent")
        with pytest.raises(Invalid) as error:
            propose_appointment(
                actor=tenant_db["cpas_referent"].actor(),
                referral=referral,
                appointment_at=timezone.now() + timedelta(days=365 * 3),
            )
    assert set(error.value.fields) == {"appointment_at"}
