"""The one policy: may organisation O see data category C of person P for need domain D now?

A consent covers a use when it is in force (given, and its end still ahead) and it names
the recipient organisation, every need domain and every kind of data of that use. The rule
exists in two forms that must agree (tests/consent/test_policy.py walks one table through
both):

- `covering` / `in_force`: the SQL form, a queryset or a Q a query joins on. Every selector
  of persons, notes and documents goes through it, so a withdrawal or an expiry hides the
  data on the very next read, everywhere.
- `what_it_lacks` / `covers`: the in-memory form, over one Consent whose recipients and
  domains are prefetched, for the checks a service makes under a lock and for rows already
  loaded (no query per row).

When the consent was given is not part of the rule: recording refuses a date more than a
few minutes ahead, and a worker may record a consent given earlier.

Covering is not yet opening: a consent a referral relies on, while the referral waits for
its recipient's answer, opens the recipient no more than the referral's preview (first
name, domains, languages). `opening` is `covering` less the consents held back so; the
referrals app says which (MAILLAGE_CONSENT_HOLDS), consent does not read referrals. Every
read of a person's data (the file, its household, its notes and consents) goes through
`opening`; the checks that a consent covers a use (sending a referral, writing a note) go
through `covering`.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from consent.models import Consent, ConsentState, DataCategory
from maillage.actor import Actor
from maillage.hooks import hooks
from members.policies import can_edit_file


def in_force(now: datetime | None = None) -> Q:
    """A Q on Consent: given, and not past its end."""
    return Q(state=ConsentState.GIVEN, expires_at__gt=now or timezone.now())


def consents_in_force(now: datetime | None = None) -> QuerySet[Consent]:
    return Consent.objects.filter(in_force(now))


def covering(
    *,
    organisation_id: int,
    category: str | None = None,
    domain_code: str | None = None,
    categories: Iterable[str] = (),
    domain_codes: Iterable[str] = (),
    now: datetime | None = None,
) -> QuerySet[Consent]:
    """Consents in force that name this recipient, these kinds of data and these need
    domains (every one of them; none given: any domain)."""
    wanted = [*([category] if category else []), *categories]
    consents = consents_in_force(now).filter(recipients__id=organisation_id)
    if wanted:
        consents = consents.filter(categories__contains=wanted)
    codes = {*([domain_code] if domain_code is not None else []), *domain_codes}
    for code in sorted(codes):
        # One join per domain: the consent must name each of them.
        consents = consents.filter(domains__code=code)
    return consents


# --- A family that moves: a consent naming an organisation of another coordination ---------


def covering_transfer(
    *, coordination_id: int, organisation_public_id, now: datetime | None = None
) -> QuerySet[Consent]:
    """Consents in force through which a file may be handed over to this organisation of
    another coordination: they name it there (Consent.recipients_elsewhere) and share the
    person's identity, without which no file can be opened on arrival. What else crosses is
    what the consent shares (the handover parts read its categories)."""
    return consents_in_force(now).filter(
        categories__contains=[DataCategory.IDENTITY],
        recipients_elsewhere__coordination_id=coordination_id,
        recipients_elsewhere__organisation_public_id=organisation_public_id,
    )


def what_the_transfer_lacks(
    consent: Consent, *, coordination_id: int, organisation_public_id, now: datetime | None = None
) -> list[str]:
    """The in-memory twin of `covering_transfer` (recipients_elsewhere prefetched), in
    sentences for the worker (empty: it covers the handover)."""
    if not is_in_force(consent, now):
        return [_("the consent is not in force")]
    missing = []
    named = {(r.coordination_id, str(r.organisation_public_id)) for r in consent.recipients_elsewhere.all()}
    if (coordination_id, str(organisation_public_id)) not in named:
        missing.append(_("it does not name this organisation of the other coordination"))
    if DataCategory.IDENTITY not in consent.categories:
        missing.append(_("it does not share %(category)s") % {"category": DataCategory.IDENTITY.label})
    return missing


def held_back(*, organisation_id: int) -> Q | None:
    """A Q on Consent: the consents that cover the organisation but open it nothing beyond a
    preview for now (None: none is)."""
    held = [hook(organisation_id=organisation_id) for hook in hooks("MAILLAGE_CONSENT_HOLDS")]
    if not held:
        return None
    combined = held[0]
    for more in held[1:]:
        combined |= more
    return combined


def opening(
    *,
    organisation_id: int,
    category: str | None = None,
    domain_code: str | None = None,
    categories: Iterable[str] = (),
    now: datetime | None = None,
) -> QuerySet[Consent]:
    """The consents through which the organisation reads a person's data now: `covering`,
    less the ones held back."""
    consents = covering(
        organisation_id=organisation_id, category=category, domain_code=domain_code, categories=categories, now=now
    )
    held = held_back(organisation_id=organisation_id)
    return consents if held is None else consents.exclude(held)


def is_in_force(consent: Consent, now: datetime | None = None) -> bool:
    return consent.state == ConsentState.GIVEN and consent.expires_at > (now or timezone.now())


def what_it_lacks(
    consent: Consent,
    *,
    organisation,
    domain_codes: Iterable[str] = (),
    categories: Iterable[str] = (),
    now: datetime | None = None,
) -> list[str]:
    """The in-memory twin of `covering`: what the consent lacks for this recipient, these
    need domains and kinds of data, in sentences for the worker (empty: it covers them)."""
    if not is_in_force(consent, now):
        return [_("the consent is not in force")]
    missing = []
    if organisation.pk not in {o.pk for o in consent.recipients.all()}:
        missing.append(_("it does not name %(org)s") % {"org": organisation.name})
    return missing + what_the_use_lacks(consent, domain_codes=domain_codes, categories=categories)


def what_the_use_lacks(
    consent: Consent, *, domain_codes: Iterable[str] = (), categories: Iterable[str] = ()
) -> list[str]:
    """The need domains and kinds of data of `what_it_lacks`, alone: for a recipient checked
    apart, such as the organisation of another coordination a transfer hands a file to
    (what_the_transfer_lacks), whose handover parts then cross only for what the consent
    names (domains prefetched)."""
    missing = []
    uncovered = set(domain_codes) - {d.code for d in consent.domains.all()}
    if uncovered:
        missing.append(_("it does not cover %(domains)s") % {"domains": ", ".join(sorted(uncovered))})
    for category in categories:
        if category not in consent.categories:
            missing.append(_("it does not share %(category)s") % {"category": DataCategory(category).label})
    return missing


def covers(
    consent: Consent,
    *,
    organisation,
    domain_codes: Iterable[str] = (),
    categories: Iterable[str] = (),
    now: datetime | None = None,
) -> bool:
    return not what_it_lacks(
        consent, organisation=organisation, domain_codes=domain_codes, categories=categories, now=now
    )


def visibility_filter(
    *, organisation_id: int, category: str, domain_code: str | None = None, now: datetime | None = None
) -> Q:
    """A Q on Person: the organisation's own files, or files a consent in force opens to it."""
    shared = opening(organisation_id=organisation_id, category=category, domain_code=domain_code, now=now)
    return Q(organisation_id=organisation_id) | Q(Exists(shared.filter(person_id=OuterRef("pk"))))


def may_see(
    *, organisation_id: int, person, category: str, domain_code: str | None = None, now: datetime | None = None
) -> bool:
    if person.organisation_id == organisation_id:
        return True
    return (
        opening(organisation_id=organisation_id, category=category, domain_code=domain_code, now=now)
        .filter(person_id=person.pk)
        .exists()
    )


def can_record_consent(actor: Actor, person) -> bool:
    """A consent is recorded (and withdrawn) by the organisation that keeps the file."""
    return can_edit_file(actor, person)
