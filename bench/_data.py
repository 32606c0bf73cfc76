"""The rows the benches write in bulk, built alike: persons, their consents, referrals'
need domains and their first "sent" event. Only builders: each bench draws its own
figures from its own random generator, in its own order, and saves the rows itself."""

from datetime import datetime, timedelta

from _common import FAMILY, GIVEN, STATUSES

# The need domains the benches spread their consents and referrals over.
CODES = ["housing", "social_rights", "language", "health", "administrative"]
LANGUAGES = ["ar", "uk", "ti", "prs", "fr", "en"]
# The statuses a referral leaves once answered, and once closed.
UNANSWERED = ("sent", "received", "cancelled")
CLOSED = ("completed", "not_completed", "declined", "cancelled")


def domains_by_code() -> dict:
    from directory.models import NeedDomain

    return {d.code: d for d in NeedDomain.objects.all()}


def person_row(rng, organisation, created_by):
    """An invented person; draws the names, the birth year and two languages, in that order."""
    from persons.models import Person

    return Person(
        organisation=organisation,
        given_name=rng.choice(GIVEN),
        family_name=rng.choice(FAMILY),
        birth_year=rng.randint(1950, 2008),
        languages=rng.sample(LANGUAGES, 2),
        created_by=created_by,
    )


def consent_row(
    person,
    organisation,
    *,
    given_at,
    recorded_by,
    purpose="Orientation vers le CPAS",
    categories=("identity", "situation"),
    expires_at=None,
    **fields,
):
    """A consent witnessed orally, explained in Arabic; it runs a year unless expires_at says."""
    from consent.models import Consent

    return Consent(
        person=person,
        organisation=organisation,
        categories=list(categories),
        purpose=purpose,
        method="oral_witnessed",
        witness_name="Collègue",
        explanation_language="ar",
        given_at=given_at,
        expires_at=expires_at or given_at + timedelta(days=365),
        recorded_by=recorded_by,
        **fields,
    )


def consent_domain_rows(consents, chosen, domains):
    """Each consent's need domains: `chosen` holds a list of codes a consent."""
    from consent.models import Consent

    return (
        Consent.domains.through(consent=c, needdomain=domains[code])
        for c, codes in zip(consents, chosen, strict=True)
        for code in codes
    )


def referral_domain_rows(referrals, chosen, domains):
    """Each referral's need domains: `chosen` holds a list of codes a referral."""
    from referrals.models import Referral

    return (
        Referral.domains.through(referral=r, needdomain=domains[code])
        for r, codes in zip(referrals, chosen, strict=True)
        for code in codes
    )


def sent_events(referrals, actor, organisation):
    """The "sent" row each referral's timeline starts with."""
    from referrals.models import ReferralEvent

    return (
        ReferralEvent(
            referral=r, from_status="draft", to_status="sent", actor=actor, organisation=organisation, at=r.sent_at
        )
        for r in referrals
    )


def referral_row(person, consent, status, sent_at, due, answered_at, closed_at, **fields):
    """A housing referral as sending it leaves it, then its answer and its closing."""
    from referrals.models import Referral

    return Referral(
        person=person,
        consent=consent,
        reason="Recherche de logement et ouverture des droits.",
        status=status,
        sent_at=sent_at,
        response_due=due,
        answered_at=answered_at,
        closed_at=closed_at,
        created_at=sent_at,
        **fields,
    )


def prompt_referral_row(person, consent, status, sent_at, due, now, **fields):
    """A referral answered two days after it was sent and closed thirty days after; one still
    waiting past its deadline has been overdue since `now`."""
    from django.utils import timezone

    answered_at = sent_at + timedelta(days=2) if status not in UNANSWERED else None
    closed_at = sent_at + timedelta(days=30) if status in CLOSED else None
    overdue = now if status in ("sent", "received") and due < timezone.localdate() else None
    return referral_row(person, consent, status, sent_at, due, answered_at, closed_at, overdue_since=overdue, **fields)


def drawn_sending(rng, now):
    """A status weighted as a year of referrals leaves them, and a moment within the last 13 months."""
    status = rng.choices(list(STATUSES), list(STATUSES.values()))[0]
    return status, now - timedelta(days=rng.randint(0, 395), minutes=rng.randint(0, 1440))


def drawn_answer(rng, status, sent_at):
    """Answers come within hours to a few weeks; a quarter come after the deadline."""
    return sent_at + timedelta(hours=rng.choice([2, 20, 50, 100, 200, 400, 700])) if status not in UNANSWERED else None


def dated_referral_row(person, consent, status, sent_at, due, answered_at, today, **fields):
    """A referral closed thirty days after it was sent; one answered after its deadline, or
    still waiting past it, overdue since the start of the day after the deadline."""
    from django.utils import timezone

    late = (answered_at is not None and timezone.localdate(answered_at) > due) or (
        status in ("sent", "received") and due < today
    )
    overdue = timezone.make_aware(datetime.combine(due + timedelta(days=1), datetime.min.time())) if late else None
    closed_at = sent_at + timedelta(days=30) if status in CLOSED else None
    return referral_row(person, consent, status, sent_at, due, answered_at, closed_at, overdue_since=overdue, **fields)
