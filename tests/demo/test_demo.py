"""The demo the run command loads: what the README promises, and loading it twice changes
nothing. (When the data files change on purpose, the figures below change with them.)"""

from collections import Counter
from datetime import timedelta
from io import StringIO

from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone
from django_tenants.utils import schema_context

from charter.models import CharterAdoption, CharterVersion, MembershipRequest
from consent.models import Consent
from demo.coordinations import DEMO_PASSWORD, load_demo
from directory.models import NeedDomain, Offer, Organisation
from meetings.models import Action, Meeting, Objective
from members.models import Membership
from members.roles import Role
from persons.models import Person
from plans.models import Commitment, Decision, Piis, Plan
from referrals.models import Referral, ReferralStatus
from regions.indicators import last_complete_month
from regions.models import IndicatorValue
from tenants.models import Coordination, RegionalAdministrator

TERRITORIES = {"forest", "anderlecht", "molenbeek", "mons", "liege", "namur"}


def _summary():
    """Counts per model per coordination, and the facts a visitor of the demo meets."""
    slugs = Coordination.objects.exclude(schema_name="public").values_list("slug", flat=True)
    summary = {"coordinations": sorted(slugs)}
    for schema in ("schaerbeek", "tournai"):
        with schema_context(schema):
            offers = Offer.objects.all()
            summary[schema] = {
                "organisations": Organisation.objects.count(),
                "offers": offers.count(),
                "offer titles": sorted(offers.values_list("title", flat=True)),
                "domains": NeedDomain.objects.filter(primary_offers__in=offers).distinct().count(),
                "languages": len({code for o in offers for code in o.languages}),
                "persons": sorted(Person.objects.values_list("given_name", flat=True)),
                "consents": Counter(Consent.objects.values_list("state", flat=True)),
                "referrals": Counter(Referral.objects.values_list("status", flat=True)),
                "flows": sorted(set(Referral.objects.values_list("from_organisation__name", "to_organisation__name"))),
                "roles": Counter(Membership.objects.filter(is_active=True).values_list("role", flat=True)),
                "meetings": Meeting.objects.count(),
                "actions": Counter(Action.objects.values_list("status", flat=True)),
                "objectives": Objective.objects.count(),
                "charters": CharterVersion.objects.filter(published_at__isnull=False).count(),
                "adoptions": CharterAdoption.objects.count(),
                "requests": MembershipRequest.objects.filter(status="pending").count(),
                "plans": Plan.objects.count(),
                "plan parts": (
                    Commitment.objects.count(),
                    Piis.objects.filter(includes_programme=True).count(),
                    Decision.objects.count(),
                ),
                "moved": sorted(Person.objects.filter(moved_at__isnull=False).values_list("given_name", flat=True)),
                "arrived": sorted(
                    Person.objects.filter(arrived_by_transfer__isnull=False).values_list(
                        "given_name", "arrived_from", "programme_due_carried"
                    )
                ),
            }
    return summary


def test_demo_loads_what_the_readme_promises_and_twice_changes_nothing(tenant_db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    header, *rows = out.getvalue().splitlines()
    assert header == f"Demo logins (password for all: {DEMO_PASSWORD}):"
    logins = [row.split(maxsplit=1) for row in rows]
    first = _summary()
    s, t = first["schaerbeek"], first["tournai"]

    assert set(first["coordinations"]) >= TERRITORIES
    assert (s["offers"], t["offers"]) == (45, 38)
    assert s["domains"] >= 10 and t["domains"] >= 10 and s["languages"] >= 5 and t["languages"] >= 5
    assert {"Samira", "Habib", "Olena", "Nour"} <= set(s["persons"]) and {"Yonas", "Mariam"} <= set(t["persons"])
    # Referrals in every state; several flows for the network map, not only the reception
    # office's to the CPAS.
    assert set(s["referrals"]) == set(ReferralStatus.values)
    assert s["consents"]["withdrawn"] == 1
    assert len(s["flows"]) >= 5
    assert ("Service Social de Solidarité Socialiste (SESO)", "CPAS de Schaerbeek") in s["flows"]
    assert not t["referrals"]
    # Two past meetings and one to come, open actions, a three-objective plan; a charter
    # adopted by every member and one membership request.
    assert (s["meetings"], s["objectives"], t["meetings"]) == (3, 3, 0)
    assert s["actions"] == {"open": 3, "done": 1}
    with schema_context("schaerbeek"):
        assert s["adoptions"] == Organisation.objects.filter(is_member=True).count() > 0
    assert (s["charters"], s["requests"], t["charters"]) == (1, 1, 0)
    # A family's support plan: the BAPA's bilan social, the CPAS's PIIS with the programme,
    # the SESO's French course at the hours of the citizenship training, a review.
    assert (s["plans"], s["plan parts"], t["plans"]) == (1, (2, 1, 2), 0)
    # One person moved from Tournai to Schaerbeek, accepted on arrival, with the deadline
    # reckoned in Wallonia (3 months after the commune registration, 70 days ago).
    assert t["moved"] == ["Amanuel"] and not s["moved"]
    [(name, arrived_from, due)] = s["arrived"]
    assert name == "Amanuel" and "Tournai" in arrived_from
    assert due == timezone.localdate() - timedelta(days=70) + relativedelta(months=3)

    assert RegionalAdministrator.objects.filter(region="brussels").exists()
    assert RegionalAdministrator.objects.filter(region="wallonia").exists()
    # One demo account per role in each coordination, printed with the platform and regional
    # administrators.
    for name in ("Schaerbeek", "Tournai"):
        rows = [what for _email, what in logins if what.startswith(f"{name}: ")]
        assert sorted(Role(role).label for role in Role.values) == sorted(
            {what.split(": ")[1].split(" — ")[0] for what in rows}
        )
        assert set(first[name.lower()]["roles"]) == set(Role.values)
    assert len(logins) == 16 and logins[0][0] == "admin@demo.maillage.example"
    # Schaerbeek's referrals are spread over the year, and the month the regional comparison
    # opens on (the last complete one) has at least five: its total is shown, not "<5".
    with schema_context("schaerbeek"):
        months = {
            (r.year, r.month) for r in Referral.objects.filter(sent_at__isnull=False).values_list("sent_at", flat=True)
        }
    assert len(months) >= 6
    last = IndicatorValue.objects.filter(
        coordination__slug="schaerbeek", period=last_complete_month(), indicator="referrals_sent"
    ).aggregate(sent=Sum("value"))["sent"]
    assert last >= 5

    # Schaerbeek's offers in Dutch and English too; an offer written only in Dutch; the CPAS's
    # Dutch name.
    with schema_context("schaerbeek"):
        assert Offer.objects.exclude(title_nl="").count() >= 8 and Offer.objects.exclude(title_en="").count() >= 8
        assert Offer.objects.get(title_nl="Inburgeringstraject voor nieuwkomers").title_fr == ""
        assert Organisation.objects.get(name="CPAS de Schaerbeek").name_nl == "OCMW Schaarbeek"

    load_demo()
    assert _summary() == first
