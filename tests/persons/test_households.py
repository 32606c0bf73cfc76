"""Households on the person page: grouping persons the organisation follows."""

from django_tenants.utils import schema_context

from persons.models import Household, HouseholdMember
from persons.services import PersonInput, create_person


def _people(world):
    with schema_context("schaerbeek"):
        worker = world["bapa_worker"].actor()
        mother = create_person(actor=worker, data=PersonInput("Samira", "Darwish"))
        child = create_person(actor=worker, data=PersonInput("Adam", "Darwish", birth_year=2019))
    return mother, child


def test_a_new_household_then_a_second_member(tenant_db, login, client):
    mother, child = _people(tenant_db)
    login(tenant_db["bapa_worker"])
    client.post(f"/c/schaerbeek/persons/{mother.public_id}/household/", {"new_name": "Famille D.", "relation": "head"})
    with schema_context("schaerbeek"):
        household = Household.objects.get(name="Famille D.")
    client.post(
        f"/c/schaerbeek/persons/{child.public_id}/household/",
        {"household": str(household.public_id), "relation": "child"},
    )
    with schema_context("schaerbeek"):
        assert set(HouseholdMember.objects.filter(household=household).values_list("relation", flat=True)) == {
            "head",
            "child",
        }
    page = client.get(f"/c/schaerbeek/persons/{mother.public_id}/").content.decode()
    assert "Famille D." in page and "Adam Darwish" in page


def test_another_organisation_cannot_add_to_the_household(tenant_db, login, client):
    mother, _child = _people(tenant_db)
    login(tenant_db["outsider"])
    response = client.post(
        f"/c/schaerbeek/persons/{mother.public_id}/household/", {"new_name": "X", "relation": "head"}
    )
    assert response.status_code == 404


def test_household_without_a_name_is_refused_with_a_message(tenant_db, login, client):
    mother, _child = _people(tenant_db)
    login(tenant_db["bapa_worker"])
    client.post(f"/c/schaerbeek/persons/{mother.public_id}/household/", {"relation": "head"})
    with schema_context("schaerbeek"):
        assert not Household.objects.exists()
