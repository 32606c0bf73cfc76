"""Reads of referrals and shared case notes, through the consent policy."""

import uuid
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, TextField, Value, When

from consent.models import DataCategory
from consent.policies import consents_in_force, covering, visibility_filter
from maillage.actor import Actor
from maillage.errors import NotFound
from members.models import Membership
from members.roles import READS_PERSONAL_DATA
from persons import policies as person_policies
from persons.models import Person
from persons.selectors import persons_visible_to
from referrals import policies
from referrals.deadlines import belgian_today
from referrals.models import AWAITING_ANSWER, CaseNote, NoteAudience, Referral, ReferralEvent, ReferralStatus

# --- Referrals -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralFilters:
    status: str = ""
    domain: str = ""
    overdue: bool = False


def overdue_filter(today: date | None = None) -> Q:
    """Overdue, the one rule for pages, API and lists: still waiting for an answer and past
    its answer date (a Belgian date). The daily job stamps `overdue_since` to remind and
    escalate once; being overdue does not wait for it, nor outlive the answer."""
    return Q(status__in=AWAITING_ANSWER, response_due__lt=today or belgian_today())


def is_overdue(referral, today: date | None = None) -> bool:
    """The in-memory twin of `overdue_filter`, for a referral already loaded."""
    due = referral.response_due
    return referral.status in AWAITING_ANSWER and due is not None and due < (today or belgian_today())


def _referrals(filters: ReferralFilters):
    referrals = Referral.objects.select_related(
        "person", "from_organisation", "to_organisation", "to_offer", "consent", "sender", "handled_by"
    ).prefetch_related("domains", "consent__recipients", "consent__domains")
    if filters.status:
        referrals = referrals.filter(status=filters.status)
    if filters.domain:
        referrals = referrals.filter(domains__code=filters.domain).distinct()
    if filters.overdue:
        referrals = referrals.filter(overdue_filter())
    return referrals.order_by("-sent_at", "-created_at", "-pk")


def inbox(*, actor: Actor, filters: ReferralFilters = ReferralFilters()):
    """Referrals sent to the actor's organisation (the CPAS's reference persons share one)."""
    if not person_policies.can_read_personal_data(actor) or actor.organisation is None:
        return _referrals(filters).none()
    return (
        _referrals(filters)
        .filter(to_organisation=actor.organisation, awaiting_triage=False)
        .exclude(status=ReferralStatus.DRAFT)
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
    return _referrals(filters).filter(from_organisation=actor.organisation)


def get_referral_for(*, actor: Actor, public_id: uuid.UUID):
    """A referral the actor's organisation sent or received (drafts stay with the sender)."""
    if not person_policies.can_read_personal_data(actor) or actor.organisation is None:
        raise NotFound()
    referrals = _referrals(ReferralFilters()).filter(
        Q(from_organisation=actor.organisation)
        | (Q(to_organisation=actor.organisation, awaiting_triage=False) & ~Q(status=ReferralStatus.DRAFT))
    )
    try:
        return referrals.get(public_id=public_id)
    except (Referral.DoesNotExist, ValueError):
        raise NotFound() from None


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
    if referral.status in AWAITING_ANSWER:
        return "preview"
    return "full"


# --- Shared case notes ---------------------------------------------------------------


def _consents_linking(organisation_id: int, categories: list[str]) -> Q:
    """A Q on CaseNote: a consent in force on the note's person, for the note's need domain
    and these kinds of data, links the reader's organisation to the note.

    It names the reader; or, when the reader keeps the person's file, it names the
    organisation that wrote the note (the file keeper never names itself: the consent it
    recorded for the author's organisation is what lets that organisation's notes come
    back). Withdrawn, replaced or expired, it links nothing, from the next read on."""
    to_reader = covering(organisation_id=organisation_id, category=DataCategory.CASE_NOTES).filter(
        categories__contains=categories, person_id=OuterRef("person_id"), domains=OuterRef("domain_id")
    )
    to_author = consents_in_force().filter(
        recipients=OuterRef("organisation_id"),
        categories__contains=categories,
        person_id=OuterRef("person_id"),
        domains=OuterRef("domain_id"),
    )
    return Q(Exists(to_reader)) | (Q(person__organisation_id=organisation_id) & Q(Exists(to_author)))


def _note_visibility(organisation_id: int) -> Q:
    """Who reads a note: its author's organisation always; another organisation only
    through a consent in force that covers case notes for the note's need domain (and
    sensitive data, when the note is marked sensitive), and for a referral's note only as
    the other party of a referral it took on."""
    consented = (Q(sensitive=False) & _consents_linking(organisation_id, [DataCategory.CASE_NOTES])) | (
        _consents_linking(organisation_id, [DataCategory.CASE_NOTES, DataCategory.SENSITIVE])
    )
    # The receiving side sees the person in full only once it has accepted (recipient_view):
    # the notes of a referral are shared from then on, not on a draft, a pending or a
    # declined referral.
    accepted = Exists(
        ReferralEvent.objects.filter(referral_id=OuterRef("referral_id"), to_status=ReferralStatus.ACCEPTED)
    )
    party = (Q(referral__from_organisation_id=organisation_id) | Q(referral__to_organisation_id=organisation_id)) & Q(
        accepted
    )
    return (
        Q(organisation_id=organisation_id)
        | (Q(audience=NoteAudience.CONSENTED) & consented)
        | (Q(audience=NoteAudience.REFERRAL) & party & consented)
    )


def _readable_notes(actor: Actor):
    """Every version of every note the actor may read, on persons it may see. A retracted
    note keeps its entry, never its text (`shown_text` is None)."""
    notes = CaseNote.objects.annotate(
        person_public_id=F("person__public_id"),
        organisation_public_id=F("organisation__public_id"),
        organisation_name=F("organisation__name"),
        author_name=F("author__full_name"),
        domain_code=F("domain__code"),
        referral_public_id=F("referral__public_id"),
        supersedes_public_id=F("supersedes__public_id"),
        retracted_by_name=F("retracted_by__full_name"),
        is_current=~Exists(CaseNote.objects.filter(supersedes_id=OuterRef("pk"))),
        shown_text=Case(When(retracted_at__isnull=True, then=F("text")), default=Value(None), output_field=TextField()),
    ).defer("text")
    if not person_policies.can_read_personal_data(actor) or actor.organisation is None:
        return notes.none()
    return notes.filter(person__in=persons_visible_to(actor=actor).values("pk")).filter(
        _note_visibility(actor.organisation.pk)
    )


def notes_visible_to(*, actor: Actor, person: Person) -> QuerySet:
    """The current version of each note on this person the actor may read, newest first."""
    return _readable_notes(actor).filter(person=person, is_current=True).order_by("-created_at", "-pk")


def get_note_for(*, actor: Actor, public_id: uuid.UUID):
    """One version of a note the actor may read; anything else is missing."""
    try:
        return _readable_notes(actor).get(public_id=public_id)
    except (CaseNote.DoesNotExist, ValueError):
        raise NotFound() from None


def note_history(*, actor: Actor, note) -> QuerySet:
    """The earlier versions of a note, newest first: readable by whoever reads the note
    (every version has the same person, organisation, domain, audience and flag)."""
    return _readable_notes(actor).filter(thread=note.thread, version__lt=note.version).order_by("-version")


def note_readers(note) -> set[int]:
    """Accounts of the other party of the note's referral that may read the note now (to
    tell them about it; the author's own organisation is not told)."""
    referral = note.referral
    readers: set[int] = set()
    for organisation_id in {referral.from_organisation_id, referral.to_organisation_id} - {note.organisation_id}:
        persons = Person.objects.filter(pk=note.person_id).filter(
            visibility_filter(organisation_id=organisation_id, category=DataCategory.IDENTITY)
        )
        readable = (
            CaseNote.objects.filter(pk=note.pk, person__in=persons.values("pk"))
            .filter(_note_visibility(organisation_id))
            .exists()
        )
        if readable:
            readers |= set(
                Membership.objects.filter(
                    organisation_id=organisation_id, is_active=True, role__in=READS_PERSONAL_DATA
                ).values_list("user_id", flat=True)
            )
    return readers


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
