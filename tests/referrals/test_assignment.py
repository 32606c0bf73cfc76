"""Assignment: a referral received or a file is given to a named worker of the organisation
("take it", "hand over"), as django-guardian object permissions no role implies; "assigned
to me" filters the inbox, page and API alike, and is a section of My work.

The story: two reference persons share the CPAS's inbox (Marc, the persona, and Nadia, a
colleague made here); a CPAS social worker does not answer referrals; the BAPA sends them.
"""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from guardian.core import ObjectPermissionChecker

from audit.models import AuditEvent
from maillage.errors import Invalid
from members.models import Membership
from members.roles import Role
from notifications.models import Notification
from persons import services as person_services
from persons.models import Person
from referrals import services
from referrals.models import Referral
from tests.conftest import Persona
from tests.factories import MembershipFactory, PersonFactory, ReferralFactory

BASE = "/c/schaerbeek"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def _seat(tenant_db, email, name, organisation, role) -> Persona:
    seat = MembershipFactory(user__email=email, user__full_name=name, organisation=organisation, role=role)
    return Persona(seat.user, tenant_db.schaerbeek, seat.organisation.public_id, seat.public_id, role)


@pytest.fixture
def nadia(tenant_db):
    """A second reference person of the CPAS: a colleague who answers referrals too."""
    return _seat(tenant_db, "nadia@schaerbeek.test", "Nadia Referente", "cpas_referent", Role.CPAS_REFERENT)


@pytest.fixture
def cpas_worker(tenant_db):
    """A CPAS social worker who does not answer the CPAS's referrals."""
    return _seat(tenant_db, "cpas.worker@schaerbeek.test", "Paul Worker", "cpas_referent", Role.WORKER)


@pytest.fixture
def colleague(tenant_db):
    """A second worker of the BAPA, who keeps files too."""
    return _seat(tenant_db, "bapa.two@schaerbeek.test", "Ines Bapa", "bapa_worker", Role.WORKER)


def _membership(persona) -> Membership:
    return Membership.objects.select_related("user").get(public_id=persona.membership_public_id)


def _works_on(persona, obj) -> bool:
    perm = "work_on_referral" if isinstance(obj, Referral) else "work_on_person"
    with schema_context("schaerbeek"):
        return ObjectPermissionChecker(persona.user).has_perm(perm, obj)


def _events(action: str) -> list[AuditEvent]:
    with schema_context("schaerbeek"):
        return list(AuditEvent.objects.filter(action=action))


def _notices(persona, kind: str) -> int:
    with schema_context("schaerbeek"):
        return Notification.objects.filter(recipient=persona.user, kind=kind).count()


def _cell(page: str, referral) -> str:
    """The text of the "Taken by" cell on the referral's row."""
    row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{referral.reference}(?:(?!</tr>).)*</tr>", page, re.S).group(0)
    cell = re.search(r'class="taken-by">(.*?)</td>', row, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()


# --- Taking a referral in the shared inbox ---------------------------------------------------


def test_take_it_in_the_inbox_assigns_the_referral_to_the_reference_person(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    login(tenant_db["cpas_referent"])
    inbox = f"{BASE}/referrals/inbox/?state=open"
    assert "Take it" in _page(client.get(inbox))
    response = client.post(f"{BASE}/referrals/{referral.public_id}/take/", {"next": inbox})
    assert response.status_code == 302 and response["Location"] == inbox
    assert _works_on(tenant_db["cpas_referent"], referral)
    assert _cell(_page(client.get(inbox)), referral).startswith("you")
    [event] = _events("referral.taken")
    assert event.object_public_id == referral.public_id and event.person_public_id == referral.person.public_id


def test_the_shared_inbox_shows_who_took_what(tenant_db, login, client, nadia):
    taken = ReferralFactory(status="sent", person__given_name="Olena")
    free = ReferralFactory(status="sent", person__given_name="Dawit")
    with schema_context("schaerbeek"):
        services.take_referral(actor=nadia.actor(), referral=taken)
    login(tenant_db["cpas_referent"])
    page = _page(client.get(f"{BASE}/referrals/inbox/"))
    assert _cell(page, taken).startswith("Nadia Referente")
    assert _cell(page, free).startswith("—")


def test_taking_a_referral_a_colleague_had_leaves_one_worker(tenant_db, nadia):
    referral = ReferralFactory(status="sent")
    with schema_context("schaerbeek"):
        services.take_referral(actor=nadia.actor(), referral=referral)
        services.take_referral(actor=tenant_db["cpas_referent"].actor(), referral=referral)
    assert _works_on(tenant_db["cpas_referent"], referral)
    assert not _works_on(nadia, referral)


def test_the_grant_does_not_come_from_the_role(tenant_db, nadia):
    """Nadia answers the CPAS's referrals like Marc, yet does not work on Marc's."""
    referral = ReferralFactory(status="sent")
    with schema_context("schaerbeek"):
        services.take_referral(actor=tenant_db["cpas_referent"].actor(), referral=referral)
    assert not _works_on(nadia, referral)


def test_the_sender_cannot_take_a_referral(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    login(tenant_db["bapa_worker"])
    assert client.post(f"{BASE}/referrals/{referral.public_id}/take/").status_code == 403
    assert not _events("referral.taken")


def test_a_cpas_worker_who_does_not_answer_cannot_take_a_referral(tenant_db, login, client, cpas_worker):
    referral = ReferralFactory(status="sent")
    login(cpas_worker)
    assert client.post(f"{BASE}/referrals/{referral.public_id}/take/").status_code in (403, 404)
    assert not _works_on(cpas_worker, referral)


@pytest.mark.parametrize("persona", ["outsider", "foreigner"])
def test_another_organisation_or_coordination_does_not_find_the_referral(tenant_db, token_client, persona):
    referral = ReferralFactory(status="sent")
    api = token_client(tenant_db[persona])
    slug = tenant_db[persona].coordination.slug
    assert api.post(f"/c/{slug}/api/v1/referrals/{referral.public_id}/take/").status_code == 404


def test_a_closed_referral_cannot_be_taken(tenant_db, token_client):
    referral = ReferralFactory(status="declined")
    response = token_client(tenant_db["cpas_referent"]).post(f"{BASE}/api/v1/referrals/{referral.public_id}/take/")
    assert response.status_code == 409, response.content


# --- Handing over ------------------------------------------------------------------------------


def test_hand_over_passes_the_referral_to_a_colleague_who_is_told(tenant_db, login, client, nadia):
    referral = ReferralFactory(status="sent")
    with schema_context("schaerbeek"):
        services.take_referral(actor=tenant_db["cpas_referent"].actor(), referral=referral)
    login(tenant_db["cpas_referent"])
    form = _page(client.get(f"{BASE}/referrals/{referral.public_id}/hand-over/"))
    assert "Nadia Referente" in form and str(nadia.membership_public_id) in form
    response = client.post(f"{BASE}/referrals/{referral.public_id}/hand-over/", {"member": nadia.membership_public_id})
    assert response.status_code == 302
    assert _works_on(nadia, referral) and not _works_on(tenant_db["cpas_referent"], referral)
    assert _notices(nadia, "referral_handed_over") == 1
    [event] = _events("referral.handed_over")
    assert event.detail == {"to": str(nadia.membership_public_id)}


def test_the_hand_over_list_offers_only_colleagues_who_answer(tenant_db, login, client, nadia, cpas_worker):
    referral = ReferralFactory(status="sent")
    login(tenant_db["cpas_referent"])
    form = _page(client.get(f"{BASE}/referrals/{referral.public_id}/hand-over/"))
    assert "Nadia Referente" in form
    assert "Paul Worker" not in form and "Sarah Bapa" not in form and "Marc Cpas" not in form


@pytest.mark.parametrize("persona", ["bapa_worker", "outsider", "foreigner"])
def test_handing_over_to_a_member_of_another_organisation_or_coordination_is_not_found(
    tenant_db, login, client, token_client, persona
):
    referral = ReferralFactory(status="sent")
    member = str(tenant_db[persona].membership_public_id)
    login(tenant_db["cpas_referent"])
    assert client.post(f"{BASE}/referrals/{referral.public_id}/hand-over/", {"member": member}).status_code == 404
    api = token_client(tenant_db["cpas_referent"])
    url = f"{BASE}/api/v1/referrals/{referral.public_id}/hand-over/"
    assert api.post(url, {"member": member}, format="json").status_code == 404
    assert not _events("referral.handed_over")


def test_handing_over_to_a_colleague_who_does_not_answer_is_not_found(tenant_db, token_client, cpas_worker):
    referral = ReferralFactory(status="sent")
    url = f"{BASE}/api/v1/referrals/{referral.public_id}/hand-over/"
    response = token_client(tenant_db["cpas_referent"]).post(url, {"member": str(cpas_worker.membership_public_id)})
    assert response.status_code == 404


def test_hand_over_without_a_member_is_a_400(tenant_db, token_client):
    referral = ReferralFactory(status="sent")
    url = f"{BASE}/api/v1/referrals/{referral.public_id}/hand-over/"
    response = token_client(tenant_db["cpas_referent"]).post(url, {"member": "nobody"}, format="json")
    assert response.status_code == 400 and "member" in response.json()["fields"]


def test_the_service_refuses_a_member_of_another_organisation(tenant_db):
    """The rule lives in the service too, whoever calls it."""
    referral = ReferralFactory(status="sent")
    with schema_context("schaerbeek"):
        other = _membership(tenant_db["bapa_worker"])
        with pytest.raises(Invalid):
            services.hand_over_referral(actor=tenant_db["cpas_referent"].actor(), referral=referral, to_member=other)


# --- The API and "assigned to me" --------------------------------------------------------------


def test_the_api_takes_and_hands_over_and_shows_the_assignee(tenant_db, token_client, nadia):
    referral = ReferralFactory(status="sent")
    api = token_client(tenant_db["cpas_referent"])
    body = api.post(f"{BASE}/api/v1/referrals/{referral.public_id}/take/").json()
    assert body["assignee"] == "Marc Cpas" and body["assigned_to_me"] is True
    url = f"{BASE}/api/v1/referrals/{referral.public_id}/hand-over/"
    body = api.post(url, {"member": str(nadia.membership_public_id)}, format="json").json()
    assert body["assignee"] == "Nadia Referente" and body["assigned_to_me"] is False


def test_the_sender_does_not_see_who_took_the_referral(tenant_db, token_client):
    referral = ReferralFactory(status="sent")
    with schema_context("schaerbeek"):
        services.take_referral(actor=tenant_db["cpas_referent"].actor(), referral=referral)
    body = token_client(tenant_db["bapa_worker"]).get(f"{BASE}/api/v1/referrals/{referral.public_id}/").json()
    assert body["assignee"] is None


def test_assigned_to_me_filters_the_inbox_page_and_api_alike(tenant_db, login, client, token_client, nadia):
    mine = ReferralFactory(status="sent", person__given_name="Olena")
    theirs = ReferralFactory(status="sent", person__given_name="Dawit")
    free = ReferralFactory(status="sent", person__given_name="Amina")
    with schema_context("schaerbeek"):
        services.take_referral(actor=tenant_db["cpas_referent"].actor(), referral=mine)
        services.take_referral(actor=nadia.actor(), referral=theirs)
    login(tenant_db["cpas_referent"])
    page = _page(client.get(f"{BASE}/referrals/inbox/?mine=on"))
    assert mine.reference in page and theirs.reference not in page and free.reference not in page
    assert 'name="mine" checked' in page or "checked" in page.split('name="mine"')[1][:40]
    api = token_client(tenant_db["cpas_referent"])
    body = api.get(f"{BASE}/api/v1/referrals/inbox/?assigned_to_me=true").json()
    assert [r["reference"] for r in body["results"]] == [mine.reference]
    assert len(api.get(f"{BASE}/api/v1/referrals/inbox/").json()["results"]) == 3


def test_the_inbox_costs_the_same_queries_with_assignments(tenant_db, login, client, nadia):
    ReferralFactory(status="sent")
    login(tenant_db["cpas_referent"])
    client.get(f"{BASE}/referrals/inbox/")
    with CaptureQueriesContext(connection) as before:
        client.get(f"{BASE}/referrals/inbox/")
    with schema_context("schaerbeek"):
        for name in ("Olena", "Dawit", "Amina"):
            referral = ReferralFactory(status="sent", person__given_name=name)
            services.take_referral(actor=nadia.actor(), referral=referral)
    with CaptureQueriesContext(connection) as after:
        page = _page(client.get(f"{BASE}/referrals/inbox/"))
    assert page.count("Nadia Referente") == 3
    assert len(after) == len(before)


# --- My work -----------------------------------------------------------------------------------


def test_my_work_lists_what_is_assigned_to_me_once(tenant_db, login, client):
    taken = ReferralFactory(status="sent", person__given_name="Olena")
    other = ReferralFactory(status="sent", person__given_name="Dawit")
    with schema_context("schaerbeek"):
        services.take_referral(actor=tenant_db["cpas_referent"].actor(), referral=taken)
    login(tenant_db["cpas_referent"])
    page = _page(client.get(f"{BASE}/work/"))
    section = re.search(r'<section class="work-section" id="assigned_to_me".*?</section>', page, re.S).group(0)
    assert f"referrals/{taken.public_id}/" in section and f"referrals/{other.public_id}/" not in section
    assert page.count(f"referrals/{taken.public_id}/") == 1


def test_my_work_lists_a_file_handed_over_to_me(tenant_db, login, client, colleague):
    person = PersonFactory(given_name="Amina", family_name="Youssef")
    with schema_context("schaerbeek"):
        actor = tenant_db["bapa_worker"].actor()
        person_services.hand_over_file(actor=actor, person=person, to_member=_membership(colleague))
    login(colleague)
    section = re.search(
        r'<section class="work-section" id="assigned_to_me".*?</section>', _page(client.get(f"{BASE}/work/")), re.S
    ).group(0)
    assert "Follow the file of Amina Youssef" in section
    assert _notices(colleague, "file_handed_over") == 1


def test_my_work_costs_the_same_queries_with_more_assigned(tenant_db, login, client):
    referent = tenant_db["cpas_referent"]

    def assign_one(name):
        referral = ReferralFactory(status="sent", person__given_name=name)
        with schema_context("schaerbeek"):
            services.take_referral(actor=referent.actor(), referral=referral)

    assign_one("Olena")
    login(referent)
    client.get(f"{BASE}/work/")
    with CaptureQueriesContext(connection) as small:
        client.get(f"{BASE}/work/")
    for name in ("Dawit", "Amina", "Yusuf"):
        assign_one(name)
    with CaptureQueriesContext(connection) as large:
        page = _page(client.get(f"{BASE}/work/"))
    assert page.count("Answer the referral of") == 4
    assert len(large) == len(small)


# --- Files -------------------------------------------------------------------------------------


def test_take_and_hand_over_a_file_on_its_page(tenant_db, login, client, colleague):
    person = PersonFactory()
    login(tenant_db["bapa_worker"])
    page = _page(client.get(f"{BASE}/persons/{person.public_id}/"))
    assert "Nobody has taken it yet." in page and "Take it" in page
    assert client.post(f"{BASE}/persons/{person.public_id}/take/").status_code == 302
    assert _works_on(tenant_db["bapa_worker"], person)
    assert "Assigned to you" in _page(client.get(f"{BASE}/persons/{person.public_id}/"))
    url = f"{BASE}/persons/{person.public_id}/hand-over/"
    assert client.post(url, {"member": colleague.membership_public_id}).status_code == 302
    assert _works_on(colleague, person) and not _works_on(tenant_db["bapa_worker"], person)
    assert "Assigned to Ines Bapa" in _page(client.get(f"{BASE}/persons/{person.public_id}/"))
    assert [e.action for e in _events("person.taken") + _events("person.handed_over")] == [
        "person.taken",
        "person.handed_over",
    ]


def test_an_organisation_the_consent_opens_the_file_to_cannot_assign_it(tenant_db, token_client):
    referral = ReferralFactory(status="accepted")
    api = token_client(tenant_db["cpas_referent"])
    assert api.get(f"{BASE}/api/v1/persons/{referral.person.public_id}/").status_code == 200
    assert api.post(f"{BASE}/api/v1/persons/{referral.person.public_id}/take/").status_code == 403


@pytest.mark.parametrize("persona", ["outsider", "foreigner"])
def test_another_organisation_or_coordination_does_not_find_the_file(tenant_db, token_client, persona):
    person = PersonFactory()
    slug = tenant_db[persona].coordination.slug
    api = token_client(tenant_db[persona])
    assert api.post(f"/c/{slug}/api/v1/persons/{person.public_id}/take/").status_code == 404


@pytest.mark.parametrize("persona", ["cpas_referent", "foreigner"])
def test_a_file_cannot_be_handed_over_outside_the_organisation(tenant_db, token_client, persona):
    person = PersonFactory()
    url = f"{BASE}/api/v1/persons/{person.public_id}/hand-over/"
    member = str(tenant_db[persona].membership_public_id)
    assert token_client(tenant_db["bapa_worker"]).post(url, {"member": member}, format="json").status_code == 404


def test_the_api_takes_a_file(tenant_db, token_client, colleague):
    person = PersonFactory()
    api = token_client(tenant_db["bapa_worker"])
    body = api.post(f"{BASE}/api/v1/persons/{person.public_id}/take/").json()
    assert body == {"id": str(person.public_id), "assignee": "Sarah Bapa", "assigned_to_me": True}
    url = f"{BASE}/api/v1/persons/{person.public_id}/hand-over/"
    body = api.post(url, {"member": str(colleague.membership_public_id)}, format="json").json()
    assert body["assignee"] == "Ines Bapa" and body["assigned_to_me"] is False


def test_a_closed_file_cannot_be_taken(tenant_db, token_client):
    person = PersonFactory()
    with schema_context("schaerbeek"):
        person_services.close_file(actor=tenant_db["bapa_worker"].actor(), person=Person.objects.get(pk=person.pk))
    response = token_client(tenant_db["bapa_worker"]).post(f"{BASE}/api/v1/persons/{person.public_id}/take/")
    assert response.status_code == 409
