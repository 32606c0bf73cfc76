"""The person's file as one timeline, on its page and its API route: every entry obeys the
consent wall as the pages it comes from do.

The dataset (`amina`): the BAPA keeps Amina Haddad's file (Arabic, an interpreter needed,
registered in the commune 100 days ago, not yet in the integration programme).

- Consent `to_cpas` names the CPAS for housing: identity, situation and case notes.
- Referral `accepted`, BAPA → CPAS, relies on it and was accepted; referral `waiting`,
  BAPA → CPAS, relies on it too and waits for the answer (the CPAS took Amina on before,
  so the file stays open to it).
- Consent `to_seso` names SESO (the outsider's organisation) only, for employment and
  training; referral `seso`, BAPA → SESO on that domain, relies on it and waits for SESO's
  answer.
- Notes: the CPAS's note for the parties of `accepted` (the one addressed to it and the
  BAPA); the BAPA's note for its own organisation; the BAPA's note on employment for every
  organisation the consent covers (SESO only).
- Papers the BAPA printed: the receipt of `to_cpas`, the slip of `accepted`, an access
  report.
"""

import html
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from consent.models import Consent
from consent.services import withdraw_consent
from referrals import services as referral_services
from referrals.notes.services import retract_note
from tests.factories import CaseNoteFactory, ConsentFactory, PersonFactory, ReferralFactory, organisation_of

PAGE = "/c/schaerbeek/"
API = "/c/schaerbeek/api/v1/"
CATEGORIES = ["identity", "situation", "case_notes"]
ENTRY = re.compile(r'<li id="entry-([^"]+)" class="entry entry-([a-z_]+)[^"]*"[^>]*>\s*<h4>(?:<a [^>]*>)?([^<]+)<')


@dataclass(frozen=True)
class Amina:
    person: object
    to_cpas: object
    to_seso: object
    accepted: object
    waiting: object
    seso: object
    cpas_note: object
    private_note: object
    seso_note: object


def _amina(world, login, client) -> Amina:
    with schema_context("schaerbeek"):
        person = PersonFactory(
            given_name="Amina",
            family_name="Haddad",
            arabic=True,
            commune_registration_date=date.today() - timedelta(days=100),
        )
        to_cpas = ConsentFactory(person=person, categories=CATEGORIES)
        accepted = ReferralFactory(person=person, consent=to_cpas, status="accepted")
        waiting = ReferralFactory(person=person, consent=to_cpas, status="sent")
        seso_org = organisation_of("outsider")
        to_seso = ConsentFactory(
            person=person, categories=CATEGORIES, recipients=[seso_org.public_id], domains=["employment_training"]
        )
        seso = ReferralFactory(
            person=person, consent=to_seso, to_organisation=seso_org, domains=["employment_training"], status="sent"
        )
        cpas_note = CaseNoteFactory(
            actor="cpas_referent", referral=accepted, audience="referral", text="Rendez-vous au service logement."
        )
        private_note = CaseNoteFactory(person=person, audience="organisation", text="Note interne du BAPA.")
        seso_note = CaseNoteFactory(
            person=person, domain_code="employment_training", audience="consented", text="Pour SESO seulement."
        )
    login(world["bapa_worker"])
    assert client.get(f"{PAGE}consents/{to_cpas.public_id}/receipt/").status_code == 200
    assert client.get(f"{PAGE}referrals/{accepted.public_id}/slip/").status_code == 200
    assert client.get(f"{PAGE}persons/{person.public_id}/access-report/").status_code == 200
    client.logout()
    return Amina(person, to_cpas, to_seso, accepted, waiting, seso, cpas_note, private_note, seso_note)


@pytest.fixture
def amina(tenant_db, login, client) -> Amina:
    return _amina(tenant_db, login, client)


def _entries(token_client, persona, person) -> list[dict]:
    response = token_client(persona).get(f"{API}persons/{person.public_id}/timeline/")
    assert response.status_code == 200
    return response.json()["entries"]


def _keys(entries) -> set[str]:
    return {entry["key"] for entry in entries}


def _page_entries(client, person) -> list[tuple[str, str, str]]:
    response = client.get(f"{PAGE}persons/{person.public_id}/")
    assert response.status_code == 200
    return [(key, kind, html.unescape(title).strip()) for key, kind, title in ENTRY.findall(response.content.decode())]


def test_the_file_keeper_sees_every_kind_of_entry(amina, tenant_db, token_client):
    entries = _entries(token_client, tenant_db["bapa_worker"], amina.person)
    kinds = {entry["kind"] for entry in entries}
    assert kinds == {"referral_sent", "note", "consent", "document", "deadline", "file"}
    keys = _keys(entries)
    for referral in (amina.accepted, amina.waiting, amina.seso):
        assert f"referral-{referral.public_id}" in keys
    for note in (amina.cpas_note, amina.private_note, amina.seso_note):
        assert f"note-{note.public_id}" in keys
    for consent in (amina.to_cpas, amina.to_seso):
        assert f"consent-{consent.public_id}" in keys
    titles = {entry["title"] for entry in entries if entry["kind"] == "document"}
    assert len(titles) == 3
    deadlines = {entry["key"] for entry in entries if entry["kind"] == "deadline"}
    assert {
        "programme-deadline",
        f"referral-answer-{amina.waiting.public_id}",
        f"consent-ends-{amina.to_cpas.public_id}",
    } <= deadlines


def test_the_summary_gives_languages_interpreter_deadline_and_open_referrals(amina, tenant_db, token_client):
    body = token_client(tenant_db["bapa_worker"]).get(f"{API}persons/{amina.person.public_id}/timeline/").json()
    summary = body["summary"]
    assert summary["languages"] and summary["interpreter_needed"] and summary["interpreter_language"]
    registered = date.today() - timedelta(days=100)
    months = tenant_db.schaerbeek.registration_deadline_months
    assert summary["programme_deadline"] == (registered + relativedelta(months=months)).isoformat()
    assert set(summary["open_referrals"]) == {
        f"referral-{amina.accepted.public_id}",
        f"referral-{amina.waiting.public_id}",
        f"referral-{amina.seso.public_id}",
    }
    assert summary["consents_in_force"] == 2


def test_a_referral_says_its_status_and_next_step(amina, tenant_db, token_client):
    entries = {e["key"]: e for e in _entries(token_client, tenant_db["bapa_worker"], amina.person)}
    waiting = entries[f"referral-{amina.waiting.public_id}"]
    assert waiting["status"] == "sent" and waiting["next_step"] and waiting["open"]
    accepted = _entries(token_client, tenant_db["cpas_referent"], amina.person)
    mine = {e["key"]: e for e in accepted}[f"referral-{amina.accepted.public_id}"]
    assert mine["kind"] == "referral_received" and mine["status"] == "accepted" and mine["next_step"]


def test_an_appointment_is_coming_up_on_both_sides(tenant_db, token_client):
    moment = (timezone.now() + timedelta(days=5)).replace(microsecond=0)
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="accepted", appointment_at=moment, appointment_place="Rue Royale 1")
    key = f"referral-appointment-{referral.public_id}"
    for persona in ("bapa_worker", "cpas_referent"):
        body = token_client(tenant_db[persona]).get(f"{API}persons/{referral.person.public_id}/timeline/").json()
        entry = {e["key"]: e for e in body["entries"]}[key]
        assert entry["kind"] == "appointment" and entry["upcoming"]
        assert "Rue Royale 1" in [detail["value"] for detail in entry["details"]]


def test_an_overdue_answer_needs_attention(tenant_db, token_client):
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="sent", row={"response_due": date.today() - timedelta(days=3)})
    body = token_client(tenant_db["bapa_worker"]).get(f"{API}persons/{referral.person.public_id}/timeline/").json()
    entries = {e["key"]: e for e in body["entries"]}
    sent = entries[f"referral-{referral.public_id}"]
    assert sent["warn"] and sent["next_step"]
    assert entries[f"referral-answer-{referral.public_id}"]["warn"]
    assert not entries[f"referral-answer-{referral.public_id}"]["upcoming"]


def test_a_retracted_note_keeps_its_place_not_its_text(tenant_db, token_client):
    with schema_context("schaerbeek"):
        note = CaseNoteFactory(audience="organisation", text="Texte à retirer.")
        retract_note(actor=tenant_db["bapa_worker"].actor(), note=note, reason="Erreur de dossier")
    body = token_client(tenant_db["bapa_worker"]).get(f"{API}persons/{note.person.public_id}/timeline/").json()
    assert f"note-{note.public_id}" in _keys(body["entries"])
    assert "Texte à retirer." not in str(body)


def test_the_recipient_sees_its_referrals_and_the_notes_addressed_to_it_only(amina, tenant_db, token_client):
    entries = _entries(token_client, tenant_db["cpas_referent"], amina.person)
    keys = _keys(entries)
    assert {f"referral-{amina.accepted.public_id}", f"referral-{amina.waiting.public_id}"} <= keys
    assert f"note-{amina.cpas_note.public_id}" in keys
    assert f"consent-{amina.to_cpas.public_id}" in keys
    # Not the BAPA's private note, nor anything between the BAPA and SESO, nor the BAPA's papers.
    assert f"note-{amina.private_note.public_id}" not in keys
    assert f"referral-{amina.seso.public_id}" not in keys
    assert f"note-{amina.seso_note.public_id}" not in keys
    assert f"consent-{amina.to_seso.public_id}" not in keys
    assert not [e for e in entries if e["kind"] == "document"]
    assert {e["kind"] for e in entries if e["kind"].startswith("referral")} == {"referral_received"}
    body = str(entries)
    assert "Note interne du BAPA" not in body and "Pour SESO seulement" not in body


def test_the_recipient_page_hides_what_the_api_hides(amina, tenant_db, login, client):
    login(tenant_db["cpas_referent"])
    page = client.get(f"{PAGE}persons/{amina.person.public_id}/").content.decode()
    assert "Rendez-vous au service logement." in page
    assert "Note interne du BAPA" not in page and "Pour SESO seulement" not in page
    assert str(amina.seso.public_id) not in page and str(amina.to_seso.public_id) not in page


def test_a_recipient_before_acceptance_gets_404(amina, tenant_db, token_client, login, client):
    """SESO's referral waits for its answer: the preview of the referral, nothing more."""
    outsider = tenant_db["outsider"]
    assert token_client(outsider).get(f"{API}persons/{amina.person.public_id}/timeline/").status_code == 404
    login(outsider)
    assert client.get(f"{PAGE}persons/{amina.person.public_id}/").status_code == 404


def test_after_acceptance_the_recipient_sees_its_own_part_only(amina, tenant_db, token_client):
    with schema_context("schaerbeek"):
        referral_services.accept_referral(actor=tenant_db["outsider"].actor(), referral=amina.seso)
    keys = _keys(_entries(token_client, tenant_db["outsider"], amina.person))
    assert f"referral-{amina.seso.public_id}" in keys and f"note-{amina.seso_note.public_id}" in keys
    assert f"consent-{amina.to_seso.public_id}" in keys
    for hidden in (amina.accepted, amina.waiting):
        assert f"referral-{hidden.public_id}" not in keys
    assert f"note-{amina.cpas_note.public_id}" not in keys and f"note-{amina.private_note.public_id}" not in keys
    assert f"consent-{amina.to_cpas.public_id}" not in keys


@pytest.mark.parametrize("persona", ["volunteer", "observer"])
def test_another_organisation_without_consent_gets_404(amina, tenant_db, token_client, login, client, persona):
    assert token_client(tenant_db[persona]).get(f"{API}persons/{amina.person.public_id}/timeline/").status_code == 404
    login(tenant_db[persona])
    assert client.get(f"{PAGE}persons/{amina.person.public_id}/").status_code == 404


def test_another_coordination_gets_404(amina, tenant_db, token_client):
    api = token_client(tenant_db["foreigner"])
    assert api.get(f"{API}persons/{amina.person.public_id}/timeline/").status_code == 404
    assert api.get(f"/c/tournai/api/v1/persons/{amina.person.public_id}/timeline/").status_code == 404


def test_a_withdrawn_consent_closes_the_timeline_to_the_recipient(amina, tenant_db, token_client, login, client):
    with schema_context("schaerbeek"):
        withdraw_consent(actor=tenant_db["bapa_worker"].actor(), consent=amina.to_cpas, reason="La personne refuse")
    cpas = tenant_db["cpas_referent"]
    assert token_client(cpas).get(f"{API}persons/{amina.person.public_id}/timeline/").status_code == 404
    login(cpas)
    assert client.get(f"{PAGE}persons/{amina.person.public_id}/").status_code == 404
    # The file keeper still sees the consent, withdrawn, and its withdrawal.
    entries = {e["key"]: e for e in _entries(token_client, tenant_db["bapa_worker"], amina.person)}
    assert entries[f"consent-{amina.to_cpas.public_id}"]["status"] == "withdrawn"
    assert f"consent-withdrawn-{amina.to_cpas.public_id}" in entries


def test_an_expired_consent_closes_the_timeline_to_the_recipient(amina, tenant_db, token_client):
    with schema_context("schaerbeek"):
        now = timezone.now()
        Consent.objects.filter(pk=amina.to_cpas.pk).update(
            given_at=now - timedelta(days=400), expires_at=now - timedelta(minutes=1)
        )
    assert (
        token_client(tenant_db["cpas_referent"]).get(f"{API}persons/{amina.person.public_id}/timeline/").status_code
        == 404
    )
    entries = {e["key"]: e for e in _entries(token_client, tenant_db["bapa_worker"], amina.person)}
    assert entries[f"consent-{amina.to_cpas.public_id}"]["status"] == "expired"
    assert entries[f"consent-ends-{amina.to_cpas.public_id}"]["kind"] == "consent_ended"


def test_a_second_consent_keeps_the_timeline_open_but_hides_the_ended_one(amina, tenant_db, token_client):
    with schema_context("schaerbeek"):
        other = ConsentFactory(person=amina.person, categories=CATEGORIES, purpose="Suivi social")
        withdraw_consent(actor=tenant_db["bapa_worker"].actor(), consent=amina.to_cpas, reason="La personne refuse")
    keys = _keys(_entries(token_client, tenant_db["cpas_referent"], amina.person))
    assert f"consent-{other.public_id}" in keys and f"consent-{amina.to_cpas.public_id}" not in keys


def test_the_api_answers_what_the_page_shows(amina, tenant_db, token_client, login, client):
    for persona in ("bapa_worker", "cpas_referent"):
        entries = _entries(token_client, tenant_db[persona], amina.person)
        login(tenant_db[persona])
        shown = _page_entries(client, amina.person)
        assert shown == [(e["key"], e["kind"], e["title"]) for e in entries]


def test_reading_the_timeline_leaves_one_read_of_the_file(amina, tenant_db, token_client, login, client):
    def reads():
        with schema_context("schaerbeek"):
            return AuditEvent.objects.filter(person_public_id=amina.person.public_id, action="person.read").count()

    before = reads()
    token_client(tenant_db["cpas_referent"]).get(f"{API}persons/{amina.person.public_id}/timeline/")
    assert reads() == before + 1
    login(tenant_db["cpas_referent"])
    client.get(f"{PAGE}persons/{amina.person.public_id}/")
    assert reads() == before + 2
    with schema_context("schaerbeek"):
        assert not AuditEvent.objects.filter(
            person_public_id=amina.person.public_id, action__in=["note.read", "referral.read"]
        ).exists()


def test_the_page_is_an_ordered_list_with_dates_and_headings(amina, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    page = client.get(f"{PAGE}persons/{amina.person.public_id}/").content.decode()
    assert '<ol class="entries"' in page and "<time datetime=" in page
    assert 'id="timeline-heading"' in page and 'id="summary-heading"' in page


# --- A constant number of queries ------------------------------------------------------


def _busy_file(count: int):
    """A file with `count` referrals to the CPAS (each accepted, with its own consent), and
    `count` notes of the BAPA and of the CPAS each."""
    with schema_context("schaerbeek"):
        person = PersonFactory(commune_registration_date=date.today() - timedelta(days=30))
        for _ in range(count):
            referral = ReferralFactory(person=person, status="accepted", consent__categories=CATEGORIES)
            CaseNoteFactory(person=person, audience="consented")
            CaseNoteFactory(actor="cpas_referent", referral=referral, audience="referral")
    return person


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["bapa_worker", "cpas_referent"])
def test_the_number_of_queries_does_not_grow_with_the_file(tenant_db, token_client, login, client, persona):
    small, large = _busy_file(2), _busy_file(10)
    api = token_client(tenant_db[persona])
    login(tenant_db[persona])
    for reader, root, tail in ((api, API, "timeline/"), (client, PAGE, "")):
        # The first read warms what a session and its actor keep; then 2 and 10 cost the same.
        _queries(reader, f"{root}persons/{small.public_id}/{tail}")
        with_two = _queries(reader, f"{root}persons/{small.public_id}/{tail}")
        with_ten = _queries(reader, f"{root}persons/{large.public_id}/{tail}")
        assert with_two == with_ten, (root, with_two, with_ten)
