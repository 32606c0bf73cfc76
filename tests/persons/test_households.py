"""Households on the person page: grouping persons the organisation follows."""

import pytest
from django_tenants.utils import schema_context

from persons.models import Household, HouseholdMember
from tests.factories import PersonFactory


@pytest.fixture
def family(tenant_db):
    """Samira Darwish and her son Adam, followed by the BAPA."""
    return PersonFactory(), PersonFactory(given_name="Adam", birth_year=2019)


def test_a_new_household_then_a_second_member(tenant_db, family, login, client):
    mother, child = family
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


def test_another_organisation_cannot_add_to_the_household(tenant_db, family, login, client):
    mother, _child = family
    login(tenant_db["outsider"])
    response = client.post(
        f"/c/schaerbeek/persons/{mother.public_id}/household/", {"new_name": "X", "relation": "head"}
    )
    assert response.status_code == 404


def test_household_without_a_name_is_refused_with_a_message(tenant_db, family, login, client):
    mother, _child = family
    login(tenant_db["bapa_worker"])
    client.post(f"/c/schaerbeek/persons/{mother.public_id}/household/", {"relation": "head"})
    with schema_context("schaerbeek"):
        assert not Household.objects.exists()
