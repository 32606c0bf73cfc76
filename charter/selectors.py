"""Reads of membership requests and the charter, and the charter gate on referrals."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from charter import policies
from charter.models import (
    CharterAdoption,
    CharterVersion,
    JoinLinkRenewal,
    MembershipRequest,
    RequestStatus,
)
from directory.models import Organisation
from maillage.actor import Actor
from maillage.errors import Conflict, Invalid, NotFound
from tenants.models import User

# --- Membership requests ---------------------------------------------------------------


def membership_requests_for(*, actor: Actor, status: str = "") -> QuerySet[MembershipRequest]:
    """Every request, for coordinators; anyone else sees no list at all (404)."""
    if not policies.can_decide_membership(actor):
        raise NotFound()
    requests = MembershipRequest.objects.select_related("organisation", "requested_by", "decided_by")
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("-created_at")


def get_membership_request_for(*, actor: Actor, public_id: uuid.UUID) -> MembershipRequest:
    try:
        return membership_requests_for(actor=actor).get(public_id=public_id)
    except (MembershipRequest.DoesNotExist, ValueError):
        raise NotFound() from None


def pending_request_count(*, actor: Actor) -> int:
    if not policies.can_decide_membership(actor):
        return 0
    return MembershipRequest.objects.filter(status=RequestStatus.PENDING).count()


def decisions_to_email_again(*, now: datetime) -> QuerySet:
    """Ids of the decided requests whose e-mail is overdue (the rule of
    notifications.selectors.notices_to_email_again: lost, or failed a while ago, and not
    given up)."""
    failed_before = now - timedelta(seconds=settings.MAILLAGE_EMAIL_FAILED_RETRY_AFTER)
    return (
        MembershipRequest.objects.exclude(status=RequestStatus.PENDING)
        .filter(
            decision_emailed_at__isnull=True,
            decided_at__lt=now - timedelta(seconds=settings.MAILLAGE_EMAIL_SWEEP_AFTER),
            decided_at__gte=now - timedelta(days=settings.MAILLAGE_EMAIL_GIVE_UP_AFTER_DAYS),
        )
        .filter(Q(requested_by__isnull=True) | Q(requested_by__is_active=True))
        .filter(Q(decision_email_failed_at__isnull=True) | Q(decision_email_failed_at__lt=failed_before))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def join_token(coordination) -> str:
    """The secret part of the coordination's join link as it stands (current schema)."""
    return policies.join_token(coordination, JoinLinkRenewal.objects.count())


def is_join_token(coordination, token: str) -> bool:
    return policies.is_join_token(coordination, JoinLinkRenewal.objects.count(), token)


def join_link(coordination) -> str:
    return f"{coordination.absolute_url}join/{join_token(coordination)}/"


def requests_filed_by(*, user: User) -> QuerySet[MembershipRequest]:
    """The requests an account filed here, with their decision (the join page)."""
    return MembershipRequest.objects.filter(requested_by_id=user.pk).order_by("-created_at")


# --- Charter versions ----------------------------------------------------------------------


def current_charter() -> CharterVersion | None:
    """The version in force: the last one published (none before the first publication)."""
    return CharterVersion.objects.filter(published_at__isnull=False).order_by("-number").first()


def charter_versions_for(*, actor: Actor) -> QuerySet[CharterVersion]:
    """Published versions for every member; coordinators also see the draft."""
    versions = CharterVersion.objects.all()
    if not policies.can_write_charter(actor):
        versions = versions.filter(published_at__isnull=False)
    return versions.order_by("-published_at", "-number", "-created_at")


def get_charter_version_for(*, actor: Actor, public_id: uuid.UUID) -> CharterVersion:
    try:
        return charter_versions_for(actor=actor).get(public_id=public_id)
    except (CharterVersion.DoesNotExist, ValueError):
        raise NotFound() from None


def get_charter_version_by_number(*, actor: Actor, number: int) -> CharterVersion:
    try:
        return charter_versions_for(actor=actor).get(number=number)
    except (CharterVersion.DoesNotExist, ValueError):
        raise NotFound() from None


def current_draft(*, actor: Actor) -> CharterVersion | None:
    if not policies.can_write_charter(actor):
        return None
    return CharterVersion.objects.filter(published_at__isnull=True).first()


# --- Adoptions -----------------------------------------------------------------------------


def adoptions_of(*, actor: Actor, charter: CharterVersion) -> QuerySet[CharterAdoption]:
    """Who adopted this version: facts about organisations, read by every member."""
    return (
        CharterAdoption.objects.filter(charter=charter)
        .select_related("organisation", "adopted_by", "charter")
        .order_by("organisation__name")
    )


@dataclass(frozen=True)
class AdoptionRow:
    organisation: Organisation
    adoption: CharterAdoption | None


def adoption_status(*, actor: Actor, charter: CharterVersion | None) -> list[AdoptionRow]:
    """Every member organisation, with its adoption of `charter` (None: not adopted yet).
    Two queries whatever the number of organisations."""
    organisations = Organisation.objects.filter(is_member=True).order_by("name")
    if charter is None:
        return [AdoptionRow(o, None) for o in organisations]
    organisations = organisations.prefetch_related(
        Prefetch(
            "adoptions",
            queryset=CharterAdoption.objects.filter(charter=charter).select_related("adopted_by"),
            to_attr="adoption_of_version",
        )
    )
    return [AdoptionRow(o, (o.adoption_of_version or [None])[0]) for o in organisations]


# --- The gate on referrals -------------------------------------------------------------------
#
# Once the coordination has published a charter, an organisation that has not adopted its
# current version neither sends nor receives referrals. Only the steps that start or take
# on a referral are gated (send, pass on after triage, accept): declining, cancelling and
# closing stay open to everyone, so that no referral, and no person, is left stuck while
# an organisation catches up with a new version.


def unadopted(organisations) -> tuple[CharterVersion | None, list[Organisation]]:
    """The current version and those of `organisations` that have not adopted it (none when
    no charter is published). One query without a charter, two with."""
    current = current_charter()
    if current is None:
        return None, []
    ids = {o.pk for o in organisations}
    adopted = set(
        CharterAdoption.objects.filter(charter=current, organisation_id__in=ids).values_list(
            "organisation_id", flat=True
        )
    )
    return current, [o for o in organisations if o.pk not in adopted]


def _cannot_send(organisation: Organisation, version: CharterVersion) -> str:
    return _(
        "%(organisation)s has not adopted version %(version)s of the coordination's data-sharing charter: "
        "it cannot send referrals until it does."
    ) % {"organisation": organisation.name, "version": version.number}


def _cannot_receive(organisation: Organisation, version: CharterVersion) -> str:
    return _(
        "%(organisation)s has not adopted version %(version)s of the coordination's data-sharing charter: "
        "it cannot receive referrals until it does."
    ) % {"organisation": organisation.name, "version": version.number}


def check_charter_for_sending(*, from_organisation: Organisation, to_organisation: Organisation) -> None:
    """Raises Invalid (400) naming `from_organisation` and/or `to_organisation`."""
    version, missing = unadopted([from_organisation, to_organisation])
    if not missing:
        return
    fields: dict[str, list[str]] = {}
    if any(o.pk == from_organisation.pk for o in missing):
        fields["from_organisation"] = [_cannot_send(from_organisation, version)]
    if any(o.pk == to_organisation.pk for o in missing):
        fields["to_organisation"] = [_cannot_receive(to_organisation, version)]
    raise Invalid(
        " ".join(message for messages in fields.values() for message in messages),
        code="charter_not_adopted",
        fields=fields,
    )


def check_charter_for_receiving(*, to_organisation: Organisation) -> None:
    """Passing a referral on (triage): raises Invalid (400) naming `to_organisation`."""
    version, missing = unadopted([to_organisation])
    if missing:
        message = _cannot_receive(to_organisation, version)
        raise Invalid(message, code="charter_not_adopted", fields={"to_organisation": [message]})


def check_charter_for_accepting(*, organisation: Organisation) -> None:
    """The receiving organisation takes a referral on: raises Conflict (409) saying why."""
    version, missing = unadopted([organisation])
    if missing:
        raise Conflict(_cannot_receive(organisation, version), code="charter_not_adopted")


def unable_to_receive(organisations) -> dict[int, int]:
    """{organisation pk: current version number} for those of `organisations` that cannot
    receive referrals now (the refer form says so next to their name)."""
    version, missing = unadopted(list(organisations))
    return {o.pk: version.number for o in missing}
