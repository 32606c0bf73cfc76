"""Reads of consent records: the organisation that recorded them (the file keeper) sees
every version, withdrawn, replaced or expired; a recipient sees the ones that open the
person's data to it (consent.policies.opening), as it sees the person's data."""

import uuid

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from consent.models import Consent, RecipientElsewhere
from consent.policies import covering_transfer, opening
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
        .prefetch_related(
            "recipients",
            "domains",
            Prefetch("recipients_elsewhere", queryset=RecipientElsewhere.objects.select_related("coordination")),
        )
    )


def consents_of(*, actor: Actor, person) -> QuerySet[Consent]:
    return consents_visible_to(actor=actor).filter(person=person).order_by("-version", "-given_at")


def get_consent_for(*, actor: Actor, public_id: uuid.UUID) -> Consent:
    try:
        return consents_visible_to(actor=actor).get(public_id=public_id)
    except (Consent.DoesNotExist, ValueError):
        raise NotFound() from None


def consents_for_transfer(*, person, coordination_id: int, organisation_public_id) -> QuerySet[Consent]:
    """The person's consents through which its file may go to this organisation of another
    coordination (consent.policies.covering_transfer), the latest first."""
    return (
        covering_transfer(coordination_id=coordination_id, organisation_public_id=organisation_public_id)
        .filter(person=person)
        .prefetch_related("recipients_elsewhere")
        .order_by("-given_at", "-pk")
    )


def consent_for_handover(*, public_id: uuid.UUID, person, lock: bool = False) -> Consent:
    """A consent of the person, whatever its state, for the handover's check under a lock:
    a withdrawal waits for the handover, or the handover sees the withdrawal."""
    consents = Consent.objects.select_for_update(of=("self",)) if lock else Consent.objects
    try:
        return consents.prefetch_related("recipients_elsewhere", "domains").get(public_id=public_id, person=person)
    except (Consent.DoesNotExist, ValueError):
        raise NotFound() from None
