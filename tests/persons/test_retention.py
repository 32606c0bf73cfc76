"""Retention: closed files anonymised for good after the set delay; old consent proofs deleted."""

from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from consent.models import Consent
from consent.services import ConsentInput, purge_consent_proofs, record_consent
from maillage.actor import Actor
from persons.models import PERSONAL_FIELDS, Household, Person
from persons.services import anonymise_closed_files, create_household
from persons.tasks import apply_retention, apply_retention_everywhere
from tests.factories import ConsentFactory, PersonFactory

NEUTRAL = {
    "given_name": "—",
    "family_name": "—",
    "birth_date": None,
    "birth_year": None,
    "languages": [],
    "preferred_language": "",
    "french_level": "",
    "dutch_level": "",
    "literacy": "",
    "interpreter_needed": False,
    "interpreter_language": "",
    "status": "",
    "commune_registration_date": None,
    "programme_registration_date": None,
    "programme_due_carried": None,
    "arrived_from": "",
}


def _system(world):
    return Actor.system(world.schaerbeek)


def _months_ago(months):
    return timezone.now() - relativedelta(months=months)


def _values(person):
    return {name: getattr(person, name) for name in PERSONAL_FIELDS}


def test_every_personal_field_has_a_neutral_value_listed_here():
    assert set(NEUTRAL) == set(PERSONAL_FIELDS)


def test_file_closed_longer_than_the_delay_is_anonymised(tenant_db):
    with schema_context("schaerbeek"):
        person = PersonFactory(complete=True, reads=1, closed_at=_months_ago(25))
        assert anonymise_closed_files(actor=_system(tenant_db)) == 1
        person.refresh_from_db()
    assert _values(person) == NEUTRAL
    assert (person.search_name, person.search_key) == ("", "")
    assert person.national_number_encrypted == ""
    assert person.anonymised_at is not None


def test_recent_closed_file_and_open_file_are_untouched(tenant_db):
    with schema_context("schaerbeek"):
        recent = PersonFactory(
            complete=True, given_name="Recent", family_name="Closed", reads=1, closed_at=_months_ago(23)
        )
        open_file = PersonFactory(complete=True, given_name="Still", family_name="Open", reads=1)
        before = {p.pk: (_values(p), p.national_number_encrypted) for p in (recent, open_file)}
        assert anonymise_closed_files(actor=_system(tenant_db)) == 0
        for person in (recent, open_file):
            person.refresh_from_db()
            assert (_values(person), person.national_number_encrypted) == before[person.pk]
            assert person.anonymised_at is None


def test_delay_is_a_setting(tenant_db, settings):
    settings.MAILLAGE_RETENTION_MONTHS = 12
    with schema_context("schaerbeek"):
        PersonFactory(complete=True, reads=1, closed_at=_months_ago(13))
        assert anonymise_closed_files(actor=_system(tenant_db)) == 1


def test_running_twice_changes_nothing_more(tenant_db):
    with schema_context("schaerbeek"):
        person = PersonFactory(complete=True, reads=1, closed_at=_months_ago(25))
        anonymise_closed_files(actor=_system(tenant_db))
        person.refresh_from_db()
        first = (person.anonymised_at, person.updated_at)
        events = AuditEvent.objects.filter(person_public_id=person.public_id).count()
        assert anonymise_closed_files(actor=_system(tenant_db), now=timezone.now() + relativedelta(days=1)) == 0
        person.refresh_from_db()
        assert (person.anonymised_at, person.updated_at) == first
        assert AuditEvent.objects.filter(person_public_id=person.public_id).count() == events


def test_audit_trail_of_an_anonymised_person_stays_and_names_no_personal_data(tenant_db):
    with schema_context("schaerbeek"):
        person = PersonFactory(complete=True, reads=1, closed_at=_months_ago(25))
        before = set(AuditEvent.objects.filter(person_public_id=person.public_id).values_list("pk", flat=True))
        anonymise_closed_files(actor=_system(tenant_db))
        events = list(AuditEvent.objects.filter(person_public_id=person.public_id))
    assert before < {e.pk for e in events}
    anonymised = [e for e in events if e.action == "person.anonymised"]
    assert len(anonymised) == 1 and anonymised[0].actor is None
    for event in events:
        text = " ".join(str(v) for v in (event.action, event.object_type, event.detail, event.coordination_slug))
        for secret in ("Amina", "Haddad", "1990", "90040200213", "refugee"):
            assert secret not in text


def test_anonymised_file_disappears_from_every_list(tenant_db):
    from persons.selectors import persons_visible_to

    with schema_context("schaerbeek"):
        person = PersonFactory(complete=True, reads=1, closed_at=_months_ago(25))
        anonymise_closed_files(actor=_system(tenant_db))
        assert not persons_visible_to(actor=tenant_db["bapa_worker"].actor()).filter(pk=person.pk).exists()


def test_household_name_goes_once_every_member_is_anonymised(tenant_db):
    with schema_context("schaerbeek"):
        worker = tenant_db["bapa_worker"].actor()
        old = PersonFactory(complete=True, given_name="Old", family_name="Haddad", reads=1, closed_at=_months_ago(25))
        other = PersonFactory(
            complete=True, given_name="Other", family_name="Haddad", reads=1, closed_at=_months_ago(25)
        )
        still = PersonFactory(complete=True, given_name="Still", family_name="Benali", reads=1)
        gone = create_household(actor=worker, name="Famille Haddad", members=[(old, "head"), (other, "child")])
        kept = create_household(actor=worker, name="Famille Benali", members=[(still, "head"), (old, "other")])
        anonymise_closed_files(actor=_system(tenant_db))
        assert Household.objects.get(pk=gone.pk).name == "—"
        assert Household.objects.get(pk=kept.pk).name == "Famille Benali"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _expire(consent, months_ago):
    # A consent this old is over (it lasts five years at most); the rows are set directly.
    when = _months_ago(months_ago)
    Consent.objects.filter(pk=consent.pk).update(given_at=when, expires_at=when + relativedelta(years=5))


def test_old_consent_proof_is_deleted_and_the_consent_kept(tenant_db, media, django_capture_on_commit_callbacks):
    with schema_context("schaerbeek"):
        person = PersonFactory(complete=True, reads=1)
        consent = ConsentFactory(
            paper=True,
            person=person,
            given_at=_months_ago(1),
            categories=["identity"],
            purpose="Recherche de logement",
            explanation_language="fr",
            expires_at=timezone.now() + relativedelta(days=1),
            now=timezone.now(),
        )
        _expire(consent, 61)
        stored = Path(media) / consent.proof.name
        assert stored.read_bytes() == b"%PDF-1.4 test"
        assert f"consent-proofs/{connection.schema_name}/" in consent.proof.name
        with django_capture_on_commit_callbacks(execute=True):
            assert purge_consent_proofs(actor=_system(tenant_db)) == 1
        consent.refresh_from_db()
        assert AuditEvent.objects.filter(object_public_id=consent.public_id, action="consent.proof_purged").exists()
    assert not stored.exists()
    assert consent.proof.name == ""
    assert consent.purpose == "Recherche de logement"


def test_recent_consent_proof_is_kept(tenant_db, media, django_capture_on_commit_callbacks):
    with schema_context("schaerbeek"):
        person = PersonFactory(complete=True, reads=1)
        consent = ConsentFactory(
            paper=True,
            person=person,
            given_at=_months_ago(1),
            categories=["identity"],
            purpose="Recherche de logement",
            explanation_language="fr",
            expires_at=timezone.now() + relativedelta(days=1),
            now=timezone.now(),
        )
        _expire(consent, 59)
        with django_capture_on_commit_callbacks(execute=True):
            assert purge_consent_proofs(actor=_system(tenant_db)) == 0
        consent.refresh_from_db()
    assert (Path(media) / consent.proof.name).exists()


def test_proof_of_a_consent_withdrawn_recently_is_kept(tenant_db, media, django_capture_on_commit_callbacks):
    with schema_context("schaerbeek"):
        person = PersonFactory(complete=True, reads=1)
        consent = ConsentFactory(
            paper=True,
            person=person,
            given_at=_months_ago(1),
            categories=["identity"],
            purpose="Recherche de logement",
            explanation_language="fr",
            expires_at=timezone.now() + relativedelta(days=1),
            now=timezone.now(),
        )
        _expire(consent, 70)
        Consent.objects.filter(pk=consent.pk).update(
            state="withdrawn", withdrawn_at=timezone.now() - relativedelta(months=2)
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert purge_consent_proofs(actor=_system(tenant_db)) == 0


def test_daily_job_runs_in_each_coordination(tenant_db, media):
    with schema_context("schaerbeek"):
        PersonFactory(complete=True, reads=1, closed_at=_months_ago(25))
    assert apply_retention("schaerbeek") == {"anonymised": 1, "proofs_purged": 0}
    assert apply_retention("tournai") == {"anonymised": 0, "proofs_purged": 0}
    assert apply_retention_everywhere() == 2


def test_anonymisation_clears_names_held_on_consents(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        person = PersonFactory(complete=True, reads=1, closed_at=_months_ago(25))
        worker = world["bapa_worker"].actor()
        Person.objects.filter(pk=person.pk).update(closed_at=None)
        consent = record_consent(
            actor=worker,
            person=Person.objects.get(pk=person.pk),
            data=ConsentInput(
                recipients=[world["cpas_referent"].organisation_public_id],
                domains=["housing"],
                categories=["identity"],
                purpose="Logement de Mme Haddad",
                method="screen_signed",
                signed_name="Amina Haddad",
                explanation_language="ar",
                interpreter_used=True,
                interpreter_name="Youssef B.",
            ),
        )
        Person.objects.filter(pk=person.pk).update(closed_at=timezone.now() - relativedelta(months=25))
        anonymise_closed_files(actor=_system(world))
        consent.refresh_from_db()
    assert (consent.signed_name, consent.interpreter_name, consent.withdrawal_reason) == ("", "", "")
    assert "Haddad" not in consent.purpose


def test_anonymisation_clears_case_notes(tenant_db):
    from referrals.models import CaseNote
    from referrals.notes.services import add_note

    world = tenant_db
    with schema_context("schaerbeek"):
        person = PersonFactory(complete=True, reads=1)
        add_note(
            actor=world["bapa_worker"].actor(),
            person=person,
            domain_code="housing",
            text="Mme Haddad dort chez sa sœur.",
            audience="organisation",
        )
        Person.objects.filter(pk=person.pk).update(closed_at=timezone.now() - relativedelta(months=25))
        anonymise_closed_files(actor=_system(world))
        assert not CaseNote.objects.filter(person=person, text__icontains="Haddad").exists()


def test_a_moved_file_goes_by_retention_as_any_closed_file(tenant_db):
    with schema_context("schaerbeek"):
        person = PersonFactory(complete=True)
        Person.objects.filter(pk=person.pk).update(moved_at=_months_ago(25), closed_at=_months_ago(25))
        assert anonymise_closed_files(actor=_system(tenant_db)) == 1
        person.refresh_from_db()
    assert _values(person) == NEUTRAL
