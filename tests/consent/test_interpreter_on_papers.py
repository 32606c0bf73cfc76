"""The interpreter on the printed papers: named with the language, and "with an
interpreter" ticked when the consent is explained with one."""

import html
import re
from urllib.parse import urlencode

import pytest

from consent import documents
from tests.factories import ConsentFactory, PersonFactory

BASE = "/c/schaerbeek"


def _page(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _box(page: str) -> str:
    return re.search(r'<p class="check-box[^"]*" data-interpreter="(yes|no)">', page).group(1)


def _form_url(person, world, **params):
    query = {
        "recipient": str(world["cpas_referent"].organisation_public_id),
        "domain": "housing",
        "category": ["identity"],
        "purpose": "Logement",
        **params,
    }
    return f"{BASE}/persons/{person.public_id}/consent-form/?{urlencode(query, doseq=True)}"


@pytest.fixture
def needs_interpreter(tenant_db):
    return PersonFactory(preferred_language="ar", interpreter_needed=True, interpreter_language="ar")


def test_the_form_from_the_recording_page_prints_the_interpreter_and_ticks_the_box(
    needs_interpreter, tenant_db, login, client
):
    login(tenant_db["bapa_worker"])
    url = _form_url(
        needs_interpreter, tenant_db, explanation_language="ar", interpreter_used="on", interpreter_name="Sétis Yasmina"
    )
    page = _page(client.get(url))
    assert _box(page) == "yes"
    assert documents.document_texts("ar")[0]["with_interpreter"] in page
    assert '<bdi class="interpreter-name">Sétis Yasmina</bdi> (<bdi>العربية</bdi>)' in page


def test_the_form_leaves_the_box_empty_when_the_worker_unticked_it(needs_interpreter, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    page = _page(client.get(_form_url(needs_interpreter, tenant_db, explanation_language="fr", interpreter_name="X")))
    assert _box(page) == "no"
    assert "interpreter-name" not in page


def test_a_form_printed_from_elsewhere_follows_the_file(needs_interpreter, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    assert _box(_page(client.get(_form_url(needs_interpreter, tenant_db)))) == "yes"
    other = PersonFactory(preferred_language="fr")
    assert _box(_page(client.get(_form_url(other, tenant_db)))) == "no"


def test_the_recording_page_ticks_the_box_when_the_file_says_one_is_needed(needs_interpreter, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    page = client.get(f"{BASE}/persons/{needs_interpreter.public_id}/consents/new/").content.decode()
    assert re.search(r'<input type="checkbox" name="interpreter_used"[^>]* checked', page)


def test_the_receipt_names_the_interpreter_and_ticks_the_box(needs_interpreter, tenant_db, login, client):
    consent = ConsentFactory(
        person=needs_interpreter, explanation_language="ar", interpreter_used=True, interpreter_name="Sétis Yasmina"
    )
    login(tenant_db["bapa_worker"])
    page = _page(client.get(f"{BASE}/consents/{consent.public_id}/receipt/?lang=fr"))
    assert _box(page) == "yes"
    assert "Avec un interprète" in page
    assert '<bdi class="interpreter-name">Sétis Yasmina</bdi> (<bdi>arabe</bdi>)' in page


def test_the_receipt_leaves_the_box_empty_without_an_interpreter(tenant_db, login, client):
    consent = ConsentFactory(person=PersonFactory(), interpreter_used=False, interpreter_name="")
    login(tenant_db["bapa_worker"])
    page = _page(client.get(f"{BASE}/consents/{consent.public_id}/receipt/?lang=fr"))
    assert _box(page) == "no"
    assert "interpreter-name" not in page
