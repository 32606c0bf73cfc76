"""Writes to referrals. Every transition is one service, checked, under a row lock, with a
timeline row and an audit event (the notes' writes: referrals.notes.services)."""

from dataclasses import dataclass, replace
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from audit.services import record_event
from charter.selectors import (
    check_charter_for_accepting,
    check_charter_for_receiving,
    check_charter_for_sending,
)
from consent.policies import covering
from directory.models import NeedDomain
from maillage.actor import Actor
from maillage.cleaning import check_ahead, check_date
from maillage.errors import Conflict, Forbidden, Invalid
from persons import policies as person_policies
from persons.models import Household, Person
from referrals import policies, transitions
from referrals.deadlines import add_working_days, response_days
from referrals.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    WORK_ON_REFERRAL,
    AppointmentProposal,
    DeclineReason,
    NotCompletedReason,
    Outcome,
    ProposalState,
    Referral,
    ReferralAssignment,
    ReferralEvent,
    ReferralStatus,
    Urgency,
)
from referrals.notices import notify_about, notify_coordinators, notify_recipients, notify_sender
from referrals.references import new_reference
from tenants.models import ReferralRouting


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


def _with_default_consent(data: ReferralInput) -> ReferralInput:
    """Without a chosen consent, the newest one in force that covers the referral."""
    if data.consent is None and data.to_organisation is not None and data.domains:
        consent = default_consent(
            person=data.person, to_organisation=data.to_organisation, domain_codes=list(data.domains)
        )
        data = replace(data, consent=consent)
    return data


def referral_input_errors(*, actor: Actor, data: ReferralInput) -> dict[str, list]:
    """Every problem of a referral's input at once, by field, without writing: the form
    shows them in one round with its own, with the rules kept here only."""
    data = _with_default_consent(data)
    return _referral_errors(actor, data, list(NeedDomain.objects.filter(code__in=data.domains)))


def _referral_errors(actor: Actor, data: ReferralInput, domains: list) -> dict[str, list]:
    errors: dict[str, list] = {}
    if data.to_organisation is None or not data.to_organisation.is_member:
        errors["to_organisation"] = [_("Choose a member organisation of this coordination.")]
    elif data.to_organisation.pk == actor.organisation.pk:
        errors["to_organisation"] = [_("A referral goes to another organisation.")]
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
    check_date(data.appointment_at, "appointment_at", errors, years_ahead=2)
    check_ahead(data.appointment_at, "appointment_at", errors)
    return errors


@transaction.atomic
def refer_person(*, actor: Actor, data: ReferralInput, send: bool):
    """The one way to refer a person, from the page as from the API: a draft, sent at once
    when `send`. Without a chosen consent, the newest one in force that covers the
    referral. All or nothing: a send the consent or the charter refuses leaves no draft."""
    data = _with_default_consent(data)
    referral = create_referral(actor=actor, data=data)
    if send:
        referral = send_referral(actor=actor, referral=referral)
    return referral


@transaction.atomic
def create_referral(*, actor: Actor, data: ReferralInput):
    """A draft referral of a person the actor's organisation follows."""
    if not person_policies.can_edit_file(actor, data.person):
        raise Forbidden()
    _refuse_closed_file(data.person)
    domains = list(NeedDomain.objects.filter(code__in=data.domains))
    errors = _referral_errors(actor, data, domains)
    if errors:
        raise Invalid(fields=errors)
    now = timezone.now()
    referral = Referral.objects.create(
        reference=new_reference(now),
        created_at=now,
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


def _refuse_closed_file(person) -> None:
    """A closed file refers no one: its organisation reopens it first."""
    if person.closed_at:
        raise Invalid(
            _("This file is closed: reopen it before referring the person."),
            code="file_closed",
            fields={"person": [_("This file is closed: reopen it before referring the person.")]},
        )


def _log(actor: Actor, referral, from_status: str, to_status: str, *, action: str = "", detail=None) -> None:
    """A row of the referral's timeline and its audit event (by default named for the new
    state, with the two states as detail)."""
    ReferralEvent.objects.create(
        referral=referral,
        from_status=from_status,
        to_status=to_status,
        actor=actor.user,
        organisation=actor.organisation,
    )
    record_event(
        actor=actor,
        action=action or f"referral.{to_status}",
        object_type="referral",
        object_public_id=referral.public_id,
        person_public_id=referral.person.public_id,
        detail={"from": from_status, "to": to_status} if detail is None else detail,
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
    _log(actor, referral, from_status, transition.target, action=_AUDITED_AS.get(action, ""))
    return referral


# Transitions whose audit event is not named for the state they lead to (declining a
# proposed appointment leads back to "received", accepting one to "accepted").
_AUDITED_AS = {
    "propose": "referral.appointment_proposed",
    "accept-proposal": "referral.proposal_accepted",
    "decline-proposal": "referral.proposal_declined",
}


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
    _refuse_closed_file(locked.person)
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
    # The data-sharing charter: once one is published, both organisations must
    # have adopted its current version. Checked after the side and state checks; raising
    # here rolls the move back. Decline, cancel and closing are never gated, so that no
    # referral is stuck while an organisation catches up with a new version.
    check_charter_for_sending(from_organisation=referral.from_organisation, to_organisation=referral.to_organisation)
    if triage:
        notify_coordinators(referral, "referral_to_triage")
    else:
        notify_recipients(referral, "referral_sent")
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
    _log(
        actor,
        referral,
        ReferralStatus.SENT,
        ReferralStatus.SENT,
        action="referral.triaged",
        detail={"to": str(target.public_id)},
    )
    notify_recipients(referral, "referral_sent")
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
    notify_sender(referral, "referral_accepted")
    return referral


def _future_appointment(appointment_at, place: str, now) -> tuple:
    """The proposed appointment's time (ahead of now) and place; anything else is a 400."""
    errors: dict[str, list] = {}
    if not appointment_at:
        errors["appointment_at"] = [_("Give the date and time of the appointment you propose.")]
    else:
        check_date(appointment_at, "appointment_at", errors, years_ahead=2)
        check_ahead(appointment_at, "appointment_at", errors, now=now)
    place = (place or "").strip()
    if len(place) > 200:
        errors["place"] = [_("At most 200 characters.")]
    if errors:
        raise Invalid(fields=errors)
    return appointment_at, place


@transaction.atomic
def propose_appointment(*, actor: Actor, referral, appointment_at, place: str = "", note: str = "", now=None):
    """The receiving side answers with another appointment (time, place, a note for the
    sender) instead of accepting the referral's. It is an answer: the deadline stops. The
    sender is told and accepts or declines it."""
    now = now or timezone.now()
    appointment_at, place = _future_appointment(appointment_at, place, now)
    referral = _move(actor, referral, "propose", answered_at=now, overdue_since=None)
    # Proposing commits the organisation to take the person on: the charter gate of accepting.
    check_charter_for_accepting(organisation=referral.to_organisation)
    AppointmentProposal.objects.create(
        referral=referral,
        appointment_at=appointment_at,
        appointment_place=place,
        note=(note or "").strip(),
        proposed_by=actor.user,
        organisation=actor.organisation,
        created_at=now,
    )
    notify_sender(referral, "referral_appointment_proposed")
    return referral


def _pending_proposal(referral):
    proposal = (
        AppointmentProposal.objects.select_for_update().filter(referral=referral, state=ProposalState.PENDING).first()
    )
    if proposal is None:
        raise Conflict(_("No appointment is waiting for your answer on this referral."))
    return proposal


@transaction.atomic
def accept_proposed_appointment(*, actor: Actor, referral, now=None):
    """The sender accepts the proposed appointment: it becomes the referral's (the slip
    prints it), and the referral is accepted, in the hands of whoever proposed it."""
    now = now or timezone.now()
    referral = _move(actor, referral, "accept-proposal")
    proposal = _pending_proposal(referral)
    if proposal.appointment_at <= now:
        raise Conflict(
            _("The proposed appointment has passed: decline it, so that the organisation proposes another."),
            code="appointment_passed",
        )
    check_charter_for_accepting(organisation=referral.to_organisation)
    referral.appointment_at = proposal.appointment_at
    referral.appointment_place = proposal.appointment_place
    referral.handled_by = proposal.proposed_by
    referral.save(update_fields=["appointment_at", "appointment_place", "handled_by", "updated_at"])
    proposal.state = ProposalState.ACCEPTED
    proposal.answered_by = actor.user
    proposal.answered_at = now
    proposal.save(update_fields=["state", "answered_by", "answered_at", "updated_at"])
    notify_recipients(referral, "referral_proposal_accepted")
    return referral


@transaction.atomic
def decline_proposed_appointment(*, actor: Actor, referral, note: str = "", now=None):
    """The sender declines the proposed appointment: the referral waits for the receiving
    side's answer again (accept the referral's appointment, propose another, or decline),
    with a new answer date counted from now."""
    now = now or timezone.now()
    referral = _move(
        actor,
        referral,
        "decline-proposal",
        answered_at=None,
        response_due=_answer_due(actor, referral, now),
        overdue_since=None,
        reminded_at=None,
        escalated_at=None,
    )
    proposal = _pending_proposal(referral)
    proposal.state = ProposalState.DECLINED
    proposal.answered_by = actor.user
    proposal.answered_at = now
    proposal.answer_note = (note or "").strip()
    proposal.save(update_fields=["state", "answered_by", "answered_at", "answer_note", "updated_at"])
    notify_recipients(referral, "referral_proposal_declined")
    return referral


def _chosen(value: str, choices, field: str, message: str) -> str:
    """A reason's or an outcome's code, from its list; anything else is a 400 on `field`."""
    if value not in choices.values:
        raise Invalid(fields={field: [message]})
    return value


def _close(actor: Actor, referral, action: str, *, note: str, notice: str, **fields):
    """The receiving side ends the referral (declined, completed or not): the transition
    with its note for the sender and its closing time, then the sender is told."""
    referral = _move(actor, referral, action, closing_note=note.strip(), closed_at=timezone.now(), **fields)
    notify_sender(referral, notice)
    return referral


@transaction.atomic
def decline_referral(*, actor: Actor, referral, reason: str, note: str = ""):
    reason = _chosen(reason, DeclineReason, "reason", _("Choose a reason."))
    return _close(
        actor,
        referral,
        "decline",
        note=note,
        notice="referral_declined",
        decline_reason=reason,
        answered_at=timezone.now(),
        overdue_since=None,
    )


@transaction.atomic
def start_referral(*, actor: Actor, referral):
    return _move(actor, referral, "start")


@transaction.atomic
def complete_referral(*, actor: Actor, referral, outcome: str, note: str = ""):
    outcome = _chosen(outcome, Outcome, "outcome", _("Choose an outcome."))
    return _close(actor, referral, "complete", note=note, notice="referral_completed", outcome=outcome)


@transaction.atomic
def not_complete_referral(*, actor: Actor, referral, reason: str, note: str = ""):
    reason = _chosen(reason, NotCompletedReason, "reason", _("Choose a reason."))
    return _close(actor, referral, "not-complete", note=note, notice="referral_completed", not_completed_reason=reason)


@transaction.atomic
def cancel_referral(*, actor: Actor, referral):
    referral = _move(actor, referral, "cancel", closed_at=timezone.now())
    if referral.sent_at:
        notify_recipients(referral, "referral_cancelled")
    return referral


def close_referrals_on_withdrawal(*, actor: Actor, withdrawn, remainder=None, reason: str = "withdrawn") -> int:
    """Called by consent.services.withdraw_consent, and by its daily job when a consent's
    validity ended (`reason` "expired"): open referrals that relied on the consent move to
    the remainder when it still covers them, and otherwise close as "consent withdrawn"
    (one state for a consent no longer in force; the timeline's audit event says why);
    their recipients are told, without personal detail."""
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
        _log(
            actor,
            referral,
            previous,
            ReferralStatus.CONSENT_WITHDRAWN,
            detail={"from": previous, "to": ReferralStatus.CONSENT_WITHDRAWN, "reason": reason},
        )
        if referral.sent_at:
            notify_recipients(referral, "referral_consent_withdrawn")
        closed += 1
    return closed


@transaction.atomic
def take_referral(*, actor: Actor, referral):
    """ "Take it" in the shared inbox: the referral is the actor's now, and no longer the
    colleague's who had it."""
    return _assign(actor, referral, actor.membership, action="referral.taken")


@transaction.atomic
def hand_over_referral(*, actor: Actor, referral, to_member):
    """The referral passes to a colleague of the receiving organisation who answers its
    referrals (`to_member`, from members.selectors.get_colleague), who is told."""
    referral = _assign(actor, referral, to_member, action="referral.handed_over")
    if to_member.user_id != actor.user.pk:
        notify_about([to_member.user], referral, "referral_handed_over", by=actor.organisation)
    return referral


def _assign(actor: Actor, referral, member, *, action: str):
    """One named worker per referral, as django-guardian's object permission: whoever had
    it loses it. Checked under the referral's row lock, so two takes in a row leave one."""
    referral = _locked(referral)
    if not policies.is_recipient_side(actor, referral):
        raise Forbidden()
    if referral.status in CLOSED_STATUSES:
        raise Conflict(
            _("This referral is %(status)s: it can no longer be assigned.") % {"status": referral.get_status_display()}
        )
    if (
        member.organisation_id != referral.to_organisation_id
        or not member.is_active
        or member.role not in policies.answering_roles(referral.to_organisation)
    ):
        raise Invalid(fields={"member": [_("Choose a colleague of your organisation who answers referrals.")]})
    ReferralAssignment.objects.filter(content_object=referral).exclude(user_id=member.user_id).delete()
    assign_perm(f"referrals.{WORK_ON_REFERRAL}", member.user, referral)
    record_event(
        actor=actor,
        action=action,
        object_type="referral",
        object_public_id=referral.public_id,
        person_public_id=referral.person.public_id,
        detail={"to": str(member.public_id)},
    )
    return referral
