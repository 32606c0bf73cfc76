"""Reads of shared case notes, through the consent policy: a note is read by its author's
organisation, and by another organisation only while a consent in force links it to the
note."""

import uuid
from dataclasses import dataclass

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, TextField, Value, When
from django.utils.translation import gettext as _

from consent.models import DataCategory
from consent.policies import consents_in_force, covers, may_see, opening
from maillage.actor import Actor
from maillage.errors import NotFound
from members.models import Membership
from members.roles import READS_PERSONAL_DATA
from persons import policies as person_policies
from persons.models import Person
from persons.selectors import persons_visible_to
from referrals.models import CaseNote, NoteAudience, ReferralEvent, ReferralStatus


def _consents_linking(organisation_id: int, categories: list[str]) -> Q:
    """A Q on CaseNote: a consent in force on the note's person, for the note's need domain
    and these kinds of data, links the reader's organisation to the note.

    It names the reader; or, when the reader keeps the person's file, it names the
    organisation that wrote the note (the file keeper never names itself: the consent it
    recorded for the author's organisation is what lets that organisation's notes come
    back). Withdrawn, replaced or expired, it links nothing, from the next read on."""
    to_reader = opening(organisation_id=organisation_id, category=DataCategory.CASE_NOTES).filter(
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


def notes_from_others_since(*, actor: Actor, since) -> QuerySet:
    """Notes other organisations wrote since `since` that the actor's organisation may read
    (shared with it through a referral or a consent), current and not retracted, newest
    first, with their person."""
    return (
        _readable_notes(actor)
        .filter(is_current=True, retracted_at__isnull=True, created_at__gte=since)
        .exclude(organisation_id=actor.organisation.pk if actor.organisation else None)
        .select_related("person")
        .order_by("-created_at", "-pk")
    )


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
        readable = (
            may_see(organisation_id=organisation_id, person=note.person, category=DataCategory.IDENTITY)
            and CaseNote.objects.filter(pk=note.pk).filter(_note_visibility(organisation_id)).exists()
        )
        if readable:
            readers |= set(
                Membership.objects.filter(
                    organisation_id=organisation_id, is_active=True, role__in=READS_PERSONAL_DATA
                ).values_list("user_id", flat=True)
            )
    return readers


# --- Which audiences a note may have ------------------------------------------------------


@dataclass(frozen=True)
class AudienceChoice:
    audience: str
    label: str
    reason: str  # why the consent in force does not allow it; empty: it does

    @property
    def available(self) -> bool:
        return not self.reason


def audience_choices(*, actor: Actor, person: Person, domain, referral=None) -> list[AudienceChoice]:
    """Every audience of a note on this person and need domain, with why the consent in
    force does not allow it (so that no note is stored that its audience cannot read).

    My organisation: always for the file keeper. The parties of a referral: the consent shares case notes on the
    domain with its recipient (who reads the sender's notes, and whose notes come back to
    the file keeper, through that consent). Every organisation the consent covers: for the
    file keeper, a consent shares case notes on the domain with some organisation; for a
    recipient, with itself (its notes reach the others through it). The one consent rule,
    over the consents in force, in memory (consent.policies.covers)."""
    consents = list(consents_in_force().filter(person=person).prefetch_related("recipients", "domains"))
    label = domain.label()

    def shared_with(organisation) -> bool:
        return any(
            covers(c, organisation=organisation, domain_codes=[domain.code], categories=[DataCategory.CASE_NOTES])
            for c in consents
        )

    def not_covered(organisation) -> str:
        return _("The person's consent does not cover case notes on %(domain)s for %(organisation)s.") % {
            "domain": label,
            "organisation": organisation.name,
        }

    if referral is None:
        for_referral = _("Name the referral whose parties may read the note.")
    elif shared_with(referral.to_organisation):
        for_referral = ""
    else:
        for_referral = not_covered(referral.to_organisation)

    keeper = person.organisation_id == actor.organisation.pk
    # Another organisation keeps notes on the person only as far as a consent shares them
    # with it (referrals.notes.services), even for itself.
    for_organisation = "" if keeper or shared_with(actor.organisation) else not_covered(actor.organisation)
    if not keeper:
        for_consented = for_organisation
    elif any(shared_with(recipient) for c in consents for recipient in c.recipients.all()):
        for_consented = ""
    else:
        for_consented = _("The person's consent shares no case notes on %(domain)s with another organisation.") % {
            "domain": label
        }
    reasons = {
        NoteAudience.ORGANISATION: for_organisation,
        NoteAudience.REFERRAL: for_referral,
        NoteAudience.CONSENTED: for_consented,
    }
    return [AudienceChoice(value, str(name), reasons[value]) for value, name in NoteAudience.choices]
