"""The demo the run command loads: complete, and loading it twice changes nothing."""

from django_tenants.utils import schema_context

from demo.coordinations import load_demo
from directory.models import NeedDomain, Offer
from members.models import Membership, Role
from persons.models import Person
from tenants.models import RegionalAdministrator


def _counts():
    counts = {}
    for schema in ("schaerbeek", "tournai"):
        with schema_context(schema):
            offers = Offer.objects.all()
            counts[schema] = (
                offers.count(),
                NeedDomain.objects.filter(primary_offers__in=offers).distinct().count(),
                len({code for o in offers for code in o.languages}),
                Person.objects.count(),
            )
    return counts


def test_demo_is_complete_and_idempotent(tenant_db):
    logins = load_demo()
    first = _counts()
    for offers, domains, languages, persons in first.values():
        assert offers >= 30 and domains >= 10 and languages >= 5 and persons >= 2
    assert RegionalAdministrator.objects.filter(region="brussels").exists()
    assert RegionalAdministrator.objects.filter(region="wallonia").exists()
    assert len(logins) >= 14
    for schema in ("schaerbeek", "tournai"):
        with schema_context(schema):
            assert set(Membership.objects.filter(is_active=True).values_list("role", flat=True)) == set(Role.values)
    with schema_context("schaerbeek"):
        from referrals.models import Referral, ReferralStatus

        assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
        # The network map has several flows to draw, not only the reception office's to the CPAS.
        flows = set(Referral.objects.values_list("from_organisation__name", "to_organisation__name"))
        assert len(flows) >= 5
        assert ("Service Social de Solidarité Socialiste (SESO)", "CPAS de Schaerbeek") in flows
    load_demo()
    assert _counts() == first
