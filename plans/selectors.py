"""Reads of support plans, through the consent wall (plans.policies). A plan is reached
through its person (persons.selectors): out of scope is the same 404 as the file."""

import uuid
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from consent.models import Consent, DataCategory
from consent.policies import consents_in_force, covers, may_see
from maillage.actor import Actor
from maillage.errors import NotFound
from persons import selectors as person_selectors
from persons.models import Person
from persons.selectors import ProgrammeDeadline, programme_deadline
from plans import policies
from plans.models import (
    ACTIVE_STATUSES,
    PROGRAMME_DOMAIN,
    Assessment,
    AssessmentItem,
    Commitment,
    CommitmentStatus,
    Decision,
    Piis,
    Plan,
    PlanReview,
)


def plans_visible_to(*, actor: Actor) -> QuerySet[Plan]:
    """Plans of the persons whose file the actor may see."""
    if not policies.can_read_plans(actor):
        return Plan.objects.none()
    return Plan.objects.filter(person__in=person_selectors.persons_visible_to(actor=actor)).select_related(
        "person", "person__organisation", "organisation", "household"
    )


def plan_of(*, actor: Actor, person: Person) -> Plan | None:
    """The plan of a person the actor reached through get_person_for (None: none yet)."""
    return plans_visible_to(actor=actor).filter(person=person).first()


def get_plan_for(*, actor: Actor, public_id: uuid.UUID) -> Plan:
    try:
        return plans_visible_to(actor=actor).get(public_id=public_id)
    except (Plan.DoesNotExist, ValueError):
        raise NotFound() from None


def _organisation_id(actor: Actor) -> int:
    return actor.organisation.pk


def assessments_of(*, actor: Actor, plans) -> list[Assessment]:
    """The assessments of these plans that show the actor at least one item, each with
    `shown_items`: the items it may read."""
    organisation_id = _organisation_id(actor)
    items = (
        AssessmentItem.objects.filter(policies.part_visibility(organisation_id, via="assessment__"))
        .select_related("domain")
        .order_by("domain__position", "pk")
    )
    assessments = (
        Assessment.objects.filter(plan__in=plans, items__in=items)
        .distinct()
        .select_related("organisation", "written_by")
        .prefetch_related(Prefetch("items", queryset=items, to_attr="shown_items"))
    )
    return list(assessments)


def commitments_of(*, actor: Actor, plans) -> QuerySet[Commitment]:
    return (
        Commitment.objects.filter(plan__in=plans)
        .filter(policies.part_visibility(_organisation_id(actor)))
        .select_related("organisation", "owner", "domain", "plan")
    )


def piis_of(*, actor: Actor, plans) -> QuerySet[Piis]:
    return (
        Piis.objects.filter(plan__in=plans)
        .filter(policies.part_visibility(_organisation_id(actor)))
        .select_related("organisation", "domain", "written_by")
    )


def reviews_of(*, actor: Actor, plans) -> QuerySet[PlanReview]:
    visible = PlanReview.objects.filter(policies.review_visibility(_organisation_id(actor))).values("pk")
    return (
        PlanReview.objects.filter(plan__in=plans, pk__in=visible)
        .select_related("organisation", "recorded_by")
        .prefetch_related(
            "participants",
            Prefetch("decisions", queryset=Decision.objects.select_related("organisation", "written_by")),
        )
    )


def get_commitment_for(*, actor: Actor, public_id: uuid.UUID) -> Commitment:
    try:
        return commitments_of(actor=actor, plans=plans_visible_to(actor=actor)).get(public_id=public_id)
    except (Commitment.DoesNotExist, ValueError):
        raise NotFound() from None


def get_piis_for(*, actor: Actor, public_id: uuid.UUID) -> Piis:
    try:
        return (
            piis_of(actor=actor, plans=plans_visible_to(actor=actor))
            .select_related("plan__person")
            .get(public_id=public_id)
        )
    except (Piis.DoesNotExist, ValueError):
        raise NotFound() from None


def get_review_for(*, actor: Actor, public_id: uuid.UUID) -> PlanReview:
    try:
        return reviews_of(actor=actor, plans=plans_visible_to(actor=actor)).get(public_id=public_id)
    except (PlanReview.DoesNotExist, ValueError):
        raise NotFound() from None


# --- Conflicts -------------------------------------------------------------------------

OVERLAP = "overlap"
UNCOVERED = "uncovered"
PROGRAMME_DEADLINE = "programme_deadline"


@dataclass(frozen=True)
class PlanConflict:
    kind: str
    message: str
    commitments: tuple[uuid.UUID, ...] = ()
    # The organisations it concerns (their pks): they see it on their work page.
    organisations: frozenset = field(default_factory=frozenset)


def _days(commitment: Commitment) -> set[int]:
    return set(commitment.weekdays) or {commitment.starts_on.isoweekday()}


def _last_day(commitment: Commitment) -> date:
    if commitment.ends_on is not None:
        return commitment.ends_on
    return date.max if commitment.weekdays else commitment.starts_on


def _overlap(a: Commitment, b: Commitment) -> bool:
    if None in (a.starts_at, a.ends_at, b.starts_at, b.ends_at):
        return False
    return (
        a.starts_on <= _last_day(b)
        and b.starts_on <= _last_day(a)
        and bool(_days(a) & _days(b))
        and a.starts_at < b.ends_at
        and b.starts_at < a.ends_at
    )


def find_conflicts(
    *, person: Person, commitments: list[Commitment], consents: list[Consent], deadline: ProgrammeDeadline | None
) -> list[PlanConflict]:
    """The one rule for what clashes in a plan, over the commitments a reader sees:
    - two active commitments at overlapping hours on a common day;
    - an active commitment whose owner no consent in force covers for its need domain and
      plans (the file keeper needs none);
    - a programme deadline (the person not registered yet) that no commitment in the
      integration programme, not cancelled, starts in time for.
    `consents`: the person's consents in force, recipients and domains prefetched."""
    found = []
    active = [c for c in commitments if c.status in ACTIVE_STATUSES]
    for index, first in enumerate(active):
        for second in active[index + 1 :]:
            if _overlap(first, second):
                found.append(
                    PlanConflict(
                        OVERLAP,
                        _("“%(first)s” (%(first_owner)s) and “%(second)s” (%(second_owner)s) take the same hours.")
                        % {
                            "first": first.what,
                            "first_owner": first.owner.name,
                            "second": second.what,
                            "second_owner": second.owner.name,
                        },
                        (first.public_id, second.public_id),
                        frozenset({first.owner_id, first.organisation_id, second.owner_id, second.organisation_id}),
                    )
                )
    for commitment in active:
        if commitment.owner_id == person.organisation_id:
            continue
        if any(
            covers(
                consent,
                organisation=commitment.owner,
                domain_codes=[commitment.domain.code],
                categories=[DataCategory.PLAN],
            )
            for consent in consents
        ):
            continue
        found.append(
            PlanConflict(
                UNCOVERED,
                _("No consent in force lets %(owner)s share the plan for “%(domain)s”: “%(what)s”.")
                % {"owner": commitment.owner.name, "domain": commitment.domain.label(), "what": commitment.what},
                (commitment.public_id,),
                frozenset({commitment.owner_id, commitment.organisation_id, person.organisation_id}),
            )
        )
    if deadline is not None and not deadline.registered:
        meeting = [
            c
            for c in commitments
            if c.domain.code == PROGRAMME_DOMAIN
            and c.status != CommitmentStatus.CANCELLED
            and c.starts_on <= deadline.due
        ]
        if not meeting:
            found.append(
                PlanConflict(
                    PROGRAMME_DEADLINE,
                    _("No commitment meets the deadline to register in the integration programme (%(date)s).")
                    % {"date": date_format(deadline.due, "SHORT_DATE_FORMAT")},
                    (),
                    frozenset({person.organisation_id} | {c.organisation_id for c in commitments}),
                )
            )
    return found


def _consents_by_person(person_ids) -> dict[int, list[Consent]]:
    consents: dict[int, list[Consent]] = {}
    for consent in consents_in_force().filter(person_id__in=person_ids).prefetch_related("recipients", "domains"):
        consents.setdefault(consent.person_id, []).append(consent)
    return consents


def plan_conflicts(
    *, actor: Actor, plan: Plan, commitments: list[Commitment], deadline_months: int
) -> list[PlanConflict]:
    """The conflicts of a plan, over the commitments the actor sees; the programme deadline
    only for a reader the consent opens the person's situation to."""
    person = plan.person
    shows_situation = may_see(organisation_id=actor.organisation.pk, person=person, category=DataCategory.SITUATION)
    deadline = programme_deadline(person, deadline_months) if shows_situation else None
    return find_conflicts(
        person=person,
        commitments=commitments,
        consents=_consents_by_person([person.pk]).get(person.pk, []),
        deadline=deadline,
    )


@dataclass(frozen=True)
class PlanView:
    plan: Plan
    assessments: list[Assessment]
    commitments: list[Commitment]
    piis: list[Piis]
    reviews: list[PlanReview]
    conflicts: list[PlanConflict]

    @property
    def conflicting(self) -> set[uuid.UUID]:
        return {public_id for conflict in self.conflicts for public_id in conflict.commitments}


def plan_view(*, actor: Actor, plan: Plan, deadline_months: int) -> PlanView:
    """The plan as the actor may read it: its parts through the wall, and its conflicts."""
    plans = [plan]
    commitments = list(commitments_of(actor=actor, plans=plans))
    return PlanView(
        plan=plan,
        assessments=assessments_of(actor=actor, plans=plans),
        commitments=commitments,
        piis=list(piis_of(actor=actor, plans=plans)),
        reviews=list(reviews_of(actor=actor, plans=plans)),
        conflicts=plan_conflicts(actor=actor, plan=plan, commitments=commitments, deadline_months=deadline_months),
    )


@dataclass(frozen=True)
class ConflictLine:
    plan: Plan
    conflict: PlanConflict


def conflicts_concerning(*, actor: Actor, deadline_months: int, today: date | None = None) -> list[ConflictLine]:
    """The conflicts of every plan the actor's organisation takes part in (it wrote a part or
    owns a commitment) that concern it, in a fixed number of queries."""
    if not policies.can_read_plans(actor):
        return []
    organisation_id = actor.organisation.pk
    visible = plans_visible_to(actor=actor)
    involved = (
        visible.filter(commitments__owner_id=organisation_id)
        | visible.filter(commitments__organisation_id=organisation_id)
        | visible.filter(piis__organisation_id=organisation_id)
        | visible.filter(assessments__organisation_id=organisation_id)
    )
    plans = list(involved.distinct().order_by("pk"))
    if not plans:
        return []
    commitments: dict[int, list[Commitment]] = {}
    for commitment in commitments_of(actor=actor, plans=plans):
        commitments.setdefault(commitment.plan_id, []).append(commitment)
    consents = _consents_by_person([plan.person_id for plan in plans])
    situation = set(
        person_selectors.persons_visible_to(actor=actor, category=DataCategory.SITUATION)
        .filter(pk__in=[plan.person_id for plan in plans])
        .values_list("pk", flat=True)
    )
    lines = []
    for plan in plans:
        person = plan.person
        deadline = programme_deadline(person, deadline_months, today=today) if person.pk in situation else None
        for conflict in find_conflicts(
            person=person,
            commitments=commitments.get(plan.pk, []),
            consents=consents.get(person.pk, []),
            deadline=deadline,
        ):
            if organisation_id in conflict.organisations:
                lines.append(ConflictLine(plan, conflict))
    return lines


# --- A family that moves ---------------------------------------------------------------


def plan_for_handover(*, person: Person) -> Plan | None:
    """The person's plan with every part, for the transfer's handover in the origin's schema
    (plans.handover), which lets cross only what the transfer's consent names: a system read,
    under the acceptance's lock on the file."""
    return (
        Plan.objects.filter(person=person)
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("organisation").prefetch_related(
                    Prefetch("items", queryset=AssessmentItem.objects.select_related("domain"))
                ),
            ),
            Prefetch("commitments", queryset=Commitment.objects.select_related("organisation", "owner", "domain")),
            Prefetch("piis", queryset=Piis.objects.select_related("organisation", "domain")),
        )
        .first()
    )
