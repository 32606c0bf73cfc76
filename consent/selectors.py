"""Reads of consent records: the organisation that recorded them (the file keeper) sees
every version, withdrawn, replaced or expired; a recipient sees the ones that name it
only while they are in force, as it sees the person's data."""

import uuid

from django.db.models import Q, QuerySet

from consent.models import Consent
from consent.policies import in_force
from maillage.actor import Actor
from maillage.errors import NotFound
from members.policies import can_read_personal_data


def consents_visible_to(*, actor: Actor) -> QuerySet[Consent]:
    if not can_read_personal_data(actor) or actor.organisation is None:
        return Consent.objects.none()
    organisation_id = actor.organisation.pk
    return (
        Consent.objects.filter(Q(organisation_id=organisation_id) | (Q(recipients__id=organisation_id) & in_force()))
        .distinct()
        .select_related("person", "organisation", "recorded_by", "withdrawn_by")
        .prefetch_related("recipients", "domains")
    )


def consents_of(*, actor: Actor, person) -> QuerySet[Consent]:
    return consents_visible_to(actor=actor).filter(person=person).order_by("-version", "-given_at")


def get_consent_for(*, actor: Actor, public_id: uuid.UUID) -> Consent:
    try:
        return consents_visible_to(actor=actor).get(public_id=public_id)
    except (Consent.DoesNotExist, ValueError):
        raise NotFound() from None
