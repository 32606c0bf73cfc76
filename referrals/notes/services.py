"""Writes to shared case notes: add, correct (a new version), retract (every version), and
the overwrite when a file is anonymised. Each writes its audit event, with codes and ids
only."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from consent.models import DataCategory
from consent.policies import opening
from directory.models import NeedDomain
from maillage.actor import Actor
from maillage.errors import Conflict, Forbidden, Invalid
from persons import policies as person_policies
from persons.models import Person
from referrals.models import CASE_NOTE_PERSONAL_FIELDS, CaseNote, NoteAudience, ReferralEvent, ReferralStatus
from referrals.notes.selectors import audience_choices, note_readers
from referrals.notices import notify_recipients, notify_sender

MAX_NOTE_LENGTH = 20_000


def _note_text(text: str, errors: dict) -> str:
    text = (text or "").strip()
    if not text:
        errors["text"] = [_("Write the note.")]
    elif len(text) > MAX_NOTE_LENGTH:
        errors["text"] = [_("A note holds %(max)s characters at most.") % {"max": MAX_NOTE_LENGTH}]
    return text


def note_text_errors(text: str) -> dict[str, list]:
    """The note's text judged alone, without writing: the form shows it in the same round
    as its other fields' problems."""
    errors: dict[str, list] = {}
    _note_text(text, errors)
    return errors


def _taken_on(referral) -> bool:
    """The receiving side accepted it at some point (it may have been closed since)."""
    return ReferralEvent.objects.filter(referral=referral, to_status=ReferralStatus.ACCEPTED).exists()


def _may_write_notes(actor: Actor, person: Person, domain, referral) -> bool:
    """The organisation keeps the file, or a consent in force shares case notes on this
    need domain with it, or it is a party of the (validated) referral the note is for."""
    if person.organisation_id == actor.organisation.pk:
        return True
    if referral is not None:
        return True
    return (
        opening(organisation_id=actor.organisation.pk, category=DataCategory.CASE_NOTES, domain_code=domain.code)
        .filter(person_id=person.pk)
        .exists()
    )


def _note_event(actor: Actor, action: str, note, **detail) -> None:
    # Codes and ids only: never the text of the note or the reason of a retraction.
    record_event(
        actor=actor,
        action=action,
        object_type="case_note",
        object_public_id=note.public_id,
        person_public_id=note.person.public_id,
        detail={"thread": str(note.thread), "version": note.version, **detail},
    )


@transaction.atomic
def add_note(
    *,
    actor: Actor,
    person: Person,
    domain_code: str,
    text: str,
    audience: str,
    referral=None,
    sensitive: bool = False,
):
    """A note on a person's file, for the author's organisation, the parties of one
    referral, or every organisation the consent shares case notes with: an audience the
    consent in force keeps out is refused, with why (selectors.audience_choices)."""
    if not person_policies.can_open_files(actor):
        raise Forbidden()
    if person.anonymised_at:
        raise Conflict(_("This file was anonymised."))
    errors: dict[str, list] = {}
    text = _note_text(text, errors)
    domain = NeedDomain.objects.filter(code=domain_code).first() if domain_code else None
    if domain is None:
        errors["domain"] = [_("Name the need domain, from the taxonomy.")]
    if audience not in NoteAudience.values:
        errors["audience"] = [_("Choose who may read the note.")]
    elif audience != NoteAudience.REFERRAL and referral is not None:
        errors["referral"] = [_("Only a note for the parties of a referral names a referral.")]
    elif audience == NoteAudience.REFERRAL:
        if referral is None:
            errors["referral"] = [_("Name the referral whose parties may read the note.")]
        elif referral.person_id != person.pk:
            errors["referral"] = [_("This referral is about another person.")]
        elif actor.organisation.pk not in (referral.from_organisation_id, referral.to_organisation_id):
            errors["referral"] = [_("Your organisation is not a party to this referral.")]
        elif not _taken_on(referral):
            errors["referral"] = [_("Notes are shared on a referral once it has been accepted.")]
    if domain is not None and audience in NoteAudience.values and "referral" not in errors:
        # Said when writing, rather than stored for an audience the consent keeps out.
        choices = audience_choices(actor=actor, person=person, domain=domain, referral=referral)
        reason = next(c.reason for c in choices if c.audience == audience)
        if reason:
            errors["audience"] = [reason]
    if errors:
        raise Invalid(fields=errors)
    if not _may_write_notes(actor, person, domain, referral):
        raise Forbidden()
    note = CaseNote.objects.create(
        person=person,
        organisation=actor.organisation,
        author=actor.user,
        domain=domain,
        text=text,
        audience=audience,
        referral=referral,
        sensitive=bool(sensitive),
    )
    _note_event(
        actor,
        "note.added",
        note,
        domain=domain.code,
        audience=audience,
        sensitive=note.sensitive,
        referral=str(referral.public_id) if note.referral_id else None,
    )
    if note.referral_id:
        _tell_the_other_party(referral, note)
    return note


def _tell_the_other_party(referral, note) -> None:
    """A new note on a referral is announced to the other party, if it may read it."""
    if note.organisation_id == referral.from_organisation_id:
        notify_recipients(referral, "referral_note", only=note_readers(note))
    else:
        readers = note_readers(note)
        if referral.sender_id in readers:
            notify_sender(referral, "referral_note")


def _author_side(actor: Actor, note) -> None:
    if not person_policies.can_open_files(actor) or note.organisation_id != actor.organisation.pk:
        raise Forbidden()


@transaction.atomic
def correct_note(*, actor: Actor, note, text: str):
    """A correction is a new version superseding the note; the old one stays as history."""
    _author_side(actor, note)
    current = CaseNote.objects.select_for_update().select_related("person").get(pk=note.pk)
    if current.retracted_at:
        raise Conflict(_("This note was retracted."))
    if CaseNote.objects.filter(supersedes=current).exists():
        raise Conflict(_("This version was already corrected: correct the latest one."))
    if current.person.anonymised_at:
        raise Conflict(_("This file was anonymised."))
    errors: dict[str, list] = {}
    text = _note_text(text, errors)
    if not errors and text == current.text:
        errors["text"] = [_("The correction is the same as the note.")]
    if errors:
        raise Invalid(fields=errors)
    corrected = CaseNote.objects.create(
        thread=current.thread,
        person=current.person,
        organisation=current.organisation,
        author=actor.user,
        domain=current.domain,
        text=text,
        audience=current.audience,
        referral=current.referral,
        sensitive=current.sensitive,
        version=current.version + 1,
        supersedes=current,
    )
    _note_event(actor, "note.corrected", corrected, supersedes=str(current.public_id))
    return corrected


@transaction.atomic
def retract_note(*, actor: Actor, note, reason: str):
    """Retracts the note, every version of it: the entries stay (who, when, why), the
    text is shown to nobody any more. Returns the latest version."""
    _author_side(actor, note)
    if not (reason or "").strip():
        raise Invalid(fields={"reason": [_("Say why the note is retracted.")]})
    versions = list(CaseNote.objects.select_for_update().filter(thread=note.thread).order_by("version"))
    if any(v.retracted_at for v in versions):
        raise Conflict(_("This note was already retracted."))
    now = timezone.now()
    CaseNote.objects.filter(pk__in=[v.pk for v in versions]).update(
        retracted_at=now, retracted_by=actor.user, retraction_reason=reason.strip(), updated_at=now
    )
    latest = CaseNote.objects.select_related("person").get(pk=versions[-1].pk)
    _note_event(actor, "note.retracted", latest, versions=len(versions))
    return latest


def anonymise_case_notes(*, actor: Actor, person, placeholder: str) -> int:
    """Called by persons.services.anonymise_closed_files when a file is anonymised, in the
    same transaction: case notes are the most personal text of all, so every version of
    every note about the person is overwritten. Returns how many note rows were."""
    return CaseNote.objects.filter(person=person).update(**dict.fromkeys(CASE_NOTE_PERSONAL_FIELDS, placeholder))
