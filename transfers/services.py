"""Transfers of a file to another coordination when the family moves.

Started by the organisation that follows the person, with a consent naming the receiving
organisation of the other coordination (consent.policies.covering_transfer). Answered by
that organisation. On acceptance, one transaction on the receiving side reads the origin's
file and consent under locks, checks the consent once more, and opens the new file from the
parts the consent lets cross (MAILLAGE_TRANSFER_HANDOVER); the transfer's row, locked first,
makes a doubled or retried acceptance find it accepted, and the file's unique transfer id
makes a second file impossible. Then one transaction on the origin's side marks its file
moved; if that is cut short, transfers.tasks finishes it. Both coordinations' trails say
what happened, with ids only.
"""

import logging
import uuid

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import schema_context

from audit.services import record_event
from consent.policies import what_the_transfer_lacks
from consent.selectors import consent_for_handover, consents_for_transfer
from directory.selectors import member_directory_of
from maillage.actor import Actor
from maillage.errors import Conflict, Forbidden, Invalid, NotFound
from maillage.handover import IDENTITY
from maillage.hooks import hooks
from members.policies import can_edit_file
from members.selectors import file_keepers_of
from notifications.services import notify
from persons.models import Person
from persons.selectors import file_for_handover
from persons.services import mark_moved, open_arrived_file
from tenants.selectors import coordination_by_slug
from transfers import policies
from transfers.models import Transfer, TransferState

logger = logging.getLogger(__name__)

NOT_PENDING = {
    TransferState.ACCEPTED: gettext_lazy("This transfer was already accepted: the file was handed over once."),
    TransferState.DECLINED: gettext_lazy("This transfer was declined."),
    TransferState.CANCELLED: gettext_lazy(
        "This transfer was cancelled: the consent it relied on is no longer in force."
    ),
}


def _system(coordination) -> Actor:
    return Actor.system(coordination)


@transaction.atomic
def start_transfer(
    *,
    actor: Actor,
    person: Person,
    coordination_slug: str,
    organisation_public_id,
    consent_public_id=None,
) -> Transfer:
    """Asks an organisation of another coordination to take over the person's file. Nothing
    of the person crosses yet: the receiving organisation sees who sends and what kinds of
    data would come, and answers."""
    if not can_edit_file(actor, person):
        raise Forbidden()
    # Under the file's row lock: two starts at once find each other's transfer.
    person = file_for_handover(
        organisation_public_id=actor.organisation.public_id, public_id=person.public_id, lock=True
    )
    if person.moved_at:
        raise Conflict(_("The person already moved to another coordination."))
    if person.closed_at or person.anonymised_at:
        raise Conflict(_("This file is closed: reopen it before handing it over."))
    destination = coordination_by_slug(coordination_slug)
    if destination is None:
        raise Invalid(fields={"coordination": [_("Unknown coordination.")]})
    if destination.pk == actor.coordination.pk:
        raise Invalid(
            fields={
                "coordination": [
                    _("The family stays in this coordination: refer the person to the organisation instead.")
                ]
            }
        )
    if not destination.is_active:
        raise Invalid(
            fields={
                "coordination": [
                    _("The coordination %(name)s is not active: no file can be handed over to it.")
                    % {"name": destination.name}
                ]
            }
        )
    cards = {str(c.public_id): c for c in member_directory_of(actor=actor, coordination=destination)}
    card = cards.get(str(organisation_public_id))
    if card is None:
        raise Invalid(
            fields={"organisation": [_("Choose a member organisation of %(name)s.") % {"name": destination.name}]}
        )
    consent = _consent_for_start(person, destination, card, consent_public_id)
    if Transfer.objects.filter(
        origin=actor.coordination, origin_person=person.public_id, state=TransferState.PENDING
    ).exists():
        raise Conflict(_("A transfer of this file is already waiting for an answer."), code="transfer_pending")
    transfer = Transfer.objects.create(
        origin=actor.coordination,
        origin_organisation=actor.organisation.public_id,
        origin_organisation_name=actor.organisation.name,
        origin_person=person.public_id,
        consent=consent.public_id,
        destination=destination,
        destination_organisation=card.public_id,
        destination_organisation_name=card.name,
        categories=sorted(consent.categories),
        started_by=actor.user,
    )
    record_event(
        actor=actor,
        action="transfer.started",
        object_type="transfer",
        object_public_id=transfer.public_id,
        person_public_id=person.public_id,
        detail={
            "to_coordination": destination.slug,
            "to_organisation": str(card.public_id),
            "consent": str(consent.public_id),
        },
    )
    with schema_context(destination.schema_name):
        record_event(
            actor=_system(destination),
            action="transfer.offered",
            object_type="transfer",
            object_public_id=transfer.public_id,
            detail={"from_coordination": actor.coordination.slug, "to_organisation": str(card.public_id)},
        )
        notify(
            file_keepers_of(organisation_public_id=card.public_id),
            kind="transfer_received",
            params={"transfer": str(transfer.public_id)},
            url=f"transfers/{transfer.public_id}/",
        )
    return transfer


def _consent_for_start(person, destination, card, consent_public_id):
    if consent_public_id:
        try:
            consent = consent_for_handover(public_id=consent_public_id, person=person)
        except NotFound:
            raise Invalid(fields={"consent": [_("This is not a consent of this person.")]}) from None
        lacks = what_the_transfer_lacks(consent, coordination_id=destination.pk, organisation_public_id=card.public_id)
        if lacks:
            raise Invalid(
                fields={
                    "consent": [
                        _("This consent cannot hand the file over: %(reasons)s.") % {"reasons": "; ".join(lacks)}
                    ]
                }
            )
        return consent
    consent = consents_for_transfer(
        person=person, coordination_id=destination.pk, organisation_public_id=card.public_id
    ).first()
    if consent is None:
        raise Invalid(
            fields={
                "consent": [
                    _(
                        "No consent in force names %(organisation)s (%(coordination)s) and shares the person's "
                        "identity: record the person's consent to this move first."
                    )
                    % {"organisation": card.name, "coordination": destination.name}
                ]
            }
        )
    return consent


def _locked(transfer: Transfer) -> Transfer:
    return Transfer.objects.select_for_update(of=("self",)).select_related("origin", "destination").get(pk=transfer.pk)


# The API's error codes (maillage.openapi.ERROR_CODES) for a transfer no longer waiting.
NOT_PENDING_CODES = {
    TransferState.ACCEPTED: "transfer_accepted",
    TransferState.DECLINED: "transfer_declined",
    TransferState.CANCELLED: "transfer_cancelled",
}


def _check_pending(transfer: Transfer) -> None:
    if transfer.state != TransferState.PENDING:
        raise Conflict(str(NOT_PENDING[transfer.state]), code=NOT_PENDING_CODES[transfer.state])


def accept_transfer(*, actor: Actor, transfer: Transfer) -> Person:
    """Opens the file in the receiving organisation from what the consent lets cross, then
    marks the origin's file moved. Refused, with nothing written, when the transfer is no
    longer waiting (a doubled acceptance), a coordination is inactive, or the consent no
    longer covers the handover (withdrawn, expired, replaced)."""
    if not policies.can_answer_transfer(actor, transfer):
        raise Forbidden()
    with transaction.atomic():
        transfer = _locked(transfer)
        _check_pending(transfer)
        if not transfer.destination.is_active or not transfer.origin.is_active:
            raise Conflict(_("One of the two coordinations is not active: the file cannot be handed over."))
        origin_actor = _system(transfer.origin)
        with schema_context(transfer.origin.schema_name):
            try:
                person = file_for_handover(
                    organisation_public_id=transfer.origin_organisation, public_id=transfer.origin_person, lock=True
                )
                consent = consent_for_handover(public_id=transfer.consent, person=person, lock=True)
            except NotFound:
                raise Conflict(_("The file to hand over is no longer kept where it was."), code="origin_gone") from None
            lacks = what_the_transfer_lacks(
                consent,
                coordination_id=transfer.destination_id,
                organisation_public_id=transfer.destination_organisation,
            )
            if lacks:
                raise Conflict(
                    _("The person's consent no longer lets the file cross: %(reasons)s.")
                    % {"reasons": "; ".join(lacks)},
                    code="consent_not_in_force",
                )
            parts = [
                part
                for hook in hooks("MAILLAGE_TRANSFER_HANDOVER")
                if (part := hook(actor=origin_actor, person=person, consent=consent))
            ]
        identity = next((part for part in parts if part.key == IDENTITY), None)
        if identity is None:
            raise Conflict(
                _("The person's consent no longer lets the file cross: %(reasons)s.") % {"reasons": "identity"}
            )
        arrived = open_arrived_file(
            actor=actor,
            transfer_public_id=transfer.public_id,
            arrived_from=f"{transfer.origin_organisation_name} ({transfer.origin.name})",
            identity=identity.data,
        )
        for part in parts:
            if part.receive is not None:
                part.receive(actor=actor, person=arrived, data=part.data)
        transfer.state = TransferState.ACCEPTED
        transfer.decided_by = actor.user
        transfer.decided_at = timezone.now()
        transfer.arrived_person = arrived.public_id
        transfer.parts = [part.key for part in parts]
        transfer.save(update_fields=["state", "decided_by", "decided_at", "arrived_person", "parts", "updated_at"])
        record_event(
            actor=actor,
            action="transfer.accepted",
            object_type="transfer",
            object_public_id=transfer.public_id,
            person_public_id=arrived.public_id,
            detail={"from_coordination": transfer.origin.slug, "parts": transfer.parts},
        )
    complete_origin_side(transfer=transfer)
    return arrived


def complete_origin_side(*, transfer: Transfer) -> bool:
    """The origin's side of an accepted transfer, in its own transaction: its file marked
    moved (closed, so retention takes it as usual), its trail written, its organisation told.
    Done once: a second run finds it done. Returns whether it did it now."""
    with transaction.atomic():
        transfer = _locked(transfer)
        if transfer.state != TransferState.ACCEPTED or transfer.origin_done_at is not None:
            return False
        origin_actor = _system(transfer.origin)
        with schema_context(transfer.origin.schema_name):
            try:
                person = file_for_handover(
                    organisation_public_id=transfer.origin_organisation, public_id=transfer.origin_person, lock=True
                )
            except NotFound:
                person = None  # anonymised meanwhile: nothing left to mark
            if person is not None:
                mark_moved(actor=origin_actor, person=person, transfer_public_id=transfer.public_id)
            record_event(
                actor=origin_actor,
                action="transfer.handed_over",
                object_type="transfer",
                object_public_id=transfer.public_id,
                person_public_id=transfer.origin_person,
                detail={
                    "to_coordination": transfer.destination.slug,
                    "to_organisation": str(transfer.destination_organisation),
                    "parts": transfer.parts,
                },
            )
            _tell_origin(transfer)
        transfer.origin_done_at = timezone.now()
        transfer.save(update_fields=["origin_done_at", "updated_at"])
    return True


def _tell_origin(transfer: Transfer) -> None:
    notify(
        file_keepers_of(organisation_public_id=transfer.origin_organisation),
        kind="transfer_decided",
        params={"transfer": str(transfer.public_id), "state": transfer.state},
        url=f"transfers/{transfer.public_id}/",
    )


@transaction.atomic
def decline_transfer(*, actor: Actor, transfer: Transfer) -> Transfer:
    """The receiving organisation does not take the file over: nothing crosses, the origin
    is told and keeps following the person."""
    if not policies.can_answer_transfer(actor, transfer):
        raise Forbidden()
    transfer = _locked(transfer)
    _check_pending(transfer)
    transfer.state = TransferState.DECLINED
    transfer.decided_by = actor.user
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
    record_event(
        actor=actor,
        action="transfer.declined",
        object_type="transfer",
        object_public_id=transfer.public_id,
        detail={"from_coordination": transfer.origin.slug},
    )
    with schema_context(transfer.origin.schema_name):
        record_event(
            actor=_system(transfer.origin),
            action="transfer.declined",
            object_type="transfer",
            object_public_id=transfer.public_id,
            person_public_id=transfer.origin_person,
            detail={"to_coordination": transfer.destination.slug},
        )
        _tell_origin(transfer)
    return transfer


def cancel_transfers_on_withdrawal(*, actor: Actor, withdrawn, remainder=None, reason: str = "withdrawn") -> int:
    """MAILLAGE_CONSENT_WITHDRAWAL_HOOKS: a transfer waiting on a consent no longer in force
    is cancelled, in the withdrawal's transaction (the version that carries on after a
    partial withdrawal takes it over when it still covers the handover). Acceptance checks
    the consent again anyway."""
    pending = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("destination")
        .filter(origin__schema_name=connection.schema_name, consent=withdrawn.public_id, state=TransferState.PENDING)
    )
    count = 0
    for transfer in pending:
        if remainder is not None and not what_the_transfer_lacks(
            remainder, coordination_id=transfer.destination_id, organisation_public_id=transfer.destination_organisation
        ):
            transfer.consent = remainder.public_id
            transfer.save(update_fields=["consent", "updated_at"])
            continue
        transfer.state = TransferState.CANCELLED
        transfer.save(update_fields=["state", "updated_at"])
        record_event(
            actor=actor,
            action="transfer.cancelled",
            object_type="transfer",
            object_public_id=transfer.public_id,
            person_public_id=transfer.origin_person,
            detail={"reason": reason},
        )
        with schema_context(transfer.destination.schema_name):
            record_event(
                actor=_system(transfer.destination),
                action="transfer.cancelled",
                object_type="transfer",
                object_public_id=transfer.public_id,
                detail={"reason": reason},
            )
        count += 1
    return count


def transfers_to_finish() -> list[uuid.UUID]:
    """Accepted transfers whose origin side is not done (cut short after the receiving
    side's commit)."""
    return list(
        Transfer.objects.filter(state=TransferState.ACCEPTED, origin_done_at__isnull=True).values_list(
            "public_id", flat=True
        )
    )


def finish_origin_sides() -> int:
    done = 0
    for public_id in transfers_to_finish():
        transfer = Transfer.objects.get(public_id=public_id)
        done += complete_origin_side(transfer=transfer)
    return done
