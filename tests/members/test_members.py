"""Invitations, acceptance, deactivation, and the account switcher."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from maillage.errors import Conflict, Forbidden, Invalid
from members.models import Invitation, Membership
from members.services import accept_invitation, deactivate_member, invite_member


def _invite(world, email="new.worker@schaerbeek.test", role="worker", persona="coordinator"):
    with schema_context("schaerbeek"):
        return invite_member(
            actor=world[persona].actor(),
            email=email,
            organisation_public_id=world["cpas_referent"].organisation_public_id,
            role=role,
        )


def test_invitation_email_is_sent_by_the_worker_with_a_link(tenant_db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        issued = _invite(tenant_db)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.worker@schaerbeek.test"]
    assert f"/c/schaerbeek/invitation/{issued.token}/" in message.body


def test_only_the_token_hash_is_stored(tenant_db):
    issued = _invite(tenant_db)
    with schema_context("schaerbeek"):
        stored = Invitation.objects.get(pk=issued.invitation.pk)
    assert issued.token not in stored.token_hash
    assert len(stored.token_hash) == 64


def test_worker_cannot_invite(tenant_db):
    with pytest.raises(Forbidden):
        _invite(tenant_db, persona="bapa_worker")


@pytest.mark.parametrize("email", ["", "not-an-address", "a@", "@b.be", "x y@z.be"])
def test_invalid_invitation_address_names_the_field(tenant_db, email):
    with pytest.raises(Invalid) as raised:
        _invite(tenant_db, email=email)
    assert "email" in raised.value.fields


def test_api_invalid_invitation_address_is_400_with_field(tenant_db, login, client):
    world = tenant_db
    login(world["coordinator"])
    response = client.post(
        "/c/schaerbeek/api/v1/invitations/",
        {"email": "nope", "organisation": str(world["cpas_referent"].organisation_public_id), "role": "worker"},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid"
    assert "email" in body["fields"]


def test_api_invitation_to_unknown_organisation_is_400(tenant_db, login, client):
    login(tenant_db["coordinator"])
    response = client.post(
        "/c/schaerbeek/api/v1/invitations/",
        {"email": "ok@x.be", "organisation": "6f1c1d36-0000-4000-8000-000000000000", "role": "worker"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "organisation" in response.json()["fields"]


def test_api_invitation_by_worker_is_403(tenant_db, login, client):
    world = tenant_db
    login(world["bapa_worker"])
    response = client.post(
        "/c/schaerbeek/api/v1/invitations/",
        {"email": "ok@x.be", "organisation": str(world["cpas_referent"].organisation_public_id), "role": "worker"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_web_invitation_form_shows_field_error(tenant_db, login, client):
    world = tenant_db
    login(world["coordinator"])
    response = client.post(
        "/c/schaerbeek/members/",
        {"email": "broken", "organisation": str(world["cpas_referent"].organisation_public_id), "role": "worker"},
    )
    assert response.status_code == 400
    assert re.search(rb'id="id_email_error"', response.content)


def test_accepting_creates_account_and_membership(tenant_db, client):
    issued = _invite(tenant_db)
    path = f"/c/schaerbeek/invitation/{issued.token}/"
    assert client.get(path).status_code == 200
    response = client.post(path, {"full_name": "Nouvelle Collègue", "password": "une-phrase-de-passe-longue"})
    assert response.status_code == 302
    with schema_context("schaerbeek"):
        membership = Membership.objects.get(user__email="new.worker@schaerbeek.test", is_active=True)
        assert membership.role == "worker"
        assert Invitation.objects.get(pk=issued.invitation.pk).accepted_at is not None


def test_used_invitation_cannot_be_used_again(tenant_db, client):
    issued = _invite(tenant_db)
    path = f"/c/schaerbeek/invitation/{issued.token}/"
    client.post(path, {"full_name": "A", "password": "une-phrase-de-passe-longue"})
    assert client.get(path).status_code == 404


def test_member_of_another_coordination_accepts_and_gets_both_in_switcher(tenant_db, login, client):
    world = tenant_db
    issued = _invite(world, email=world["foreigner"].email)
    login(world["foreigner"])
    response = client.post(f"/c/schaerbeek/invitation/{issued.token}/")
    assert response.status_code == 302
    page = client.get("/accounts/").content.decode()
    assert "/c/schaerbeek/" in page and "/c/tournai/" in page
    assert client.get("/c/schaerbeek/").status_code == 200
    assert client.get("/c/tournai/").status_code == 200


def test_invitation_for_someone_else_is_refused(tenant_db):
    world = tenant_db
    issued = _invite(world)
    with schema_context("schaerbeek"), pytest.raises(Forbidden):
        accept_invitation(actor=world["coordinator"].actor(), token=issued.token, user=world["foreigner"].user)


def test_coordinator_cannot_deactivate_self(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"), pytest.raises(Conflict):
        deactivate_member(
            actor=world["coordinator"].actor(), membership_public_id=world["coordinator"].membership_public_id
        )


def test_deactivation_keeps_the_history(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        deactivate_member(
            actor=world["coordinator"].actor(), membership_public_id=world["observer"].membership_public_id
        )
        membership = Membership.objects.get(public_id=world["observer"].membership_public_id)
    assert membership.is_active is False
    assert membership.deactivated_by == world["coordinator"].user


def test_worker_cannot_deactivate_through_the_api(tenant_db, login, client):
    world = tenant_db
    login(world["bapa_worker"])
    response = client.post(f"/c/schaerbeek/api/v1/members/{world['observer'].membership_public_id}/deactivate/")
    assert response.status_code == 403


def test_members_list_is_paginated(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    body = client.get("/c/schaerbeek/api/v1/members/?page_size=2").json()
    assert body["count"] >= 6
    assert len(body["results"]) == 2
    assert body["next"]


def test_members_list_query_count_does_not_grow_with_the_page(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    # A first request may refresh the session (at most once a minute): not the page's cost.
    client.get("/c/schaerbeek/api/v1/members/?page_size=1")
    with CaptureQueriesContext(connection) as small:
        client.get("/c/schaerbeek/api/v1/members/?page_size=1")
    with CaptureQueriesContext(connection) as large:
        client.get("/c/schaerbeek/api/v1/members/?page_size=6")
    assert len(large.captured_queries) == len(small.captured_queries)
