"""Reads of consent records: the organisation that recorded them (the file keeper) sees
every version, withdrawn, replaced or expired; a recipient sees the ones that open the
person's data to it (consent.policies.opening), as it sees the person's data."""

import uuid

from django.db.models import Exists, OuterRef, Q, QuerySet

from consent.models import Consent
from consent.policies import opening
from maillage.actor import Actor
from maillage.errors import NotFound
from members.policies import can_read_personal_data


def consents_visible_to(*, actor: Actor) -> QuerySet[Consent]:
    if not can_read_personal_data(actor) or actor.organisation is None:
        return Consent.objects.none()
    organisation_id = actor.organisation.pk
    return (
        Consent.objects.filter(
            Q(organisation_id=organisation_id)
            | Q(Exists(opening(organisation_id=organisation_id).filter(pk=OuterRef("pk"))))
        )
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
