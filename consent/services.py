"""Recording, renewing and withdrawing consents. A given consent is never edited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from consent import policies
from consent.models import Consent, ConsentMethod, ConsentState, DataCategory, RecipientElsewhere
from directory.models import NeedDomain, Organisation
from directory.selectors import member_directory_of
from maillage.actor import Actor
from maillage.cleaning import check_date
from maillage.errors import Conflict, Forbidden, Invalid
from maillage.hooks import run_hooks
from maillage.languages import is_known_language
from maillage.uploads import check_upload
from tenants.selectors import coordination_by_slug

if TYPE_CHECKING:
    from persons.models import Person


@dataclass
class ConsentInput:
    recipients: list  # organisation public ids
    domains: list[str]  # need-domain codes
    categories: list[str]
    purpose: str
    method: str
    explanation_language: str
    given_at: datetime | None = None
    expires_at: datetime | None = None
    interpreter_used: bool = False
    interpreter_name: str = ""
    signed_name: str = ""
    witness_name: str = ""
    proof: object = None  # an uploaded file, for a signed paper form
    extra: dict = field(default_factory=dict)
    # Organisations of other coordinations, as "<coordination slug>/<organisation public id>":
    # where a family that moves is handed over (chosen from that coordination's directory).
    recipients_elsewhere: list = field(default_factory=list)


@dataclass(frozen=True)
class Elsewhere:
    coordination: object  # tenants.models.Coordination
    organisation_public_id: object
    organisation_name: str

    @property
    def name(self) -> str:
        """As the printed papers name it: the organisation, then its coordination."""
        return f"{self.organisation_name} — {self.coordination.name}"


def recipients_elsewhere(values, errors: dict) -> list[Elsewhere]:
    """Each must be a member organisation of another active coordination, as that
    coordination's directory lists it."""
    found: list[Elsewhere] = []
    directories: dict[int, dict] = {}
    for value in values:
        slug, _sep, organisation_id = str(value).partition("/")
        coordination = coordination_by_slug(slug)
        if coordination is None or coordination.schema_name == connection.schema_name:
            errors.setdefault("recipients_elsewhere", []).append(
                _("%(value)s: name another coordination and one of its organisations.") % {"value": value}
            )
            continue
        if not coordination.is_active:
            errors.setdefault("recipients_elsewhere", []).append(
                _("The coordination %(name)s is not active.") % {"name": coordination.name}
            )
            continue
        if coordination.pk not in directories:
            directories[coordination.pk] = {
                str(card.public_id): card for card in member_directory_of(actor=None, coordination=coordination)
            }
        card = directories[coordination.pk].get(organisation_id.strip())
        if card is None:
            errors.setdefault("recipients_elsewhere", []).append(
                _("%(value)s is not a member organisation of %(name)s.") % {"value": value, "name": coordination.name}
            )
        elif all(e.organisation_public_id != card.public_id or e.coordination != coordination for e in found):
            found.append(Elsewhere(coordination, card.public_id, card.name))
    return found


def _clean(data: ConsentInput, *, now: datetime) -> tuple[dict, list[Organisation], list[NeedDomain], list[Elsewhere]]:
    errors: dict[str, list] = {}
    recipients: list[Organisation] = []
    elsewhere = recipients_elsewhere(data.recipients_elsewhere, errors)
    if not data.recipients and not data.recipients_elsewhere:
        errors["recipients"] = [_("Name at least one organisation the person agrees to share with.")]
    elif data.recipients:
        found = {str(o.public_id): o for o in Organisation.objects.filter(public_id__in=_uuids(data.recipients))}
        for value in data.recipients:
            organisation = found.get(str(value))
            if organisation is None:
                errors.setdefault("recipients", []).append(
                    _("%(id)s is not an organisation of this coordination.") % {"id": value}
                )
            elif organisation not in recipients:
                recipients.append(organisation)
    domains: list[NeedDomain] = []
    if not data.domains:
        errors["domains"] = [_("Name at least one need domain.")]
    else:
        found_domains = {d.code: d for d in NeedDomain.objects.filter(code__in=data.domains)}
        for code in data.domains:
            if code not in found_domains:
                errors.setdefault("domains", []).append(_("Unknown need domain: %(code)s.") % {"code": code})
            elif found_domains[code] not in domains:
                domains.append(found_domains[code])
    categories = list(dict.fromkeys(data.categories))
    if not categories:
        errors["categories"] = [_("Name at least one kind of data.")]
    for category in categories:
        if category not in DataCategory.values:
            errors.setdefault("categories", []).append(_("Unknown kind of data: %(code)s.") % {"code": category})
    if not (data.purpose or "").strip():
        errors["purpose"] = [_("Say why the data is shared.")]
    if data.method not in ConsentMethod.values:
        errors["method"] = [_("Say how the consent was given.")]
    elif data.method == ConsentMethod.PAPER and not data.proof:
        errors["proof"] = [_("Upload the signed form.")]
    if data.proof:
        check_upload(data.proof, "proof", errors)
    elif data.method == ConsentMethod.SCREEN and not data.signed_name.strip():
        errors["signed_name"] = [_("The person signs with their name on the screen.")]
    elif data.method == ConsentMethod.ORAL and not data.witness_name.strip():
        errors["witness_name"] = [_("Name the witness of an oral consent.")]
    if not is_known_language(data.explanation_language or ""):
        errors["explanation_language"] = [_("Say in which language the consent was explained.")]
    if data.interpreter_used and not data.interpreter_name.strip():
        errors["interpreter_name"] = [_("Name the interpreter (or the interpreting service).")]
    given_at = data.given_at or now
    check_date(given_at, "given_at", errors, years_ahead=1)
    if given_at > now + relativedelta(minutes=5):
        errors["given_at"] = [_("A consent cannot be given in the future.")]
    if "given_at" in errors:
        raise Invalid(fields=errors)  # the end date is reckoned from it
    expires_at = data.expires_at or given_at + relativedelta(months=settings.MAILLAGE_CONSENT_DEFAULT_MONTHS)
    if expires_at <= now:
        errors["expires_at"] = [_("The end date is in the past.")]
    elif expires_at > given_at + relativedelta(years=settings.MAILLAGE_CONSENT_MAX_YEARS):
        errors["expires_at"] = [
            _("A consent lasts %(years)s years at most.") % {"years": settings.MAILLAGE_CONSENT_MAX_YEARS}
        ]
    if errors:
        raise Invalid(fields=errors)
    values = {
        "categories": categories,
        "purpose": data.purpose.strip(),
        "method": data.method,
        "signed_name": data.signed_name.strip(),
        "witness_name": data.witness_name.strip(),
        "explanation_language": data.explanation_language,
        "interpreter_used": data.interpreter_used,
        "interpreter_name": data.interpreter_name.strip() if data.interpreter_used else "",
        "given_at": given_at,
        "expires_at": expires_at,
    }
    return values, recipients, domains, elsewhere


def consent_input_errors(data: ConsentInput, *, now: datetime | None = None) -> dict[str, list]:
    """Every problem of a consent's input at once, by field, without writing: the form
    shows them in one round, with the rules kept here only."""
    try:
        _clean(data, now=now or timezone.now())
    except Invalid as error:
        return error.fields
    return {}


def _uuids(values) -> list:
    import uuid

    result = []
    for value in values:
        try:
            result.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return result


@transaction.atomic
def record_consent(
    *, actor: Actor, person: Person, data: ConsentInput, supersedes: Consent | None = None, now=None
) -> Consent:
    """Records what the person agreed to. With `supersedes`, the new version replaces the
    previous one, which is never edited."""
    if not policies.can_record_consent(actor, person):
        raise Forbidden()
    now = now or timezone.now()
    values, recipients, domains, elsewhere = _clean(data, now=now)
    version = 1
    if supersedes is not None:
        previous = Consent.objects.select_for_update().get(pk=supersedes.pk)
        if previous.person_id != person.pk or previous.state != ConsentState.GIVEN:
            raise Conflict(_("Only a consent in force can be replaced by a new version."))
        previous.state = ConsentState.SUPERSEDED
        previous.save(update_fields=["state", "updated_at"])
        version = previous.version + 1
    consent = Consent.objects.create(
        person=person,
        organisation=actor.organisation,
        recorded_by=actor.user,
        version=version,
        supersedes=supersedes,
        proof=data.proof or "",
        **values,
    )
    consent.recipients.set(recipients)
    consent.domains.set(domains)
    _name_elsewhere(consent, elsewhere)
    record_event(
        actor=actor,
        action="consent.recorded" if supersedes is None else "consent.new_version",
        object_type="consent",
        object_public_id=consent.public_id,
        person_public_id=person.public_id,
        detail={
            "version": version,
            "recipients": sorted(str(o.public_id) for o in recipients),
            "recipients_elsewhere": sorted(f"{e.coordination.slug}/{e.organisation_public_id}" for e in elsewhere),
            "domains": sorted(d.code for d in domains),
            "categories": sorted(values["categories"]),
            "expires_at": values["expires_at"].isoformat(),
        },
    )
    return consent


def _name_elsewhere(consent: Consent, elsewhere: list[Elsewhere]) -> None:
    RecipientElsewhere.objects.bulk_create(
        RecipientElsewhere(
            consent=consent,
            coordination=e.coordination,
            organisation_public_id=e.organisation_public_id,
            organisation_name=e.organisation_name,
        )
        for e in elsewhere
    )


@transaction.atomic
def withdraw_consent(
    *,
    actor: Actor,
    consent: Consent,
    reason: str,
    recipients: list | None = None,
    domains: list[str] | None = None,
) -> Consent | None:
    """Withdraws the whole consent, or only some recipients or domains (the rest carries
    on as a new version, returned). Takes effect on the next read, everywhere."""
    if not policies.can_record_consent(actor, consent.person):
        raise Forbidden()
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.state != ConsentState.GIVEN:
        raise Conflict(_("This consent is no longer in force."))
    errors: dict[str, list] = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Say why (the person's words, or the worker's).")]
    now = timezone.now()
    kept_recipients = list(consent.recipients.all())
    kept_domains = list(consent.domains.all())
    # A partial withdrawal names local organisations only: those elsewhere carry on.
    kept_elsewhere = [
        Elsewhere(r.coordination, r.organisation_public_id, r.organisation_name)
        for r in consent.recipients_elsewhere.select_related("coordination")
    ]
    if recipients:
        drop = {str(r) for r in recipients}
        unknown = drop - {str(o.public_id) for o in kept_recipients}
        if unknown:
            errors["recipients"] = [_("This consent does not name these organisations.")]
        kept_recipients = [o for o in kept_recipients if str(o.public_id) not in drop]
    if domains:
        unknown = set(domains) - {d.code for d in kept_domains}
        if unknown:
            errors["domains"] = [_("This consent does not name these need domains.")]
        kept_domains = [d for d in kept_domains if d.code not in set(domains)]
    if errors:
        raise Invalid(fields=errors)
    partial = bool(recipients or domains) and bool(kept_recipients or kept_elsewhere) and bool(kept_domains)
    # A partial withdrawal ends this version too; what remains carries on as the next one.
    consent.state = ConsentState.SUPERSEDED if partial else ConsentState.WITHDRAWN
    consent.withdrawn_at = now
    consent.withdrawn_by = actor.user
    consent.withdrawal_reason = reason.strip()
    consent.save(update_fields=["state", "withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"])
    record_event(
        actor=actor,
        action="consent.withdrawn_in_part" if partial else "consent.withdrawn",
        object_type="consent",
        object_public_id=consent.public_id,
        person_public_id=consent.person.public_id,
        detail={"recipients": sorted(str(r) for r in recipients or []), "domains": sorted(domains or [])},
    )
    if not partial:
        run_hooks("MAILLAGE_CONSENT_WITHDRAWAL_HOOKS", actor=actor, withdrawn=consent)
        return None
    remainder = Consent.objects.create(
        person=consent.person,
        organisation=consent.organisation,
        recorded_by=actor.user,
        version=consent.version + 1,
        supersedes=consent,
        categories=consent.categories,
        purpose=consent.purpose,
        method=consent.method,
        proof=consent.proof,
        signed_name=consent.signed_name,
        witness_name=consent.witness_name,
        explanation_language=consent.explanation_language,
        interpreter_used=consent.interpreter_used,
        interpreter_name=consent.interpreter_name,
        given_at=consent.given_at,
        expires_at=consent.expires_at,
    )
    remainder.recipients.set(kept_recipients)
    remainder.domains.set(kept_domains)
    _name_elsewhere(remainder, kept_elsewhere)
    record_event(
        actor=actor,
        action="consent.new_version",
        object_type="consent",
        object_public_id=remainder.public_id,
        person_public_id=consent.person.public_id,
        detail={"version": remainder.version, "after_partial_withdrawal": True},
    )
    run_hooks("MAILLAGE_CONSENT_WITHDRAWAL_HOOKS", actor=actor, withdrawn=consent, remainder=remainder)
    return remainder


@transaction.atomic
def apply_expiries(*, actor: Actor, now: datetime | None = None) -> int:
    """The daily job: a consent whose validity ended has the consequences of a withdrawal
    (MAILLAGE_CONSENT_WITHDRAWAL_HOOKS, with reason "expired"): the referrals that relied
    on it close and their recipients are told. Reads do not wait for it (the policy reads
    the end date). Each consent once: running again does nothing more. Returns how many."""
    now = now or timezone.now()
    ended = (
        Consent.objects.select_for_update(of=("self",))
        .filter(state=ConsentState.GIVEN, expires_at__lte=now, expiry_applied_at__isnull=True)
        .select_related("person")
        .order_by("pk")
    )
    count = 0
    for consent in ended:
        consent.expiry_applied_at = now
        consent.save(update_fields=["expiry_applied_at", "updated_at"])
        record_event(
            actor=actor,
            action="consent.expired",
            object_type="consent",
            object_public_id=consent.public_id,
            person_public_id=consent.person.public_id,
            detail={"expires_at": consent.expires_at.isoformat()},
        )
        run_hooks("MAILLAGE_CONSENT_WITHDRAWAL_HOOKS", actor=actor, withdrawn=consent, reason="expired")
        count += 1
    return count


# --- Retention ---------------------------------------------------------------------


def anonymise_consents_of(*, actor: Actor, person, placeholder: str) -> int:
    """Consents hold names too (the signature, the witness, the interpreter) and free text;
    when the person's file is anonymised the rows stay as the record of what was shared,
    without them. Called inside the anonymisation's transaction."""
    return Consent.objects.filter(person=person).update(
        signed_name="", witness_name="", interpreter_name="", purpose=placeholder, withdrawal_reason=""
    )


@transaction.atomic
def purge_consent_proofs(*, actor: Actor, now: datetime | None = None) -> int:
    """Deletes the signed forms of consents given (or withdrawn) longer than
    MAILLAGE_CONSENT_PROOF_RETENTION_MONTHS ago and no longer in force. The consent row
    stays: it is the record of what was shared."""
    now = now or timezone.now()
    limit = now - relativedelta(months=settings.MAILLAGE_CONSENT_PROOF_RETENTION_MONTHS)
    consents = (
        Consent.objects.select_for_update(of=("self",))
        .exclude(proof="")
        .filter(Q(withdrawn_at__lt=limit) | Q(withdrawn_at__isnull=True, given_at__lt=limit))
        .exclude(state=ConsentState.GIVEN, expires_at__gt=now)
        .select_related("person")
    )
    count = 0
    for consent in consents:
        storage, name = consent.proof.storage, consent.proof.name
        consent.proof = ""
        consent.save(update_fields=["proof", "updated_at"])
        # A partial withdrawal copies the proof to the version that carries on: the file
        # goes with the last row that points at it, and only once that row is saved.
        if not Consent.objects.filter(proof=name).exists():
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        record_event(
            actor=actor,
            action="consent.proof_purged",
            object_type="consent",
            object_public_id=consent.public_id,
            person_public_id=consent.person.public_id,
            detail={"retention_months": settings.MAILLAGE_CONSENT_PROOF_RETENTION_MONTHS},
        )
        count += 1
    return count
