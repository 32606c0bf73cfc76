"""The network map's counts and highlights on known data (see conftest.py for the data
and the hand-computed expectations)."""

from datetime import date

import pytest
from django_tenants.utils import schema_context

from directory.models import Organisation
from members.models import Membership
from members.roles import Role
from network.map import NetworkPeriod, parse_network_period
from network.selectors import network_map
from tests.network.conftest import PERIOD, TODAY


def _map(world, persona="bapa_worker", period=PERIOD, today=TODAY):
    return network_map(
        actor=world[persona].actor(), period=parse_network_period({"period": period}, today=today), today=today
    )


def _edges(network):
    return {
        (e.source.name, e.target.name): (e.sent, e.accepted, e.answered, e.unanswered, e.overdue) for e in network.edges
    }


def _node(network, name):
    return next(n for n in network.nodes if n.name == name)


def test_flow_counts_match_the_hand_computed_ones(known, tenant_db):
    with schema_context("schaerbeek"):
        network = _map(tenant_db)
    assert _edges(network) == {
        ("VIA — BAPA Schaerbeek", "CPAS de Schaerbeek"): (6, 2, 3, 3, 1),
        ("CPAS de Schaerbeek", "VIA — BAPA Schaerbeek"): (1, 1, 1, 0, 0),
        ("VIA — BAPA Schaerbeek", "SESO"): (3, 0, 0, 2, 2),
    }


def test_referrals_outside_the_period_and_drafts_are_not_counted(known, tenant_db):
    with schema_context("schaerbeek"):
        network = _map(tenant_db)
    assert _node(network, "Exil").received == 0
    assert network.total_sent == 10


def test_the_last_day_of_a_date_range_is_included(known, tenant_db):
    with schema_context("schaerbeek"):
        network = network_map(
            actor=tenant_db["bapa_worker"].actor(),
            period=NetworkPeriod(start=date(2025, 12, 31), end=date(2026, 4, 1)),
            today=TODAY,
        )
    assert _node(network, "Exil").received == 2


def test_node_totals_leave_out_referrals_waiting_for_triage(known, tenant_db):
    with schema_context("schaerbeek"):
        network = _map(tenant_db)
    cpas = _node(network, "CPAS de Schaerbeek")
    bapa = _node(network, "VIA — BAPA Schaerbeek")
    assert (cpas.sent, cpas.received, cpas.left_unanswered) == (1, 5, 1)
    assert (bapa.sent, bapa.received) == (9, 1)


def test_nodes_carry_the_domains_of_their_open_offers_only(known, tenant_db):
    with schema_context("schaerbeek"):
        network = _map(tenant_db)
    assert [d.code for d in _node(network, "CPAS de Schaerbeek").domains] == ["housing", "social_rights"]
    assert [d.code for d in _node(network, "Plate-forme citoyenne").domains] == ["language"]
    assert _node(network, "Exil").domains == []  # one full offer, one ended


def test_nodes_are_the_member_organisations_with_their_kind(known, tenant_db):
    with schema_context("schaerbeek"):
        network = _map(tenant_db)
        expected = set(Organisation.objects.filter(is_member=True).values_list("name", "kind"))
    assert {(n.name, n.kind) for n in network.nodes} == expected
    assert all(n.is_member for n in network.nodes)


def test_organisation_leaving_most_referrals_unanswered_is_flagged_with_its_numbers(known, tenant_db):
    with schema_context("schaerbeek"):
        network = _map(tenant_db)
    seso = _node(network, "SESO")
    assert [n.name for n in network.gaps.mostly_unanswered] == ["SESO"]
    assert (seso.received, seso.left_unanswered, seso.unanswered_percent) == (3, 2, 67)
    assert "mostly_unanswered" in seso.flags


def test_unanswered_referrals_not_yet_due_do_not_count_against_the_receiver(known, tenant_db):
    with schema_context("schaerbeek"):
        before = _map(tenant_db, today=date(2026, 3, 2))
    # On 2 March only SESO's two referrals (due 1 March) are late.
    assert _node(before, "SESO").left_unanswered == 2
    assert _node(before, "CPAS de Schaerbeek").left_unanswered == 0


def test_organisation_without_activity_in_the_period_is_flagged(known, tenant_db):
    with schema_context("schaerbeek"):
        network = _map(tenant_db)
    assert [n.name for n in network.gaps.inactive] == ["Exil"]


def test_need_domains_no_open_offer_covers_are_listed(known, tenant_db):
    with schema_context("schaerbeek"):
        network = _map(tenant_db)
        from directory.models import NeedDomain

        every = set(NeedDomain.objects.values_list("code", flat=True))
    assert {d.code for d in network.gaps.uncovered_domains} == every - {"housing", "social_rights", "language"}
    assert "material_aid" in {d.code for d in network.gaps.uncovered_domains}  # a full offer covers nothing


def test_cpas_with_its_reference_person_is_not_flagged(known, tenant_db):
    with schema_context("schaerbeek"):
        network = _map(tenant_db)
    assert network.gaps.cpas_without_referent == []
    assert network.gaps.no_cpas is False


def test_cpas_without_an_active_reference_person_is_flagged(known, tenant_db):
    with schema_context("schaerbeek"):
        Membership.objects.filter(role=Role.CPAS_REFERENT).update(role=Role.WORKER)
        network = _map(tenant_db)
    assert [n.name for n in network.gaps.cpas_without_referent] == ["CPAS de Schaerbeek"]


def test_deactivated_reference_person_does_not_count(tenant_db):
    from members.services import deactivate_member

    world = tenant_db
    with schema_context("schaerbeek"):
        deactivate_member(
            actor=world["coordinator"].actor(), membership_public_id=world["cpas_referent"].membership_public_id
        )
        network = _map(world, persona="bapa_worker")
    assert [n.name for n in network.gaps.cpas_without_referent] == ["CPAS de Schaerbeek"]


def test_coordination_without_a_cpas_member_is_flagged(tenant_db):
    with schema_context("schaerbeek"):
        Organisation.objects.filter(kind="cpas").update(is_member=False)
        network = _map(tenant_db)
    assert network.gaps.no_cpas is True
    assert all(n.kind != "cpas" for n in network.nodes)


def test_former_member_with_flows_in_the_period_stays_on_the_map(known, tenant_db):
    with schema_context("schaerbeek"):
        Organisation.objects.filter(pk=known.seso.pk).update(is_member=False)
        network = _map(tenant_db)
    seso = _node(network, "SESO")
    assert seso.is_member is False and seso.flags == ["not_member"]
    assert network.gaps.mostly_unanswered == []  # the gaps are about members
    assert _edges(network)[("VIA — BAPA Schaerbeek", "SESO")][0] == 3


def test_map_stays_inside_the_coordination(known, tenant_db):
    with schema_context("tournai"):
        network = _map(tenant_db, persona="foreigner")
    assert network.edges == []
    assert {n.name for n in network.nodes} == {"CPAS de Tournai", "Plateforme associative tournaisienne"}
    # Tournai's CPAS has a worker but no reference person.
    assert [n.name for n in network.gaps.cpas_without_referent] == ["CPAS de Tournai"]


@pytest.mark.parametrize("extra", [0, 12])
def test_map_takes_the_same_number_of_queries_whatever_the_size(known, tenant_db, django_assert_max_num_queries, extra):
    from directory.services import create_organisation
    from maillage.actor import Actor

    with schema_context("schaerbeek"):
        for index in range(extra):
            create_organisation(actor=Actor.system(tenant_db.schaerbeek), name=f"Association {index}", kind="ngo")
        actor = tenant_db["bapa_worker"].actor()
        period = parse_network_period({"period": PERIOD}, today=TODAY)
        with django_assert_max_num_queries(6):
            network = network_map(actor=actor, period=period, today=TODAY)
    assert len(network.nodes) == 5 + extra
