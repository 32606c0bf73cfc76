"""Reads of referrals, through the consent policy (the notes' reads: referrals.notes.selectors)."""

import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf

from consent.models import DataCategory
from maillage.actor import Actor
from maillage.errors import NotFound
from persons import policies as person_policies
from persons.selectors import persons_visible_to
from referrals import policies
from referrals.deadlines import belgian_today
from referrals.models import (
    AWAITING_ANSWER,
    BEFORE_ACCEPTANCE,
    CLOSED_STATUSES,
    WORK_ON_REFERRAL,
    AppointmentProposal,
    ProposalState,
    Referral,
    ReferralAssignment,
    ReferralEvent,
    ReferralStatus,
    Urgency,
)

OPEN, CLOSED = "open", "closed"
# Declined referrals stay on the sender's work page this long: time to refer elsewhere.
DECLINED_SHOWN_DAYS = 14


@dataclass(frozen=True)
class ReferralFilters:
    status: str = ""
    domain: str = ""
    overdue: bool = False
    reference: str = ""  # the whole reference, any case (the API's filter)
    search: str = ""  # what someone typed in the list's search box: a reference or part of one
    state: str = ""  # OPEN (drafts included), CLOSED, or "" for both
    assigned_to_me: bool = False  # only the referrals assigned to the actor (ReferralAssignment)


def overdue_filter(today: date | None = None) -> Q:
    """Overdue, the one rule for pages, API and lists: still waiting for an answer and past
    its answer date (a Belgian date). The daily job stamps `overdue_since` to remind and
    escalate once; being overdue does not wait for it, nor outlive the answer."""
    return Q(status__in=AWAITING_ANSWER, response_due__lt=today or belgian_today())


def is_overdue(referral, today: date | None = None) -> bool:
    """The in-memory twin of `overdue_filter`, for a referral already loaded."""
    due = referral.response_due
    return referral.status in AWAITING_ANSWER and due is not None and due < (today or belgian_today())


def by_urgency(referrals):
    """The order of what needs doing: urgent first, then the soonest answer date (only a
    referral still waiting for its answer has one), then the newest sent."""
    return referrals.annotate(
        urgent_first=Case(When(urgency=Urgency.URGENT, then=Value(0)), default=Value(1)),
        answer_due=Case(When(status__in=AWAITING_ANSWER, then=F("response_due")), default=None),
    ).order_by(
        "urgent_first", F("answer_due").asc(nulls_last=True), F("sent_at").desc(nulls_last=True), "-created_at", "-pk"
    )


def normalised_reference(text: str) -> str:
    """A reference as someone types it after hearing it ("sch 2026 42", " SCH-2026-0042 ")
    in the form it is stored in, as far as it goes."""
    parts = [part for part in re.split(r"[\s\-_/.]+", (text or "").strip().upper()) if part]
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        parts[2] = parts[2].zfill(4)
    return "-".join(parts)


def _referrals(filters: ReferralFilters):
    referrals = Referral.objects.select_related(
        "person", "from_organisation", "to_organisation", "to_offer", "consent", "sender", "handled_by"
    ).prefetch_related(
        "domains",
        "consent__recipients",
        "consent__domains",
        Prefetch(
            "proposals",
            queryset=AppointmentProposal.objects.filter(state=ProposalState.PENDING).select_related("organisation"),
            to_attr="pending_proposals",
        ),
    )
    if filters.reference:
        referrals = referrals.filter(reference__iexact=filters.reference.strip())
    if filters.search:
        referrals = referrals.filter(reference__icontains=normalised_reference(filters.search))
    if filters.status:
        referrals = referrals.filter(status=filters.status)
    if filters.domain:
        referrals = referrals.filter(domains__code=filters.domain).distinct()
    if filters.overdue:
        referrals = referrals.filter(overdue_filter())
    if filters.state == OPEN:
        return by_urgency(referrals.exclude(status__in=CLOSED_STATUSES))
    if filters.state == CLOSED:
        referrals = referrals.filter(status__in=CLOSED_STATUSES)
        return referrals.order_by(F("closed_at").desc(nulls_last=True), "-sent_at", "-created_at", "-pk")
    return referrals.order_by("-sent_at", "-created_at", "-pk")


def _assignments():
    return ReferralAssignment.objects.filter(content_object=OuterRef("pk"), permission__codename=WORK_ON_REFERRAL)


def assigned_to(user) -> Q:
    """The referrals assigned to this account (guardian's object permission)."""
    return Q(Exists(_assignments().filter(user_id=user.pk)))


def with_assignee(referrals):
    """Each referral with `assignee_user_id` and `assignee_name` (the account's name, its
    e-mail address when it has none; None: nobody took it), read by subqueries in the same
    query as the referrals, so that a list costs no query per row."""
    latest = _assignments().order_by("-created_at", "-pk")
    name = Coalesce(NullIf(F("user__full_name"), Value("")), F("user__email"), output_field=CharField())
    return referrals.annotate(
        assignee_user_id=Subquery(latest.values("user_id")[:1]),
        assignee_name=Subquery(latest.annotate(name=name).values("name")[:1]),
    )


def assigned_to_actor(actor: Actor, referral) -> bool:
    """Whether the referral (read through with_assignee) is assigned to the actor."""
    return getattr(referral, "assignee_user_id", None) == actor.user.pk


def assignee_shown(actor: Actor, referral) -> str | None:
    """Who took the referral, for the receiving organisation only: an assignment is its
    own business, not the sender's."""
    if actor.organisation is None or referral.to_organisation_id != actor.organisation.pk:
        return None
    return getattr(referral, "assignee_name", None)


def _mine(referrals, actor: Actor, filters: ReferralFilters):
    return referrals.filter(assigned_to(actor.user)) if filters.assigned_to_me else referrals


def box_counts(referrals) -> dict[str, int]:
    """What a box holds, in one query: still to answer, open (drafts included), closed."""
    return referrals.order_by().aggregate(
        to_answer=Count("pk", filter=Q(status__in=AWAITING_ANSWER)),
        open=Count("pk", filter=~Q(status__in=CLOSED_STATUSES)),
        closed=Count("pk", filter=Q(status__in=CLOSED_STATUSES)),
    )


def inbox(*, actor: Actor, filters: ReferralFilters = ReferralFilters()):
    """Referrals sent to the actor's organisation (the CPAS's reference persons share one)."""
    if not person_policies.can_read_personal_data(actor) or actor.organisation is None:
        return _referrals(filters).none()
    received = (
        _referrals(filters)
        .filter(to_organisation=actor.organisation, awaiting_triage=False)
        .exclude(status=ReferralStatus.DRAFT)
    )
    return with_assignee(_mine(received, actor, filters))


def to_answer(*, actor: Actor):
    """Referrals waiting for the answer of the actor's organisation, in the order of
    urgency, for those who answer them (referrals.policies.answers_referrals)."""
    if not policies.answers_referrals(actor):
        return _referrals(ReferralFilters()).none()
    return by_urgency(inbox(actor=actor).filter(status__in=AWAITING_ANSWER))


def assigned_to_me(*, actor: Actor):
    """The open referrals the actor's organisation received that are assigned to the actor,
    in the order of urgency."""
    return inbox(actor=actor, filters=ReferralFilters(state=OPEN, assigned_to_me=True))


def sent_needing_attention(*, actor: Actor, today: date | None = None):
    """Referrals the actor's organisation sent that wait past their answer date, whose
    recipient proposes another appointment (the sender accepts or declines it), or that
    were declined lately (to refer the person elsewhere): overdue first, then proposals,
    then declined, each by its date; only on persons the organisation may still see."""
    today = today or belgian_today()
    if not person_policies.can_open_files(actor):
        return _referrals(ReferralFilters()).none()
    declined = Q(status=ReferralStatus.DECLINED, answered_at__date__gte=today - timedelta(days=DECLINED_SHOWN_DAYS))
    proposed = Q(status=ReferralStatus.APPOINTMENT_PROPOSED)
    return (
        outbox(actor=actor)
        .filter(overdue_filter(today) | proposed | declined)
        .filter(person__in=persons_visible_to(actor=actor).values("pk"))
        .annotate(
            late_first=Case(
                When(status__in=AWAITING_ANSWER, then=Value(0)),
                When(status=ReferralStatus.APPOINTMENT_PROPOSED, then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("late_first", "response_due", "-answered_at", "pk")
    )


def triage_queue(*, actor: Actor):
    """Referrals waiting for a coordinator to pass them on (shown without personal data)."""
    if not policies.can_triage(actor):
        return _referrals(ReferralFilters()).none()
    return _referrals(ReferralFilters()).filter(awaiting_triage=True).order_by("sent_at", "pk")


def overdue_for_coordinators(*, actor: Actor):
    """Referrals past their answer deadline and still unanswered, for the coordinators who
    follow the network up (shown without personal data: organisations, domains, dates)."""
    if not policies.can_triage(actor):
        raise NotFound()
    return (
        Referral.objects.select_related("from_organisation", "to_organisation")
        .prefetch_related("domains")
        .filter(overdue_filter())
        .order_by("response_due", "sent_at", "pk")
    )


def get_referral_to_triage(*, actor: Actor, public_id: uuid.UUID):
    try:
        return triage_queue(actor=actor).get(public_id=public_id)
    except (Referral.DoesNotExist, ValueError):
        raise NotFound() from None


def outbox(*, actor: Actor, filters: ReferralFilters = ReferralFilters()):
    if not person_policies.can_read_personal_data(actor) or actor.organisation is None:
        return _referrals(filters).none()
    return _mine(_referrals(filters).filter(from_organisation=actor.organisation), actor, filters)


def get_referral_for(*, actor: Actor, public_id: uuid.UUID):
    """A referral the actor's organisation sent or received (drafts stay with the sender)."""
    if not person_policies.can_read_personal_data(actor) or actor.organisation is None:
        raise NotFound()
    try:
        return with_assignee(_referrals(ReferralFilters()).filter(_party(actor))).get(public_id=public_id)
    except (Referral.DoesNotExist, ValueError):
        raise NotFound() from None


def _party(actor: Actor) -> Q:
    """The referrals the actor's organisation sent, or received (drafts stay with the
    sender; a referral waiting for triage has not reached its recipient yet)."""
    return Q(from_organisation=actor.organisation) | (
        Q(to_organisation=actor.organisation, awaiting_triage=False) & ~Q(status=ReferralStatus.DRAFT)
    )


def referrals_of_person(*, actor: Actor, person):
    """The person's referrals the actor's organisation is a party to (as get_referral_for),
    oldest first. What the receiving side may see of the person is still recipient_view."""
    if not person_policies.can_read_personal_data(actor) or actor.organisation is None:
        return _referrals(ReferralFilters()).none()
    return _referrals(ReferralFilters()).filter(_party(actor), person=person).order_by("sent_at", "created_at", "pk")


def recipient_view(actor: Actor, referral, now=None) -> str:
    """What the receiving side may see of the person: 'full' once it has accepted and while
    the referral's consent covers it, 'preview' before acceptance, 'none' when the consent
    no longer covers it. The sending side always sees 'full' (its own file).

    The consent the referral relies on is checked again at every read; its recipients and
    domains come prefetched, so a list costs no query per row.
    """
    if referral.from_organisation_id == actor.organisation.pk:
        return "full"
    domain_codes = [d.code for d in referral.domains.all()]
    if policies.consent_lacks(referral.consent, referral.person, actor.organisation, domain_codes, now):
        return "none"
    if referral.status in BEFORE_ACCEPTANCE:
        return "preview"
    return "full"


def situation_shared(referral, view: str) -> bool:
    """Whether the reader may see why the person is referred and what is expected: always
    on the sending side and once accepted; in the preview, when the person agreed to share
    their situation with the recipient (the referral's consent names that category)."""
    if view == "full":
        return True
    return view == "preview" and DataCategory.SITUATION in referral.consent.categories


def shown_of_referral(referral, view: str) -> dict | None:
    """What the reader sees of the person and of the referral's reason, for the referral
    page and the API alike (the one place that decides the preview's content): nothing when
    the consent no longer covers it; in the preview the first name, languages, interpreter,
    appointment, and the reason and expectation when the situation is shared; the file's
    identity once accepted."""
    if view == "none":
        return None
    person = referral.person
    shared = situation_shared(referral, view)
    shown = {
        "given_name": person.given_name,
        "languages": person.languages,
        "interpreter_needed": referral.interpreter_needed,
        "interpreter_language": referral.interpreter_language,
        "appointment_at": referral.appointment_at,
        "appointment_place": referral.appointment_place,
        "situation_shared": shared,
        "reason": referral.reason if shared else None,
        "expectation": referral.expectation if shared else None,
    }
    if view == "full":
        shown.update(
            id=person.public_id,
            family_name=person.family_name,
            birth_date=person.birth_date,
            birth_year=person.birth_year,
        )
    return shown


def pending_proposal(referral):
    """The appointment proposed to the sender, waiting for its answer (None: none is).
    Prefetched by every list and detail read of this module."""
    if referral.status != ReferralStatus.APPOINTMENT_PROPOSED:
        return None
    pending = getattr(referral, "pending_proposals", None)
    if pending is None:
        pending = list(
            AppointmentProposal.objects.filter(referral=referral, state=ProposalState.PENDING).select_related(
                "organisation"
            )
        )
    return pending[0] if pending else None


def consents_held_back(*, organisation_id: int) -> Q:
    """A Q on consent.Consent, for consent.policies.opening (MAILLAGE_CONSENT_HOLDS): the
    consents a referral to this organisation relies on while it waits for the
    organisation's answer, unless the organisation has taken a referral of the same person
    on before. Through them the organisation sees the referral's preview (recipient_view),
    and on no other page or route more of the person: the file, its household, notes,
    consents and printed papers stay out of reach until it accepts."""
    waiting = Referral.objects.filter(
        consent_id=OuterRef("pk"), to_organisation_id=organisation_id, status__in=BEFORE_ACCEPTANCE
    )
    taken_on = ReferralEvent.objects.filter(
        referral__person_id=OuterRef("person_id"),
        referral__to_organisation_id=organisation_id,
        to_status=ReferralStatus.ACCEPTED,
    )
    return Q(Exists(waiting)) & ~Q(Exists(taken_on))


def referral_flows(*, start, end, today: date):
    """Referrals sent between two organisations in [start, end), counted per pair (no
    person, no referral id): sent, answered, accepted, still unanswered, overdue, and
    waiting for a coordinator's triage. For the coordination's network map."""
    return (
        Referral.objects.filter(sent_at__gte=start, sent_at__lt=end)
        .exclude(status=ReferralStatus.DRAFT)
        .order_by()
        .values("from_organisation_id", "to_organisation_id")
        .annotate(
            sent=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            accepted=Count("pk", filter=Q(answered_at__isnull=False) & ~Q(status=ReferralStatus.DECLINED)),
            unanswered=Count("pk", filter=Q(status__in=AWAITING_ANSWER)),
            overdue=Count("pk", filter=overdue_filter(today)),
            awaiting_triage=Count("pk", filter=Q(status=ReferralStatus.SENT, awaiting_triage=True)),
        )
    )


def referral_for_notice(public_id):
    """The referral a notice names (its params carry the public id), with what the notice's
    e-mail needs; None when it is gone. The e-mail's own rules (who may read the first
    name) are in referrals.notices."""
    return Referral.objects.select_related("person", "consent").filter(public_id=public_id).first()


def awaiting_an_answer_for_the_deadline_job():
    """Referrals still waiting for an answer with a due date and not yet marked overdue,
    locked for the daily deadline job (referrals.reminders) inside its transaction."""
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("to_organisation", "person", "sender")
        .filter(status__in=AWAITING_ANSWER, response_due__isnull=False, overdue_since__isnull=True)
    )


def referrals_for_notices(public_ids) -> dict:
    """{public id as text: referral} for the referrals a page of notices names, with what
    recipient_view reads (person, consent and its coverage, domains) prefetched."""
    ids = [public_id for public_id in public_ids if _is_uuid(public_id)]
    if not ids:
        return {}
    found = (
        Referral.objects.filter(public_id__in=ids)
        .select_related("person", "consent")
        .prefetch_related("domains", "consent__recipients", "consent__domains")
    )
    return {str(referral.public_id): referral for referral in found}


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def audit_references(*, public_ids) -> dict:
    """How the audit trail names referrals (MAILLAGE_AUDIT_OBJECT_REFERENCES): by their
    reference, which holds no personal data."""
    return dict(Referral.objects.filter(public_id__in=public_ids).values_list("public_id", "reference"))
