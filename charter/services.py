"""Writes: membership requests and their decision, charter versions, adoptions.

Each names the acting account, is atomic, writes its audit event (ids and codes only, never
a reason or a charter's text) and queues its e-mails after commit.
"""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import record_event
from charter import policies, selectors
from charter.models import CharterAdoption, CharterVersion, JoinLinkRenewal, MembershipRequest, RequestStatus
from charter.tasks import send_membership_decision_email
from directory.models import Organisation, OrganisationKind
from directory.services import OrganisationInput, create_organisation, normalise_enterprise_number, update_organisation
from maillage.actor import Actor
from maillage.cleaning import clean_text
from maillage.delivery import queue_after_commit
from maillage.errors import Conflict, Forbidden, Invalid, NotFound
from members.models import Membership
from members.roles import READS_PERSONAL_DATA, Role
from members.services import invite_member
from notifications.models import Notification
from notifications.services import notify

POSTCODE_LENGTH = 4
MAX_TEXT = 20_000
MAX_REASON = 4_000


# --- Notices -----------------------------------------------------------------------------


def _tell_requester(actor: Actor, request: MembershipRequest, decision: str) -> None:
    """An in-app notice for a requester with an account, and the decision e-mail (with the
    reason of a refusal) to the account or, filed without one, to the contact."""
    if request.requested_by is not None:
        notify(
            [request.requested_by],
            kind=Notification.Kind.MEMBERSHIP_DECIDED,
            params={"request": str(request.public_id), "decision": decision},
            url=f"join/{selectors.join_token(actor.coordination)}/",
            email=False,
            by=actor.organisation,
        )
    queue_after_commit(
        send_membership_decision_email, connection.schema_name, request.pk, log_ref=f"membership request {request.pk}"
    )


def _coordinators():
    return [m.user for m in Membership.objects.filter(role=Role.COORDINATOR, is_active=True).select_related("user")]


# --- Membership requests -----------------------------------------------------------------


@transaction.atomic
def renew_join_link(*, actor: Actor) -> None:
    """A coordinator retires the join link (shared too widely, or misused) and gets a new
    one; requests already filed stay."""
    if not policies.can_decide_membership(actor):
        raise NotFound()
    JoinLinkRenewal.objects.create(renewed_by=actor.user)
    record_event(actor=actor, action="join_link.renewed", object_type="coordination")


@dataclass
class MembershipRequestInput:
    organisation_name: str
    kind: str
    city: str
    contact_name: str
    contact_email: str
    motivation: str
    enterprise_number: str = ""
    street: str = ""
    postcode: str = ""


def _matching_organisation(name: str, enterprise_number: str) -> Organisation | None:
    """The directory's organisation this request is about: same BCE/KBO number, or the
    same name whatever the case."""
    match = Q(name__iexact=name)
    if enterprise_number:
        match |= Q(enterprise_number=enterprise_number)
    return Organisation.objects.filter(match).order_by("-is_member", "name").first()


def membership_request_errors(data: MembershipRequestInput) -> dict[str, list]:
    """Every problem of a membership request at once, by field, without writing: the form
    shows them in one round, with the rules kept here only."""
    try:
        _clean_request(data)
    except Invalid as error:
        return error.fields
    return {}


def _clean_request(data: MembershipRequestInput) -> dict:
    errors: dict[str, list] = {}
    values = {
        "organisation_name": clean_text(
            data.organisation_name,
            "organisation_name",
            errors,
            max_length=200,
            missing=_("Give the name of the organisation."),
        ),
        "city": clean_text(data.city, "city", errors, max_length=100, missing=_("Give the commune.")),
        "street": clean_text(data.street, "street", errors, max_length=200),
        "contact_name": clean_text(
            data.contact_name, "contact_name", errors, max_length=200, missing=_("Give the name of a contact person.")
        ),
        "motivation": clean_text(
            data.motivation,
            "motivation",
            errors,
            max_length=MAX_TEXT,
            missing=_("Say what the organisation offers and why it wants to join."),
        ),
    }
    if data.kind not in OrganisationKind.values:
        errors["kind"] = [_("Unknown kind of organisation.")]
    values["kind"] = data.kind
    try:
        values["enterprise_number"] = normalise_enterprise_number(data.enterprise_number)
    except Invalid as error:
        errors.update(error.fields)
    postcode = (data.postcode or "").strip()
    if postcode and not (len(postcode) == POSTCODE_LENGTH and postcode.isdigit()):
        errors["postcode"] = [_("A Belgian postcode has four digits.")]
    values["postcode"] = postcode
    email = (data.contact_email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["contact_email"] = [_("Enter a valid e-mail address.")]
    values["contact_email"] = email
    if errors:
        raise Invalid(fields=errors)
    return values


def _pending_for(name: str, enterprise_number: str, organisation: Organisation | None):
    match = Q(organisation_name__iexact=name)
    if enterprise_number:
        match |= Q(enterprise_number=enterprise_number)
    if organisation is not None:
        match |= Q(organisation=organisation)
    return MembershipRequest.objects.filter(match, status=RequestStatus.PENDING).first()


def _already_pending() -> Conflict:
    return Conflict(
        _("A request for this organisation is already waiting for the coordinators' decision."),
        code="request_pending",
    )


@transaction.atomic
def request_membership(*, actor: Actor, data: MembershipRequestInput, by_link: bool = False) -> MembershipRequest:
    """An organisation asks to join: through a member, or through the join link the
    coordinators share (`by_link`, checked by the caller), with or without an account. A
    listed-only organisation of the directory is matched by BCE/KBO number or name."""
    if actor.membership is None and not by_link:
        raise Forbidden()
    values = _clean_request(data)
    organisation = _matching_organisation(values["organisation_name"], values["enterprise_number"])
    if organisation is not None and organisation.is_member:
        raise Invalid(
            fields={
                "organisation_name": [
                    _("%(organisation)s is already a member of this coordination.")
                    % {"organisation": organisation.name}
                ]
            }
        )
    if _pending_for(values["organisation_name"], values["enterprise_number"], organisation) is not None:
        raise _already_pending()
    try:
        with transaction.atomic():
            request = MembershipRequest.objects.create(
                organisation=organisation,
                requested_by=actor.user,
                language=translation.get_language() or "",
                **values,
            )
    except IntegrityError:
        # Two requests for the same organisation at the same moment: the unique index decides.
        raise _already_pending() from None
    record_event(
        actor=actor,
        action="membership_request.created",
        object_type="membership_request",
        object_public_id=request.public_id,
        detail={"organisation": str(organisation.public_id) if organisation else None, "kind": request.kind},
    )
    notify(
        _coordinators(),
        kind=Notification.Kind.MEMBERSHIP_REQUESTED,
        params={"request": str(request.public_id)},
        url=f"membership-requests/{request.public_id}/",
    )
    return request


def _locked_pending(actor: Actor, public_id: uuid.UUID) -> MembershipRequest:
    if not policies.can_decide_membership(actor):
        raise NotFound()
    try:
        request = MembershipRequest.objects.select_for_update().get(public_id=public_id)
    except (MembershipRequest.DoesNotExist, ValueError, ValidationError):
        raise NotFound() from None
    if request.status != RequestStatus.PENDING:
        raise Conflict(_("This request was already decided (%(status)s).") % {"status": request.get_status_display()})
    return request


def _member_organisation_for(actor: Actor, request: MembershipRequest) -> Organisation:
    """The organisation to make a member: the one the request names, else the directory's
    matching one (it may have been listed since), else a new one."""
    organisation = request.organisation or _matching_organisation(request.organisation_name, request.enterprise_number)
    if organisation is None:
        return create_organisation(
            actor=actor,
            data=OrganisationInput(
                name=request.organisation_name,
                kind=request.kind,
                enterprise_number=request.enterprise_number,
                is_member=True,
                street=request.street,
                postcode=request.postcode,
                city=request.city,
            ),
        )
    if not organisation.is_member:
        data = OrganisationInput.of(organisation)
        data.is_member = True
        organisation = update_organisation(actor=actor, organisation=organisation, data=data)
    return organisation


@dataclass(frozen=True)
class Approval:
    request: MembershipRequest
    organisation: Organisation
    invited: bool


@transaction.atomic
def approve_membership_request(*, actor: Actor, public_id: uuid.UUID) -> Approval:
    """A coordinator approves: the organisation becomes a member and its contact is invited
    as a social worker of it (unless already an active member of the coordination)."""
    request = _locked_pending(actor, public_id)
    organisation = _member_organisation_for(actor, request)
    invited = not Membership.objects.filter(user__email__iexact=request.contact_email, is_active=True).exists()
    if invited:
        invite_member(
            actor=actor, email=request.contact_email, organisation_public_id=organisation.public_id, role=Role.WORKER
        )
    request.status = RequestStatus.APPROVED
    request.organisation = organisation
    request.decided_by = actor.user
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "organisation", "decided_by", "decided_at", "updated_at"])
    record_event(
        actor=actor,
        action="membership_request.approved",
        object_type="membership_request",
        object_public_id=request.public_id,
        detail={"organisation": str(organisation.public_id), "contact_invited": invited},
    )
    _tell_requester(actor, request, RequestStatus.APPROVED)
    return Approval(request=request, organisation=organisation, invited=invited)


@transaction.atomic
def refuse_membership_request(*, actor: Actor, public_id: uuid.UUID, reason: str) -> MembershipRequest:
    """A coordinator refuses, with a reason the requester reads (by e-mail and on the join page)."""
    request = _locked_pending(actor, public_id)
    errors: dict[str, list] = {}
    reason = clean_text(reason, "reason", errors, max_length=MAX_REASON, missing=_("Say why the request is refused."))
    if errors:
        raise Invalid(fields=errors)
    request.status = RequestStatus.REFUSED
    request.refusal_reason = reason
    request.decided_by = actor.user
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at", "updated_at"])
    record_event(
        actor=actor,
        action="membership_request.refused",
        object_type="membership_request",
        object_public_id=request.public_id,
    )
    _tell_requester(actor, request, RequestStatus.REFUSED)
    return request


# --- Charter versions ----------------------------------------------------------------------


@dataclass
class CharterInput:
    title: str
    purposes: str
    secrecy_rules: str
    retention: str
    data_protection_contact: str
    other_provisions: str = ""

    @classmethod
    def of(cls, version: CharterVersion) -> "CharterInput":
        return cls(
            title=version.title,
            purposes=version.purposes,
            secrecy_rules=version.secrecy_rules,
            retention=version.retention,
            data_protection_contact=version.data_protection_contact,
            other_provisions=version.other_provisions,
        )


def _clean_charter(data: CharterInput) -> dict:
    errors: dict[str, list] = {}
    # Each section of the charter, with what to say when a required one is empty.
    sections = [
        ("title", 200, _("Give the charter a title.")),
        ("purposes", MAX_TEXT, _("Say for which purposes the members share data.")),
        ("secrecy_rules", MAX_TEXT, _("Write the rules of shared professional secrecy.")),
        ("retention", MAX_TEXT, _("Say how long data are kept.")),
        ("data_protection_contact", MAX_TEXT, _("Name the contact for data protection.")),
        ("other_provisions", MAX_TEXT, ""),  # optional
    ]
    values = {
        name: clean_text(getattr(data, name), name, errors, max_length=max_length, missing=message)
        for name, max_length, message in sections
    }
    if errors:
        raise Invalid(fields=errors)
    return values


def _charter_event(actor: Actor, action: str, version: CharterVersion, **detail) -> None:
    record_event(
        actor=actor,
        action=action,
        object_type="charter_version",
        object_public_id=version.public_id,
        detail={"number": version.number, **detail},
    )


@transaction.atomic
def create_charter_draft(*, actor: Actor, data: CharterInput) -> CharterVersion:
    """The coordinators write the next version as a draft (one draft at a time)."""
    if not (actor.is_system or policies.can_write_charter(actor)):
        raise Forbidden()
    values = _clean_charter(data)
    if CharterVersion.objects.filter(published_at__isnull=True).exists():
        raise Conflict(_("A draft of the charter already exists: change it rather than start another."))
    try:
        with transaction.atomic():
            version = CharterVersion.objects.create(created_by=actor.user, **values)
    except IntegrityError:
        raise Conflict(_("A draft of the charter already exists: change it rather than start another.")) from None
    _charter_event(actor, "charter.draft_created", version)
    return version


def _locked_version(version: CharterVersion) -> CharterVersion:
    return CharterVersion.objects.select_for_update().get(pk=version.pk)


def _published_is_final() -> Conflict:
    return Conflict(
        _("A published version of the charter is never changed: write a new version instead."),
        code="charter_published",
    )


@transaction.atomic
def update_charter_draft(*, actor: Actor, version: CharterVersion, data: CharterInput) -> CharterVersion:
    if not (actor.is_system or policies.can_write_charter(actor)):
        raise Forbidden()
    version = _locked_version(version)
    if version.is_published:
        raise _published_is_final()
    for name, value in _clean_charter(data).items():
        setattr(version, name, value)
    version.save()
    _charter_event(actor, "charter.draft_updated", version)
    return version


def _adopting_members():
    """Who is asked to adopt a new version: the active members of every member
    organisation who may adopt it for their organisation."""
    return [
        m.user
        for m in Membership.objects.filter(
            is_active=True, organisation__is_member=True, role__in=READS_PERSONAL_DATA
        ).select_related("user")
    ]


@transaction.atomic
def publish_charter(*, actor: Actor, version: CharterVersion) -> CharterVersion:
    """Publishes the draft as the next version. Every member organisation must adopt it
    again: until it has, it neither sends nor receives referrals; its members are told."""
    if not (actor.is_system or policies.can_write_charter(actor)):
        raise Forbidden()
    version = _locked_version(version)
    if version.is_published:
        raise _published_is_final()
    _clean_charter(CharterInput.of(version))
    # Serialises concurrent publications: the version numbers follow each other.
    list(CharterVersion.objects.select_for_update().filter(published_at__isnull=False).values_list("pk", flat=True))
    last = CharterVersion.objects.aggregate(last=Max("number"))["last"] or 0
    version.number = last + 1
    version.published_at = timezone.now()
    version.published_by = actor.user
    version.save(update_fields=["number", "published_at", "published_by", "updated_at"])
    _charter_event(actor, "charter.published", version)
    notify(
        _adopting_members(),
        kind=Notification.Kind.CHARTER_TO_ADOPT,
        params={"charter": str(version.public_id), "number": version.number},
        url="charter/",
        by=actor.organisation,
    )
    return version


# --- Adoptions -------------------------------------------------------------------------------


@transaction.atomic
def adopt_charter(
    *,
    actor: Actor,
    representative: str,
    representative_title: str = "",
    organisation: Organisation | None = None,
    number: int | None = None,
) -> CharterAdoption:
    """The actor's organisation adopts the current version through a named representative.
    The recording account must be an active member of that organisation (the platform
    itself records adoptions only for the demo and imports)."""
    organisation = organisation if organisation is not None else actor.organisation
    errors: dict[str, list] = {}
    if organisation is None or not organisation.is_member:
        errors["organisation"] = [_("Choose a member organisation of this coordination.")]
    elif not actor.is_system and not (
        actor.membership is not None
        and actor.membership.is_active
        and actor.membership.organisation_id == organisation.pk
    ):
        errors["organisation"] = [
            _("Only an active member of %(organisation)s may adopt the charter for it.")
            % {"organisation": organisation.name}
        ]
    if errors:
        raise Invalid(fields=errors)
    if not actor.is_system and not policies.can_adopt_charter(actor):
        raise Forbidden(_("Observers cannot adopt the charter for their organisation."))
    representative = clean_text(
        representative,
        "representative",
        errors,
        max_length=200,
        missing=_("Name the person who represents the organisation."),
    )
    representative_title = clean_text(representative_title, "representative_title", errors, max_length=200)
    if errors:
        raise Invalid(fields=errors)
    current = CharterVersion.objects.filter(published_at__isnull=False).order_by("-number").first()
    if current is None:
        raise Conflict(_("The coordination has not published a charter yet."), code="no_charter")
    if number is not None and number != current.number:
        raise Invalid(
            fields={
                "version": [
                    _("Version %(number)s is not the current version of the charter (%(current)s).")
                    % {"number": number, "current": current.number}
                ]
            }
        )
    if CharterAdoption.objects.filter(charter=current, organisation=organisation).exists():
        raise Conflict(
            _("%(organisation)s has already adopted version %(number)s.")
            % {"organisation": organisation.name, "number": current.number}
        )
    try:
        with transaction.atomic():
            adoption = CharterAdoption.objects.create(
                charter=current,
                organisation=organisation,
                representative_name=representative,
                representative_title=representative_title,
                adopted_by=actor.user,
            )
    except IntegrityError:
        raise Conflict(
            _("%(organisation)s has already adopted version %(number)s.")
            % {"organisation": organisation.name, "number": current.number}
        ) from None
    record_event(
        actor=actor,
        action="charter.adopted",
        object_type="charter_adoption",
        object_public_id=adoption.public_id,
        detail={"number": current.number, "organisation": str(organisation.public_id)},
    )
    return adoption
