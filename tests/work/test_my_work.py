"""My work: what needs a member now, section by section, on the landing page and the API.

The story: the BAPA refers persons to the CPAS; the CPAS's reference person answers them,
reads notes, carries out actions and keeps its offers fresh; the BAPA follows up what it
sent and the integration programme's deadlines."""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from consent.models import Consent
from consent.services import withdraw_consent
from directory.models import Offer
from maillage.actor import Actor
from persons.selectors import programme_deadline
from referrals.deadlines import belgian_today
from tenants.models import User
from tests.factories import (
    PASSWORD,
    ActionFactory,
    CaseNoteFactory,
    ConsentFactory,
    MembershipFactory,
    PersonFactory,
    ReferralFactory,
    organisation_of,
)
from work.selectors import my_work

BASE = "/c/schaerbeek"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def _section(page: str, key: str) -> str:
    """The text of one section of the page."""
    found = re.search(rf'<section class="work-section" id="{key}".*?</section>', page, re.S)
    assert found, key
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0)))


def _work(persona, **kwargs):
    with schema_context("schaerbeek"), translation.override("en"):
        work = my_work(actor=persona.actor(), **kwargs)
        return {section.key: section.lines for section in work.sections}


NOTES = ["identity", "situation", "case_notes"]


def _shared(**kwargs):
    """An accepted referral whose consent shares case notes with the CPAS."""
    return ReferralFactory(status="accepted", consent__categories=NOTES, **kwargs)


def _overdue_referral(**kwargs):
    return ReferralFactory(status="sent", row={"response_due": belgian_today() - timedelta(days=3)}, **kwargs)


# --- Referrals to answer ------------------------------------------------------------------


def test_referrals_to_answer_come_urgent_first_then_by_due_date_with_overdue_flagged(tenant_db):
    due = belgian_today() + timedelta(days=9)
    later = ReferralFactory(status="sent", person__given_name="Later", row={"response_due": due})
    late = _overdue_referral(person__given_name="Late")
    urgent = ReferralFactory(status="received", urgency="urgent", person__given_name="Urgent")
    ReferralFactory(status="accepted", person__given_name="Taken")  # answered already
    lines = _work(tenant_db["cpas_referent"])["referrals_to_answer"]
    assert [line.object_id for line in lines] == [urgent.public_id, late.public_id, later.public_id]
    assert [line.overdue for line in lines] == [False, True, False]
    assert lines[0].urgent and lines[0].todo == "Answer the referral of Urgent from VIA — BAPA Schaerbeek"
    assert lines[0].path == f"referrals/{urgent.public_id}/"


def test_before_acceptance_a_line_names_the_person_by_given_name_only(tenant_db):
    ReferralFactory(status="sent")
    (line,) = _work(tenant_db["cpas_referent"])["referrals_to_answer"]
    assert "Samira" in line.todo and "Darwish" not in line.todo


def test_only_those_who_answer_for_the_cpas_see_its_referrals_to_answer(tenant_db):
    ReferralFactory(status="sent")
    cpas_worker = MembershipFactory(organisation="cpas_referent")
    with schema_context("schaerbeek"):
        actor = Actor(
            user=cpas_worker.user,
            membership=cpas_worker,
            organisation=cpas_worker.organisation,
            coordination=tenant_db.schaerbeek,
        )
        assert my_work(actor=actor).sections[0].lines == []


def test_an_expired_consent_hides_the_referral_to_answer(tenant_db):
    referral = ReferralFactory(status="sent")
    with schema_context("schaerbeek"):
        Consent.objects.filter(pk=referral.consent_id).update(
            given_at=timezone.now() - timedelta(days=400), expires_at=timezone.now() - timedelta(days=1)
        )
    assert _work(tenant_db["cpas_referent"])["referrals_to_answer"] == []


def test_a_withdrawn_consent_hides_the_referral_to_answer(tenant_db):
    ReferralFactory(status="consent_withdrawn")
    assert _work(tenant_db["cpas_referent"])["referrals_to_answer"] == []


# --- Referrals sent -------------------------------------------------------------------------


def test_the_sender_sees_what_waits_too_long_and_what_was_declined(tenant_db):
    late = _overdue_referral(person__given_name="Late")
    declined = ReferralFactory(status="declined", person__given_name="Refused")
    ReferralFactory(status="sent", person__given_name="Fresh")
    ReferralFactory(status="accepted", person__given_name="Taken")
    lines = _work(tenant_db["bapa_worker"])["referrals_sent"]
    assert [line.object_id for line in lines] == [late.public_id, declined.public_id]
    assert lines[0].overdue and lines[0].todo == "Ask CPAS de Schaerbeek for its answer about Late Darwish"
    assert lines[1].todo == "Refer Refused Darwish elsewhere: CPAS de Schaerbeek declined"


def test_the_sender_answers_an_appointment_the_recipient_proposes(tenant_db):
    declined = ReferralFactory(status="declined", person__given_name="Refused")
    proposed = ReferralFactory(status="appointment_proposed", person__given_name="Other")
    lines = _work(tenant_db["bapa_worker"])["referrals_sent"]
    assert [line.object_id for line in lines] == [proposed.public_id, declined.public_id]
    assert lines[0].todo == "Accept or decline the appointment CPAS de Schaerbeek proposes for Other Darwish"
    assert lines[0].due is None and not lines[0].overdue


def test_a_referral_declined_long_ago_is_no_longer_listed(tenant_db):
    ReferralFactory(status="declined", row={"answered_at": timezone.now() - timedelta(days=30)})
    assert _work(tenant_db["bapa_worker"])["referrals_sent"] == []


# --- Programme deadlines -----------------------------------------------------------------------


def _registered_days_ago(days: int):
    return belgian_today() - timedelta(days=days)


def test_persons_whose_programme_deadline_is_near_or_past_are_listed_soonest_first(tenant_db):
    # Brussels: six months after the commune registration.
    soon = PersonFactory(given_name="Soon", commune_registration_date=_registered_days_ago(170))
    past = PersonFactory(given_name="Past", commune_registration_date=_registered_days_ago(200))
    PersonFactory(given_name="Far", commune_registration_date=_registered_days_ago(30))
    PersonFactory(
        given_name="Done",
        commune_registration_date=_registered_days_ago(170),
        programme_registration_date=belgian_today(),
    )
    lines = _work(tenant_db["bapa_worker"])["programme_deadlines"]
    assert [line.object_id for line in lines] == [past.public_id, soon.public_id]
    assert lines[0].overdue and "the deadline passed" in lines[0].todo
    assert not lines[1].overdue
    assert lines[1].todo.startswith("Register Soon Darwish in the integration programme before")


def test_the_sql_deadline_agrees_with_the_file_page(tenant_db):
    today = belgian_today()
    days_ago = (0, 150, 152, 153, 181, 400)
    persons = [PersonFactory(commune_registration_date=today - timedelta(days=days)) for days in days_ago]
    listed = {line.object_id for line in _work(tenant_db["bapa_worker"])["programme_deadlines"]}
    for person in persons:
        assert (person.public_id in listed) == programme_deadline(person, months=6, today=today).alert


def test_a_withdrawn_consent_hides_another_organisations_person(tenant_db):
    person = PersonFactory(commune_registration_date=_registered_days_ago(170))
    consent = ConsentFactory(person=person)  # opens the file to the CPAS
    assert len(_work(tenant_db["cpas_referent"])["programme_deadlines"]) == 1
    with schema_context("schaerbeek"):
        withdraw_consent(actor=tenant_db["bapa_worker"].actor(), consent=consent, reason="La personne le demande")
    assert _work(tenant_db["cpas_referent"])["programme_deadlines"] == []


def test_an_expired_consent_hides_another_organisations_person(tenant_db):
    person = PersonFactory(commune_registration_date=_registered_days_ago(170))
    ConsentFactory(person=person, state="expired")
    assert _work(tenant_db["cpas_referent"])["programme_deadlines"] == []


def test_an_organisation_without_consent_does_not_see_the_deadline(tenant_db):
    PersonFactory(commune_registration_date=_registered_days_ago(170))
    assert _work(tenant_db["outsider"])["programme_deadlines"] == []
    assert _work(tenant_db["cpas_referent"])["programme_deadlines"] == []


# --- New notes ------------------------------------------------------------------------


def test_notes_another_organisation_shared_since_the_last_visit_are_new(tenant_db):
    referral = _shared()
    note = CaseNoteFactory(referral=referral, actor="cpas_referent", audience="referral")
    CaseNoteFactory(referral=referral, actor="bapa_worker", audience="referral")  # our own
    lines = _work(tenant_db["bapa_worker"])["new_notes"]
    assert [line.object_id for line in lines] == [note.public_id]
    assert lines[0].todo == "Read the note of CPAS de Schaerbeek on Samira Darwish"
    assert lines[0].path == f"referrals/{referral.public_id}/"


def test_notes_older_than_the_last_visit_are_not_new(tenant_db):
    referral = _shared()
    CaseNoteFactory(referral=referral, actor="cpas_referent", audience="referral")
    assert _work(tenant_db["bapa_worker"], since=timezone.now() + timedelta(minutes=1))["new_notes"] == []


def test_notes_are_counted_from_the_previous_sign_in(tenant_db, client):
    user = tenant_db["bapa_worker"].user
    user.last_login = timezone.now() - timedelta(days=2)
    user.save(update_fields=["last_login"])
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert User.objects.get(pk=user.pk).previous_login == user.last_login


def test_a_withdrawn_consent_hides_the_note(tenant_db):
    referral = _shared()
    CaseNoteFactory(referral=referral, actor="cpas_referent", audience="referral")
    with schema_context("schaerbeek"):
        withdraw_consent(actor=tenant_db["bapa_worker"].actor(), consent=referral.consent, reason="Refus")
    assert _work(tenant_db["cpas_referent"])["new_notes"] == []


# --- Actions and offers --------------------------------------------------------------------


def test_actions_the_organisation_owns_and_that_are_due_are_listed(tenant_db):
    overdue = ActionFactory(due_in=-2, what="Envoyer la liste")
    soon = ActionFactory(due_in=3, what="Appeler le propriétaire")
    ActionFactory(due_in=40)  # not yet
    ActionFactory(due_in=1, owner=tenant_db["bapa_worker"].organisation_public_id)  # another organisation's
    lines = _work(tenant_db["cpas_referent"])["actions_due"]
    assert [line.object_id for line in lines] == [overdue.public_id, soon.public_id]
    assert lines[0].overdue and lines[0].todo == "Carry out the action: Envoyer la liste"
    assert lines[0].path == f"meetings/actions/{overdue.public_id}/"


def test_offers_unverified_for_three_months_are_to_verify_by_their_organisation(tenant_db, make_offer):
    stale = make_offer("Aide au logement")
    make_offer("Permanence sociale")  # verified today
    with schema_context("schaerbeek"):
        Offer.objects.filter(pk=stale.pk).update(last_verified_at=timezone.now() - timedelta(days=100))
    lines = _work(tenant_db["cpas_referent"])["offers_to_verify"]
    assert [line.object_id for line in lines] == [stale.public_id]
    assert lines[0].path == "directory/mine/" and "Aide au logement" in lines[0].todo
    assert _work(tenant_db["bapa_worker"])["offers_to_verify"] == []
    assert _work(tenant_db["volunteer"])["offers_to_verify"] == []


# --- Isolation ------------------------------------------------------------------------------


def test_another_organisation_sees_none_of_it(tenant_db, make_offer):
    referral = _shared()
    CaseNoteFactory(referral=referral, actor="cpas_referent", audience="referral")
    _overdue_referral()
    ActionFactory(due_in=1)
    PersonFactory(commune_registration_date=_registered_days_ago(170))
    assert all(lines == [] for lines in _work(tenant_db["outsider"]).values())


def test_a_member_of_another_coordination_gets_404(tenant_db, login, client, token_client):
    login(tenant_db["foreigner"])
    assert client.get(f"{BASE}/work/").status_code == 404
    assert token_client(tenant_db["foreigner"]).get(f"{BASE}/api/v1/me/work/").status_code == 404


def test_another_coordinations_work_is_its_own(tenant_db, login, client):
    _overdue_referral()
    login(tenant_db["foreigner"])
    page = _page(client.get("/c/tournai/work/"))
    assert "Samira" not in page and "0 things need you now" in page


# --- The page -------------------------------------------------------------------------------


def test_the_page_lists_each_section_and_links_to_where_it_is_done(tenant_db, login, client):
    referral = ReferralFactory(status="sent", urgency="urgent")
    ActionFactory(due_in=2, what="Appeler le propriétaire")
    login(tenant_db["cpas_referent"])
    page = _page(client.get(f"{BASE}/work/"))
    assert f'href="{BASE}/referrals/{referral.public_id}/"' in page
    assert "Answer the referral of Samira" in _section(page, "referrals_to_answer")
    assert "Urgent" in _section(page, "referrals_to_answer")
    assert "Appeler le propriétaire" in _section(page, "actions_due")
    assert "Nothing here now." in _section(page, "offers_to_verify")
    assert "2 things need you now" in page
    assert f'href="{BASE}/work/"' in page  # the menu's link


def test_the_page_audits_the_persons_it_shows(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    login(tenant_db["cpas_referent"])
    client.get(f"{BASE}/work/")
    with schema_context("schaerbeek"):
        assert AuditEvent.objects.filter(person_public_id=referral.person.public_id, action="person.read").exists()


def _fill(count: int, make_offer, tag: str):
    for n in range(count):
        ReferralFactory(status="sent", person__given_name=f"{tag}{n}")
        _overdue_referral(
            actor="cpas_referent", to_organisation=organisation_of("bapa_worker"), person__given_name=f"S{tag}{n}"
        )
        PersonFactory(actor="cpas_referent", commune_registration_date=_registered_days_ago(170))
        accepted = _shared(person__given_name=f"A{tag}{n}")
        CaseNoteFactory(referral=accepted, actor="bapa_worker", audience="referral")
        ActionFactory(due_in=n)
        offer = make_offer(f"Offre {tag}{n}")
        with schema_context("schaerbeek"):
            Offer.objects.filter(pk=offer.pk).update(last_verified_at=timezone.now() - timedelta(days=100))


def test_the_page_costs_the_same_queries_whatever_the_data(tenant_db, login, client, make_offer):
    login(tenant_db["cpas_referent"])
    _fill(1, make_offer, "a")
    client.get(f"{BASE}/work/")  # the account remembers its coordination once
    with CaptureQueriesContext(connection) as small:
        page = _page(client.get(f"{BASE}/work/"))
    assert all(f'id="{key}"' in page for key in ("referrals_to_answer", "referrals_sent"))
    _fill(3, make_offer, "b")
    with CaptureQueriesContext(connection) as large:
        page = _page(client.get(f"{BASE}/work/"))
    assert page.count("Answer the referral of") == 4 and page.count("Ask BAPA") == 0
    assert len(large.captured_queries) == len(small.captured_queries)


# --- The API ---------------------------------------------------------------------------------


def test_the_api_returns_the_same_sections(tenant_db, token_client):
    referral = _overdue_referral()
    response = token_client(tenant_db["cpas_referent"]).get(f"{BASE}/api/v1/me/work/")
    assert response.status_code == 200
    body = response.json()
    assert [s["key"] for s in body["sections"]] == [
        "assigned_to_me",
        "referrals_to_answer",
        "transfers_to_answer",
        "referrals_sent",
        "programme_deadlines",
        "plan_conflicts",
        "new_notes",
        "actions_due",
        "offers_to_verify",
    ]
    to_answer = body["sections"][1]
    (line,) = to_answer["lines"]
    assert line["id"] == str(referral.public_id) and line["overdue"] is True
    assert line["url"] == f"{BASE}/referrals/{referral.public_id}/"
    assert body["count"] == 1 and to_answer["count"] == 1


def test_the_api_refuses_a_bad_since(tenant_db, token_client):
    response = token_client(tenant_db["cpas_referent"]).get(f"{BASE}/api/v1/me/work/?since=yesterday")
    assert response.status_code == 400
    assert "since" in response.json()["fields"]


def test_the_page_shows_the_first_lines_of_a_long_section_and_links_to_the_whole_list(
    tenant_db, login, client, monkeypatch
):
    monkeypatch.setattr("work.views.PAGE_LINES", 2)
    for name in ("Ada", "Bea", "Cem"):
        ReferralFactory(status="sent", person__given_name=name)
    login(tenant_db["cpas_referent"])
    section = _section(_page(client.get(f"{BASE}/work/")), "referrals_to_answer")
    assert section.count("Answer the referral of") == 2
    assert "See the whole list" in section
    assert (
        len(_work(tenant_db["cpas_referent"])["referrals_to_answer"]) == 3
    )  # the selector without a limit: every line


def test_the_api_lists_the_first_limit_lines_of_each_section_and_links_to_the_whole_list(tenant_db, token_client):
    for name in ("Ada", "Bea", "Cem"):
        ReferralFactory(status="sent", person__given_name=name)
    client = token_client(tenant_db["cpas_referent"])
    body = client.get(f"{BASE}/api/v1/me/work/?limit=2").json()
    to_answer = body["sections"][1]
    assert to_answer["count"] == 2 and len(to_answer["lines"]) == 2
    assert to_answer["more"] is True and to_answer["more_url"] == f"{BASE}/referrals/inbox/"
    everything = client.get(f"{BASE}/api/v1/me/work/").json()["sections"][1]  # 20 by default
    assert everything["count"] == 3 and everything["more"] is False and everything["more_url"] == ""


@pytest.mark.parametrize("limit", ["0", "201", "many", "-3"])
def test_the_api_refuses_a_bad_limit(tenant_db, token_client, limit):
    response = token_client(tenant_db["cpas_referent"]).get(f"{BASE}/api/v1/me/work/?limit={limit}")
    assert response.status_code == 400
    assert "limit" in response.json()["fields"]
