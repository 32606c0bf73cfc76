"""The consent rule's two forms agree: the SQL form (`covering`, what selectors join on)
and the in-memory form (`covers`, what services check under a lock), on one table of
cases: state × recipient × domains × categories × moment around the consent's end."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from consent.models import Consent, ConsentState
from consent.policies import covering, covers, what_it_lacks
from directory.models import Organisation
from tests.factories import ConsentFactory, PersonFactory

# The consent names the CPAS, housing and legal aid, identity and situation.
STATES = ["given", "withdrawn", "superseded", "expired", "given a moment ahead"]
RECIPIENTS = {"named": "cpas_referent", "not named": "outsider"}
DOMAINS = {
    "none": [],
    "named": ["housing"],
    "all named": ["housing", "legal_aid"],
    "one not named": ["housing", "work"],
}
CATEGORIES = {
    "none": [],
    "named": ["identity"],
    "all named": ["identity", "situation"],
    "one not named": ["identity", "case_notes"],
}
# Seconds from the consent's end: just before it (in force), at it and after it (ended).
MOMENTS = {"before the end": -1, "at the end": 0, "after the end": 1}


@pytest.fixture
def consents(tenant_db):
    """Amina Haddad's consents, one in each state of STATES, all ending in 30 days."""
    now = timezone.now()
    person = PersonFactory(given_name="Amina", family_name="Haddad")
    made = [
        ConsentFactory(
            person=person,
            domains=["housing", "legal_aid"],
            given_at=now + timedelta(minutes=2) if state == "given a moment ahead" else now,
            expires_at=now + timedelta(days=30),
            state="given" if state == "given a moment ahead" else state,
        )
        for state in STATES
    ]
    with schema_context("schaerbeek"):
        return {
            state: Consent.objects.prefetch_related("recipients", "domains").get(pk=c.pk)
            for state, c in zip(STATES, made)
        }


def test_sql_and_in_memory_forms_agree_on_every_case(tenant_db, consents):
    world = tenant_db
    with schema_context("schaerbeek"):
        organisations = {
            key: Organisation.objects.get(public_id=world[persona].organisation_public_id)
            for key, persona in RECIPIENTS.items()
        }
        cases = 0
        in_force_cases = 0
        for state, recipient, domains, categories, moment in itertools.product(
            STATES, RECIPIENTS, DOMAINS, CATEGORIES, MOMENTS
        ):
            consent = consents[state]
            # Around the end of the consents that have not ended; the expired one already has.
            end = consents["given"].expires_at
            now = end + timedelta(seconds=MOMENTS[moment])
            organisation = organisations[recipient]
            in_sql = (
                covering(
                    organisation_id=organisation.pk,
                    domain_codes=DOMAINS[domains],
                    categories=CATEGORIES[categories],
                    now=now,
                )
                .filter(pk=consent.pk)
                .exists()
            )
            in_memory = covers(
                consent,
                organisation=organisation,
                domain_codes=DOMAINS[domains],
                categories=CATEGORIES[categories],
                now=now,
            )
            case = (state, recipient, domains, categories, moment)
            assert in_sql == in_memory, case
            expected = (
                state in ("given", "given a moment ahead")
                and moment == "before the end"
                and recipient == "named"
                and domains != "one not named"
                and categories != "one not named"
            )
            assert in_memory == expected, case
            cases += 1
            in_force_cases += expected
    assert cases == 5 * 2 * 4 * 4 * 3 and in_force_cases == 2 * 3 * 3


def test_the_in_memory_form_says_what_is_missing(tenant_db, consents):
    world = tenant_db
    with schema_context("schaerbeek"):
        consent = consents["given"]
        outsider = Organisation.objects.get(public_id=world["outsider"].organisation_public_id)
        missing = what_it_lacks(
            consent, organisation=outsider, domain_codes=["housing", "work"], categories=["case_notes"]
        )
        assert len(missing) == 3 and "work" in missing[1]
        ended = what_it_lacks(consent, organisation=outsider, now=consent.expires_at)
        assert len(ended) == 1


def test_a_superseded_consent_covers_nothing(tenant_db, consents):
    world = tenant_db
    with schema_context("schaerbeek"):
        consent = consents["superseded"]
        assert consent.state == ConsentState.SUPERSEDED
        cpas = Organisation.objects.get(public_id=world["cpas_referent"].organisation_public_id)
        assert not covers(consent, organisation=cpas)
        assert not covering(organisation_id=cpas.pk).filter(pk=consent.pk).exists()
