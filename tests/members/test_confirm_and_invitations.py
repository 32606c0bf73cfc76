"""Deactivating a member asks first; pending invitations are listed to the coordinators,
sent again or cancelled, each in its own coordination only."""

import html

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from maillage.errors import Forbidden
from members.models import Invitation, Membership
from members.services import cancel_invitation, invite_member, open_invitation, resend_invitation

BASE = "/c/schaerbeek"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _active(persona) -> bool:
    with schema_context(persona.coordination.schema_name):
        return Membership.objects.get(public_id=persona.membership_public_id).is_active


def _invite(world, schema="schaerbeek", coordinator="coordinator", organisation="cpas_referent"):
    with schema_context(schema):
        return invite_member(
            actor=world[coordinator].actor(),
            email=f"new.worker@{schema}.test",
            organisation_public_id=world[organisation].organisation_public_id,
            role="worker",
        )


def _invitation(issued, schema="schaerbeek") -> Invitation:
    with schema_context(schema):
        return Invitation.objects.get(pk=issued.invitation.pk)


# --- Deactivating a member --------------------------------------------------------------


def test_the_deactivation_step_names_the_consequence_and_changes_nothing(tenant_db, login, client):
    target = tenant_db["outsider"]
    login(tenant_db["coordinator"])
    response = client.get(f"{BASE}/members/{target.membership_public_id}/deactivate/")
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Karim Outsider loses access to this coordination at once" in page
    assert _active(target)


def test_a_deactivation_post_without_confirmation_changes_nothing(tenant_db, login, client):
    target = tenant_db["outsider"]
    login(tenant_db["coordinator"])
    response = client.post(f"{BASE}/members/{target.membership_public_id}/deactivate/")
    assert response.status_code == 200
    assert _active(target)


def test_the_confirmed_deactivation_ends_the_membership(tenant_db, login, client):
    target = tenant_db["outsider"]
    login(tenant_db["coordinator"])
    response = client.post(f"{BASE}/members/{target.membership_public_id}/deactivate/", {"confirmed": "yes"})
    assert response.status_code == 302
    assert not _active(target)


def test_the_members_page_links_to_the_deactivation_step(tenant_db, login, client):
    target = tenant_db["outsider"]
    login(tenant_db["coordinator"])
    page = client.get(f"{BASE}/members/").content.decode()
    assert f'href="{BASE}/members/{target.membership_public_id}/deactivate/"' in page


def test_a_worker_gets_no_deactivation_step(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    response = client.get(f"{BASE}/members/{tenant_db['outsider'].membership_public_id}/deactivate/")
    assert response.status_code == 403


def test_a_member_of_another_coordination_is_404(tenant_db, login, client):
    login(tenant_db["coordinator"])
    response = client.get(f"{BASE}/members/{tenant_db['foreigner'].membership_public_id}/deactivate/")
    assert response.status_code == 404


# --- Pending invitations ----------------------------------------------------------------


def test_pending_invitations_are_listed_with_resend_and_cancel(tenant_db, login, client):
    issued = _invite(tenant_db)
    login(tenant_db["coordinator"])
    page = client.get(f"{BASE}/members/").content.decode()
    assert "new.worker@schaerbeek.test" in page
    assert f'action="{BASE}/members/invitations/{issued.invitation.public_id}/resend/"' in page
    assert f'action="{BASE}/members/invitations/{issued.invitation.public_id}/cancel/"' in page


def test_accepted_and_cancelled_invitations_are_not_listed(tenant_db, login, client):
    issued = _invite(tenant_db)
    with schema_context("schaerbeek"):
        cancel_invitation(actor=tenant_db["coordinator"].actor(), invitation_public_id=issued.invitation.public_id)
    login(tenant_db["coordinator"])
    assert "new.worker@schaerbeek.test" not in client.get(f"{BASE}/members/").content.decode()


def test_workers_do_not_see_the_invitations(tenant_db, login, client):
    _invite(tenant_db)
    login(tenant_db["bapa_worker"])
    assert "new.worker@schaerbeek.test" not in client.get(f"{BASE}/members/").content.decode()


def test_cancelling_an_invitation_ends_its_link_and_is_audited(tenant_db, login, client):
    issued = _invite(tenant_db)
    login(tenant_db["coordinator"])
    response = client.post(f"{BASE}/members/invitations/{issued.invitation.public_id}/cancel/")
    assert response.status_code == 302
    assert _invitation(issued).revoked_at is not None
    with schema_context("schaerbeek"):
        with pytest.raises(Exception):
            open_invitation(issued.token)
        assert AuditEvent.objects.filter(
            action="invitation.cancelled", object_public_id=issued.invitation.public_id
        ).exists()


def test_resending_sends_a_new_link_and_the_old_one_stops(tenant_db, django_capture_on_commit_callbacks):
    issued = _invite(tenant_db)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), schema_context("schaerbeek"):
        again = resend_invitation(
            actor=tenant_db["coordinator"].actor(), invitation_public_id=issued.invitation.public_id
        )
    assert len(mail.outbox) == 1
    assert f"/c/schaerbeek/invitation/{again.token}/" in mail.outbox[0].body
    with schema_context("schaerbeek"):
        assert open_invitation(again.token).pk == issued.invitation.pk
        with pytest.raises(Exception):
            open_invitation(issued.token)


def test_resend_page_redirects_with_a_message(tenant_db, login, client):
    issued = _invite(tenant_db)
    login(tenant_db["coordinator"])
    response = client.post(f"{BASE}/members/invitations/{issued.invitation.public_id}/resend/", follow=True)
    assert "Invitation sent again to new.worker@schaerbeek.test." in html.unescape(response.content.decode())


def test_a_worker_may_not_cancel_an_invitation(tenant_db, login, client):
    issued = _invite(tenant_db)
    with schema_context("schaerbeek"), pytest.raises(Forbidden):
        cancel_invitation(actor=tenant_db["bapa_worker"].actor(), invitation_public_id=issued.invitation.public_id)
    login(tenant_db["bapa_worker"])
    assert client.post(f"{BASE}/members/invitations/{issued.invitation.public_id}/cancel/").status_code == 403
    assert _invitation(issued).revoked_at is None


@pytest.mark.parametrize("action", ["cancel", "resend"])
def test_an_invitation_of_another_coordination_is_404(tenant_db, login, client, action):
    foreign = _invite(tenant_db, schema="tournai", coordinator="tournai_coordinator", organisation="foreigner")
    login(tenant_db["coordinator"])
    response = client.post(f"{BASE}/members/invitations/{foreign.invitation.public_id}/{action}/")
    assert response.status_code == 404
    assert _invitation(foreign, "tournai").revoked_at is None
