"""Referral pages: inbox and outbox, the referral page and its actions, the refer form, the
appointment slip in the person's language."""

import html
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from consent.models import Consent
from consent.services import withdraw_consent
from maillage import printed
from members.roles import Role
from referrals import slip_texts
from referrals.context_processors import _open_inbox_count
from referrals.models import Referral, ReferralStatus
from tests.conftest import Persona
from tests.factories import ConsentFactory, MembershipFactory, PersonFactory, ReferralFactory

BASE = "/c/schaerbeek"
BRUSSELS = ZoneInfo("Europe/Brussels")
REQUIRED = ["fr", "nl", "en", "ar", "prs", "ps", "ti", "uk", "ru", "es", "tr"]
RIGHT_TO_LEFT = {"ar", "prs", "ps"}
ALL_ACTIONS = [
    "send",
    "acknowledge",
    "accept",
    "decline",
    "propose",
    "accept-proposal",
    "decline-proposal",
    "start",
    "complete",
    "not-complete",
    "cancel",
]


@pytest.fixture(autouse=True)
def english(client):
    """The pages in English, so that assertions do not depend on the catalogues."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _page(response) -> str:
    return html.unescape(response.content.decode())


def _text(page: str) -> str:
    """The page without its tags (names and dates are isolated in <bdi>)."""
    return re.sub(r"<[^>]+>", "", page)


def _status(referral) -> str:
    with schema_context("schaerbeek"):
        return Referral.objects.get(pk=referral.pk).status


def _url(referral, suffix=""):
    return f"{BASE}/referrals/{referral.public_id}/{suffix}"


def _expire(referral):
    with schema_context("schaerbeek"):
        Consent.objects.filter(pk=referral.consent_id).update(
            given_at=timezone.now() - timedelta(days=400), expires_at=timezone.now() - timedelta(days=1)
        )


@pytest.fixture
def cpas_worker(tenant_db):
    """A social worker of the CPAS who is not one of its reference persons."""
    seat = MembershipFactory(user__email="cpas.worker@schaerbeek.test", organisation="cpas_referent", role=Role.WORKER)
    return Persona(seat.user, tenant_db.schaerbeek, seat.organisation.public_id, seat.public_id, Role.WORKER)


# --- Inbox and outbox ------------------------------------------------------------------


def test_inbox_lists_a_referral_with_the_given_name_only_before_acceptance(tenant_db, login, client):
    referral = ReferralFactory(status="sent", urgency="urgent")
    login(tenant_db["cpas_referent"])
    page = _page(client.get(f"{BASE}/referrals/inbox/"))
    assert _url(referral) in page
    assert "Samira" in page and "Darwish" not in page
    assert "VIA — BAPA Schaerbeek" in page
    assert "Housing" in page and "Urgent" in page and "Sent" in page
    with translation.override("en"):
        assert date_format(referral.response_due, "SHORT_DATE_FORMAT") in page


def test_inbox_shows_the_full_name_once_accepted(tenant_db, login, client):
    ReferralFactory(status="accepted")
    login(tenant_db["cpas_referent"])
    assert "Samira Darwish" in _page(client.get(f"{BASE}/referrals/inbox/"))


def test_inbox_row_says_when_the_consent_no_longer_covers_the_referral(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    _expire(referral)
    login(tenant_db["cpas_referent"])
    page = _page(client.get(f"{BASE}/referrals/inbox/"))
    assert "— consent no longer covers this referral" in page
    assert "Samira" not in page and "Darwish" not in page


def test_outbox_lists_drafts_and_sent_referrals_in_full(tenant_db, login, client):
    draft = ReferralFactory(status="draft", person__given_name="Dawit", person__family_name="Tesfay")
    sent = ReferralFactory(status="sent", person__given_name="Olena", person__family_name="Kovalenko")
    login(tenant_db["bapa_worker"])
    page = _page(client.get(f"{BASE}/referrals/outbox/"))
    assert _url(draft) in page and _url(sent) in page
    assert "Dawit Tesfay" in page and "Olena Kovalenko" in page
    assert "CPAS de Schaerbeek" in page


def test_inbox_holds_no_draft_and_the_outbox_no_received_referral(tenant_db, login, client):
    draft = ReferralFactory(status="draft")
    login(tenant_db["cpas_referent"])
    assert _url(draft) not in _page(client.get(f"{BASE}/referrals/inbox/"))
    sent = ReferralFactory(status="sent")
    assert _url(sent) not in _page(client.get(f"{BASE}/referrals/outbox/"))


def test_inbox_filters_by_status(tenant_db, login, client):
    sent = ReferralFactory(status="sent", person__given_name="Olena")
    accepted = ReferralFactory(status="accepted", person__given_name="Dawit")
    login(tenant_db["cpas_referent"])
    page = _page(client.get(f"{BASE}/referrals/inbox/?status=accepted"))
    assert _url(accepted) in page and _url(sent) not in page


def test_inbox_filters_by_need_domain(tenant_db, login, client):
    housing = ReferralFactory(status="sent", person__given_name="Olena")
    login(tenant_db["cpas_referent"])
    assert _url(housing) in _page(client.get(f"{BASE}/referrals/inbox/?domain=housing"))
    assert _url(housing) not in _page(client.get(f"{BASE}/referrals/inbox/?domain=legal_aid"))


def test_inbox_filters_and_highlights_overdue_referrals(tenant_db, login, client):
    late = ReferralFactory(status="sent", person__given_name="Olena")
    on_time = ReferralFactory(status="sent", person__given_name="Dawit")
    with schema_context("schaerbeek"):
        Referral.objects.filter(pk=late.pk).update(response_due=timezone.localdate() - timedelta(days=2))
    login(tenant_db["cpas_referent"])
    page = _page(client.get(f"{BASE}/referrals/inbox/?overdue=on"))
    assert _url(late) in page and _url(on_time) not in page
    assert "overdue" in page


def test_an_answered_referral_is_no_longer_overdue(tenant_db, login, client):
    accepted = ReferralFactory(status="accepted")
    with schema_context("schaerbeek"):
        Referral.objects.filter(pk=accepted.pk).update(response_due=timezone.localdate() - timedelta(days=2))
    login(tenant_db["cpas_referent"])
    assert _url(accepted) not in _page(client.get(f"{BASE}/referrals/inbox/?overdue=on"))


def test_inbox_costs_the_same_queries_for_one_or_many_referrals(tenant_db, login, client):
    ReferralFactory(status="sent")
    login(tenant_db["cpas_referent"])
    client.get(f"{BASE}/referrals/inbox/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"{BASE}/referrals/inbox/")
    for name in ("Olena", "Dawit", "Amina"):
        ReferralFactory(status="sent", person__given_name=name)
    with CaptureQueriesContext(connection) as four:
        client.get(f"{BASE}/referrals/inbox/")
    assert len(four) == len(one)


@pytest.mark.parametrize("persona", ["outsider", "observer"])
def test_other_organisations_see_nothing_in_their_boxes(tenant_db, login, client, persona):
    referral = ReferralFactory(status="sent")
    login(tenant_db[persona])
    for box in ("inbox", "outbox"):
        response = client.get(f"{BASE}/referrals/{box}/")
        assert response.status_code in (200, 403)
        assert _url(referral) not in _page(response)


# --- Counts in the navigation -----------------------------------------------------------


def test_navigation_counts_open_referrals_for_the_cpas_reference_person(tenant_db, login, client):
    ReferralFactory(status="sent")
    ReferralFactory(status="accepted")
    ReferralFactory(status="declined")
    login(tenant_db["cpas_referent"])
    page = _page(client.get(f"{BASE}/"))
    assert "Inbox (2)" in page and f"{BASE}/referrals/outbox/" in page


def test_navigation_count_of_the_sender_is_its_own_inbox(tenant_db, login, client):
    ReferralFactory(status="sent")
    login(tenant_db["bapa_worker"])
    assert "Inbox (0)" in _page(client.get(f"{BASE}/"))


def test_other_cpas_workers_see_the_inbox_without_a_count(tenant_db, login, client, cpas_worker):
    ReferralFactory(status="sent")
    login(cpas_worker)
    page = _page(client.get(f"{BASE}/"))
    assert f"{BASE}/referrals/inbox/" in page and "Inbox (" not in page


def test_observers_have_no_referral_links(tenant_db, login, client):
    login(tenant_db["observer"])
    assert f"{BASE}/referrals/inbox/" not in _page(client.get(f"{BASE}/"))


def test_the_count_is_one_query(tenant_db, django_assert_num_queries):
    ReferralFactory(status="sent")
    with schema_context("schaerbeek"):
        actor = tenant_db["cpas_referent"].actor()
        with django_assert_num_queries(1):
            assert _open_inbox_count(actor) == 1


# --- The referral page: who may do what ------------------------------------------------


def _offered(page: str, referral) -> set[str]:
    # Most actions are a form posted from the page; cancelling is a link to its confirmation step.
    return {
        action
        for action in ALL_ACTIONS
        if f'action="{_url(referral, action + "/")}"' in page or f'href="{_url(referral, action + "/")}"' in page
    }


@pytest.mark.parametrize(
    ("status", "persona", "expected"),
    [
        ("draft", "bapa_worker", {"send", "cancel"}),
        ("sent", "bapa_worker", {"cancel"}),
        ("sent", "coordinator", {"cancel"}),
        ("sent", "cpas_referent", {"acknowledge", "accept", "decline", "propose"}),
        ("received", "cpas_referent", {"accept", "decline", "propose"}),
        ("appointment_proposed", "cpas_referent", set()),
        ("appointment_proposed", "bapa_worker", {"accept-proposal", "decline-proposal", "cancel"}),
        ("accepted", "cpas_referent", {"start", "complete", "not-complete"}),
        ("accepted", "bapa_worker", {"cancel"}),
        ("in_progress", "cpas_referent", {"complete", "not-complete"}),
        ("completed", "cpas_referent", set()),
        ("completed", "bapa_worker", set()),
        ("declined", "bapa_worker", set()),
        ("sent", "volunteer", set()),
    ],
)
def test_the_page_offers_only_the_actions_allowed_now(tenant_db, login, client, status, persona, expected):
    referral = ReferralFactory(status=status)
    login(tenant_db[persona])
    response = client.get(_url(referral))
    if persona == "volunteer":  # another organisation: the referral is not there
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert _offered(_page(response), referral) == expected


def test_a_cpas_worker_who_is_not_a_reference_person_may_read_but_not_answer(tenant_db, login, client, cpas_worker):
    referral = ReferralFactory(status="sent")
    login(cpas_worker)
    response = client.get(_url(referral))
    assert response.status_code == 200
    assert _offered(_page(response), referral) == set()
    assert client.post(_url(referral, "accept/")).status_code == 403
    assert _status(referral) == "sent"


def test_the_timeline_names_who_moved_it_and_for_which_organisation(tenant_db, login, client):
    referral = ReferralFactory(status="accepted")
    login(tenant_db["bapa_worker"])
    page = _page(client.get(_url(referral)))
    timeline = page[page.index("Timeline") :]
    assert timeline.index("Draft") < timeline.index("Sent") < timeline.index("Accepted")
    assert "Sarah Bapa" in timeline and "(VIA — BAPA Schaerbeek)" in timeline
    assert "Marc Cpas" in timeline and "(CPAS de Schaerbeek)" in timeline


def test_opening_a_sent_referral_does_not_acknowledge_it(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    login(tenant_db["cpas_referent"])
    client.get(_url(referral))
    assert _status(referral) == "sent"


# --- Actions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "start", "persona", "data", "end"),
    [
        ("send", "draft", "bapa_worker", {}, "sent"),
        ("cancel", "sent", "bapa_worker", {"confirmed": "yes"}, "cancelled"),
        ("cancel", "draft", "bapa_worker", {"confirmed": "yes"}, "cancelled"),
        ("acknowledge", "sent", "cpas_referent", {}, "received"),
        ("accept", "received", "cpas_referent", {}, "accepted"),
        ("decline", "sent", "cpas_referent", {"decline-reason": "no_capacity", "decline-note": "Complet"}, "declined"),
        ("start", "accepted", "cpas_referent", {}, "in_progress"),
        ("complete", "in_progress", "cpas_referent", {"complete-outcome": "housing_found"}, "completed"),
        ("not-complete", "accepted", "cpas_referent", {"not-complete-reason": "did_not_come"}, "not_completed"),
    ],
)
def test_each_action_moves_the_referral_and_says_so(tenant_db, login, client, action, start, persona, data, end):
    referral = ReferralFactory(status=start)
    login(tenant_db[persona])
    response = client.post(_url(referral, f"{action}/"), data)
    assert response.status_code == 302 and response["Location"].endswith(_url(referral))
    assert _status(referral) == end
    page = _page(client.get(_url(referral)))
    assert 'class="message success"' in page


def test_decline_keeps_its_reason_and_note_for_the_sender(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    login(tenant_db["cpas_referent"])
    client.post(_url(referral, "decline/"), {"decline-reason": "not_eligible", "decline-note": "Hors commune"})
    login(tenant_db["bapa_worker"])
    page = _page(client.get(_url(referral)))
    assert "Not eligible" in page and "Hors commune" in page


def test_decline_without_a_reason_changes_nothing_and_asks_for_one(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    login(tenant_db["cpas_referent"])
    page = _page(client.post(_url(referral, "decline/"), {"decline-reason": ""}, follow=True))
    assert "Choose a reason." in page
    assert _status(referral) == "sent"


@pytest.mark.parametrize(
    ("action", "start", "persona"),
    [
        ("accept", "declined", "cpas_referent"),
        ("start", "sent", "cpas_referent"),
        ("acknowledge", "received", "cpas_referent"),
        ("send", "sent", "bapa_worker"),
        ("cancel", "completed", "bapa_worker"),
    ],
)
def test_an_action_in_the_wrong_state_shows_a_message_and_changes_nothing(
    tenant_db, login, client, action, start, persona
):
    referral = ReferralFactory(status=start)
    login(tenant_db[persona])
    page = _page(client.post(_url(referral, f"{action}/"), follow=True))
    assert 'class="message error"' in page and "cannot become" in page
    assert _status(referral) == start


@pytest.mark.parametrize(("action", "persona"), [("accept", "bapa_worker"), ("cancel", "cpas_referent")])
def test_an_action_of_the_other_side_is_forbidden(tenant_db, login, client, action, persona):
    referral = ReferralFactory(status="sent")
    login(tenant_db[persona])
    assert client.post(_url(referral, f"{action}/")).status_code == 403
    assert _status(referral) == "sent"


def test_sending_a_draft_whose_consent_does_not_cover_it_says_what_is_missing(tenant_db, login, client):
    referral = ReferralFactory(status="draft")
    with schema_context("schaerbeek"):
        Consent.objects.get(pk=referral.consent_id).domains.clear()
    login(tenant_db["bapa_worker"])
    page = _page(client.post(_url(referral, "send/"), follow=True))
    assert "The consent does not cover this referral" in page and "housing" in page
    assert _status(referral) == "draft"


def test_actions_are_post_only(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    login(tenant_db["cpas_referent"])
    assert client.get(_url(referral, "accept/")).status_code == 405
    assert _status(referral) == "sent"


# --- What each side sees -----------------------------------------------------------------


def test_before_acceptance_the_recipient_sees_a_preview(tenant_db, login, client):
    appointment = datetime(2027, 12, 13, 10, 30, tzinfo=BRUSSELS)
    referral = ReferralFactory(
        status="sent", appointment_at=appointment, appointment_place="Guichet 3", person__arabic=True
    )
    login(tenant_db["cpas_referent"])
    page = _page(client.get(_url(referral)))
    assert "Samira" in page and "Darwish" not in page
    assert "Housing" in page and "AR, FR" in page and "Guichet 3" in page
    # The consent shares the person's situation with the CPAS: why, and what is expected.
    assert "Expulsion annoncée" in page and "Un rendez-vous au service logement" in page
    assert f"{BASE}/persons/{referral.person.public_id}/" not in page


def test_after_acceptance_the_recipient_sees_the_person_and_the_reason(tenant_db, login, client):
    referral = ReferralFactory(status="accepted")
    login(tenant_db["cpas_referent"])
    page = _page(client.get(_url(referral)))
    assert "Samira Darwish" in page
    assert "Expulsion annoncée" in page and "Un rendez-vous au service logement" in page
    assert f"{BASE}/persons/{referral.person.public_id}/" in page


def test_the_sender_always_sees_its_own_file(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    _expire(referral)
    login(tenant_db["bapa_worker"])
    page = _page(client.get(_url(referral)))
    assert "Samira Darwish" in page and "Expulsion annoncée" in page


def test_when_the_consent_no_longer_covers_it_the_recipient_sees_no_person(tenant_db, login, client):
    referral = ReferralFactory(status="accepted")
    _expire(referral)
    login(tenant_db["cpas_referent"])
    page = _page(client.get(_url(referral)))
    assert "— consent no longer covers this referral" in page
    assert "Samira" not in page and "Expulsion annoncée" not in page


def test_reading_a_referral_is_audited_for_the_person(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    login(tenant_db["cpas_referent"])
    client.get(_url(referral))
    with schema_context("schaerbeek"):
        assert AuditEvent.objects.filter(action="referral.read", person_public_id=referral.person.public_id).exists()


# --- Isolation ------------------------------------------------------------------------------


def _referral_routes(referral, person):
    gets = [_url(referral), _url(referral, "slip/"), _url(referral, "slip/?lang=ar")]
    posts = [_url(referral, f"{action}/") for action in ALL_ACTIONS]
    return gets, posts, f"{BASE}/persons/{person.public_id}/refer/"


@pytest.mark.parametrize("persona", ["outsider", "foreigner", "volunteer", "observer"])
def test_every_referral_page_is_missing_for_others(tenant_db, login, client, persona):
    referral = ReferralFactory(status="sent")
    gets, posts, refer = _referral_routes(referral, referral.person)
    login(tenant_db[persona])
    for url in [*gets, refer]:
        assert client.get(url).status_code == 404, url
    for url in [*posts, refer]:
        assert client.post(url).status_code == 404, url
    assert _status(referral) == "sent"


def test_a_draft_is_missing_for_the_recipient(tenant_db, login, client):
    referral = ReferralFactory(status="draft")
    login(tenant_db["cpas_referent"])
    assert client.get(_url(referral)).status_code == 404
    assert client.get(_url(referral, "slip/")).status_code == 404
    assert client.post(_url(referral, "accept/")).status_code == 404


# --- The refer form -----------------------------------------------------------------------


def _refer_data(world, consent, **overrides):
    data = {
        "to_organisation": str(world["cpas_referent"].organisation_public_id),
        "domains": ["housing"],
        "reason": "Cherche un logement",
        "expectation": "Un rendez-vous",
        "urgency": "normal",
        "appointment_date": "2027-12-13",
        "appointment_time": "10:30",
        "appointment_place": "",
        "consent": str(consent.public_id) if consent else "",
        "send": "1",
    }
    data.update(overrides)
    return data


@pytest.fixture
def file(tenant_db):
    """A BAPA person with a consent to share with the CPAS about housing."""
    with schema_context("schaerbeek"):
        person = PersonFactory()
        consent = ConsentFactory(person=person)
    return person, consent


def test_the_person_page_links_to_the_refer_form(tenant_db, login, client, file):
    person, _ = file
    login(tenant_db["bapa_worker"])
    assert f"{BASE}/persons/{person.public_id}/refer/" in _page(client.get(f"{BASE}/persons/{person.public_id}/"))


def test_the_refer_form_offers_other_members_and_defaults_to_the_latest_consent(tenant_db, login, client, file):
    person, consent = file
    with schema_context("schaerbeek"):
        latest = ConsentFactory(person=person, domains=["housing", "legal_aid"])
    login(tenant_db["bapa_worker"])
    response = client.get(f"{BASE}/persons/{person.public_id}/refer/")
    page = _page(response)
    assert response.status_code == 200
    assert "CPAS de Schaerbeek" in page and "SESO" in page
    assert f'<option value="{tenant_db["bapa_worker"].organisation_public_id}"' not in page
    assert f'<option value="{latest.public_id}" selected>' in page
    assert f'<option value="{consent.public_id}">' in page


def test_a_withdrawn_consent_is_not_offered(tenant_db, login, client, file):
    person, consent = file
    with schema_context("schaerbeek"):
        withdraw_consent(actor=tenant_db["bapa_worker"].actor(), consent=consent, reason="La personne le demande")
    login(tenant_db["bapa_worker"])
    page = _page(client.get(f"{BASE}/persons/{person.public_id}/refer/"))
    assert str(consent.public_id) not in page and "no consent in force" in page


def test_referring_with_a_covering_consent_sends_it(tenant_db, login, client, file):
    person, consent = file
    login(tenant_db["bapa_worker"])
    response = client.post(f"{BASE}/persons/{person.public_id}/refer/", _refer_data(tenant_db, consent))
    assert response.status_code == 302
    with schema_context("schaerbeek"):
        referral = Referral.objects.get(person=person)
        assert referral.status == ReferralStatus.SENT and referral.response_due is not None
        assert timezone.localtime(referral.appointment_at).strftime("%Y-%m-%d %H:%M") == "2027-12-13 10:30"
    assert response["Location"].endswith(_url(referral))


def test_saving_as_draft_does_not_send(tenant_db, login, client, file):
    person, consent = file
    login(tenant_db["bapa_worker"])
    data = _refer_data(tenant_db, consent, draft="1")
    del data["send"]
    assert client.post(f"{BASE}/persons/{person.public_id}/refer/", data).status_code == 302
    with schema_context("schaerbeek"):
        assert Referral.objects.get(person=person).status == ReferralStatus.DRAFT


def test_referring_without_any_consent_says_one_is_needed(tenant_db, login, client):
    with schema_context("schaerbeek"):
        person = PersonFactory()
    login(tenant_db["bapa_worker"])
    assert "no consent in force" in _page(client.get(f"{BASE}/persons/{person.public_id}/refer/"))
    response = client.post(f"{BASE}/persons/{person.public_id}/refer/", _refer_data(tenant_db, None))
    assert response.status_code == 400
    assert "A referral needs the person's consent." in _page(response)
    with schema_context("schaerbeek"):
        assert not Referral.objects.filter(person=person).exists()


def test_referring_beyond_the_consent_says_what_is_missing_and_leaves_no_draft(tenant_db, login, client, file):
    person, consent = file
    login(tenant_db["bapa_worker"])
    data = _refer_data(
        tenant_db, consent, to_organisation=str(tenant_db["outsider"].organisation_public_id), domains=["legal_aid"]
    )
    response = client.post(f"{BASE}/persons/{person.public_id}/refer/", data)
    page = _page(response)
    assert response.status_code == 400
    assert "The consent does not cover this referral" in page
    assert "it does not name SESO" in page and "legal_aid" in page
    with schema_context("schaerbeek"):
        assert not Referral.objects.filter(person=person).exists()


def test_an_offer_of_another_organisation_is_refused(tenant_db, login, client, file, make_offer):
    person, consent = file
    foreign_offer = make_offer("Permanence juridique", organisation_name="SESO")
    login(tenant_db["bapa_worker"])
    data = _refer_data(tenant_db, consent, to_offer=str(foreign_offer.public_id))
    response = client.post(f"{BASE}/persons/{person.public_id}/refer/", data)
    assert response.status_code == 400
    assert "This offer belongs to another organisation." in _page(response)


def test_an_appointment_needs_both_date_and_time(tenant_db, login, client, file):
    person, consent = file
    login(tenant_db["bapa_worker"])
    response = client.post(
        f"{BASE}/persons/{person.public_id}/refer/", _refer_data(tenant_db, consent, appointment_time="")
    )
    assert response.status_code == 400
    assert "Give both the date and the time of the appointment, or neither." in _page(response)


def test_an_organisation_that_only_sees_the_file_may_not_refer_the_person(tenant_db, login, client, file):
    person, _ = file
    login(tenant_db["cpas_referent"])
    assert client.get(f"{BASE}/persons/{person.public_id}/refer/").status_code == 403


# --- The appointment slip ---------------------------------------------------------------


@pytest.fixture
def slip(tenant_db, make_offer):
    """An accepted referral to the CPAS's housing offer, appointment on Monday 13 December 2027."""
    offer = make_offer("Aide au logement")
    return ReferralFactory(
        status="accepted",
        person__arabic=True,
        to_offer=offer,
        appointment_at=datetime(2027, 12, 13, 10, 30, tzinfo=BRUSSELS),
    )


def test_the_slip_is_offered_in_the_eleven_languages_in_order():
    assert [code for code, _ in slip_texts.languages()] == REQUIRED


def test_the_referral_page_offers_the_slip_in_each_language_named_in_itself(tenant_db, login, client, slip):
    login(tenant_db["bapa_worker"])
    page = _page(client.get(_url(slip)))
    assert '<option value="ar" lang="ar" selected>العربية</option>' in page  # the person's language
    assert '<option value="prs" lang="prs">دری</option>' in page
    assert '<option value="uk" lang="uk">українська</option>' in page


def test_the_slip_prints_in_every_language_of_the_slip(tenant_db, login, client, slip):
    login(tenant_db["bapa_worker"])
    for lang in REQUIRED:
        page = _page(client.get(_url(slip, f"slip/?lang={lang}")))
        assert f'<html lang="{lang}" dir="{"rtl" if lang in RIGHT_TO_LEFT else "ltr"}">' in page, lang
        assert slip_texts.slip_texts(lang)[0]["title"] in page, lang
        assert 'class="notice"' not in page, lang


@pytest.mark.parametrize(
    ("lang", "direction", "sentences"),
    [
        ("fr", "ltr", ["Votre rendez-vous", "lundi 13 décembre 2027 à 10:30", "Votre carte d'identité"]),
        ("nl", "ltr", ["Uw afspraak", "maandag 13 december 2027 om 10:30", "Uw identiteitskaart"]),
        ("ar", "rtl", ["موعدك", "الاثنين 13/12/2027، الساعة 10:30", "بطاقة هويتك أو بطاقة إقامتك."]),
        ("uk", "ltr", ["Ваша зустріч", "понеділок, 13/12/2027, о 10:30", "Посвідчення особи"]),
    ],
)
def test_the_slip_prints_in_the_asked_language(tenant_db, login, client, slip, lang, direction, sentences):
    login(tenant_db["bapa_worker"])
    response = client.get(_url(slip, f"slip/?lang={lang}"))
    page = _page(response)
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in page
    for sentence in sentences:
        assert sentence in _text(page), sentence
    assert "Rue Royale Sainte-Marie 1, 1030 Schaerbeek" in page
    assert "09:00–12:00" in page and printed.weekday_name(1, lang) in page
    assert "Marc Cpas" in page  # accepted: whom to ask for
    assert 'class="notice"' not in page


def test_the_slip_defaults_to_the_persons_preferred_language(tenant_db, login, client, slip):
    login(tenant_db["bapa_worker"])
    assert '<html lang="ar" dir="rtl">' in _page(client.get(_url(slip, "slip/")))


def test_a_slip_in_a_language_without_text_is_french_and_says_so(tenant_db, login, client, slip):
    login(tenant_db["bapa_worker"])
    page = _page(client.get(_url(slip, "slip/?lang=so")))
    assert '<html lang="fr" dir="ltr">' in page
    assert 'class="notice"' in page and "somali" in page.lower()
    assert "Votre rendez-vous" in page


def test_without_appointment_the_slip_says_to_go_during_opening_hours(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    login(tenant_db["bapa_worker"])
    page = _page(client.get(_url(referral, "slip/?lang=en")))
    assert "No time has been set yet." in page
    assert "Phone to know the opening hours." in page
    assert "Ask for" not in page  # nobody handles it yet


def test_the_recipient_prints_a_slip_with_the_given_name_only_before_acceptance(tenant_db, login, client):
    referral = ReferralFactory(status="sent")
    login(tenant_db["cpas_referent"])
    page = _page(client.get(_url(referral, "slip/?lang=en")))
    assert "Samira" in page and "Darwish" not in page


def test_a_recipient_the_consent_no_longer_covers_may_not_print_the_slip(tenant_db, login, client):
    referral = ReferralFactory(status="accepted")
    _expire(referral)
    login(tenant_db["cpas_referent"])
    assert client.get(_url(referral, "slip/")).status_code == 403


def test_printing_the_slip_is_audited_for_the_person(tenant_db, login, client, slip):
    login(tenant_db["cpas_referent"])
    client.get(_url(slip, "slip/?lang=ti"))
    with schema_context("schaerbeek"):
        event = AuditEvent.objects.get(action="referral.slip_printed")
    assert event.person_public_id == slip.person.public_id
    assert event.object_public_id == slip.public_id
    assert event.detail == {"language": "ti", "fell_back": False}


def test_slip_names_are_escaped(tenant_db, login, client):
    referral = ReferralFactory(status="sent", appointment_place="<script>x</script>")
    login(tenant_db["bapa_worker"])
    assert "<script>x</script>" not in client.get(_url(referral, "slip/")).content.decode()
