"""The one policy, table-driven: state × recipient × domain × category."""

import pytest
from django_tenants.utils import schema_context

from consent.policies import covering, may_see, opening
from consent.services import ConsentInput, record_consent, withdraw_consent
from persons.selectors import get_person_for, persons_visible_to
from referrals.selectors import recipient_view
from tests.factories import ConsentFactory, PersonFactory, ReferralFactory

STATES = ["given", "withdrawn", "expired", "superseded"]
RECIPIENTS = ["named", "other"]
DOMAINS = ["named", "other"]
CATEGORIES = ["named", "other"]


@pytest.fixture
def shared(tenant_db):
    """A BAPA person and a consent naming the CPAS, housing, identity."""
    person = PersonFactory(given_name="Amina", family_name="Haddad", birth_year=1990)
    return tenant_db, person, ConsentFactory(person=person, categories=["identity"])


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("recipient", RECIPIENTS)
@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("category", CATEGORIES)
def test_policy_table(tenant_db, state, recipient, domain, category):
    world = tenant_db
    person = PersonFactory(given_name="Amina", family_name="Haddad", birth_year=1990)
    ConsentFactory(person=person, categories=["identity"], state=state)
    with schema_context("schaerbeek"):
        reader = world["cpas_referent"] if recipient == "named" else world["outsider"]
        organisation_id = reader.actor().organisation.pk
        allowed = may_see(
            organisation_id=organisation_id,
            person=person,
            category="identity" if category == "named" else "case_notes",
            domain_code="housing" if domain == "named" else "legal_aid",
        )
    expected = state == "given" and recipient == "named" and domain == "named" and category == "named"
    assert allowed is expected


def test_owner_always_sees_its_own_file(shared):
    world, person, consent = shared
    with schema_context("schaerbeek"):
        withdraw_consent(actor=world["bapa_worker"].actor(), consent=consent, reason="x")
        assert may_see(organisation_id=person.organisation_id, person=person, category="case_notes")


def test_read_right_after_withdrawal_is_refused(shared):
    world, person, consent = shared
    with schema_context("schaerbeek"):
        cpas = world["cpas_referent"].actor()
        assert get_person_for(actor=cpas, public_id=person.public_id) == person
        withdraw_consent(actor=world["bapa_worker"].actor(), consent=consent, reason="x")
        assert not persons_visible_to(actor=cpas).filter(pk=person.pk).exists()


def test_partial_withdrawal_keeps_the_rest_as_a_new_version(shared):
    world, person, consent = shared
    with schema_context("schaerbeek"):
        owner = world["bapa_worker"].actor()
        extended = record_consent(
            actor=owner,
            person=person,
            supersedes=consent,
            data=ConsentInput(
                recipients=[world["cpas_referent"].organisation_public_id, world["outsider"].organisation_public_id],
                domains=["housing", "legal_aid"],
                categories=["identity"],
                purpose="Logement et droit",
                method="oral_witnessed",
                witness_name="Collègue",
                explanation_language="ar",
            ),
        )
        consent.refresh_from_db()
        assert consent.state == "superseded" and extended.version == 2
        remainder = withdraw_consent(
            actor=owner,
            consent=extended,
            reason="Plus le CPAS",
            recipients=[world["cpas_referent"].organisation_public_id],
        )
        assert remainder.version == 3
        assert [o.name for o in remainder.recipients.all()] == ["SESO"]
        cpas, seso = world["cpas_referent"].actor(), world["outsider"].actor()
        assert not persons_visible_to(actor=cpas).filter(pk=person.pk).exists()
        assert persons_visible_to(actor=seso).filter(pk=person.pk).exists()


def test_observer_sees_no_person_even_of_own_organisation(tenant_db):
    world = tenant_db
    with schema_context("schaerbeek"):
        observer = world["observer"].actor()
        assert not persons_visible_to(actor=observer).exists()


def test_other_coordination_never_sees_the_person(shared):
    world, person, _consent = shared
    with schema_context("tournai"):
        assert not persons_visible_to(actor=world["foreigner"].actor()).filter(public_id=person.public_id).exists()


@pytest.mark.parametrize(
    ("status", "opens"),
    [
        ("draft", True),
        ("sent", False),
        ("received", False),
        ("accepted", True),
        ("in_progress", True),
        ("completed", True),
        ("declined", True),
    ],
)
def test_a_consent_a_waiting_referral_relies_on_covers_but_does_not_open(tenant_db, status, opens):
    """Covering (what sending a referral checks) stays; opening (what every read goes
    through) waits for the recipient's answer, exactly while the referral itself shows its
    preview (referrals.selectors.recipient_view, the in-memory side of the same rule)."""
    with schema_context("schaerbeek"):
        referral = ReferralFactory(status=status)
        cpas = tenant_db["cpas_referent"].actor().organisation.pk
        covers = covering(organisation_id=cpas, category="identity").filter(pk=referral.consent_id).exists()
        opened = opening(organisation_id=cpas, category="identity").filter(pk=referral.consent_id).exists()
        seen = may_see(organisation_id=cpas, person=referral.person, category="identity")
        view = recipient_view(tenant_db["cpas_referent"].actor(), referral)
    assert covers
    assert opened is opens and seen is opens
    assert (view == "preview") is not opens
