"""Writes to referrals and shared case notes. Every transition is one service, checked,
under a row lock, with a timeline row and an audit event."""

from dataclasses import dataclass, replace
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from charter.selectors import (
    check_charter_for_accepting,
    check_charter_for_receiving,
    check_charter_for_sending,
)
from consent.models import DataCategory
from consent.policies import covering
from directory.models import NeedDomain
from maillage.actor import Actor
from maillage.errors import Conflict, Forbidden, Invalid
from members.models import Membership, Role
from notifications.services import notify
from persons import policies as person_policies
from persons.models import Household, Person
from referrals import policies, transitions
from referrals.deadlines import add_working_days, response_days
from referrals.models import (
    CASE_NOTE_PERSONAL_FIELDS,
    OPEN_STATUSES,
    CaseNote,
    DeclineReason,
    NotCompletedReason,
    NoteAudience,
    Outcome,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Urgency,
)
from referrals.selectors import note_readers
from tenants.models import ReferralRouting

# --- Referrals -----------------------------------------------------------------------


@dataclass
class ReferralInput:
    person: Person
    to_organisation: object  # directory.Organisation
    domains: list[str]
    reason: str
    consent: object = None  # consent.Consent; None: the newest in force that covers the referral
    expectation: str = ""
    urgency: str = "normal"
    to_offer: object = None
    appointment_at: object = None
    appointment_place: str = ""
    household: Household | None = None


def _refuse_uncovered(missing: list[str], field: str) -> None:
    if missing:
        raise Invalid(
            _("The consent does not cover this referral: %(missing)s.") % {"missing": "; ".join(missing)},
            fields={field: missing},
        )


def default_consent(*, person: Person, to_organisation, domain_codes: list[str], now=None):
    """The newest consent of the person in force that covers a referral to this
    organisation for these need domains, or None."""
    return (
        covering(
            organisation_id=to_organisation.pk,
            domain_codes=domain_codes,
            categories=policies.REFERRAL_CATEGORIES,
            now=now,
        )
        .filter(person_id=person.pk)
        .order_by("-given_at", "-pk")
        .first()
    )


@transaction.atomic
def refer_person(*, actor: Actor, data: ReferralInput, send: bool):
    """The one way to refer a person, from the page as from the API: a draft, sent at once
    when `send`. Without a chosen consent, the newest one in force that covers the
    referral. All or nothing: a send the consent or the charter refuses leaves no draft."""
    if data.consent is None and data.to_organisation is not None and data.domains:
        consent = default_consent(
            person=data.person, to_organisation=data.to_organisation, domain_codes=list(data.domains)
        )
        data = replace(data, consent=consent)
    referral = create_referral(actor=actor, data=data)
    if send:
        referral = send_referral(actor=actor, referral=referral)
    return referral


@transaction.atomic
def create_referral(*, actor: Actor, data: ReferralInput):
    """A draft referral of a person the actor's organisation follows."""
    if not person_policies.can_edit_file(actor, data.person):
        raise Forbidden()
    errors: dict[str, list] = {}
    if data.to_organisation is None or not data.to_organisation.is_member:
        errors["to_organisation"] = [_("Choose a member organisation of this coordination.")]
    elif data.to_organisation.pk == actor.organisation.pk:
        errors["to_organisation"] = [_("A referral goes to another organisation.")]
    domains = list(NeedDomain.objects.filter(code__in=data.domains))
    if not data.domains or len(domains) != len(set(data.domains)):
        errors["domains"] = [_("Name the need domains, from the taxonomy.")]
    if not (data.reason or "").strip():
        errors["reason"] = [_("Say why you refer the person.")]
    if data.urgency not in Urgency.values:
        errors["urgency"] = [_("Normal or urgent.")]
    if data.to_offer is not None and data.to_organisation and data.to_offer.organisation_id != data.to_organisation.pk:
        errors["to_offer"] = [_("This offer belongs to another organisation.")]
    if data.consent is None:
        errors["consent"] = [_("A referral needs the person's consent.")]
    if errors:
        raise Invalid(fields=errors)
    referral = Referral.objects.create(
        person=data.person,
        household=data.household,
        from_organisation=actor.organisation,
        sender=actor.user,
        to_organisation=data.to_organisation,
        to_offer=data.to_offer,
        consent=data.consent,
        reason=data.reason.strip(),
        expectation=data.expectation.strip(),
        urgency=data.urgency,
        appointment_at=data.appointment_at,
        appointment_place=data.appointment_place.strip(),
        interpreter_needed=data.person.interpreter_needed,
        interpreter_language=data.person.interpreter_language,
        status=ReferralStatus.DRAFT,
    )
    referral.domains.set(domains)
    _log(actor, referral, "", ReferralStatus.DRAFT)
    return referral


def _log(actor: Actor, referral, from_status: str, to_status: str) -> None:
    ReferralEvent.objects.create(
        referral=referral,
        from_status=from_status,
        to_status=to_status,
        actor=actor.user,
        organisation=actor.organisation,
    )
    record_event(
        actor=actor,
        action=f"referral.{to_status}",
        object_type="referral",
        object_public_id=referral.public_id,
        person_public_id=referral.person.public_id,
        detail={"from": from_status, "to": to_status},
    )


def _locked(referral):
    return (
        Referral.objects.select_for_update().select_related("to_organisation", "person", "consent").get(pk=referral.pk)
    )


def _move(actor: Actor, referral, action: str, **fields):
    """One transition of referrals.transitions: its side and source states checked under a
    row lock, then the timeline and the audit trail."""
    transition = transitions.TRANSITIONS[action]
    referral = _locked(referral)
    if not transitions.on_side(actor, referral, transition):
        raise Forbidden()
    if referral.status not in transition.sources:
        raise Conflict(
            _("This referral is %(status)s: it cannot become %(target)s.")
            % {"status": referral.get_status_display(), "target": transition.target}
        )
    from_status = referral.status
    referral.status = transition.target
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.save()
    _log(actor, referral, from_status, transition.target)
    return referral


def _needs_triage(actor: Actor, referral) -> bool:
    return actor.coordination.referral_routing == ReferralRouting.TRIAGE and referral.to_organisation.kind == "cpas"


def _answer_due(actor: Actor, referral, now) -> date:
    days = response_days(actor.coordination.referral_response_working_days, referral.urgency == Urgency.URGENT)
    return add_working_days(timezone.localdate(now), days)


@transaction.atomic
def send_referral(*, actor: Actor, referral, now=None):
    """Checks the consent again, sets the answer deadline in working days, notifies. With
    triage, a referral to the CPAS waits for a coordinator first (no deadline yet)."""
    now = now or timezone.now()
    locked = _locked(referral)
    domain_codes = [d.code for d in locked.domains.all()]
    _refuse_uncovered(
        policies.consent_lacks(locked.consent, locked.person, locked.to_organisation, domain_codes, now), "consent"
    )
    triage = _needs_triage(actor, locked)
    referral = _move(
        actor,
        locked,
        "send",
        sent_at=now,
        awaiting_triage=triage,
        response_due=None if triage else _answer_due(actor, locked, now),
    )
    # The data-sharing charter (issue 7): once one is published, both organisations must
    # have adopted its current version. Checked after the side and state checks; raising
    # here rolls the move back. Decline, cancel and closing are never gated, so that no
    # referral is stuck while an organisation catches up with a new version.
    check_charter_for_sending(from_organisation=referral.from_organisation, to_organisation=referral.to_organisation)
    if triage:
        _notify_coordinators(referral, "referral_to_triage")
    else:
        _notify_recipients(referral, "referral_sent")
    return referral


@transaction.atomic
def triage_referral(*, actor: Actor, referral, to_organisation=None, now=None):
    """A coordinator passes a referral waiting for triage on to the CPAS, or to another
    organisation the person's consent also covers. The coordinator sees no personal data."""
    if not policies.can_triage(actor):
        raise Forbidden()
    now = now or timezone.now()
    referral = _locked(referral)
    if not referral.awaiting_triage or referral.status != ReferralStatus.SENT:
        raise Conflict(_("This referral is not waiting for triage."))
    target = to_organisation or referral.to_organisation
    if target.pk == referral.from_organisation_id or not target.is_member:
        raise Invalid(fields={"to_organisation": [_("Choose another member organisation.")]})
    domain_codes = [d.code for d in referral.domains.all()]
    _refuse_uncovered(
        policies.consent_lacks(referral.consent, referral.person, target, domain_codes, now), "to_organisation"
    )
    check_charter_for_receiving(to_organisation=target)
    referral.to_organisation = target
    referral.awaiting_triage = False
    referral.triaged_by = actor.user
    referral.triaged_at = now
    referral.response_due = _answer_due(actor, referral, now)
    referral.save()
    ReferralEvent.objects.create(
        referral=referral,
        from_status=ReferralStatus.SENT,
        to_status=ReferralStatus.SENT,
        actor=actor.user,
        organisation=actor.organisation,
    )
    record_event(
        actor=actor,
        action="referral.triaged",
        object_type="referral",
        object_public_id=referral.public_id,
        person_public_id=referral.person.public_id,
        detail={"to": str(target.public_id)},
    )
    _notify_recipients(referral, "referral_sent")
    return referral


@transaction.atomic
def acknowledge_referral(*, actor: Actor, referral):
    return _move(actor, referral, "acknowledge")


@transaction.atomic
def accept_referral(*, actor: Actor, referral):
    """One reference person takes it; a second one at the same moment gets a conflict."""

    referral = _move(
        actor,
        referral,
        "accept",
        handled_by=actor.user,
        answered_at=timezone.now(),
        overdue_since=None,
    )
    # Taking a referral on needs the current charter adopted (raising rolls the move back).
    check_charter_for_accepting(organisation=referral.to_organisation)
    _notify_sender(referral, "referral_accepted")
    return referral


@transaction.atomic
def decline_referral(*, actor: Actor, referral, reason: str, note: str = ""):
    if reason not in DeclineReason.values:
        raise Invalid(fields={"reason": [_("Choose a reason.")]})
    referral = _move(
        actor,
        referral,
        "decline",
        decline_reason=reason,
        closing_note=note.strip(),
        answered_at=timezone.now(),
        closed_at=timezone.now(),
        overdue_since=None,
    )
    _notify_sender(referral, "referral_declined")
    return referral


@transaction.atomic
def start_referral(*, actor: Actor, referral):
    return _move(actor, referral, "start")


@transaction.atomic
def complete_referral(*, actor: Actor, referral, outcome: str, note: str = ""):
    if outcome not in Outcome.values:
        raise Invalid(fields={"outcome": [_("Choose an outcome.")]})
    referral = _move(
        actor,
        referral,
        "complete",
        outcome=outcome,
        closing_note=note.strip(),
        closed_at=timezone.now(),
    )
    _notify_sender(referral, "referral_completed")
    return referral


@transaction.atomic
def not_complete_referral(*, actor: Actor, referral, reason: str, note: str = ""):
    if reason not in NotCompletedReason.values:
        raise Invalid(fields={"reason": [_("Choose a reason.")]})
    referral = _move(
        actor,
        referral,
        "not-complete",
        not_completed_reason=reason,
        closing_note=note.strip(),
        closed_at=timezone.now(),
    )
    _notify_sender(referral, "referral_completed")
    return referral


@transaction.atomic
def cancel_referral(*, actor: Actor, referral):

    referral = _move(
        actor,
        referral,
        "cancel",
        closed_at=timezone.now(),
    )
    if referral.sent_at:
        _notify_recipients(referral, "referral_cancelled")
    return referral


def close_referrals_on_withdrawal(*, actor: Actor, withdrawn, remainder=None) -> int:
    """Called by consent.services.withdraw_consent: open referrals that relied on the
    withdrawn consent move to the remainder when it still covers them, and otherwise
    close as "consent withdrawn"; their recipients are told, without personal detail."""
    closed = 0
    now = timezone.now()
    referrals = Referral.objects.select_for_update().filter(
        consent=withdrawn, status__in=[ReferralStatus.DRAFT, *OPEN_STATUSES]
    )
    for referral in referrals.select_related("to_organisation", "person").prefetch_related("domains"):
        domain_codes = [d.code for d in referral.domains.all()]
        if remainder is not None and not policies.consent_lacks(
            remainder, referral.person, referral.to_organisation, domain_codes, now
        ):
            referral.consent = remainder
            referral.save(update_fields=["consent", "updated_at"])
            continue
        previous = referral.status
        referral.status = ReferralStatus.CONSENT_WITHDRAWN
        referral.closed_at = now
        referral.save(update_fields=["status", "closed_at", "updated_at"])
        _log(actor, referral, previous, ReferralStatus.CONSENT_WITHDRAWN)
        if referral.sent_at:
            _notify_recipients(referral, "referral_consent_withdrawn")
        closed += 1
    return closed


def _notify(users, referral, kind: str) -> None:
    notify(users, kind=kind, params={"referral": str(referral.public_id)}, url=f"referrals/{referral.public_id}/")


def _notify_recipients(referral, kind: str, only=None) -> None:
    members = Membership.objects.filter(
        organisation=referral.to_organisation,
        is_active=True,
        role__in=policies.answering_roles(referral.to_organisation),
    )
    if only is not None:
        members = members.filter(user_id__in=only)
    _notify([m.user for m in members.select_related("user")], referral, kind)


def _notify_coordinators(referral, kind: str) -> None:
    members = Membership.objects.filter(role=Role.COORDINATOR, is_active=True).select_related("user")
    _notify([m.user for m in members], referral, kind)


def _notify_sender(referral, kind: str) -> None:
    _notify([referral.sender], referral, kind)


# --- Case notes ----------------------------------------------------------------------

MAX_NOTE_LENGTH = 20_000


def _note_text(text: str, errors: dict) -> str:
    text = (text or "").strip()
    if not text:
        errors["text"] = [_("Write the note.")]
    elif len(text) > MAX_NOTE_LENGTH:
        errors["text"] = [_("A note holds %(max)s characters at most.") % {"max": MAX_NOTE_LENGTH}]
    return text


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
        covering(organisation_id=actor.organisation.pk, category=DataCategory.CASE_NOTES, domain_code=domain.code)
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
    referral, or every organisation the consent shares case notes with."""
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
        _notify_recipients(referral, "referral_note", only=note_readers(note))
    else:
        readers = note_readers(note)
        if referral.sender_id in readers:
            _notify_sender(referral, "referral_note")


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
    """Called by persons.services.anonymise_closed_files when a file is anonymised, in the same transaction:
    case notes are the most personal text of all, so every version of every note about
    the person is overwritten. Returns how many note rows were."""
    return CaseNote.objects.filter(person=person).update(**dict.fromkeys(CASE_NOTE_PERSONAL_FIELDS, placeholder))
