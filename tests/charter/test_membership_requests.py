"""Membership requests: a member, or anyone with the join link (with or without an
account), asks for an organisation to join; only the
coordinators see the requests and decide; a refusal carries a reason the requester gets."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import translation
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from charter import services
from charter.models import MembershipRequest, RequestStatus
from charter.policies import join_token
from charter.services import MembershipRequestInput
from charter.tasks import send_membership_decision_email
from charter.views import ANONYMOUS_REQUESTS_PER_HOUR
from directory.models import Organisation
from directory.services import create_organisation
from maillage.actor import Actor
from maillage.errors import Conflict, Forbidden, Invalid, NotFound
from members.models import Invitation
from notifications.models import Notification
from tenants.models import User
from tests.conftest import PASSWORD


def _join_link(world) -> str:
    return f"/c/schaerbeek/join/{join_token(world.schaerbeek, 0)}/"


def _data(**overrides) -> MembershipRequestInput:
    values = {
        "organisation_name": "Maison de quartier Helmet",
        "kind": "association",
        "city": "Schaerbeek",
        "postcode": "1030",
        "street": "Rue Helmet 12",
        "contact_name": "Inès Lambert",
        "contact_email": "ines@helmet.test",
        "motivation": "Cours de français et permanence sociale.",
    }
    values.update(overrides)
    return MembershipRequestInput(**values)


@pytest.fixture
def stranger(tenant_db):
    """An account with no membership in Schaerbeek."""
    return User.objects.create_user("stranger@helmet.test", password=PASSWORD, full_name="Inès Lambert")


def _outside_actor(world, user) -> Actor:
    return Actor(user=user, membership=None, organisation=None, coordination=world.schaerbeek)


def _request(world, user, **overrides) -> MembershipRequest:
    with schema_context("schaerbeek"):
        return services.request_membership(actor=_outside_actor(world, user), data=_data(**overrides), by_link=True)


# --- Asking ------------------------------------------------------------------------------


def test_someone_without_membership_asks_to_join_through_the_link(tenant_db, stranger, client):
    link = _join_link(tenant_db)
    client.force_login(stranger, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(link).status_code == 200
    response = client.post(link, vars(_data()))
    assert response.status_code == 302
    with schema_context("schaerbeek"):
        request = MembershipRequest.objects.get()
        assert request.requested_by == stranger and request.status == RequestStatus.PENDING
        assert AuditEvent.objects.filter(action="membership_request.created", actor=stranger).exists()
    response = client.get(link)
    assert [r.organisation_name for r in response.context["requests"]] == ["Maison de quartier Helmet"]


def test_without_the_link_the_join_pages_are_404_for_non_members(tenant_db, stranger, client):
    client.force_login(stranger, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/c/schaerbeek/join/").status_code == 404
    assert client.get("/c/schaerbeek/join/not-the-link/").status_code == 404
    assert client.post("/c/schaerbeek/join/not-the-link/", vars(_data())).status_code == 404
    # Another coordination's link does not open this one.
    assert client.get(f"/c/schaerbeek/join/{join_token(tenant_db.tournai, 0)}/").status_code == 404
    with schema_context("schaerbeek"):
        assert not MembershipRequest.objects.exists()


def test_a_member_asks_for_a_partner_without_the_link(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    response = client.post("/c/schaerbeek/join/", vars(_data()))
    assert response.status_code == 302
    with schema_context("schaerbeek"):
        assert MembershipRequest.objects.get().requested_by == tenant_db["bapa_worker"].user


def test_an_organisation_without_an_account_asks_through_the_link(tenant_db, client):
    link = _join_link(tenant_db)
    assert client.get(link).status_code == 200
    response = client.post(link, vars(_data()))
    assert response.status_code == 302
    with schema_context("schaerbeek"):
        request = MembershipRequest.objects.get()
        event = AuditEvent.objects.get(action="membership_request.created")
    assert request.requested_by is None and request.contact_email == "ines@helmet.test"
    assert request.language == "fr"
    assert event.actor_id is None and event.object_public_id == request.public_id


def test_without_the_link_nothing_opens_to_someone_without_an_account(tenant_db, client):
    assert client.get("/c/schaerbeek/join/not-the-link/").status_code == 404
    assert client.post("/c/schaerbeek/join/not-the-link/", vars(_data())).status_code == 404
    response = client.get("/c/schaerbeek/join/")
    assert response.status_code in (302, 404) and "Inès" not in response.content.decode()


def test_without_the_link_a_non_member_cannot_file_a_request(tenant_db, stranger):
    with schema_context("schaerbeek"), pytest.raises(Forbidden):
        services.request_membership(actor=_outside_actor(tenant_db, stranger), data=_data())


# The test client's connection; deleted rather than clearing the cache, which is a Redis
# database other test runs share.
JOIN_LIMIT_KEY = "charter-join:schaerbeek:127.0.0.1"


def test_the_join_form_stays_open_while_the_cache_is_unreachable(tenant_db, client, monkeypatch):
    link = _join_link(tenant_db)

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", unreachable)
    assert client.post(link, vars(_data(enterprise_number=""))).status_code == 302


def test_requests_without_an_account_are_limited_per_connection(tenant_db, client):
    link = _join_link(tenant_db)
    cache.delete(JOIN_LIMIT_KEY)
    statuses = [
        client.post(link, vars(_data(organisation_name=f"Association {i}", enterprise_number=""))).status_code
        for i in range(ANONYMOUS_REQUESTS_PER_HOUR + 1)
    ]
    assert statuses == [302] * ANONYMOUS_REQUESTS_PER_HOUR + [429]
    with schema_context("schaerbeek"):
        assert MembershipRequest.objects.count() == ANONYMOUS_REQUESTS_PER_HOUR
    cache.delete(JOIN_LIMIT_KEY)


def test_a_new_forwarded_address_does_not_lift_the_limit(tenant_db, client):
    link = _join_link(tenant_db)
    cache.delete(JOIN_LIMIT_KEY)
    statuses = [
        client.post(
            link,
            vars(_data(organisation_name=f"Association {i}", enterprise_number="")),
            HTTP_X_REAL_IP=f"198.51.100.{i}",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        ).status_code
        for i in range(ANONYMOUS_REQUESTS_PER_HOUR + 1)
    ]
    assert statuses == [302] * ANONYMOUS_REQUESTS_PER_HOUR + [429]
    cache.delete(JOIN_LIMIT_KEY)


def test_the_contact_is_told_the_decision_once_in_the_language_of_the_request(
    tenant_db, django_capture_on_commit_callbacks
):
    world = tenant_db
    anonymous = Actor(user=None, membership=None, organisation=None, coordination=world.schaerbeek)
    with schema_context("schaerbeek"), translation.override("nl"):
        request = services.request_membership(actor=anonymous, data=_data(), by_link=True)
    with django_capture_on_commit_callbacks(execute=True), schema_context("schaerbeek"):
        services.refuse_membership_request(
            actor=world["coordinator"].actor(), public_id=request.public_id, reason="Buiten het grondgebied."
        )
    [message] = mail.outbox
    assert message.to == ["ines@helmet.test"]
    assert "geweigerd" in message.subject and "Buiten het grondgebied." in message.body
    assert "/join/" not in message.body  # no page to sign in to
    send_membership_decision_email("schaerbeek", request.pk)  # delivered twice: sent once
    assert len(mail.outbox) == 1
    with schema_context("schaerbeek"):
        assert not Notification.objects.filter(kind="membership_decided").exists()


def test_coordinators_are_told_of_a_new_request_by_notice_and_email(
    tenant_db, stranger, django_capture_on_commit_callbacks
):
    world = tenant_db
    with django_capture_on_commit_callbacks(execute=True):
        request = _request(world, stranger)
    with schema_context("schaerbeek"):
        notices = Notification.objects.filter(kind="membership_requested")
        assert {n.recipient_id for n in notices} == {world["coordinator"].user.pk}
        assert notices.get().url == f"membership-requests/{request.public_id}/"
    assert [m.to for m in mail.outbox] == [[world["coordinator"].email]]
    assert "demande à rejoindre" in mail.outbox[0].body


def test_a_request_for_a_listed_only_organisation_names_it(tenant_db, stranger):
    world = tenant_db
    with schema_context("schaerbeek"):
        listed = create_organisation(
            actor=Actor.system(world.schaerbeek), name="Maison de quartier Helmet", kind="association", is_member=False
        )
    request = _request(world, stranger, organisation_name="maison de quartier helmet")
    assert request.organisation_id == listed.pk


def test_a_request_for_a_member_organisation_is_400_naming_the_field(tenant_db, stranger):
    with pytest.raises(Invalid) as refused:
        _request(tenant_db, stranger, organisation_name="CPAS de Schaerbeek")
    assert "déjà membre" in refused.value.fields["organisation_name"][0]


def test_a_second_pending_request_for_the_same_organisation_is_409(tenant_db, stranger):
    _request(tenant_db, stranger)
    with pytest.raises(Conflict) as refused:
        _request(tenant_db, stranger, organisation_name="MAISON DE QUARTIER HELMET")
    assert "attend déjà la décision" in str(refused.value.message)


def test_a_request_with_the_same_enterprise_number_is_a_duplicate(tenant_db, stranger):
    _request(tenant_db, stranger, enterprise_number="0403.019.261")
    with pytest.raises(Conflict):
        _request(tenant_db, stranger, organisation_name="Autre nom", enterprise_number="BE0403019261")


def test_a_bad_enterprise_number_is_400_naming_the_field(tenant_db, stranger):
    with pytest.raises(Invalid) as refused:
        _request(tenant_db, stranger, enterprise_number="0403.019.262")
    assert "enterprise_number" in refused.value.fields


def test_missing_fields_are_named(tenant_db, stranger):
    with pytest.raises(Invalid) as refused:
        _request(tenant_db, stranger, organisation_name=" ", city="", contact_email="nope", motivation="", kind="x")
    assert set(refused.value.fields) == {"organisation_name", "city", "contact_email", "motivation", "kind"}


def test_the_join_page_shows_field_errors_with_400(tenant_db, stranger, client):
    client.force_login(stranger, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(_join_link(tenant_db), {**vars(_data()), "enterprise_number": "123", "postcode": "10a0"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"enterprise_number", "postcode"}


# --- Deciding ----------------------------------------------------------------------------


def test_approving_makes_the_organisation_a_member_and_invites_its_contact(
    tenant_db, stranger, django_capture_on_commit_callbacks
):
    world = tenant_db
    request = _request(world, stranger)
    with django_capture_on_commit_callbacks(execute=True), schema_context("schaerbeek"):
        approval = services.approve_membership_request(actor=world["coordinator"].actor(), public_id=request.public_id)
    assert approval.invited
    with schema_context("schaerbeek"):
        organisation = Organisation.objects.get(name="Maison de quartier Helmet")
        assert organisation.is_member and organisation.postcode == "1030"
        invitation = Invitation.objects.get(email="ines@helmet.test")
        assert invitation.organisation == organisation and invitation.role == "worker"
        request.refresh_from_db()
        assert request.status == RequestStatus.APPROVED and request.organisation == organisation
        assert request.decided_by == world["coordinator"].user
        assert AuditEvent.objects.filter(action="membership_request.approved", object_public_id=request.public_id)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["ines@helmet.test", "stranger@helmet.test"]


def test_approving_a_listed_only_organisation_makes_it_a_member(tenant_db, stranger):
    world = tenant_db
    with schema_context("schaerbeek"):
        listed = create_organisation(
            actor=Actor.system(world.schaerbeek), name="Maison de quartier Helmet", kind="association", is_member=False
        )
    request = _request(world, stranger)
    with schema_context("schaerbeek"):
        services.approve_membership_request(actor=world["coordinator"].actor(), public_id=request.public_id)
        listed.refresh_from_db()
        assert listed.is_member
        assert Organisation.objects.filter(name__iexact="Maison de quartier Helmet").count() == 1


def test_a_contact_already_member_here_is_not_invited_again(tenant_db, stranger):
    world = tenant_db
    request = _request(world, stranger, contact_email=world["volunteer"].email)
    with schema_context("schaerbeek"):
        approval = services.approve_membership_request(actor=world["coordinator"].actor(), public_id=request.public_id)
        assert not approval.invited
        assert not Invitation.objects.filter(email=world["volunteer"].email).exists()


def test_refusing_tells_the_requester_the_reason_by_email(tenant_db, stranger, django_capture_on_commit_callbacks):
    world = tenant_db
    request = _request(world, stranger)
    with django_capture_on_commit_callbacks(execute=True), schema_context("schaerbeek"):
        services.refuse_membership_request(
            actor=world["coordinator"].actor(),
            public_id=request.public_id,
            reason="Votre siège n'est pas à Schaerbeek : adressez-vous à la coordination d'Evere.",
        )
    [message] = mail.outbox
    assert message.to == ["stranger@helmet.test"]
    assert "refusée" in message.subject
    assert "Votre siège n'est pas à Schaerbeek : adressez-vous à la coordination d'Evere." in message.body
    with schema_context("schaerbeek"):
        assert Notification.objects.get(kind="membership_decided").recipient == stranger  # in-app too
        assert MembershipRequest.objects.get(pk=request.pk).decision_emailed_at is not None
        assert not Organisation.objects.filter(name="Maison de quartier Helmet").exists()


def test_a_refusal_needs_a_reason(tenant_db, stranger):
    world = tenant_db
    request = _request(world, stranger)
    with schema_context("schaerbeek"), pytest.raises(Invalid) as refused:
        services.refuse_membership_request(actor=world["coordinator"].actor(), public_id=request.public_id, reason=" ")
    assert "reason" in refused.value.fields


def test_a_decided_request_cannot_be_decided_again(tenant_db, stranger):
    world = tenant_db
    request = _request(world, stranger)
    with schema_context("schaerbeek"):
        services.refuse_membership_request(
            actor=world["coordinator"].actor(), public_id=request.public_id, reason="Non"
        )
        with pytest.raises(Conflict):
            services.approve_membership_request(actor=world["coordinator"].actor(), public_id=request.public_id)


def test_after_a_refusal_the_organisation_may_ask_again(tenant_db, stranger):
    world = tenant_db
    request = _request(world, stranger)
    with schema_context("schaerbeek"):
        services.refuse_membership_request(
            actor=world["coordinator"].actor(), public_id=request.public_id, reason="Non"
        )
    assert _request(world, stranger).status == RequestStatus.PENDING


@pytest.mark.parametrize("persona", ["bapa_worker", "cpas_referent", "volunteer", "observer", "outsider"])
def test_only_coordinators_decide_others_get_not_found(tenant_db, stranger, persona):
    world = tenant_db
    request = _request(world, stranger)
    with schema_context("schaerbeek"):
        with pytest.raises(NotFound):
            services.approve_membership_request(actor=world[persona].actor(), public_id=request.public_id)
        with pytest.raises(NotFound):
            services.refuse_membership_request(actor=world[persona].actor(), public_id=request.public_id, reason="x")
        assert MembershipRequest.objects.get(pk=request.pk).status == RequestStatus.PENDING


# --- Pages -------------------------------------------------------------------------------


def test_coordinator_lists_and_approves_on_the_pages(tenant_db, stranger, login, client):
    world = tenant_db
    request = _request(world, stranger)
    login(world["coordinator"])
    assert "Maison de quartier Helmet" in client.get("/c/schaerbeek/membership-requests/").content.decode()
    detail = client.get(f"/c/schaerbeek/membership-requests/{request.public_id}/").content.decode()
    assert "Cours de français et permanence sociale." in detail
    response = client.post(f"/c/schaerbeek/membership-requests/{request.public_id}/approve/", follow=True)
    assert "est désormais membre" in response.content.decode()
    with schema_context("schaerbeek"):
        assert MembershipRequest.objects.get(pk=request.pk).status == RequestStatus.APPROVED


def test_refusing_on_the_page_without_a_reason_is_400(tenant_db, stranger, login, client):
    world = tenant_db
    request = _request(world, stranger)
    login(world["coordinator"])
    response = client.post(f"/c/schaerbeek/membership-requests/{request.public_id}/refuse/", {"refuse-reason": ""})
    assert response.status_code == 400
    assert "Dites pourquoi la demande est refusée." in response.content.decode()
    response = client.post(
        f"/c/schaerbeek/membership-requests/{request.public_id}/refuse/", {"refuse-reason": "Hors territoire."}
    )
    assert response.status_code == 302
    with schema_context("schaerbeek"):
        assert MembershipRequest.objects.get(pk=request.pk).refusal_reason == "Hors territoire."


@pytest.mark.parametrize("persona", ["bapa_worker", "cpas_referent", "volunteer", "observer", "outsider"])
def test_request_pages_are_404_for_non_coordinators(tenant_db, stranger, login, client, persona):
    world = tenant_db
    request = _request(world, stranger)
    login(world[persona])
    base = f"/c/schaerbeek/membership-requests/{request.public_id}/"
    assert client.get("/c/schaerbeek/membership-requests/").status_code == 404
    assert client.get(base).status_code == 404
    assert client.post(f"{base}approve/").status_code == 404
    assert client.post(f"{base}refuse/", {"refuse-reason": "x"}).status_code == 404


def test_tournai_coordinator_cannot_see_schaerbeek_requests(tenant_db, stranger, login, client, token_client):
    world = tenant_db
    request = _request(world, stranger)
    login(world["tournai_coordinator"])
    assert client.get(f"/c/schaerbeek/membership-requests/{request.public_id}/").status_code == 404
    assert client.get(f"/c/tournai/membership-requests/{request.public_id}/").status_code == 404
    assert "Helmet" not in client.get("/c/tournai/membership-requests/").content.decode()
    api = token_client(world["tournai_coordinator"])
    assert api.get(f"/c/tournai/api/v1/membership-requests/{request.public_id}/").status_code == 404
    assert api.post(f"/c/tournai/api/v1/membership-requests/{request.public_id}/approve/").status_code == 404
    assert api.get("/c/tournai/api/v1/membership-requests/").json()["count"] == 0


def test_renewing_the_join_link_retires_the_old_one(tenant_db, login, client):
    old = _join_link(tenant_db)
    login(tenant_db["coordinator"])
    response = client.post("/c/schaerbeek/membership-requests/join-link/renew/")
    assert response.status_code == 302
    client.logout()
    assert client.get(old).status_code == 404
    new = f"/c/schaerbeek/join/{join_token(tenant_db.schaerbeek, 1)}/"
    assert client.get(new).status_code == 200
    with schema_context("schaerbeek"):
        assert AuditEvent.objects.filter(action="join_link.renewed").count() == 1


@pytest.mark.parametrize("persona", ["bapa_worker", "cpas_referent", "observer"])
def test_only_coordinators_renew_the_join_link(tenant_db, login, client, persona):
    login(tenant_db[persona])
    assert client.post("/c/schaerbeek/membership-requests/join-link/renew/").status_code == 404
    client.logout()
    assert client.get(_join_link(tenant_db)).status_code == 200


def test_the_api_refuses_a_retired_join_code(tenant_db, stranger):
    with schema_context("schaerbeek"):
        services.renew_join_link(actor=tenant_db["coordinator"].actor())
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(stranger)
    body = {**vars(_data()), "join_code": join_token(tenant_db.schaerbeek, 0)}
    assert api.post("/c/schaerbeek/api/v1/membership-requests/", body, format="json").status_code == 404
    body["join_code"] = join_token(tenant_db.schaerbeek, 1)
    assert api.post("/c/schaerbeek/api/v1/membership-requests/", body, format="json").status_code == 201


def test_the_join_form_asks_for_the_kind_instead_of_assuming_one(tenant_db, client):
    link = _join_link(tenant_db)
    page = client.get(link).content.decode()
    assert '<option value="" selected>' in page
    response = client.post(link, {**vars(_data()), "kind": ""})
    assert response.status_code == 400 and "kind" in response.context["form"].errors
    with schema_context("schaerbeek"):
        assert not MembershipRequest.objects.exists()
