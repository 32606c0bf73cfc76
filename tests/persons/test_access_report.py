"""The access report (GDPR art. 15): who read or changed a person's data, from the audit trail."""

import pytest
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from audit.services import record_reads
from maillage.errors import Forbidden
from persons.access_report import access_report_for
from persons.selectors import get_person_for
from tests.factories import ConsentFactory, PersonFactory

BAPA = "VIA — BAPA Schaerbeek"
CPAS = "CPAS de Schaerbeek"


def _person_with_history(world, **fields):
    """A file opened by the BAPA, read twice there, shared with the CPAS, read once there."""
    person = PersonFactory(given_name="Amina", family_name="Haddad", reads=2, **fields)
    ConsentFactory(person=person, categories=["identity"], purpose="Recherche de logement", witness_name="Julie Témoin")
    referent = world["cpas_referent"].actor()
    record_reads(actor=referent, persons=[get_person_for(actor=referent, public_id=person.public_id)])
    return person


def _url(person, lang=None):
    url = f"/c/schaerbeek/persons/{person.public_id}/access-report/"
    return f"{url}?lang={lang}" if lang else url


def test_report_lists_each_organisation_and_account_with_their_actions(tenant_db):
    with schema_context("schaerbeek"):
        person = _person_with_history(tenant_db)
        report = access_report_for(actor=tenant_db["bapa_worker"].actor(), person=person)
    assert [o.name for o in report.organisations] == [BAPA, CPAS]
    bapa, cpas = report.organisations
    assert bapa.is_owner and not cpas.is_owner
    assert [a.name for a in bapa.accounts] == ["Sarah Bapa"]
    assert {a.kind: a.count for a in bapa.accounts[0].actions} == {"opened": 1, "read": 2, "consent_recorded": 1}
    assert [a.name for a in cpas.accounts] == ["Marc Cpas"]
    assert {a.kind: a.count for a in cpas.accounts[0].actions} == {"read": 1}
    read = next(a for a in bapa.accounts[0].actions if a.kind == "read")
    assert read.first <= read.last


def test_report_lists_the_consents_with_recipients_domains_and_state(tenant_db):
    with schema_context("schaerbeek"):
        person = _person_with_history(tenant_db)
        report = access_report_for(actor=tenant_db["bapa_worker"].actor(), person=person)
    [consent] = report.consents
    assert consent.recipients == [CPAS]
    assert len(consent.domains) == 1
    assert consent.state == "given"
    assert consent.withdrawn_at is None


def test_report_shows_the_data_kept_but_never_the_national_number(tenant_db):
    with schema_context("schaerbeek"):
        person = _person_with_history(tenant_db, national_number="85073003328")
        report = access_report_for(actor=tenant_db["bapa_worker"].actor(), person=person)
    values = [line.value for line in report.data]
    assert "Amina" in values and "Haddad" in values
    assert not any("85073003328" in value or "850730" in value for value in values)


def test_producing_the_report_is_audited(tenant_db):
    with schema_context("schaerbeek"):
        person = _person_with_history(tenant_db)
        access_report_for(actor=tenant_db["bapa_worker"].actor(), person=person)
        event = AuditEvent.objects.get(person_public_id=person.public_id, action="person.access_report")
        assert event.actor == tenant_db["bapa_worker"].user
        again = access_report_for(actor=tenant_db["bapa_worker"].actor(), person=person)
    assert {a.kind: a.count for a in again.organisations[0].accounts[0].actions}["access_report"] == 1


def test_only_the_organisation_keeping_the_file_produces_the_report(tenant_db):
    with schema_context("schaerbeek"):
        person = _person_with_history(tenant_db)
        with pytest.raises(Forbidden):
            access_report_for(actor=tenant_db["cpas_referent"].actor(), person=person)
        assert not AuditEvent.objects.filter(person_public_id=person.public_id, action="person.access_report").exists()


def test_report_reads_the_trail_in_a_few_queries(tenant_db, django_assert_max_num_queries):
    with schema_context("schaerbeek"):
        person = _person_with_history(tenant_db)
        for _ in range(20):
            record_reads(actor=tenant_db["cpas_referent"].actor(), persons=[person])
        actor = tenant_db["bapa_worker"].actor()
        with django_assert_max_num_queries(10):
            access_report_for(actor=actor, person=person)


def test_owner_prints_the_report(tenant_db, login, client):
    with schema_context("schaerbeek"):
        person = _person_with_history(tenant_db)
    login(tenant_db["bapa_worker"])
    response = client.get(_url(person, "fr"))
    assert response.status_code == 200
    page = response.content.decode()
    assert BAPA in page and CPAS in page
    assert "Sarah Bapa" in page and "Marc Cpas" in page
    assert "<script" not in page and "style=" not in page and "<style" not in page


@pytest.mark.parametrize("persona", ["outsider", "foreigner", "observer"])
def test_report_of_a_file_out_of_scope_is_not_found(tenant_db, login, client, persona):
    with schema_context("schaerbeek"):
        person = _person_with_history(tenant_db)
    login(tenant_db[persona])
    assert client.get(_url(person)).status_code == 404


def test_recipient_organisation_may_not_produce_the_report(tenant_db, login, client):
    with schema_context("schaerbeek"):
        person = _person_with_history(tenant_db)
    login(tenant_db["cpas_referent"])
    assert client.get(_url(person)).status_code == 403


@pytest.mark.parametrize(
    "lang, organisation, valid_until",
    [
        ("fr", "Organisation", "Valable jusqu'au"),
        ("nl", "Organisatie", "Geldig tot"),
        ("en", "Organisation", "Valid until"),
    ],
)
def test_report_is_printed_in_the_language_asked(tenant_db, login, client, lang, organisation, valid_until):
    with schema_context("schaerbeek"):
        person = _person_with_history(tenant_db)
    login(tenant_db["bapa_worker"])
    page = client.get(_url(person, lang)).content.decode()
    assert f'<html lang="{lang}">' in page
    assert f"{organisation}: {BAPA}" in page
    assert valid_until in page
    assert 'class="notice"' not in page


def test_report_defaults_to_the_persons_preferred_language(tenant_db, login, client):
    with schema_context("schaerbeek"):
        person = _person_with_history(tenant_db, preferred_language="nl")
    login(tenant_db["bapa_worker"])
    assert '<html lang="nl">' in client.get(_url(person)).content.decode()


def test_report_in_a_language_not_available_falls_back_to_french_and_says_so(tenant_db, login, client):
    with schema_context("schaerbeek"):
        person = _person_with_history(tenant_db)
    login(tenant_db["bapa_worker"])
    page = client.get(_url(person, "ar")).content.decode()
    assert '<html lang="fr">' in page
    assert 'class="notice"' in page
    assert "arabe" in page.lower()
    assert "Valable jusqu'au" in page
