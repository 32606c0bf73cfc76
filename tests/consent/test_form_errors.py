"""The consent form shows every problem in one round, with a summary at the top linking to
each field; the values typed are kept. The withdrawal page asks for a reason first."""

import html

import pytest
from django_tenants.utils import schema_context

from consent.models import Consent
from tests.factories import ConsentFactory, PersonFactory

BASE = "/c/schaerbeek"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _post(tenant_db, client, login, **values):
    person = PersonFactory()
    login(tenant_db["bapa_worker"])
    data = {
        "recipients": [str(tenant_db["cpas_referent"].organisation_public_id)],
        "domains": ["housing"],
        "categories": ["identity"],
        "purpose": "Logement",
        "method": "oral_witnessed",
        "witness_name": "Collègue",
        "explanation_language": "ar",
        **values,
    }
    data = {key: value for key, value in data.items() if value is not None}
    response = client.post(f"{BASE}/persons/{person.public_id}/consents/new/", data)
    return person, response, html.unescape(response.content.decode())


def test_a_missing_method_and_a_missing_purpose_show_at_once(tenant_db, login, client):
    person, response, page = _post(tenant_db, client, login, method=None, purpose="")
    assert response.status_code == 400
    assert 'id="id_method_error"' in page
    assert 'id="id_purpose_error"' in page
    assert "Say why the data is shared." in page
    with schema_context("schaerbeek"):
        assert not Consent.objects.filter(person=person).exists()


def test_a_field_error_and_a_rule_of_the_service_show_at_once(tenant_db, login, client):
    _, response, page = _post(tenant_db, client, login, expires_on="not a date", recipients=None, domains=None)
    assert response.status_code == 400
    assert 'id="id_expires_on_error"' in page
    assert "Name at least one organisation the person agrees to share with." in page
    assert "Name at least one need domain." in page


def test_the_summary_at_the_top_links_to_each_field(tenant_db, login, client):
    _, _, page = _post(tenant_db, client, login, method=None, purpose="")
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert page.index('class="error-summary"') < page.index('id="id_purpose"')
    assert 'role="alert"' in page.split('class="error-summary"', 1)[0][-200:] + summary[:200]
    assert 'href="#id_method_0"' in summary  # a radio group: its first option
    assert 'href="#id_purpose"' in summary
    assert "Say why the data is shared." in summary


def test_the_values_typed_are_kept(tenant_db, login, client):
    _, _, page = _post(tenant_db, client, login, method=None, witness_name="Une collègue du CPAS")
    assert 'value="Une collègue du CPAS"' in page


def test_a_form_without_errors_has_no_summary(tenant_db, login, client):
    person = PersonFactory()
    login(tenant_db["bapa_worker"])
    page = client.get(f"{BASE}/persons/{person.public_id}/consents/new/").content.decode()
    assert "error-summary" not in page


def test_the_withdrawal_page_names_the_consequence_and_asks_a_reason(tenant_db, login, client):
    with schema_context("schaerbeek"):
        consent = ConsentFactory()
    login(tenant_db["bapa_worker"])
    page = html.unescape(client.get(f"{BASE}/consents/{consent.public_id}/withdraw/").content.decode())
    assert "The withdrawal takes effect at once" in page
    response = client.post(f"{BASE}/consents/{consent.public_id}/withdraw/", {"reason": ""})
    assert response.status_code == 400
    assert 'href="#id_reason"' in response.content.decode()
    with schema_context("schaerbeek"):
        assert Consent.objects.get(pk=consent.pk).withdrawn_at is None
