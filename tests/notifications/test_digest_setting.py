"""A member turns the weekly digest off and on, for themselves, in this coordination."""

from django.core import mail
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from members.models import Membership

URL = "/c/schaerbeek/digest/"


def _receives(persona) -> bool:
    with schema_context("schaerbeek"):
        return Membership.objects.get(public_id=persona.membership_public_id).weekly_digest


def test_page_says_the_digest_is_received_by_default(tenant_db, login, client):
    login(tenant_db["volunteer"])
    html = client.get(URL).content.decode()
    assert 'name="weekly_digest" value="0"' in html
    assert "volunteer@schaerbeek.test" in html


def test_member_stops_the_digest(tenant_db, login, client):
    login(tenant_db["volunteer"])
    response = client.post(URL, {"weekly_digest": "0"})
    assert response.status_code == 302 and response["Location"].endswith(URL)
    assert _receives(tenant_db["volunteer"]) is False
    with schema_context("schaerbeek"):
        event = AuditEvent.objects.get(action="membership.digest_off")
    assert event.object_public_id == tenant_db["volunteer"].membership_public_id


def test_member_turns_the_digest_back_on(tenant_db, login, client):
    login(tenant_db["observer"])
    client.post(URL, {"weekly_digest": "0"})
    client.post(URL, {"weekly_digest": "1"})
    assert _receives(tenant_db["observer"]) is True
    assert 'name="weekly_digest" value="0"' in client.get(URL).content.decode()


def test_stopping_changes_only_ones_own_membership(tenant_db, login, client):
    login(tenant_db["volunteer"])
    client.post(URL, {"weekly_digest": "0"})
    assert _receives(tenant_db["observer"]) is True


def test_bad_value_is_a_400_and_changes_nothing(tenant_db, login, client):
    login(tenant_db["volunteer"])
    response = client.post(URL, {"weekly_digest": "maybe"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert _receives(tenant_db["volunteer"]) is True


def test_opening_the_link_from_the_email_changes_nothing(tenant_db, login, client):
    login(tenant_db["volunteer"])
    client.get(URL)
    assert _receives(tenant_db["volunteer"]) is True


def test_link_asks_to_sign_in_first_then_leads_back(tenant_db, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] and "next=/c/schaerbeek/digest/" in response["Location"]


def test_foreigner_gets_404(tenant_db, login, client):
    login(tenant_db["foreigner"])
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"weekly_digest": "0"}).status_code == 404


def test_opted_out_member_gets_no_digest(tenant_db, login, client):
    from datetime import timedelta

    from django.utils import timezone

    from directory.services import create_organisation
    from maillage.actor import Actor
    from notifications.services import send_weekly_digests

    login(tenant_db["volunteer"])
    client.post(URL, {"weekly_digest": "0"})
    with schema_context("schaerbeek"):
        create_organisation(actor=Actor.system(tenant_db.schaerbeek), name="Nouvelle asbl", kind="ngo")
        send_weekly_digests(actor=Actor.system(tenant_db.schaerbeek), today=timezone.localdate() + timedelta(days=1))
    recipients = {m.to[0] for m in mail.outbox}
    assert "volunteer@schaerbeek.test" not in recipients and "observer@schaerbeek.test" in recipients
