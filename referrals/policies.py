"""Who may act on a referral. The file rules they build on live with the file
(persons.policies); seeing another organisation's file is consent's business
(consent.policies)."""

from django.utils.translation import gettext as _

from consent.models import DataCategory
from consent.policies import what_it_lacks
from directory.models import OrganisationKind
from maillage.actor import Actor
from members.roles import ANSWERS_FOR_A_CPAS, KEEPS_FILES, Role
from persons.policies import can_open_files
from referrals.models import CLOSED_STATUSES

# What a referral shares with its recipient: who the person is and why they are referred.
# Its consent must cover both, for the recipient and the referral's need domains.
REFERRAL_CATEGORIES = (DataCategory.IDENTITY, DataCategory.SITUATION)


def consent_lacks(consent, person, to_organisation, domain_codes, now=None) -> list[str]:
    """What the referral's consent lacks (empty: it covers the referral): the one consent
    rule, for the person referred, its recipient, its need domains and what a referral
    shares. Checked when sending, triaging, after a withdrawal, and at every read."""
    if consent.person_id != person.pk:
        return [_("the consent is about another person")]
    return what_it_lacks(
        consent, organisation=to_organisation, domain_codes=domain_codes, categories=REFERRAL_CATEGORIES, now=now
    )


def is_sender_side(actor: Actor, referral) -> bool:
    return can_open_files(actor) and referral.from_organisation_id == actor.organisation.pk


def answering_roles(organisation) -> frozenset:
    """Who answers the referrals sent to this organisation: at a CPAS, the shared inbox of
    its reference persons (and its coordinators); elsewhere any of its file keepers."""
    if organisation.kind == OrganisationKind.CPAS:
        return ANSWERS_FOR_A_CPAS
    return KEEPS_FILES


def answers_referrals(actor: Actor) -> bool:
    """The actor answers the referrals sent to its organisation."""
    return actor.organisation is not None and actor.role in answering_roles(actor.organisation)


def is_recipient_side(actor: Actor, referral) -> bool:
    if actor.organisation is None or referral.to_organisation_id != actor.organisation.pk:
        return False
    return answers_referrals(actor)


def can_triage(actor: Actor) -> bool:
    return actor.role == Role.COORDINATOR


def can_assign(actor: Actor, referral) -> bool:
    """Who takes a referral received or hands it over to a colleague: those who answer
    the referrals of the receiving organisation, while it is open."""
    return is_recipient_side(actor, referral) and referral.status not in CLOSED_STATUSES
