"""Finding a person by a name in any spelling or script, or by birth date; the duplicate
warning matches names the same way (persons.selectors.name_match).

The pairs below were measured on PostgreSQL 15 with pg_trgm 1.6. "name" is
word_similarity(typed, file) on the transliterated names (persons.names.search_name;
matches from 0.6), "key" strict_word_similarity on the consonant skeletons
(persons.names.search_key; matches from 0.5):

    typed              file                  transliterated          skeletons            name  key
    Youssef            Amina Yousef          youssef / amina yousef  asf / amn asf        0.67  1.00
    Youssef            Yusuf Diallo          youssef / yusuf diallo  asf / asf dl         0.13  1.00
    Youssef            Jusuf Hodžić          youssef / jusuf hodzic  asf / asf hdzc       0.00  1.00
    Mohammed           Muhammad Ali                                  mhmd / mhmd al       0.25  1.00
    Muhammad           Mohamed Benali                                mhmd / mhmd bnl      0.25  1.00
    Amina              Aminah Diallo                                 amn / amn dl         0.83  1.00
    أمينة يوسف         Amina Youssef         mynh ywsf / amina ...   amn asf / amn asf    0.10  1.00
    Олена              Olena Kovalenko       olena / olena ...       aln / aln kvlnk      1.00  1.00
    ዮሃንስ ተስፋይ          Yohannes Tesfay       yohans tesfay / ...     ahns tsf / ahns tsf  0.67  1.00
    Khadija            خديجة عمر             khadija / khdyjh mr     hd / hd amr          0.25  1.00
    Abdullah           عبد الله              abdullah / bd llh       abdl / abd l         0.00  0.50
    فاطمة الزهراء      Fatima Zahra          ftmh lzhr / ...         ftm lzhr / ftm zhr   0.10  0.55

Unrelated names stay apart (Youssef / Sofia Martin: 0.00 and 0.17; Amina Youssef / Mona Safi:
0.07 and 0.18; Mohammed / Michel Dupont: 0.11 and 0.11). What the skeleton also brings
together, by design of a tolerant search: Olena and Elena, Youssef and Joseph, Jamal and
Amal, Hassan and Hussein, Omar and Amira (all key 1.00). The closest come first (score =
name + key), and the duplicate warning also needs the same birth date.
"""

from datetime import date

import pytest
from django_tenants.utils import schema_context

from maillage.errors import Invalid
from persons.selectors import NAME_QUERY_MAX_LENGTH, possible_duplicates, search_persons
from tests.factories import ConsentFactory, PersonFactory

BIRTH = date(1991, 3, 14)

# (what the worker types, the file's given name, family name)
FOUND = [
    ("Youssef", "Amina", "Yousef"),
    ("Yousef", "Amina", "Youssef"),
    ("Youssef", "Yusuf", "Diallo"),
    ("Youssef", "Jusuf", "Hodžić"),
    ("Jusuf", "Youssef", "Amrani"),
    ("Mohammed", "Muhammad", "Ali"),
    ("Mohammed", "Mohamed", "Benali"),
    ("Muhammad", "Mohammed", "Benali"),
    ("Mukhammed", "Muhammad", "Ali"),
    ("محمد", "Mohammed", "Benali"),
    ("Amina", "Aminah", "Diallo"),
    ("Aminah Youssef", "Amina", "Yusuf"),
    ("أمينة يوسف", "Amina", "Youssef"),
    ("Amina Youssef", "أمينة", "يوسف"),
    ("Amina يوسف", "Amina", "Youssef"),
    ("Олена", "Olena", "Kovalenko"),
    ("Olena Kovalenko", "Олена", "Коваленко"),
    ("ዮሃንስ ተስፋይ", "Yohannes", "Tesfay"),
    ("Yohannes", "Yohanis", "Tesfay"),
    ("Khadija", "خديجة", "عمر"),
    ("Ali Hassan", "علي", "حسن"),
    ("Mariam", "مريم", "Haddad"),
    ("Müller", "Zoë", "Müller"),
    ("Zoe Muller", "Zoë", "Müller"),
    ("ahmed", "AHMED", "Benali"),
]

NOT_FOUND = [
    ("Youssef", "Sofia", "Martin"),
    ("Amina Youssef", "Mona", "Safi"),
    ("Amina Youssef", "Fatima", "Zahra"),
    ("Mohammed", "Michel", "Dupont"),
    ("Amina", "Marie", "Dubois"),
    ("Ahmed", "Mehdi", "Amrani"),
    ("Khadija", "Kadir", "Demir"),
    ("Sara", "Zahra", "Amrani"),
    ("Olena", "Helena", "Janssens"),
    ("أمينة يوسف", "Anna", "Smith"),
    ("Aya", "Amir", "Osman"),
]


def _search(persona, **search):
    with schema_context("schaerbeek"):
        return list(search_persons(actor=persona.actor(), **search))


@pytest.mark.parametrize(("typed", "given_name", "family_name"), FOUND)
def test_a_spelling_or_script_of_the_name_finds_the_file(tenant_db, typed, given_name, family_name):
    person = PersonFactory(given_name=given_name, family_name=family_name)
    assert person in _search(tenant_db["bapa_worker"], name=typed)


@pytest.mark.parametrize(("typed", "given_name", "family_name"), NOT_FOUND)
def test_an_unrelated_name_does_not_find_the_file(tenant_db, typed, given_name, family_name):
    PersonFactory(given_name=given_name, family_name=family_name)
    assert _search(tenant_db["bapa_worker"], name=typed) == []


def test_the_closest_name_comes_first(tenant_db):
    skeleton_only = PersonFactory(given_name="Amin", family_name="Yousfi")
    exact = PersonFactory(given_name="Amina", family_name="Youssef")
    assert _search(tenant_db["bapa_worker"], name="Amina Youssef") == [exact, skeleton_only]


def test_the_birth_date_finds_the_file_whatever_the_name(tenant_db):
    born = PersonFactory(given_name="Selam", family_name="Tesfay", birth_date=BIRTH)
    PersonFactory(given_name="Other", family_name="Day", birth_date=date(1991, 3, 15))
    assert _search(tenant_db["bapa_worker"], birth_date=BIRTH) == [born]


def test_name_or_birth_date_with_both_matching_first(tenant_db):
    named = PersonFactory(given_name="Amina", family_name="Youssef", birth_date=date(1985, 1, 1))
    born = PersonFactory(given_name="Selam", family_name="Tesfay", birth_date=BIRTH)
    both = PersonFactory(given_name="Amina", family_name="Yusuf", birth_date=BIRTH)
    assert _search(tenant_db["bapa_worker"], name="Amina Youssef", birth_date=BIRTH) == [both, born, named]


def test_another_organisations_files_are_never_found(tenant_db):
    PersonFactory(given_name="Amina", family_name="Youssef", birth_date=BIRTH)
    for persona in ("outsider", "cpas_referent", "volunteer"):
        assert _search(tenant_db[persona], name="Amina Youssef") == []
        assert _search(tenant_db[persona], birth_date=BIRTH) == []
    with schema_context("tournai"):
        assert list(search_persons(actor=tenant_db["foreigner"].actor(), name="Amina Youssef")) == []


def test_a_consent_opens_the_file_to_the_search(tenant_db):
    person = PersonFactory(given_name="Amina", family_name="Youssef")
    ConsentFactory(person=person)
    assert _search(tenant_db["cpas_referent"], name="أمينة يوسف") == [person]
    assert _search(tenant_db["outsider"], name="أمينة يوسف") == []


@pytest.mark.parametrize(
    "typed",
    ["x" * (NAME_QUERY_MAX_LENGTH + 1), "!!! ... ???", "-", "a", "٣٤٥"],
    ids=["long", "punct", "dash", "one", "digits"],
)
def test_a_name_too_long_or_without_letters_is_refused(tenant_db, typed):
    with pytest.raises(Invalid) as refused:
        _search(tenant_db["bapa_worker"], name=typed)
    assert "q" in refused.value.fields


def test_the_search_changes_with_the_names(tenant_db):
    from persons.services import PersonInput, update_person

    person = PersonFactory(given_name="Amina", family_name="Youssef")
    with schema_context("schaerbeek"):
        update_person(
            actor=tenant_db["bapa_worker"].actor(),
            person=person,
            data=PersonInput(given_name="Selam", family_name="Tesfay"),
        )
    assert _search(tenant_db["bapa_worker"], name="Amina Youssef") == []
    assert _search(tenant_db["bapa_worker"], name="ሰላም") == [person]


# --- The duplicate warning uses the same match, and needs the same birth date.


def _duplicates(persona, given_name, family_name, birth_date=BIRTH, birth_year=None):
    with schema_context("schaerbeek"):
        return possible_duplicates(
            actor=persona.actor(),
            given_name=given_name,
            family_name=family_name,
            birth_date=birth_date,
            birth_year=birth_year,
        )


def test_an_arabic_script_file_is_a_possible_duplicate_of_its_latin_spelling(tenant_db):
    PersonFactory(given_name="أمينة", family_name="يوسف", birth_date=BIRTH)
    assert _duplicates(tenant_db["cpas_referent"], "Amina", "Youssef") == ["VIA — BAPA Schaerbeek"]


def test_a_latin_file_is_a_possible_duplicate_of_its_arabic_spelling(tenant_db):
    PersonFactory(given_name="Amina", family_name="Youssef", birth_date=BIRTH)
    assert _duplicates(tenant_db["cpas_referent"], "أمينة", "يوسف") == ["VIA — BAPA Schaerbeek"]


def test_each_organisation_is_named_once(tenant_db):
    PersonFactory(given_name="أمينة", family_name="يوسف", birth_date=BIRTH)
    PersonFactory(given_name="Amina", family_name="Yusuf", birth_date=BIRTH)
    PersonFactory(actor="outsider", given_name="Aminah", family_name="Youssef", birth_date=BIRTH)
    assert _duplicates(tenant_db["cpas_referent"], "Amina", "Youssef") == ["SESO", "VIA — BAPA Schaerbeek"]


def test_the_same_name_born_another_day_is_no_duplicate(tenant_db):
    PersonFactory(given_name="أمينة", family_name="يوسف", birth_date=BIRTH)
    assert _duplicates(tenant_db["cpas_referent"], "Amina", "Youssef", birth_date=date(1991, 3, 15)) == []


def test_another_name_born_the_same_day_is_no_duplicate(tenant_db):
    PersonFactory(given_name="Selam", family_name="Tesfay", birth_date=BIRTH)
    assert _duplicates(tenant_db["cpas_referent"], "Amina", "Youssef") == []


def test_the_page_warns_of_the_arabic_script_duplicate(tenant_db, login, client):
    PersonFactory(given_name="أمينة", family_name="يوسف", birth_date=BIRTH)
    login(tenant_db["cpas_referent"])
    body = {"given_name": "Amina", "family_name": "Youssef", "birth_date": BIRTH.isoformat()}
    response = client.post("/c/schaerbeek/persons/new/", body)
    assert response.status_code == 200
    assert response.context["duplicates"] == ["VIA — BAPA Schaerbeek"]
    assert client.post("/c/schaerbeek/persons/new/", {**body, "confirm_new": "1"}).status_code == 302


def test_the_api_warns_of_the_arabic_script_duplicate(tenant_db, token_client):
    PersonFactory(given_name="أمينة", family_name="يوسف", birth_date=BIRTH)
    api = token_client(tenant_db["cpas_referent"])
    body = {"given_name": "Amina", "family_name": "Youssef", "birth_date": BIRTH.isoformat()}
    response = api.post("/c/schaerbeek/api/v1/persons/", body, format="json")
    assert response.status_code == 409
    assert response.json()["error"] == "possible_duplicate"
    assert "VIA — BAPA Schaerbeek" in response.json()["detail"]
    assert api.post("/c/schaerbeek/api/v1/persons/?confirm_new=1", body, format="json").status_code == 201


# --- The page and the API.


def test_the_page_finds_a_spelling_and_shows_only_visible_files(tenant_db, login, client):
    mine = PersonFactory(given_name="Amina", family_name="Youssef")
    PersonFactory(actor="cpas_referent", given_name="Amina", family_name="Yusuf")
    login(tenant_db["bapa_worker"])
    response = client.get("/c/schaerbeek/persons/", {"q": "أمينة يوسف"})
    assert response.status_code == 200
    assert list(response.context["page"]) == [mine]


def test_the_page_searches_by_birth_date(tenant_db, login, client):
    born = PersonFactory(given_name="Selam", family_name="Tesfay", birth_date=BIRTH)
    PersonFactory(given_name="Other", family_name="Day", birth_date=date(1980, 1, 1))
    login(tenant_db["bapa_worker"])
    response = client.get("/c/schaerbeek/persons/", {"birth_date": BIRTH.isoformat()})
    assert list(response.context["page"]) == [born]


@pytest.mark.parametrize(
    ("search", "field"),
    [
        ({"q": "y" * 10_000}, "q"),
        ({"q": "?!.,;"}, "q"),
        ({"birth_date": "14/03/91x"}, "birth_date"),
    ],
    ids=["10000-chars", "punctuation", "bad-date"],
)
def test_bad_search_input_is_400_naming_the_field(tenant_db, token_client, login, client, search, field):
    response = token_client(tenant_db["bapa_worker"]).get("/c/schaerbeek/api/v1/persons/", search)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid"
    assert response.json()["fields"][field]
    login(tenant_db["bapa_worker"])
    page = client.get("/c/schaerbeek/persons/", search)
    assert page.status_code == 400
    assert page.context["form"].errors[field]


def test_the_api_finds_a_spelling_or_a_birth_date(tenant_db, token_client):
    amina = PersonFactory(given_name="Amina", family_name="Youssef")
    selam = PersonFactory(given_name="ሰላም", family_name="ተስፋይ", birth_date=BIRTH)
    api = token_client(tenant_db["bapa_worker"])
    by_name = api.get("/c/schaerbeek/api/v1/persons/", {"q": "Yusuf"}).json()["results"]
    assert [p["id"] for p in by_name] == [str(amina.public_id)]
    by_script = api.get("/c/schaerbeek/api/v1/persons/", {"q": "Selam Tesfay"}).json()["results"]
    assert [p["id"] for p in by_script] == [str(selam.public_id)]
    by_date = api.get("/c/schaerbeek/api/v1/persons/", {"birth_date": BIRTH.isoformat()}).json()["results"]
    assert [p["id"] for p in by_date] == [str(selam.public_id)]


def test_the_api_search_never_returns_another_organisations_file(tenant_db, token_client):
    PersonFactory(given_name="Amina", family_name="Youssef", birth_date=BIRTH)
    for persona in ("outsider", "cpas_referent"):
        api = token_client(tenant_db[persona])
        assert api.get("/c/schaerbeek/api/v1/persons/", {"q": "Amina Youssef"}).json()["results"] == []
        assert api.get("/c/schaerbeek/api/v1/persons/", {"birth_date": BIRTH.isoformat()}).json()["results"] == []
    foreign = token_client(tenant_db["foreigner"]).get("/c/tournai/api/v1/persons/", {"q": "Amina Youssef"})
    assert foreign.json()["results"] == []


def test_the_search_costs_the_same_queries_for_two_or_six_files(tenant_db, token_client):
    api = token_client(tenant_db["bapa_worker"])
    PersonFactory(given_name="Amina", family_name="Youssef")
    PersonFactory(given_name="Amina", family_name="Yusuf")
    api.get("/c/schaerbeek/api/v1/persons/", {"q": "Amina Youssef"})  # warm-up: session, tenant caches

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = api.get("/c/schaerbeek/api/v1/persons/", {"q": "Amina Youssef"})
        return len(captured), len(response.json()["results"])

    two = queries()
    for family_name in ("Yousef", "Youssef", "Yousef", "Youssef"):
        PersonFactory(given_name="Aminah", family_name=family_name)
    six = queries()
    assert (two[1], six[1]) == (2, 6)
    assert two[0] == six[0]
