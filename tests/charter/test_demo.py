"""The charter demo: Schaerbeek's charter adopted by every member organisation, one
pending membership request; loading twice changes nothing."""

from django_tenants.utils import schema_context

from charter.models import CharterAdoption, CharterVersion, MembershipRequest
from demo.charter import load_charter_demo
from demo.directory import load_directory_demo
from directory.models import Organisation


def _counts():
    with schema_context("schaerbeek"):
        return (
            CharterVersion.objects.count(),
            CharterAdoption.objects.count(),
            MembershipRequest.objects.filter(status="pending").count(),
        )


def test_charter_demo_is_adopted_by_every_member_and_idempotent(tenant_db):
    world = tenant_db
    load_directory_demo(world.schaerbeek)  # lists the Maison des femmes, not a member
    load_charter_demo(world.schaerbeek)
    with schema_context("schaerbeek"):
        current = CharterVersion.objects.get()
        assert current.number == 1 and "secret professionnel partagé" in current.secrecy_rules.lower()
        members = set(Organisation.objects.filter(is_member=True).values_list("pk", flat=True))
        adopted = set(CharterAdoption.objects.filter(charter=current).values_list("organisation_id", flat=True))
        assert adopted == members
        request = MembershipRequest.objects.get()
        assert request.status == "pending" and request.organisation.name == "Maison des femmes de Schaerbeek"
        assert not request.organisation.is_member
    first = _counts()
    assert load_charter_demo(world.schaerbeek) == 0
    assert load_charter_demo(world.tournai) == 0
    assert _counts() == first == (1, len(members), 1)
    with schema_context("tournai"):
        assert not CharterVersion.objects.exists()
