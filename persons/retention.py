"""Retention: closed files are anonymised after the set delay, for good; the signed
consent forms are kept longer (they prove the sharing was lawful), then deleted.

Audit events stay as they are: they hold ids, never personal data, and the person's
public id is not personal data once the file is anonymised.
"""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from audit.services import record_event
from consent.models import Consent, ConsentState
from maillage.actor import Actor
from maillage.hooks import run_hooks
from persons.models import PERSONAL_FIELDS, Household, HouseholdMember, Person

ANONYMISED_NAME = "—"


def _neutral(field: models.Field):
    if field.null:
        return None
    if isinstance(field, ArrayField):
        return []
    if isinstance(field, models.BooleanField):
        return False
    if field.blank:
        return ""
    return ANONYMISED_NAME  # required text: the names


NEUTRAL_VALUES = {name: _neutral(Person._meta.get_field(name)) for name in PERSONAL_FIELDS}


@transaction.atomic
def anonymise_closed_files(*, actor: Actor, now: datetime | None = None) -> int:
    """Overwrites the personal data of files closed longer than MAILLAGE_RETENTION_MONTHS.
    Irreversible: nothing is copied elsewhere first."""
    now = now or timezone.now()
    limit = now - relativedelta(months=settings.MAILLAGE_RETENTION_MONTHS)
    persons = Person.objects.select_for_update().filter(closed_at__lt=limit, anonymised_at__isnull=True)
    count = 0
    for person in persons:
        for name, value in NEUTRAL_VALUES.items():
            setattr(person, name, value)
        person.national_number_encrypted = ""
        person.anonymised_at = now
        person.save(update_fields=[*NEUTRAL_VALUES, "national_number_encrypted", "anonymised_at", "updated_at"])
        # Consents hold names too (the signature, the witness, the interpreter) and free
        # text; the rows stay as the record of what was shared, without them.
        Consent.objects.filter(person=person).update(
            signed_name="", witness_name="", interpreter_name="", purpose=ANONYMISED_NAME, withdrawal_reason=""
        )
        # What higher apps keep about the person goes too (referrals: the case notes).
        run_hooks("MAILLAGE_PERSON_ANONYMISED_HOOKS", actor=actor, person=person, placeholder=ANONYMISED_NAME)
        record_event(
            actor=actor,
            action="person.anonymised",
            object_type="person",
            object_public_id=person.public_id,
            person_public_id=person.public_id,
            detail={"retention_months": settings.MAILLAGE_RETENTION_MONTHS},
        )
        count += 1
    _anonymise_households(actor=actor)
    return count


def _anonymise_households(*, actor: Actor) -> None:
    """A household's name ("Family A.") goes once every member's file is anonymised."""
    members = HouseholdMember.objects.filter(household=OuterRef("pk"))
    households = Household.objects.filter(
        Exists(members.filter(person__anonymised_at__isnull=False)),
        ~Exists(members.filter(person__anonymised_at__isnull=True)),
    ).exclude(name=ANONYMISED_NAME)
    for household in households.select_for_update():
        household.name = ANONYMISED_NAME
        household.save(update_fields=["name", "updated_at"])
        record_event(
            actor=actor, action="household.anonymised", object_type="household", object_public_id=household.public_id
        )


@transaction.atomic
def purge_consent_proofs(*, actor: Actor, now: datetime | None = None) -> int:
    """Deletes the signed forms of consents given (or withdrawn) longer than
    MAILLAGE_CONSENT_PROOF_RETENTION_MONTHS ago and no longer in force. The consent row
    stays: it is the record of what was shared."""
    now = now or timezone.now()
    limit = now - relativedelta(months=settings.MAILLAGE_CONSENT_PROOF_RETENTION_MONTHS)
    consents = (
        Consent.objects.select_for_update(of=("self",))
        .exclude(proof="")
        .filter(Q(withdrawn_at__lt=limit) | Q(withdrawn_at__isnull=True, given_at__lt=limit))
        .exclude(state=ConsentState.GIVEN, expires_at__gt=now)
        .select_related("person")
    )
    count = 0
    for consent in consents:
        storage, name = consent.proof.storage, consent.proof.name
        consent.proof = ""
        consent.save(update_fields=["proof", "updated_at"])
        # A partial withdrawal copies the proof to the version that carries on: the file
        # goes with the last row that points at it, and only once that row is saved.
        if not Consent.objects.filter(proof=name).exists():
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        record_event(
            actor=actor,
            action="consent.proof_purged",
            object_type="consent",
            object_public_id=consent.public_id,
            person_public_id=consent.person.public_id,
            detail={"retention_months": settings.MAILLAGE_CONSENT_PROOF_RETENTION_MONTHS},
        )
        count += 1
    return count
