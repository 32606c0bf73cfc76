"""The key journey, once, in a real browser (Debian's chromium driven by Playwright).

A BAPA worker opens a file, records the person's consent and refers them to the CPAS;
the CPAS reference person finds the referral in the shared inbox, accepts it and adds a
note; the BAPA worker sees the acceptance and the note. A second journey refers a person
from a search result in the directory. The server is a real process on
the test database; the journey has its own coordination, committed, so it shares nothing
with the other tests' rolled-back data.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from maillage.actor import Actor
from members.provisioning import CommuneInput, provision_coordination
from members.roles import Role
from members.services import add_member
from tenants.models import Coordination, User

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "journey-password-2026"
CHROMIUM = os.environ.get("MAILLAGE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Debian's chromium is not installed (make test installs it)"
)


def test_the_journey_runs_on_the_test_database(db):
    """pytest-django creates the test database only for sessions where a test asks for it
    (this one does): without it, run alone, this module would write to the real database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        assert cursor.fetchone()[0].startswith("test_")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def journey(world, django_db_blocker):
    """A coordination with a BAPA worker and a CPAS reference person, both with TOTP."""
    with django_db_blocker.unblock():
        coordination = Coordination.objects.filter(slug="journey").first() or provision_coordination(
            actor=Actor.system(),
            name="Journey",
            slug="journey",
            region="brussels",
            communes=[CommuneInput("Ixelles", "21009")],
            lead_organisation_name="BAPA Journey",
            lead_organisation_kind="bapa",
            coordinator_email="coordinator@journey.test",
            coordinator_password=PASSWORD,
        )
        people = {}
        with schema_context("journey"):
            from directory.models import Organisation
            from directory.services import create_organisation

            system = Actor.system(coordination)
            bapa = Organisation.objects.get(name="BAPA Journey")
            cpas = Organisation.objects.filter(name="CPAS Journey").first() or create_organisation(
                actor=system, name="CPAS Journey", kind="cpas"
            )
            for key, email, organisation, role in (
                ("bapa", "worker@journey.test", bapa, Role.WORKER),
                ("cpas", "referent@journey.test", cpas, Role.CPAS_REFERENT),
            ):
                user = User.objects.filter(email=email).first() or User.objects.create_user(
                    email, password=PASSWORD, full_name=key.upper() + " Journey"
                )
                device, _ = TOTPDevice.objects.get_or_create(user=user, name="journey", defaults={"confirmed": True})
                from members.models import Membership

                if not Membership.objects.filter(user=user, is_active=True).exists():
                    add_member(actor=system, user=user, organisation=organisation, role=role)
                people[key] = (email, _verified_session(user, device))
    return people


def _verified_session(user, device) -> str:
    """A signed-in session with the second factor verified, as the sign-in pages leave it
    (they are tested on their own in tests/tenants/test_sign_in.py)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return session.session_key


@pytest.fixture(scope="module")
def server(journey):
    db = connection.settings_dict
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MAILLAGE_SITE_URL": f"http://127.0.0.1:{port}",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "EMAIL_URL": "dummymail://",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def regional(world, django_db_blocker):
    """This month's indicators and a regional administrator's session, prepared before the
    browser starts (Playwright's loop makes the main thread an async context for Django)."""
    from django.test import Client
    from django.utils import timezone

    from regions.indicators import compute, parse_period

    with django_db_blocker.unblock():
        now = timezone.now()
        label = f"{now.year}-{now.month:02d}"
        compute(parse_period(label))
        client = Client()
        client.force_login(world["regional_admin"].user, backend="django.contrib.auth.backends.ModelBackend")
        return label, client.session.session_key


@pytest.fixture(scope="module")
def running(journey, django_db_blocker):
    """The journey coordination run by its coordinator: a published charter adopted by its
    two organisations, a past meeting with minutes and an action, an objective. Returns the
    coordinator's verified session and the pages to check."""
    from datetime import timedelta

    from django.utils import timezone

    from charter import services as charter
    from charter.policies import join_token
    from directory.models import Organisation
    from meetings import services as meetings

    with django_db_blocker.unblock():
        coordination = Coordination.objects.get(slug="journey")
        user = User.objects.get(email="coordinator@journey.test")
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="journey", defaults={"confirmed": True})
        with schema_context("journey"):
            from members.models import Membership

            membership = Membership.objects.get(user=user, is_active=True)
            actor = Actor(
                user=user, membership=membership, organisation=membership.organisation, coordination=coordination
            )
            bapa, cpas = Organisation.objects.get(name="BAPA Journey"), Organisation.objects.get(name="CPAS Journey")
            meeting = meetings.create_meeting(
                actor=actor,
                data=meetings.MeetingInput(
                    title="Réunion de coordination",
                    starts_at=timezone.now() - timedelta(days=7),
                    ends_at=timezone.now() - timedelta(days=7) + timedelta(hours=2),
                    place="Maison communale",
                    agenda=["Tour de table", "Permanences CPAS"],
                    minutes="Le CPAS présente sa personne de référence.",
                    decisions=["Une permanence par mois au BAPA"],
                    attendance={str(bapa.public_id): "present", str(cpas.public_id): "excused"},
                ),
            )
            meetings.create_action(
                actor=actor,
                data=meetings.ActionInput(
                    what="Planifier la permanence",
                    owner=cpas.public_id,
                    due_on=timezone.localdate() + timedelta(days=10),
                    meeting=meeting.public_id,
                ),
            )
            meetings.create_objective(
                actor=actor, data=meetings.ObjectiveInput(need_domain="housing", title="Logement en trois mois")
            )
            draft = charter.create_charter_draft(
                actor=actor,
                data=charter.CharterInput(
                    title="Charte",
                    purposes="Orienter les personnes avec leur accord.",
                    secrecy_rules="Secret professionnel partagé, limité au nécessaire.",
                    retention="Deux ans après la clôture.",
                    data_protection_contact="dpo@journey.test",
                ),
            )
            charter.publish_charter(actor=actor, version=draft)
            # Both organisations adopt it, so that the journey's referral goes through.
            charter.adopt_charter(actor=actor, representative="Direction du BAPA")
            referent = Membership.objects.get(user__email="referent@journey.test", is_active=True)
            charter.adopt_charter(
                actor=Actor(user=referent.user, membership=referent, organisation=cpas, coordination=coordination),
                representative="Présidence du CPAS",
            )
        pages = [
            "/c/journey/network/",
            "/c/journey/meetings/",
            f"/c/journey/meetings/{meeting.public_id}/",
            f"/c/journey/meetings/{meeting.public_id}/minutes/",
            "/c/journey/meetings/actions/",
            "/c/journey/meetings/plan/",
            "/c/journey/meetings/feed/",
            "/c/journey/charter/",
            "/c/journey/membership-requests/",
            "/c/journey/digest/",
            "/c/journey/indicators/",
        ]
        return _verified_session(user, device), pages, f"/c/journey/join/{join_token(coordination, 0)}/"


@pytest.fixture(scope="module")
def referable(journey, django_db_blocker):
    """An offer of the CPAS ("Permanence logement Journey", housing) and Yusuf Karimi's
    file at the BAPA, with a consent to share with the CPAS about housing."""
    from directory.models import Organisation
    from directory.services import OfferInput, create_offer
    from members.models import Membership
    from tests.factories import ConsentFactory, PersonFactory

    with django_db_blocker.unblock():
        coordination = Coordination.objects.get(slug="journey")
        with schema_context("journey"):
            cpas = Organisation.objects.get(name="CPAS Journey")
            offer = cpas.offers.filter(title="Permanence logement Journey").first() or create_offer(
                actor=Actor.system(coordination),
                organisation=cpas,
                data=OfferInput("Permanence logement Journey", "housing", title_nl="Woonpermanentie Journey"),
            )
            worker = Membership.objects.get(user__email="worker@journey.test", is_active=True)
            actor = Actor(
                user=worker.user, membership=worker, organisation=worker.organisation, coordination=coordination
            )
            person = PersonFactory(actor=actor, given_name="Yusuf", family_name="Karimi")
            ConsentFactory(actor=actor, person=person, recipients=[cpas.public_id], domains=["housing"])
        return offer, cpas


@pytest.fixture(scope="module")
def workday(journey, django_db_blocker):
    """The worker's day, prepared before the browser starts: Amina's file at the BAPA with
    her consent and an urgent referral sent to the CPAS; Olena's file, to be closed; a
    second CPAS reference person to hand the referral over to."""
    from consent.services import ConsentInput, record_consent
    from directory.models import Organisation
    from members.models import Membership
    from persons.services import PersonInput, create_person
    from referrals.services import ReferralInput, refer_person

    with django_db_blocker.unblock():
        coordination = Coordination.objects.get(slug="journey")
        with schema_context("journey"):
            worker = Membership.objects.select_related("organisation", "user").get(
                user__email="worker@journey.test", is_active=True
            )
            actor = Actor(
                user=worker.user, membership=worker, organisation=worker.organisation, coordination=coordination
            )
            cpas = Organisation.objects.get(name="CPAS Journey")
            colleague = User.objects.filter(email="referent2@journey.test").first() or User.objects.create_user(
                "referent2@journey.test", password=PASSWORD, full_name="Nadia Journey"
            )
            if not Membership.objects.filter(user=colleague, is_active=True).exists():
                add_member(actor=Actor.system(coordination), user=colleague, organisation=cpas, role=Role.CPAS_REFERENT)
            amina = create_person(actor=actor, data=PersonInput("Amina", "Youssef", birth_year=1991))
            record_consent(
                actor=actor,
                person=amina,
                data=ConsentInput(
                    recipients=[cpas.public_id],
                    domains=["housing"],
                    categories=["identity", "situation", "case_notes"],
                    purpose="Recherche de logement avec le CPAS",
                    method="oral_witnessed",
                    witness_name="Collègue de l'accueil",
                    explanation_language="ar",
                ),
            )
            referral = refer_person(
                actor=actor,
                send=True,
                data=ReferralInput(
                    person=amina,
                    to_organisation=cpas,
                    domains=["housing"],
                    reason="Expulsion annoncée, cherche un logement",
                    urgency="urgent",
                ),
            )
            olena = create_person(actor=actor, data=PersonInput("Olena", "Kovalenko", birth_year=1985))
        return {
            "amina": f"/c/journey/persons/{amina.public_id}/",
            "olena": f"/c/journey/persons/{olena.public_id}/",
            "referral": f"/c/journey/referrals/{referral.public_id}/",
            "reference": referral.reference,
        }


@pytest.fixture(scope="module")
def moving(journey, django_db_blocker):
    """A family followed by the journey's BAPA that moves to Namur: a second coordination
    with a CRI and its worker (TOTP), and Karim's file whose consent names that CRI."""
    from consent.services import ConsentInput, record_consent
    from directory.models import Organisation
    from members.models import Membership
    from persons.services import PersonInput, create_person

    with django_db_blocker.unblock():
        arrival = Coordination.objects.filter(slug="arrival").first() or provision_coordination(
            actor=Actor.system(),
            name="Arrival",
            slug="arrival",
            region="wallonia",
            communes=[CommuneInput("Namur", "92094")],
            lead_organisation_name="CRI Arrival",
            lead_organisation_kind="cri",
            coordinator_email="coordinator@arrival.test",
            coordinator_password=PASSWORD,
        )
        with schema_context("arrival"):
            cri = Organisation.objects.get(name="CRI Arrival")
            user = User.objects.filter(email="worker@arrival.test").first() or User.objects.create_user(
                "worker@arrival.test", password=PASSWORD, full_name="CRI Arrival"
            )
            device, _ = TOTPDevice.objects.get_or_create(user=user, name="journey", defaults={"confirmed": True})
            if not Membership.objects.filter(user=user, is_active=True).exists():
                add_member(actor=Actor.system(arrival), user=user, organisation=cri, role=Role.WORKER)
            session = _verified_session(user, device)
        coordination = Coordination.objects.get(slug="journey")
        with schema_context("journey"):
            worker = Membership.objects.select_related("organisation", "user").get(
                user__email="worker@journey.test", is_active=True
            )
            actor = Actor(
                user=worker.user, membership=worker, organisation=worker.organisation, coordination=coordination
            )
            karim = create_person(actor=actor, data=PersonInput("Karim", "Benali", birth_year=1988))
            record_consent(
                actor=actor,
                person=karim,
                data=ConsentInput(
                    recipients=[],
                    recipients_elsewhere=[f"arrival/{cri.public_id}"],
                    domains=["housing"],
                    categories=["identity", "situation"],
                    purpose="Déménagement à Namur",
                    method="oral_witnessed",
                    witness_name="Collègue de l'accueil",
                    explanation_language="fr",
                ),
            )
        return {"karim": f"/c/journey/persons/{karim.public_id}/", "session": session}


@pytest.fixture(scope="module")
def browser(regional, running, referable, workday, moving):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def _signed_in(browser, base, session_key):
    context = browser.new_context(locale="en-GB")
    context.add_cookies([{"name": "sessionid", "value": session_key, "url": base}])
    return context.new_page()


def test_refer_accept_and_note_in_a_real_browser(journey, server, browser, django_db_blocker):
    _bapa_email, bapa_session = journey["bapa"]
    _cpas_email, cpas_session = journey["cpas"]
    with django_db_blocker.unblock():
        # BAPA worker: open the file.
        page = _signed_in(browser, server, bapa_session)
        page.goto(f"{server}/c/journey/persons/new/")
        page.fill("input[name=given_name]", "Samira")
        page.fill("input[name=family_name]", "Darwish")
        page.click("main form button[type=submit]")
        page.wait_for_url("**/c/journey/persons/*/")
        person_url = page.url

        # Record the consent: the CPAS, housing, identity, situation and case notes.
        page.click("a[href$='/consents/new/']")
        page.check("input[name=recipients] >> nth=0")
        page.check("input[name=domains][value=housing]")
        for category in ("identity", "situation", "case_notes"):
            page.check(f"input[name=categories][value={category}]")
        page.fill("textarea[name=purpose]", "Recherche de logement avec le CPAS")
        page.check("input[name=method][value=oral_witnessed]")
        page.fill("input[name=witness_name]", "Collègue de l'accueil")
        page.select_option("select[name=explanation_language]", "ar")
        page.click("main form button:not([formaction])")
        page.wait_for_url(person_url)

        # Refer to the CPAS, sent at once.
        page.click("a[href$='/refer/']")
        page.select_option("select[name=to_organisation]", label="CPAS Journey")
        page.check("input[name=domains][value=housing]")
        page.fill("textarea[name=reason]", "Recherche de logement, premier loyer")
        page.click("button[name=send]")
        page.wait_for_url("**/c/journey/referrals/*/")
        referral_url = page.url
        assert "Sent" in page.inner_text("main")
        bapa = page

        # CPAS reference person: the shared inbox, accept, a note.
        page = _signed_in(browser, server, cpas_session)
        page.goto(f"{server}/c/journey/referrals/inbox/")
        page.click(f"a[href$='{referral_url.split(server)[1]}']")
        page.click("form[action$='/accept/'] button")
        page.wait_for_url(referral_url)
        page.select_option("select[name=domain]", "housing")
        page.fill("textarea[name=text]", "Rendez-vous fixé mardi à 10 h avec l'assistante sociale.")
        page.click("form[action$='/notes/'] button")
        page.wait_for_url(referral_url)

        # BAPA worker, still signed in: the acceptance and the note.
        bapa.reload()
        text = bapa.inner_text("main")
        assert "Accept" in text
        assert "Rendez-vous fixé mardi à 10 h" in text

        # BAPA worker: the support plan, a review with the CPAS, its decision.
        bapa.goto(f"{person_url}plan/")
        bapa.click("form[action$='/plan/start/'] button")
        bapa.wait_for_url(f"{person_url}plan/")
        bapa.click("a[href$='/plan/reviews/new/']")
        bapa.fill("input[name=held_on]", date.today().isoformat())
        bapa.check("input[name=participants] >> nth=0")
        bapa.check("input[name=participants] >> nth=1")
        bapa.fill("textarea[name=decisions]", "Le CPAS propose un rendez-vous logement.")
        bapa.click("main form button[type=submit]")
        bapa.wait_for_url(f"{person_url}plan/")
        assert "Le CPAS propose un rendez-vous logement." in bapa.inner_text("main")


def test_refer_a_person_from_a_search_result_in_a_real_browser(journey, referable, server, browser, django_db_blocker):
    offer, cpas = referable
    _bapa_email, bapa_session = journey["bapa"]
    with django_db_blocker.unblock():
        page = _signed_in(browser, server, bapa_session)
        page.goto(f"{server}/c/journey/directory/")
        page.fill("input[name=q]", "permanence logement")
        page.press("input[name=q]", "Enter")
        page.wait_for_url("**/c/journey/directory/?*")
        result = page.locator("article.offer", has_text="Permanence logement Journey")
        result.get_by_role("link", name="Refer a person to this offer").click()
        page.wait_for_url(f"**/c/journey/referrals/refer-to/{offer.public_id}/")

        # The person, found by name among the BAPA's files.
        page.fill("input[name=q]", "Karimi")
        page.press("input[name=q]", "Enter")
        page.get_by_role("link", name="Refer Yusuf Karimi").click()
        page.wait_for_url(f"**/refer/?offer={offer.public_id}")

        # The form opens with the organisation, the offer and its need domain chosen.
        assert page.input_value("select[name=to_organisation]") == str(cpas.public_id)
        assert page.input_value("select[name=to_offer]") == str(offer.public_id)
        assert page.is_checked("input[name=domains][value=housing]")
        # The offers can be filtered by typing; the native select stays.
        page.get_by_label("Find an offer").fill("zzz-nothing")
        assert "Offers shown: 0" in page.inner_text("[role=status]#id_to_offer_filter_status")
        page.get_by_label("Find an offer").fill("logement journ")
        assert "Offers shown: 1" in page.inner_text("#id_to_offer_filter_status")

        page.fill("textarea[name=reason]", "Cherche un logement, vu dans l'annuaire")
        page.click("button[name=send]")
        page.wait_for_url("**/c/journey/referrals/*/")
        text = page.inner_text("main")
        assert "Sent" in text and "CPAS Journey" in text


def test_pages_have_no_serious_accessibility_violations(journey, referable, server, browser, django_db_blocker):
    """axe-core in the real browser on the pages a worker uses (after the journey above):
    no moderate, serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    _bapa_email, bapa_session = journey["bapa"]
    pages = [
        "/",
        "/accounts/",
        "/c/journey/",
        "/c/journey/members/",
        "/c/journey/directory/",
        "/c/journey/directory/organisations/",
        "/c/journey/persons/",
        "/c/journey/persons/new/",
        "/c/journey/referrals/outbox/",
        "/c/journey/notifications/",
        f"/c/journey/directory/offers/{referable[0].public_id}/",
        f"/c/journey/referrals/refer-to/{referable[0].public_id}/",
    ]
    with django_db_blocker.unblock():
        page = _signed_in(browser, server, bapa_session)
        page.goto(f"{server}/c/journey/persons/")
        person_links = page.eval_on_selector_all(
            "main a[href*='/persons/']", "els => els.map(e => e.getAttribute('href'))"
        )
        page.goto(f"{server}/c/journey/referrals/outbox/")
        referral_links = page.eval_on_selector_all(
            "main a[href*='/referrals/']", "els => els.map(e => e.getAttribute('href'))"
        )
        pages += [link for link in person_links if link.count("/") == 5][:1]
        # The person's support plan (started by the journey) and its review form.
        pages += [f"{link}{suffix}" for link in pages[-1:] for suffix in ("plan/", "plan/reviews/new/")]
        pages += [link for link in referral_links if link.count("/") == 5][:1]
        found = []
        for path in pages:
            page.goto(f"{server}{path}")
            results = axe.run(page)
            for violation in results.response["violations"]:
                if violation["impact"] in ("moderate", "serious", "critical"):
                    found.append(f"{path}: {violation['id']} ({violation['impact']}) {violation['help']}")
    assert found == []


def test_regional_dashboard_has_no_serious_accessibility_violations(regional, server, browser, django_db_blocker):
    """The regional comparison page (tables and SVG charts) under axe-core."""
    from axe_playwright_python.sync_playwright import Axe

    label, session_key = regional
    with django_db_blocker.unblock():
        page = _signed_in(browser, server, session_key)
        page.goto(f"{server}/region/brussels/?period={label}")
        # The charts and full tables load when their <details> opens: open each, by keyboard.
        parts = page.locator("details[data-part-url]")
        assert parts.count() >= 1
        for index in range(parts.count()):
            parts.nth(index).locator("summary").focus()
            page.keyboard.press("Enter")
        for index in range(parts.count()):
            # Loaded: the fallback link to the part's own page is replaced by the part.
            parts.nth(index).locator(".part-body a[href*='part/']").wait_for(state="detached")
        assert page.locator("svg title").count() >= 1
        results = Axe().run(page)
    found = [
        f"{v['id']} ({v['impact']}) {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("moderate", "serious", "critical")
    ]
    assert found == []


def test_coordination_pages_have_no_serious_accessibility_violations(running, server, browser, django_db_blocker):
    """The pages that run a coordination (network map, meetings, minutes, action plan,
    charter, requests, digest setting) under axe-core, and the join page without an account."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    session_key, pages, join_link = running
    found = []
    with django_db_blocker.unblock():
        page = _signed_in(browser, server, session_key)
        for path in pages:
            response = page.goto(f"{server}{path}")
            assert response.status == 200, path
            for violation in axe.run(page).response["violations"]:
                if violation["impact"] in ("moderate", "serious", "critical"):
                    found.append(f"{path}: {violation['id']} ({violation['impact']}) {violation['help']}")
        anonymous = browser.new_context(locale="fr-BE").new_page()
        assert anonymous.goto(f"{server}{join_link}").status == 200
        for violation in axe.run(anonymous).response["violations"]:
            if violation["impact"] in ("moderate", "serious", "critical"):
                found.append(f"join: {violation['id']} ({violation['impact']}) {violation['help']}")
    assert found == []


def test_on_a_phone_the_content_is_on_the_first_screen_and_the_menu_opens_by_keyboard(
    journey, server, browser, django_db_blocker
):
    """At 390×844 the page's heading shows without scrolling, the menu folds behind a
    disclosure button that opens and closes from the keyboard, axe-core finds nothing
    moderate or worse on the frame (menu open), and without JavaScript the menu stays open."""
    from axe_playwright_python.sync_playwright import Axe

    _bapa_email, bapa_session = journey["bapa"]
    phone = {"width": 390, "height": 844}
    with django_db_blocker.unblock():
        context = browser.new_context(locale="en-GB", viewport=phone)
        context.add_cookies([{"name": "sessionid", "value": bapa_session, "url": server}])
        page = context.new_page()
        page.goto(f"{server}/c/journey/work/")
        heading = page.locator("main h1").bounding_box()
        assert heading["y"] + heading["height"] <= phone["height"]
        toggle = page.locator("button.menu-toggle")
        assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
        assert not page.locator("#site-menu").is_visible()

        toggle.focus()
        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-expanded") == "true"
        persons = page.locator("#site-menu a[href='/c/journey/persons/']")
        assert persons.is_visible()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('#site-menu') !== null")
        found = [
            f"{v['id']} ({v['impact']}) {v['help']}"
            for v in Axe().run(page).response["violations"]
            if v["impact"] in ("moderate", "serious", "critical")
        ]
        page.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert page.evaluate("document.activeElement.classList.contains('menu-toggle')")
        page.keyboard.press("Space")
        assert toggle.get_attribute("aria-expanded") == "true"

        # A page of tables: nothing wider than the screen, each table within its own frame.
        page.goto(f"{server}/c/journey/referrals/outbox/")
        assert page.evaluate("document.documentElement.scrollWidth") <= phone["width"]
        found += [
            f"outbox: {v['id']} ({v['impact']}) {v['help']}"
            for v in Axe().run(page).response["violations"]
            if v["impact"] in ("moderate", "serious", "critical")
        ]
        context.close()

        plain = browser.new_context(locale="en-GB", viewport=phone, java_script_enabled=False)
        plain.add_cookies([{"name": "sessionid", "value": bapa_session, "url": server}])
        page = plain.new_page()
        page.goto(f"{server}/c/journey/work/")
        assert not page.locator("button.menu-toggle").is_visible()
        assert page.locator("#site-menu a[href='/c/journey/persons/']").is_visible()
        plain.close()
    assert found == []


PHONE = {"width": 390, "height": 844}


def _on_a_phone(browser, base, session_key):
    context = browser.new_context(locale="en-GB", viewport=PHONE, device_scale_factor=2, is_mobile=True)
    context.add_cookies([{"name": "sessionid", "value": session_key, "url": base}])
    return context.new_page()


def _serious(axe, page, label: str) -> list[str]:
    return [
        f"{label}: {v['id']} ({v['impact']}) {v['help']}"
        for v in axe.run(page).response["violations"]
        if v["impact"] in ("moderate", "serious", "critical")
    ]


def _fits_the_first_screen(page, selector: str) -> None:
    """The element is on the first screen of a 390×844 phone, and nothing scrolls sideways."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    assert box["y"] >= 0 and box["y"] + min(box["height"], 120) <= PHONE["height"], (selector, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], selector


def test_the_workers_day_on_a_phone(journey, workday, server, browser, django_db_blocker):
    """My work, taking a referral in the shared inbox and handing it over, the person's
    timeline and closing a file with its confirmation step, at 390×844, under axe-core."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found: list[str] = []
    _cpas_email, cpas_session = journey["cpas"]
    _bapa_email, bapa_session = journey["bapa"]
    referral, reference = workday["referral"], workday["reference"]
    with django_db_blocker.unblock():
        # The CPAS reference person's morning: the urgent referral to answer.
        page = _on_a_phone(browser, server, cpas_session)
        page.goto(f"{server}/c/journey/work/")
        _fits_the_first_screen(page, "main h1")
        _fits_the_first_screen(page, "main .work-section")
        to_answer = page.inner_text("#referrals_to_answer")
        assert "Answer the referral of Amina" in to_answer and "Urgent" in to_answer
        found += _serious(axe, page, "my work")

        # The shared inbox: take it.
        page.goto(f"{server}/c/journey/referrals/inbox/")
        row = page.locator("tr", has_text=reference)
        row.locator("button", has_text="Take it").click()
        page.wait_for_url("**/c/journey/referrals/inbox/")
        assert row.locator(".taken-by").inner_text().startswith("you")
        found += _serious(axe, page, "inbox")

        # My work lists it under "Assigned to you", once.
        page.goto(f"{server}/c/journey/work/")
        assert "Answer the referral of Amina" in page.inner_text("#assigned_to_me")
        assert "Amina" not in page.inner_text("#referrals_to_answer")
        _fits_the_first_screen(page, "#assigned_to_me")
        found += _serious(axe, page, "my work, assigned")

        # The referral says who has it; hand it over to a colleague.
        page.goto(f"{server}{referral}")
        _fits_the_first_screen(page, ".assignment")
        assert "Assigned to you" in page.inner_text(".assignment")
        found += _serious(axe, page, "referral")
        page.click(".assignment a[href$='/hand-over/']")
        _fits_the_first_screen(page, "main form button[type=submit]")
        found += _serious(axe, page, "hand over")
        page.select_option("select[name=member]", label="Nadia Journey")
        page.click("main form button[type=submit]")
        page.wait_for_url(f"**{referral}")
        assert "Assigned to Nadia Journey" in page.inner_text(".assignment")

        # The BAPA worker: Amina's file as one timeline, the referral on it.
        page = _on_a_phone(browser, server, bapa_session)
        page.goto(f"{server}{workday['amina']}")
        _fits_the_first_screen(page, "main h1")
        _fits_the_first_screen(page, "#summary-heading")
        assert "Referral to CPAS Journey" in page.inner_text("main")
        found += _serious(axe, page, "timeline")

        # Closing Olena's file asks first, naming the consequence.
        page.goto(f"{server}{workday['olena']}")
        page.click("a[href$='/close/']")
        page.wait_for_url("**/close/")
        _fits_the_first_screen(page, "#consequence")
        _fits_the_first_screen(page, "main form button.danger")
        assert "No new referral" in page.inner_text("#consequence")
        found += _serious(axe, page, "close the file")
        page.click("main form button.danger")
        page.wait_for_url(f"**{workday['olena']}")
        assert "file closed" in page.inner_text("main")
        assert page.locator("a[href$='/refer/']").count() == 0
    assert found == []


def test_a_family_moves_to_another_coordination(journey, moving, server, browser, django_db_blocker):
    """The BAPA worker starts a transfer from Karim's file; the CRI of the other coordination
    finds it, accepts it behind its confirmation step, and the new file says where the family
    came from. axe-core on every transfer page."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found: list[str] = []
    _bapa_email, bapa_session = journey["bapa"]
    with django_db_blocker.unblock():
        page = _signed_in(browser, server, bapa_session)
        page.goto(f"{server}{moving['karim']}")
        page.click("a[href$='/transfer/']")
        page.wait_for_url("**/transfer/")
        found += _serious(axe, page, "start a transfer")
        page.select_option("select[name=coordination]", value="arrival")
        page.click("main form button[type=submit]")
        page.wait_for_url("**/transfer/?coordination=arrival*")
        found += _serious(axe, page, "choose the organisation")
        page.select_option("select[name=organisation]", label="CRI Arrival")
        page.click("main form[method=post] button[type=submit]")
        page.wait_for_url(f"**{moving['karim']}")
        page.goto(f"{server}{moving['karim']}transfer/")
        assert "CRI Arrival (Arrival)" in page.inner_text("main")
        found += _serious(axe, page, "transfers of the file")

        # The CRI of the other coordination: its transfers, the one waiting, the answer.
        page = _signed_in(browser, server, moving["session"])
        page.goto(f"{server}/c/arrival/transfers/")
        found += _serious(axe, page, "transfer list")
        page.click("main a[href*='/transfers/']:has-text('BAPA Journey')")
        page.wait_for_url("**/c/arrival/transfers/*/")
        assert "Karim" not in page.inner_text("main")
        found += _serious(axe, page, "incoming transfer")
        page.click("main a[href$='/accept/']")
        page.wait_for_url("**/accept/")
        found += _serious(axe, page, "accept the transfer")
        page.click("main form button[type=submit]")
        page.wait_for_url("**/c/arrival/persons/*/")
        main = page.inner_text("main")
        assert "Karim" in main and "arrived from BAPA Journey (Journey)" in main
        found += _serious(axe, page, "arrived file")

        # Back at the BAPA, the file is marked moved.
        page = _signed_in(browser, server, bapa_session)
        page.goto(f"{server}{moving['karim']}")
        assert "moved" in page.inner_text("main")
    assert found == []
