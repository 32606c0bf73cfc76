"""Shared case notes: audiences, sensitive notes, consent in force, versions, retractions."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from consent.models import Consent
from consent.services import withdraw_consent
from maillage.errors import Conflict, Forbidden, Invalid
from referrals.models import CaseNote
from referrals.notes.selectors import get_note_for, note_history, notes_visible_to
from referrals.notes.services import (
    add_note,
    correct_note,
    retract_note,
)
from tests.factories import CaseNoteFactory, ReferralFactory

API = "/c/schaerbeek/api/v1"

# Who reads: the author's organisation (another member of it), the other party of the
# referral (the CPAS), an organisation the consent names (the citizen platform), and an
# organisation the consent does not name (SESO).
READERS = {"own": "coordinator", "party": "cpas_referent", "consented": "volunteer", "outsider": "outsider"}

MAY_READ = {
    "organisation": {"own"},
    "referral": {"own", "party"},
    "consented": {"own", "party", "consented"},
}


@dataclass
class Case:
    """An accepted BAPA → CPAS referral whose consent also names the citizen platform."""

    world: object
    referral: object

    @property
    def person(self):
        return self.referral.person

    @property
    def consent(self):
        return self.referral.consent

    @classmethod
    def open(cls, world, categories=("identity", "situation", "case_notes"), domains=("housing",)) -> "Case":
        named = [world["cpas_referent"].organisation_public_id, world["volunteer"].organisation_public_id]
        referral = ReferralFactory(
            status="accepted",
            consent__recipients=named,
            consent__categories=list(categories),
            consent__domains=list(domains),
        )
        return cls(world, referral)


@pytest.fixture
def case(tenant_db) -> Case:
    return Case.open(tenant_db)


def _reads(case, persona, note) -> bool:
    with schema_context("schaerbeek"):
        visible = notes_visible_to(actor=case.world[persona].actor(), person=case.person)
        return visible.filter(pk=note.pk).exists()


# --- Audiences ---------------------------------------------------------------------------


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("audience", sorted(MAY_READ))
def test_each_audience_reaches_its_readers_only(case, audience, reader):
    note = CaseNoteFactory(referral=case.referral, audience=audience)
    assert _reads(case, READERS[reader], note) is (reader in MAY_READ[audience])


def test_other_coordination_never_sees_a_note(case, token_client):
    note = CaseNoteFactory(referral=case.referral)
    foreigner = token_client(case.world["foreigner"])
    assert foreigner.get(f"/c/tournai/api/v1/notes/{note.public_id}/").status_code == 404
    assert foreigner.get(f"{API}/notes/{note.public_id}/").status_code == 404
    with schema_context("tournai"):
        assert not CaseNote.objects.filter(public_id=note.public_id).exists()


def test_referral_party_note_comes_back_to_the_file_keeper(case):
    note = CaseNoteFactory(referral=case.referral, actor="cpas_referent", audience="referral", text="Rendez-vous pris.")
    assert _reads(case, "bapa_worker", note)
    assert not _reads(case, "volunteer", note)


def test_recipient_note_for_the_consent_reaches_the_other_recipients_and_the_file_keeper(case):
    note = CaseNoteFactory(referral=case.referral, actor="cpas_referent", audience="consented")
    assert _reads(case, "bapa_worker", note)
    assert _reads(case, "volunteer", note)
    assert not _reads(case, "outsider", note)


def test_consent_without_case_notes_keeps_a_note_in_its_organisation(tenant_db):
    case = Case.open(tenant_db, categories=("identity", "situation"))
    note = CaseNoteFactory(referral=case.referral, audience="organisation")
    with schema_context("schaerbeek"):
        cpas = tenant_db["cpas_referent"].actor()
        assert not notes_visible_to(actor=cpas, person=case.person).exists()
    assert not _reads(case, "volunteer", note)
    assert _reads(case, "coordinator", note)


@pytest.mark.parametrize("audience", ["referral", "consented"])
def test_consent_without_case_notes_refuses_a_note_for_others_and_says_why(tenant_db, audience):
    case = Case.open(tenant_db, categories=("identity", "situation"))
    with pytest.raises(Invalid) as error:
        CaseNoteFactory(referral=case.referral, audience=audience)
    (reason,) = error.value.fields["audience"]
    assert "consent" in str(reason)
    with schema_context("schaerbeek"):
        assert not CaseNote.objects.filter(person=case.person).exists()


def test_observer_reads_no_note_even_of_its_organisation(case):
    with schema_context("schaerbeek"):
        assert not notes_visible_to(actor=case.world["observer"].actor(), person=case.person).exists()


# --- Sensitive notes ---------------------------------------------------------------------


@pytest.mark.parametrize("audience", ["referral", "consented"])
def test_sensitive_note_stays_in_its_organisation_without_the_sensitive_category(case, audience):
    note = CaseNoteFactory(referral=case.referral, audience=audience, sensitive=True, text="Suivi médical.")
    assert _reads(case, "coordinator", note)
    assert not _reads(case, "cpas_referent", note)
    assert not _reads(case, "volunteer", note)


@pytest.mark.parametrize(
    ("audience", "readers"), [("referral", {"cpas_referent"}), ("consented", {"cpas_referent", "volunteer"})]
)
def test_sensitive_note_is_shared_when_the_consent_names_sensitive_data(tenant_db, audience, readers):
    case = Case.open(tenant_db, categories=("identity", "situation", "case_notes", "sensitive"))
    note = CaseNoteFactory(referral=case.referral, audience=audience, sensitive=True, text="Suivi médical.")
    for persona in ("cpas_referent", "volunteer", "outsider"):
        assert _reads(case, persona, note) is (persona in readers), persona


def test_sensitive_category_without_case_notes_shares_no_note(tenant_db):
    case = Case.open(tenant_db, categories=("identity", "situation", "sensitive"))
    with pytest.raises(Invalid) as error:
        CaseNoteFactory(referral=case.referral, sensitive=True)
    assert "audience" in error.value.fields


def test_sensitive_note_of_the_recipient_comes_back_only_with_the_sensitive_category(tenant_db):
    without = Case.open(tenant_db)
    note = CaseNoteFactory(referral=without.referral, actor="cpas_referent", audience="referral", sensitive=True)
    assert not _reads(without, "bapa_worker", note)
    assert _reads(without, "cpas_referent", note)
    with_sensitive = Case.open(tenant_db, categories=("identity", "situation", "case_notes", "sensitive"))
    note = CaseNoteFactory(referral=with_sensitive.referral, actor="cpas_referent", audience="referral", sensitive=True)
    assert _reads(with_sensitive, "bapa_worker", note)


# --- The consent in force ----------------------------------------------------------------


def test_withdrawn_consent_hides_case_notes(case):
    consented = CaseNoteFactory(referral=case.referral, audience="consented")
    on_referral = CaseNoteFactory(referral=case.referral, audience="referral")
    recipient_note = CaseNoteFactory(referral=case.referral, actor="cpas_referent", audience="referral")
    assert _reads(case, "volunteer", consented) and _reads(case, "cpas_referent", on_referral)
    with schema_context("schaerbeek"):
        withdraw_consent(actor=case.world["bapa_worker"].actor(), consent=case.consent, reason="La personne le demande")
    assert not _reads(case, "volunteer", consented)
    assert not _reads(case, "cpas_referent", on_referral)
    assert not _reads(case, "bapa_worker", recipient_note)
    assert _reads(case, "bapa_worker", on_referral)


def test_withdrawing_the_notes_domain_hides_them_while_the_person_stays_visible(tenant_db):
    case = Case.open(tenant_db, domains=("housing", "legal_aid"))
    housing = CaseNoteFactory(referral=case.referral, audience="consented")
    legal = CaseNoteFactory(
        referral=case.referral, audience="consented", domain_code="legal_aid", text="Avocat pro deo."
    )
    with schema_context("schaerbeek"):
        withdraw_consent(
            actor=tenant_db["bapa_worker"].actor(), consent=case.consent, reason="Plus le logement", domains=["housing"]
        )
    assert not _reads(case, "volunteer", housing)
    assert _reads(case, "volunteer", legal)


def test_expired_consent_hides_case_notes(case):
    consented = CaseNoteFactory(referral=case.referral, audience="consented")
    on_referral = CaseNoteFactory(referral=case.referral, audience="referral")
    with schema_context("schaerbeek"):
        Consent.objects.filter(pk=case.consent.pk).update(
            given_at=timezone.now() - timedelta(days=400), expires_at=timezone.now() - timedelta(minutes=1)
        )
    assert not _reads(case, "volunteer", consented)
    assert not _reads(case, "cpas_referent", on_referral)
    assert _reads(case, "coordinator", consented)


def test_withdrawal_hides_the_note_on_the_next_api_read(case, token_client):
    note = CaseNoteFactory(referral=case.referral)
    volunteer = token_client(case.world["volunteer"])
    assert volunteer.get(f"{API}/notes/{note.public_id}/").status_code == 200
    with schema_context("schaerbeek"):
        withdraw_consent(actor=case.world["bapa_worker"].actor(), consent=case.consent, reason="x")
    assert volunteer.get(f"{API}/notes/{note.public_id}/").status_code == 404


# --- Writing -----------------------------------------------------------------------------


def test_volunteer_cannot_write_a_note(case):
    with pytest.raises(Forbidden):
        CaseNoteFactory(referral=case.referral, actor="volunteer")


def test_recipient_without_case_notes_writes_no_note_and_is_told_why(tenant_db):
    case = Case.open(tenant_db, categories=("identity", "situation"))
    for audience in ("organisation", "referral", "consented"):
        with pytest.raises(Invalid) as error:
            CaseNoteFactory(referral=case.referral, actor="cpas_referent", audience=audience)
        assert "CPAS de Schaerbeek" in str(error.value.fields["audience"][0]), audience


def test_referral_note_waits_for_acceptance(tenant_db):
    world = tenant_db
    case = Case.open(world)
    with schema_context("schaerbeek"):
        owner = world["bapa_worker"].actor()
        pending = ReferralFactory(status="sent", person=case.person, consent=case.consent, reason="Autre demande")
        with pytest.raises(Invalid) as error:
            add_note(
                actor=owner, person=case.person, domain_code="housing", text="x", audience="referral", referral=pending
            )
    assert "referral" in error.value.fields


def test_adding_a_note_leaves_an_audit_event_without_its_text(case):
    note = CaseNoteFactory(referral=case.referral, audience="referral", text="Secret du dossier")
    with schema_context("schaerbeek"):
        event = AuditEvent.objects.get(action="note.added", object_public_id=note.public_id)
    assert event.person_public_id == case.person.public_id
    assert event.detail["audience"] == "referral" and event.detail["referral"] == str(case.referral.public_id)
    assert "Secret" not in str(event.detail)


# --- Corrections and retractions ---------------------------------------------------------


def test_correction_keeps_history(case):
    note = CaseNoteFactory(referral=case.referral, text="Loyer de 900 euros.")
    with schema_context("schaerbeek"):
        corrected = correct_note(actor=case.world["coordinator"].actor(), note=note, text="Loyer de 700 euros.")
        for persona in ("bapa_worker", "cpas_referent"):
            actor = case.world[persona].actor()
            current = list(notes_visible_to(actor=actor, person=case.person))
            assert [(n.pk, n.shown_text) for n in current] == [(corrected.pk, "Loyer de 700 euros.")]
            history = note_history(actor=actor, note=get_note_for(actor=actor, public_id=corrected.public_id))
            assert [(n.version, n.shown_text) for n in history] == [(1, "Loyer de 900 euros.")]
        assert AuditEvent.objects.filter(action="note.corrected", object_public_id=corrected.public_id).exists()
    assert corrected.version == 2 and corrected.supersedes_id == note.pk


def test_only_the_latest_version_is_corrected(case):
    note = CaseNoteFactory(referral=case.referral)
    with schema_context("schaerbeek"):
        owner = case.world["bapa_worker"].actor()
        correct_note(actor=owner, note=note, text="Version 2")
        with pytest.raises(Conflict):
            correct_note(actor=owner, note=note, text="Version 2 bis")


def test_other_organisation_cannot_correct_or_retract(case):
    note = CaseNoteFactory(referral=case.referral)
    with schema_context("schaerbeek"):
        cpas = case.world["cpas_referent"].actor()
        with pytest.raises(Forbidden):
            correct_note(actor=cpas, note=note, text="Autre")
        with pytest.raises(Forbidden):
            retract_note(actor=cpas, note=note, reason="Faux")


def test_retraction_hides_the_text_but_leaves_the_entry_and_a_trace(case):
    note = CaseNoteFactory(referral=case.referral, text="Mauvaise personne.")
    with schema_context("schaerbeek"):
        owner = case.world["bapa_worker"].actor()
        corrected = correct_note(actor=owner, note=note, text="Toujours la mauvaise personne.")
        retract_note(actor=owner, note=corrected, reason="Note écrite sur le mauvais dossier")
        for persona in ("bapa_worker", "cpas_referent", "volunteer"):
            actor = case.world[persona].actor()
            listed = list(notes_visible_to(actor=actor, person=case.person))
            assert [(n.pk, n.shown_text) for n in listed] == [(corrected.pk, None)]
            assert listed[0].retraction_reason == "Note écrite sur le mauvais dossier"
            assert [n.shown_text for n in note_history(actor=actor, note=listed[0])] == [None]
        event = AuditEvent.objects.get(action="note.retracted", object_public_id=corrected.public_id)
        assert event.person_public_id == case.person.public_id
        assert "mauvais" not in str(event.detail)
        with pytest.raises(Conflict):
            retract_note(actor=owner, note=corrected, reason="Encore")
        with pytest.raises(Conflict):
            correct_note(actor=owner, note=corrected, text="Ressuscitée")


# --- API ---------------------------------------------------------------------------------


def _post_note(case, api, **overrides):
    body = {"domain": "housing", "text": "Cherche un logement.", "audience": "consented", "sensitive": False}
    body.update(overrides)
    return api.post(f"{API}/persons/{case.person.public_id}/notes/", body, format="json")


def test_api_adds_and_lists_notes_and_records_the_read(case, token_client):
    owner, cpas = token_client(case.world["bapa_worker"]), token_client(case.world["cpas_referent"])
    created = _post_note(case, owner, audience="referral", referral=str(case.referral.public_id))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["text"] == "Cherche un logement." and body["referral"] == str(case.referral.public_id)
    assert body["organisation_name"] == "VIA — BAPA Schaerbeek" and body["author"] == "Sarah Bapa"
    listed = cpas.get(f"{API}/persons/{case.person.public_id}/notes/").json()
    assert [n["id"] for n in listed["results"]] == [body["id"]]
    with schema_context("schaerbeek"):
        read = AuditEvent.objects.filter(action="note.read", person_public_id=case.person.public_id)
        assert read.filter(organisation_public_id=case.world["cpas_referent"].organisation_public_id).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text": "   "}, "text"),
        ({"text": "x" * 20_001}, "text"),
        ({"domain": "astrology"}, "domain"),
        ({"domain": ""}, "domain"),
        ({"audience": "everyone"}, "audience"),
        ({"audience": "referral"}, "referral"),
        ({"audience": "organisation", "referral": "__referral__"}, "referral"),
        ({"audience": "referral", "referral": "3f1c9c1e-0000-4000-8000-000000000000"}, "referral"),
        ({"referral": "not-a-uuid"}, "referral"),
    ],
)
def test_bad_note_is_400_naming_the_field(case, token_client, overrides, field):
    if overrides.get("referral") == "__referral__":
        overrides["referral"] = str(case.referral.public_id)
    response = _post_note(case, token_client(case.world["bapa_worker"]), **overrides)
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]


def test_api_correction_and_history(case, token_client):
    owner, cpas = token_client(case.world["bapa_worker"]), token_client(case.world["cpas_referent"])
    note = _post_note(case, owner, text="Premier jet").json()
    assert owner.post(f"{API}/notes/{note['id']}/correct/", {"text": ""}, format="json").json()["fields"].keys() == {
        "text"
    }
    corrected = owner.post(f"{API}/notes/{note['id']}/correct/", {"text": "Version juste"}, format="json")
    assert corrected.status_code == 201
    body = corrected.json()
    assert body["version"] == 2 and body["supersedes"] == note["id"] and body["current"] is True
    assert [(h["version"], h["text"]) for h in body["history"]] == [(1, "Premier jet")]
    texts = [n["text"] for n in owner.get(f"{API}/persons/{case.person.public_id}/notes/").json()["results"]]
    assert texts == ["Version juste"]
    old = cpas.get(f"{API}/notes/{note['id']}/").json()
    assert old["current"] is False and old["text"] == "Premier jet"
    assert owner.post(f"{API}/notes/{note['id']}/correct/", {"text": "Encore"}, format="json").status_code == 409
    assert cpas.post(f"{API}/notes/{body['id']}/correct/", {"text": "Autre"}, format="json").status_code == 403


def test_api_retraction_shows_who_when_and_why_only(case, token_client):
    owner, cpas = token_client(case.world["bapa_worker"]), token_client(case.world["cpas_referent"])
    note = _post_note(case, owner, text="Erreur de dossier").json()
    assert owner.post(f"{API}/notes/{note['id']}/retract/", {"reason": " "}, format="json").json()["fields"].keys() == {
        "reason"
    }
    assert cpas.post(f"{API}/notes/{note['id']}/retract/", {"reason": "Non"}, format="json").status_code == 403
    response = owner.post(f"{API}/notes/{note['id']}/retract/", {"reason": "Mauvais dossier"}, format="json")
    assert response.status_code == 200
    seen = cpas.get(f"{API}/notes/{note['id']}/").json()
    assert seen["text"] is None
    assert seen["retraction"]["reason"] == "Mauvais dossier" and seen["retraction"]["retracted_by"] == "Sarah Bapa"
    assert "Mauvais dossier" in seen["retraction"]["summary"]
    listed = cpas.get(f"{API}/persons/{case.person.public_id}/notes/").json()["results"]
    assert [(n["id"], n["text"]) for n in listed] == [(note["id"], None)]
    assert "Erreur de dossier" not in str(listed)


NOTE_ROUTES = [
    ("get", "persons/{person}/notes/"),
    ("post", "persons/{person}/notes/"),
    ("get", "notes/{note}/"),
    ("post", "notes/{note}/correct/"),
    ("post", "notes/{note}/retract/"),
]


@pytest.mark.parametrize(("method", "route"), NOTE_ROUTES)
@pytest.mark.parametrize("persona", ["outsider", "foreigner"])
def test_outsider_gets_404_on_every_notes_route(case, token_client, method, route, persona):
    note = CaseNoteFactory(referral=case.referral)
    path = route.format(person=case.person.public_id, note=note.public_id)
    body = {"domain": "housing", "text": "x", "audience": "organisation", "reason": "x"}
    api = token_client(case.world[persona])
    for prefix in (API, "/c/tournai/api/v1"):
        response = getattr(api, method)(f"{prefix}/{path}", body, format="json")
        assert response.status_code == 404, (prefix, response.content)
        assert response.json()["error"] == "not_found"


@pytest.mark.parametrize("route", ["notes/{note}/", "notes/{note}/correct/", "notes/{note}/retract/"])
def test_note_of_an_organisation_audience_is_missing_for_the_referral_party(case, token_client, route):
    note = CaseNoteFactory(referral=case.referral, audience="organisation")
    api = token_client(case.world["cpas_referent"])
    path = f"{API}/{route.format(note=note.public_id)}"
    response = (
        api.get(path) if route == "notes/{note}/" else api.post(path, {"text": "x", "reason": "x"}, format="json")
    )
    assert response.status_code == 404


def test_notes_list_in_a_few_queries(case, token_client, django_assert_max_num_queries):
    for number in range(5):
        CaseNoteFactory(referral=case.referral, text=f"Note {number}")
    api = token_client(case.world["cpas_referent"])
    with django_assert_max_num_queries(10):
        response = api.get(f"{API}/persons/{case.person.public_id}/notes/")
    assert response.json()["count"] == 5
