"""Page and API share one service per use case and one rule per question: these tests pin
the places where the two copies used to disagree."""

from datetime import timedelta
from unittest import mock

from django.utils import timezone
from django_tenants.utils import schema_context

from consent.models import Consent
from referrals import services
from referrals.models import Referral
from tests.charter.conftest import adopt, publish
from tests.factories import ConsentFactory, PersonFactory, ReferralFactory

API = "/c/schaerbeek/api/v1/referrals/"


def _post(world, token_client, person, **values):
    body = {
        "person": str(person.public_id),
        "to_organisation": str(world["cpas_referent"].organisation_public_id),
        "domains": ["housing"],
        "reason": "Logement",
        "send": True,
        **values,
    }
    return token_client(world["bapa_worker"]).post(API, body, format="json")


def test_api_send_refused_by_the_consent_leaves_no_draft(tenant_db, token_client):
    world = tenant_db
    with schema_context("schaerbeek"):
        person = PersonFactory()
        # Names the CPAS, but not the need domain of the referral: the send is refused.
        consent = ConsentFactory(person=person, domains=["legal_aid"])
    response = _post(world, token_client, person, consent=str(consent.public_id))
    assert response.status_code == 400
    assert "consent" in response.json()["fields"]
    with schema_context("schaerbeek"):
        assert not Referral.objects.filter(person=person).exists()


def test_api_send_refused_by_the_charter_leaves_no_draft(tenant_db, token_client):
    world = tenant_db
    with schema_context("schaerbeek"):
        person = PersonFactory()
        ConsentFactory(person=person)
        publish(world)
        adopt(world, "cpas_referent")  # the BAPA has not adopted it: its send is refused
    response = _post(world, token_client, person)
    assert response.status_code == 400
    assert response.json()["error"] == "charter_not_adopted"
    with schema_context("schaerbeek"):
        assert not Referral.objects.filter(person=person).exists()


def test_page_and_api_create_and_send_through_the_one_service(tenant_db, token_client, login, client):
    world = tenant_db
    with schema_context("schaerbeek"):
        person = PersonFactory()
        consent = ConsentFactory(person=person)
    page_data = {
        "to_organisation": str(world["cpas_referent"].organisation_public_id),
        "domains": ["housing"],
        "reason": "Logement",
        "urgency": "normal",
        "consent": str(consent.public_id),
        "send": "1",
    }
    with mock.patch("referrals.services.refer_person", wraps=services.refer_person) as refer:
        assert _post(world, token_client, person).status_code == 201
        login(world["bapa_worker"])
        assert client.post(f"/c/schaerbeek/persons/{person.public_id}/refer/", page_data).status_code == 302
    assert refer.call_count == 2
    assert all(call.kwargs["send"] for call in refer.call_args_list)
    with schema_context("schaerbeek"):
        assert list(Referral.objects.filter(person=person).values_list("status", flat=True)) == ["sent", "sent"]


def test_api_default_consent_is_one_in_force_that_covers_the_referral(tenant_db, token_client):
    world = tenant_db
    with schema_context("schaerbeek"):
        person = PersonFactory()
        now = timezone.now()
        valid = ConsentFactory(person=person, given_at=now - timedelta(days=10))
        # Newer, still "given", but past its end: it must not be the default.
        expired = ConsentFactory(person=person)
        Consent.objects.filter(pk=expired.pk).update(
            given_at=now - timedelta(days=5), expires_at=now - timedelta(days=1)
        )
        # Newer still and in force, but it does not name the CPAS.
        ConsentFactory(person=person, recipients=[world["outsider"].organisation_public_id])
    response = _post(world, token_client, person)
    assert response.status_code == 201, response.json()
    with schema_context("schaerbeek"):
        assert Referral.objects.get(person=person).consent_id == valid.pk


def test_api_overdue_is_waiting_past_the_answer_date_before_the_daily_job(tenant_db, token_client):
    world = tenant_db
    with schema_context("schaerbeek"):
        late, on_time = (
            ReferralFactory(status="sent", person__given_name="Olena"),
            ReferralFactory(status="sent", person__given_name="Dawit"),
        )
        Referral.objects.filter(pk=late.pk).update(response_due=timezone.localdate() - timedelta(days=2))
    cpas = token_client(world["cpas_referent"])
    listed = cpas.get(API + "inbox/?overdue=true").json()["results"]
    assert [row["id"] for row in listed] == [str(late.public_id)]
    assert listed[0]["overdue"] is True
    assert cpas.get(f"{API}{on_time.public_id}/").json()["overdue"] is False


def test_a_cancelled_referral_stamped_overdue_is_no_longer_overdue(tenant_db, token_client, login, client):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="sent")
        Referral.objects.filter(pk=referral.pk).update(
            response_due=timezone.localdate() - timedelta(days=2), overdue_since=timezone.now()
        )
        services.cancel_referral(actor=world["bapa_worker"].actor(), referral=referral)
    outbox = token_client(world["bapa_worker"]).get(API + "outbox/?overdue=true").json()["results"]
    assert outbox == []
    assert token_client(world["bapa_worker"]).get(f"{API}{referral.public_id}/").json()["overdue"] is False
    login(world["bapa_worker"])
    page = client.get("/c/schaerbeek/referrals/outbox/?overdue=on").content.decode()
    assert str(referral.public_id) not in page
