"""The pages of a transfer: starting it from a file, the list of a member's transfers, and
the receiving organisation's answer behind a confirmation step."""

from django_tenants.utils import schema_context

from maillage.forms import CONFIRM_FIELD
from persons.models import Person
from tests.factories import ConsentFactory, PersonFactory
from work.selectors import my_work


def test_the_start_page_lists_the_other_coordinations_then_their_organisations(tenant_db, login, client):
    person = PersonFactory(actor="foreigner")
    login(tenant_db["foreigner"])
    page = client.get(f"/c/tournai/persons/{person.public_id}/transfer/")
    assert page.status_code == 200
    assert 'value="schaerbeek"' in page.content.decode() and 'value="tournai"' not in page.content.decode()
    page = client.get(f"/c/tournai/persons/{person.public_id}/transfer/?coordination=schaerbeek")
    assert str(tenant_db["bapa_worker"].organisation_public_id) in page.content.decode()


def test_starting_without_a_consent_is_400_naming_why(tenant_db, login, client):
    person = PersonFactory(actor="foreigner")
    login(tenant_db["foreigner"])
    response = client.post(
        f"/c/tournai/persons/{person.public_id}/transfer/",
        {"coordination": "schaerbeek", "organisation": str(tenant_db["bapa_worker"].organisation_public_id)},
    )
    assert response.status_code == 400
    assert "enregistrez d&#x27;abord son consentement" in response.content.decode()


def test_starting_from_the_page(tenant_db, login, client):
    via = tenant_db["bapa_worker"].organisation_public_id
    person = PersonFactory(actor="foreigner")
    ConsentFactory(actor="foreigner", person=person, recipients=[], recipients_elsewhere=[f"schaerbeek/{via}"])
    login(tenant_db["foreigner"])
    response = client.post(
        f"/c/tournai/persons/{person.public_id}/transfer/", {"coordination": "schaerbeek", "organisation": str(via)}
    )
    assert response.status_code == 302


def test_the_receiving_list_names_the_sender_not_the_person(family, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    page = client.get("/c/schaerbeek/transfers/").content.decode()
    assert "CPAS de Tournai" in page and str(family["transfer"].public_id) in page
    assert family["person"].family_name not in page


def test_accepting_asks_for_confirmation_then_opens_the_file_once(family, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    url = f"/c/schaerbeek/transfers/{family['transfer'].public_id}/accept/"
    assert client.get(url).status_code == 200
    with schema_context("schaerbeek"):
        assert not Person.objects.filter(arrived_by_transfer=family["transfer"].public_id).exists()
    done = client.post(url, {CONFIRM_FIELD: "yes"})
    assert done.status_code == 302
    with schema_context("schaerbeek"):
        arrived = Person.objects.get(arrived_by_transfer=family["transfer"].public_id)
    assert done["Location"].endswith(f"/persons/{arrived.public_id}/")
    page = client.get(done["Location"]).content.decode()
    assert "Haddad" in page and "Tournai" in page
    again = client.post(url, {CONFIRM_FIELD: "yes"})
    assert again.status_code == 400 and "déjà été accepté" in again.content.decode()


def test_the_origin_file_shows_moved(family, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    client.post(f"/c/schaerbeek/transfers/{family['transfer'].public_id}/accept/", {CONFIRM_FIELD: "yes"})
    login(tenant_db["foreigner"])
    page = client.get(f"/c/tournai/persons/{family['person'].public_id}/").content.decode()
    assert "déménagé" in page


def test_another_organisation_gets_404_on_the_transfer_pages(family, tenant_db, login, client):
    login(tenant_db["cpas_referent"])
    for tail in ("", "accept/", "decline/"):
        assert client.get(f"/c/schaerbeek/transfers/{family['transfer'].public_id}/{tail}").status_code == 404


def test_declining_asks_for_confirmation(family, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    url = f"/c/schaerbeek/transfers/{family['transfer'].public_id}/decline/"
    assert client.get(url).status_code == 200
    assert client.post(url, {CONFIRM_FIELD: "yes"}).status_code == 302


def test_my_work_asks_the_receiving_organisation_to_answer(family, tenant_db):
    with schema_context("schaerbeek"):
        work = my_work(actor=tenant_db["bapa_worker"].actor())
        other = my_work(actor=tenant_db["cpas_referent"].actor())
    lines = next(s.lines for s in work.sections if s.key == "transfers_to_answer")
    assert [line.object_id for line in lines] == [family["transfer"].public_id]
    assert "CPAS de Tournai" in lines[0].todo and family["person"].family_name not in lines[0].todo
    assert not next(s.lines for s in other.sections if s.key == "transfers_to_answer")
