"""The person's languages: a grouped choice, the languages of the public first, made
searchable by a script from the project's own static files; constructed languages left out."""

import re

import pytest

from maillage.languages import COMMON, grouped_language_choices, is_spoken_language, language_choices
from persons.forms import PersonForm

SEED = ["ar", "prs", "ps", "fa", "ti", "so", "rw", "uk", "ru", "es", "tr", "en", "fr", "nl"]


def test_the_languages_of_the_public_come_first_in_the_seed_order():
    assert COMMON[: len(SEED)] == SEED
    (_public_label, public), (_other_label, other) = grouped_language_choices("en")
    assert [code for code, _name in public] == COMMON
    assert not {code for code, _name in other} & set(COMMON)


@pytest.mark.parametrize("code", ["tlh", "eo", "vo", "tok", "jbo", "und", "zxx", "mul"])
def test_constructed_and_special_codes_are_not_offered_nor_accepted(code):
    assert code not in {c for c, _name in language_choices("fr")}
    assert not is_spoken_language(code)


def test_the_list_is_the_spoken_languages_only():
    codes = [c for c, _name in language_choices("fr")]
    assert len(codes) == len(set(codes))
    assert "tlh" not in codes and "ar" in codes and "prs" in codes


def test_the_form_renders_a_plain_grouped_select_marked_for_the_picker(tenant_db):
    html = str(PersonForm()["languages"])
    assert html.startswith("<select") and " multiple" in html
    assert "data-language-picker" in html
    groups = re.findall(r'<optgroup label="([^"]+)">', html)
    assert len(groups) == 2
    first_group = html.split("</optgroup>")[0]
    assert 'value="ar"' in first_group and 'value="prs"' in first_group and 'value="de"' not in first_group
    assert 'value="tlh"' not in html


def test_the_person_form_page_loads_the_picker_from_the_static_files(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    page = client.get("/c/schaerbeek/persons/new/").content.decode()
    assert re.search(r'<script src="/static/maillage/language-picker\.js" defer></script>', page)
    assert "cdn" not in page.lower()
    assert "<optgroup" in page


def test_klingon_typed_through_the_form_is_refused(tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    response = client.post(
        "/c/schaerbeek/persons/new/", {"given_name": "Test", "family_name": "Person", "languages": ["tlh"]}
    )
    assert response.status_code == 400
