"""The one policy: may organisation O see data category C of person P for need domain D now?

Every selector of persons (and, later, referrals, notes, documents, exports) goes through
`visible_persons` or `may_see`; they are plain relational rules a query joins on, so a
withdrawal or an expiry hides the data on the very next read, everywhere.
"""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from consent.models import Consent, ConsentState


def consents_in_force(now: datetime | None = None) -> QuerySet[Consent]:
    return Consent.objects.filter(state=ConsentState.GIVEN, expires_at__gt=now or timezone.now())


def covering(
    *, organisation_id: int, category: str, domain_code: str | None = None, now: datetime | None = None
) -> QuerySet[Consent]:
    """Consents in force that name this recipient and category (and domain, if given)."""
    consents = consents_in_force(now).filter(recipients__id=organisation_id, categories__contains=[category])
    if domain_code is not None:
        consents = consents.filter(domains__code=domain_code)
    return consents


def visibility_filter(
    *, organisation_id: int, category: str, domain_code: str | None = None, now: datetime | None = None
) -> Q:
    """A Q on Person: the organisation's own files, or files a consent in force opens to it."""
    shared = covering(organisation_id=organisation_id, category=category, domain_code=domain_code, now=now)
    return Q(organisation_id=organisation_id) | Q(Exists(shared.filter(person_id=OuterRef("pk"))))


def may_see(
    *, organisation_id: int, person, category: str, domain_code: str | None = None, now: datetime | None = None
) -> bool:
    if person.organisation_id == organisation_id:
        return True
    return (
        covering(organisation_id=organisation_id, category=category, domain_code=domain_code, now=now)
        .filter(person_id=person.pk)
        .exists()
    )
