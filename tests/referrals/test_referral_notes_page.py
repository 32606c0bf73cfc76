"""Notes on the referral page: the two parties write and read them once accepted."""

from django_tenants.utils import schema_context

from tests.factories import ReferralFactory


def test_both_parties_exchange_notes_on_the_referral_page(tenant_db, login, client):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="accepted", consent__categories=["identity", "situation", "case_notes"])
    path = f"/c/schaerbeek/referrals/{referral.public_id}/"
    login(world["cpas_referent"])
    response = client.post(path + "notes/", {"domain": "housing", "text": "Rendez-vous fixé mardi."})
    assert response.status_code == 302
    login(world["bapa_worker"])
    assert "Rendez-vous fixé mardi." in client.get(path).content.decode()


def test_no_note_form_before_acceptance(tenant_db, login, client):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="sent")
    login(world["cpas_referent"])
    path = f"/c/schaerbeek/referrals/{referral.public_id}/"
    assert 'name="text"' not in client.get(path).content.decode()
    assert client.post(path + "notes/", {"domain": "housing", "text": "x"}).status_code == 403


def test_without_case_notes_in_the_consent_the_sender_does_not_read_the_recipients_note(tenant_db, login, client):
    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="accepted")  # identity and situation only
    path = f"/c/schaerbeek/referrals/{referral.public_id}/"
    login(world["cpas_referent"])
    client.post(path + "notes/", {"domain": "housing", "text": "Note interne au CPAS."})
    login(world["bapa_worker"])
    assert "Note interne au CPAS." not in client.get(path).content.decode()


def test_the_other_party_is_told_of_a_new_note(tenant_db, login, client):
    from notifications.models import Notification

    world = tenant_db
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="accepted", consent__categories=["identity", "situation", "case_notes"])
    login(world["cpas_referent"])
    client.post(f"/c/schaerbeek/referrals/{referral.public_id}/notes/", {"domain": "housing", "text": "Vu ce jour."})
    with schema_context("schaerbeek"):
        told = Notification.objects.filter(kind="referral_note").values_list("recipient_id", flat=True)
        assert list(told) == [world["bapa_worker"].user.pk]
    login(world["bapa_worker"])
    page = client.get("/c/schaerbeek/notifications/").content.decode()
    with schema_context("schaerbeek"):
        notice = Notification.objects.get(kind="referral_note")
    assert f"notifications/{notice.public_id}/open/" in page
    opened = client.get(f"/c/schaerbeek/notifications/{notice.public_id}/open/")
    assert opened.url.endswith(f"referrals/{referral.public_id}/")
