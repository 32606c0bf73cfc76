"""Writes of support plans. Each takes the acting member, checks what they may write under
the consent wall, validates, writes, and records its audit event, in one transaction."""

from dataclasses import dataclass, field
from datetime import date, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from consent.models import DataCategory
from consent.policies import covering
from directory import selectors as directory_selectors
from directory.models import NeedDomain, Organisation
from maillage.actor import Actor
from maillage.errors import Forbidden, Invalid, NotFound
from members.policies import can_edit_file
from persons.models import Household, Person
from plans import policies
from plans.models import (
    PIIS_DOMAIN,
    TEXT_FIELDS,
    Assessment,
    AssessmentItem,
    AssessmentKind,
    Commitment,
    CommitmentStatus,
    Decision,
    Piis,
    Plan,
    PlanReview,
)


def _event(actor: Actor, action: str, plan: Plan, obj=None, **detail) -> None:
    record_event(
        actor=actor,
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "plan",
        object_public_id=(obj or plan).public_id,
        person_public_id=plan.person.public_id,
        detail={"plan": str(plan.public_id), **detail},
    )


def _may_contribute(actor: Actor, person: Person, domain_codes=()) -> bool:
    """The file keeper, or an organisation a consent in force covers for the plan and each
    of these need domains (a write checks the consent covers the use: `covering`)."""
    if not policies.can_write_parts(actor):
        return False
    if can_edit_file(actor, person):
        return True
    return (
        covering(organisation_id=actor.organisation.pk, category=DataCategory.PLAN, domain_codes=domain_codes)
        .filter(person_id=person.pk)
        .exists()
    )


def _domain(actor: Actor, code: str, field_name: str) -> NeedDomain:
    domain = directory_selectors.need_domains(actor=actor).filter(code=code).first()
    if domain is None:
        raise Invalid(fields={field_name: [_("Unknown need domain.")]})
    return domain


def _not_in_future(day: date | None, field_name: str, errors: dict) -> None:
    if day is not None and day > timezone.localdate():
        errors.setdefault(field_name, []).append(_("This date is in the future."))


# --- Plan ------------------------------------------------------------------------------


@transaction.atomic
def start_plan(*, actor: Actor, person: Person, household: Household | None = None) -> Plan:
    """The person's plan, started once: starting it again gives the same plan."""
    if not _may_contribute(actor, person):
        raise Forbidden()
    plan, created = Plan.objects.select_related("person").get_or_create(
        person=person,
        defaults={"organisation": actor.organisation, "created_by": actor.user, "household": household},
    )
    if created:
        _event(actor, "plan.created", plan)
    return plan


def record_plan_read(*, actor: Actor, plan: Plan) -> None:
    _event(actor, "plan.read", plan)


# --- Assessments -----------------------------------------------------------------------


@dataclass(frozen=True)
class ItemInput:
    domain: str
    situation: str = ""
    wishes: str = ""
    agreed: str = ""


@dataclass(frozen=True)
class AssessmentInput:
    kind: str
    assessed_on: date
    items: list[ItemInput] = field(default_factory=list)


def _written_items(data: AssessmentInput) -> list[ItemInput]:
    return [item for item in data.items if item.situation.strip() or item.wishes.strip() or item.agreed.strip()]


def assessment_errors(data: AssessmentInput) -> dict[str, list]:
    """Every problem of an assessment's input at once, by field, without writing."""
    errors: dict = {}
    if data.kind not in AssessmentKind.values:
        errors["kind"] = [_("Unknown kind of assessment.")]
    _not_in_future(data.assessed_on, "assessed_on", errors)
    items = _written_items(data)
    if not items:
        errors["items"] = [_("Write at least one need domain: its situation, what the person wants or what is agreed.")]
    codes = [item.domain for item in items]
    if len(set(codes)) != len(codes):
        errors.setdefault("items", []).append(_("Each need domain once."))
    return errors


@transaction.atomic
def add_assessment(*, actor: Actor, plan: Plan, data: AssessmentInput) -> Assessment:
    errors = assessment_errors(data)
    if errors:
        raise Invalid(fields=errors)
    items = _written_items(data)
    codes = [item.domain for item in items]
    domains = {code: _domain(actor, code, "items") for code in codes}
    if not _may_contribute(actor, plan.person, codes):
        raise Forbidden(_("No consent in force lets your organisation write the plan for these needs."))
    assessment = Assessment.objects.create(
        plan=plan, organisation=actor.organisation, kind=data.kind, assessed_on=data.assessed_on, written_by=actor.user
    )
    AssessmentItem.objects.bulk_create(
        AssessmentItem(
            assessment=assessment,
            domain=domains[item.domain],
            situation=item.situation.strip(),
            wishes=item.wishes.strip(),
            agreed=item.agreed.strip(),
        )
        for item in items
    )
    _event(actor, "plan.assessment_added", plan, assessment, domains=codes)
    return assessment


# --- Commitments -----------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentInput:
    owner: Organisation
    domain: str
    what: str
    starts_on: date
    ends_on: date | None = None
    weekdays: list[int] = field(default_factory=list)
    starts_at: time | None = None
    ends_at: time | None = None
    status: str = CommitmentStatus.PLANNED


def commitment_errors(data: CommitmentInput) -> dict[str, list]:
    errors: dict[str, list] = {}
    if not data.what.strip():
        errors["what"] = [_("Say what is committed to.")]
    if data.ends_on is not None and data.starts_on is not None and data.ends_on < data.starts_on:
        errors["ends_on"] = [_("A commitment cannot end before it starts.")]
    if (data.starts_at is None) != (data.ends_at is None):
        errors["ends_at"] = [_("Give both hours, or neither.")]
    elif data.starts_at is not None and data.ends_at <= data.starts_at:
        errors["ends_at"] = [_("The end hour must come after the start hour.")]
    if any(day not in range(1, 8) for day in data.weekdays):
        errors["weekdays"] = [_("Days are numbered 1 (Monday) to 7 (Sunday).")]
    if data.status not in CommitmentStatus.values:
        errors["status"] = [_("Unknown status.")]
    return errors


@transaction.atomic
def add_commitment(*, actor: Actor, plan: Plan, data: CommitmentInput) -> Commitment:
    errors = commitment_errors(data)
    if errors:
        raise Invalid(fields=errors)
    domain = _domain(actor, data.domain, "domain")
    if not _may_contribute(actor, plan.person, [domain.code]):
        raise Forbidden(_("No consent in force lets your organisation write the plan for these needs."))
    commitment = Commitment.objects.create(
        plan=plan,
        organisation=actor.organisation,
        owner=data.owner,
        domain=domain,
        what=data.what.strip(),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        weekdays=sorted(set(data.weekdays)),
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        status=data.status,
        written_by=actor.user,
    )
    _event(actor, "plan.commitment_added", plan, commitment, domain=domain.code)
    return commitment


@transaction.atomic
def set_commitment_status(*, actor: Actor, commitment: Commitment, status: str) -> Commitment:
    """The organisation that wrote a commitment, or the one that carries it out, says where
    it stands."""
    if status not in CommitmentStatus.values:
        raise Invalid(fields={"status": [_("Unknown status.")]})
    if not policies.can_write_parts(actor) or actor.organisation.pk not in {
        commitment.organisation_id,
        commitment.owner_id,
    }:
        raise Forbidden()
    commitment.status = status
    commitment.save(update_fields=["status", "updated_at"])
    _event(actor, "plan.commitment_status_set", commitment.plan, commitment, status=status)
    return commitment


# --- PIIS ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PiisInput:
    signed_on: date
    objectives: str
    includes_programme: bool = False
    reviewed_on: date | None = None
    next_review_on: date | None = None
    domain: str = PIIS_DOMAIN


def piis_errors(data: PiisInput) -> dict[str, list]:
    """Every problem of a PIIS's input at once, by field, without writing."""
    errors: dict = {}
    _not_in_future(data.signed_on, "signed_on", errors)
    _not_in_future(data.reviewed_on, "reviewed_on", errors)
    signed = data.signed_on
    if data.reviewed_on is not None and signed is not None and data.reviewed_on < signed:
        errors.setdefault("reviewed_on", []).append(_("A PIIS is reviewed after it is signed."))
    if data.next_review_on is not None and signed is not None and data.next_review_on < signed:
        errors["next_review_on"] = [_("The next review comes after the signature.")]
    if not data.objectives.strip():
        errors["objectives"] = [_("Write the objectives agreed with the person.")]
    return errors


@transaction.atomic
def record_piis(*, actor: Actor, plan: Plan, data: PiisInput) -> Piis:
    if not policies.can_write_piis(actor):
        raise Forbidden(_("Only a CPAS writes a PIIS."))
    errors = piis_errors(data)
    if errors:
        raise Invalid(fields=errors)
    domain = _domain(actor, data.domain, "domain")
    if not _may_contribute(actor, plan.person, [domain.code]):
        raise Forbidden(_("No consent in force lets your organisation write the plan for these needs."))
    piis = Piis.objects.create(
        plan=plan,
        organisation=actor.organisation,
        domain=domain,
        signed_on=data.signed_on,
        reviewed_on=data.reviewed_on,
        objectives=data.objectives.strip(),
        includes_programme=data.includes_programme,
        next_review_on=data.next_review_on,
        written_by=actor.user,
    )
    _event(actor, "plan.piis_recorded", plan, piis, includes_programme=data.includes_programme)
    return piis


@transaction.atomic
def review_piis(*, actor: Actor, piis: Piis, reviewed_on: date, next_review_on: date | None = None) -> Piis:
    """The CPAS that signed the PIIS records that it reviewed it with the person, and when
    the next review is due."""
    if not policies.can_write_piis(actor) or piis.organisation_id != actor.organisation.pk:
        raise Forbidden(_("Only the CPAS that signed the PIIS reviews it."))
    errors: dict = {}
    _not_in_future(reviewed_on, "reviewed_on", errors)
    if reviewed_on < piis.signed_on:
        errors.setdefault("reviewed_on", []).append(_("A PIIS is reviewed after it is signed."))
    if next_review_on is not None and next_review_on < reviewed_on:
        errors["next_review_on"] = [_("The next review comes after this one.")]
    if errors:
        raise Invalid(fields=errors)
    piis.reviewed_on = reviewed_on
    piis.next_review_on = next_review_on
    piis.save(update_fields=["reviewed_on", "next_review_on", "updated_at"])
    _event(actor, "plan.piis_reviewed", piis.plan, piis)
    return piis


# --- Reviews ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewInput:
    held_on: date
    participants: list[Organisation]
    in_person: bool = True
    person_present: bool = True
    decisions: list[str] = field(default_factory=list)


@transaction.atomic
def hold_review(*, actor: Actor, plan: Plan, data: ReviewInput) -> PlanReview:
    errors: dict = {}
    if not data.participants:
        errors["participants"] = [_("A review needs at least one participating organisation.")]
    if errors:
        raise Invalid(fields=errors)
    if not _may_contribute(actor, plan.person):
        raise Forbidden()
    review = PlanReview.objects.create(
        plan=plan,
        organisation=actor.organisation,
        held_on=data.held_on,
        in_person=data.in_person,
        person_present=data.person_present,
        recorded_by=actor.user,
    )
    review.participants.set(data.participants)
    for text in data.decisions:
        if text.strip():
            Decision.objects.create(
                review=review, organisation=actor.organisation, text=text.strip(), written_by=actor.user
            )
    _event(actor, "plan.review_held", plan, review, participants=len(data.participants))
    return review


@transaction.atomic
def add_decision(*, actor: Actor, review: PlanReview, text: str) -> Decision:
    """Decisions are appended to a review, never edited."""
    if not text.strip():
        raise Invalid(fields={"text": [_("Write the decision.")]})
    if not _may_contribute(actor, review.plan.person):
        raise Forbidden()
    decision = Decision.objects.create(
        review=review, organisation=actor.organisation, text=text.strip(), written_by=actor.user
    )
    _event(actor, "plan.decision_added", review.plan, review)
    return decision


def participants_from(*, actor: Actor, public_ids) -> list[Organisation]:
    """The organisations these ids name; an unknown one is a mistake in the field."""
    found = []
    for public_id in public_ids:
        try:
            found.append(directory_selectors.get_organisation(actor=actor, public_id=public_id))
        except NotFound:
            raise Invalid(fields={"participants": [_("Unknown organisation.")]}) from None
    return found


# --- Retention -------------------------------------------------------------------------


def anonymise_plan(*, actor: Actor, person: Person, placeholder: str) -> None:
    """MAILLAGE_PERSON_ANONYMISED_HOOKS: the plan's texts go with the file (dates, domains
    and organisations stay, for the figures)."""
    plan = Plan.objects.filter(person=person).select_related("person").first()
    if plan is None:
        return
    rows = {
        AssessmentItem: AssessmentItem.objects.filter(assessment__plan=plan),
        Commitment: Commitment.objects.filter(plan=plan),
        Piis: Piis.objects.filter(plan=plan),
        Decision: Decision.objects.filter(review__plan=plan),
    }
    for model, queryset in rows.items():
        queryset.update(**dict.fromkeys(TEXT_FIELDS[model], placeholder))
    _event(actor, "plan.anonymised", plan)


# --- A family that moves (plans.handover) -----------------------------------------------


def record_plan_handed_over(*, actor: Actor, plan: Plan, domains: list[str]) -> None:
    """The origin's trail: the plan's parts in these need domains were read to cross."""
    _event(actor, "plan.handed_over", plan, domains=domains)


def receive_plan(*, actor: Actor, person: Person, data: dict) -> Plan:
    """The plan of a file that arrived from another coordination, from the parts its consent
    let cross, each marked with where it came from. Called inside the acceptance's
    transaction, on the file it just opened (one file per transfer, so one plan). A part
    whose need domain this coordination's taxonomy lacks has nowhere to be filed and stays
    out."""
    domains = {domain.code: domain for domain in directory_selectors.need_domains(actor=actor)}
    plan = Plan.objects.create(person=person, organisation=actor.organisation, created_by=actor.user)
    received = set()
    for entry in data["assessments"]:
        items = [item for item in entry["items"] if item["domain"] in domains]
        if not items:
            continue
        assessment = Assessment.objects.create(
            plan=plan,
            organisation=actor.organisation,
            kind=entry["kind"],
            assessed_on=entry["assessed_on"],
            arrived_from=entry["arrived_from"][:300],
        )
        AssessmentItem.objects.bulk_create(
            AssessmentItem(
                assessment=assessment,
                domain=domains[item["domain"]],
                situation=item["situation"],
                wishes=item["wishes"],
                agreed=item["agreed"],
            )
            for item in items
        )
        received.update(item["domain"] for item in items)
    for entry in data["commitments"]:
        if entry["domain"] not in domains:
            continue
        Commitment.objects.create(
            plan=plan,
            organisation=actor.organisation,
            owner=actor.organisation,
            domain=domains[entry["domain"]],
            what=entry["what"],
            starts_on=entry["starts_on"],
            ends_on=entry["ends_on"],
            weekdays=entry["weekdays"],
            starts_at=entry["starts_at"],
            ends_at=entry["ends_at"],
            status=entry["status"],
            arrived_from=entry["arrived_from"][:300],
            arrived_owner=entry["arrived_owner"][:200],
        )
        received.add(entry["domain"])
    for entry in data["piis"]:
        if entry["domain"] not in domains:
            continue
        Piis.objects.create(
            plan=plan,
            organisation=actor.organisation,
            domain=domains[entry["domain"]],
            signed_on=entry["signed_on"],
            reviewed_on=entry["reviewed_on"],
            objectives=entry["objectives"],
            includes_programme=entry["includes_programme"],
            next_review_on=entry["next_review_on"],
            arrived_from=entry["arrived_from"][:300],
        )
        received.add(entry["domain"])
    _event(actor, "plan.arrived", plan, domains=sorted(received))
    return plan
