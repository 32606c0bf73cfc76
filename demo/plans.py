"""The demo support plan (demo/data/plans.yaml): a family whose BAPA bilan social, CPAS
PIIS (with the integration programme) and an association's French course clash with the
citizenship training, and a review where the organisations settle it. Written through the
services as the members themselves would, once (a person already in the demo is left as
it is)."""

from dataclasses import dataclass, field
from datetime import time

from django.utils import timezone
from django_tenants.utils import schema_context

from consent.services import ConsentInput, record_consent
from demo import schema
from demo.actors import member_actor
from directory.models import Organisation
from members.models import Membership
from members.roles import Role
from persons.selectors import persons_visible_to
from persons.services import PersonInput, create_household, create_person
from plans import services


@dataclass(frozen=True)
class DemoPlanPerson:
    given_name: str
    family_name: str
    birth_year: int | None = None
    languages: list[str] = field(default_factory=list)
    preferred_language: str = ""
    status: str = ""
    french_level: str = ""
    commune_registration: schema.Offset | None = None


@dataclass(frozen=True)
class DemoPlanConsent:
    recipients: list[str]
    domains: list[str]
    categories: list[str]
    purpose: str


@dataclass(frozen=True)
class DemoItem:
    domain: str
    situation: str = ""
    wishes: str = ""
    agreed: str = ""


@dataclass(frozen=True)
class DemoAssessment:
    kind: str
    assessed_on: schema.Offset
    items: list[DemoItem]


@dataclass(frozen=True)
class DemoPiis:
    signed_on: schema.Offset
    objectives: str
    includes_programme: bool = False
    next_review_on: schema.Offset | None = None


@dataclass(frozen=True)
class DemoCommitment:
    by: str
    owner: str
    domain: str
    what: str
    starts_on: schema.Offset
    weekdays: list[int] = field(default_factory=list)
    hours: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DemoReview:
    held_on: schema.Offset
    participants: list[str]
    decisions: list[str] = field(default_factory=list)
    in_person: bool = True


@dataclass(frozen=True)
class DemoFamilyPlan:
    keeper: str
    cpas: str
    person: DemoPlanPerson
    household: str
    consent: DemoPlanConsent
    assessment: DemoAssessment
    piis: DemoPiis
    commitments: list[DemoCommitment]
    review: DemoReview


def _actor(coordination, organisation_name: str):
    membership = (
        Membership.objects.select_related("organisation", "user")
        .filter(
            organisation__name=organisation_name,
            is_active=True,
            role__in=[Role.WORKER, Role.CPAS_REFERENT, Role.COORDINATOR],
        )
        .order_by("role")
        .first()
    )
    return member_actor(coordination, membership)


def _hour(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def load_plans_demo(coordination) -> int:
    spec = schema.read("plans.yaml", dict[str, DemoFamilyPlan]).get(coordination.slug)
    if spec is None:
        return 0
    today = timezone.localdate()
    with schema_context(coordination.schema_name):
        keeper = _actor(coordination, spec.keeper)
        cpas = _actor(coordination, spec.cpas)
        if keeper is None or cpas is None:
            return 0
        entry = spec.person
        if persons_visible_to(actor=keeper).filter(given_name=entry.given_name, family_name=entry.family_name).exists():
            return 0
        person = create_person(
            actor=keeper,
            data=PersonInput(
                given_name=entry.given_name,
                family_name=entry.family_name,
                birth_year=entry.birth_year,
                languages=list(entry.languages),
                preferred_language=entry.preferred_language,
                status=entry.status,
                french_level=entry.french_level,
                commune_registration_date=entry.commune_registration.day(today) if entry.commune_registration else None,
            ),
        )
        household = create_household(actor=keeper, name=spec.household, members=[(person, "head")])
        organisations = {o.name: o for o in Organisation.objects.all()}
        record_consent(
            actor=keeper,
            person=person,
            data=ConsentInput(
                recipients=[organisations[name].public_id for name in spec.consent.recipients],
                domains=list(spec.consent.domains),
                categories=list(spec.consent.categories),
                purpose=spec.consent.purpose,
                method="oral_witnessed",
                witness_name="Collègue de l'accueil",
                explanation_language=entry.preferred_language,
            ),
        )
        plan = services.start_plan(actor=keeper, person=person, household=household)
        services.add_assessment(
            actor=keeper,
            plan=plan,
            data=services.AssessmentInput(
                kind=spec.assessment.kind,
                assessed_on=spec.assessment.assessed_on.day(today),
                items=[services.ItemInput(i.domain, i.situation, i.wishes, i.agreed) for i in spec.assessment.items],
            ),
        )
        services.record_piis(
            actor=cpas,
            plan=plan,
            data=services.PiisInput(
                signed_on=spec.piis.signed_on.day(today),
                objectives=spec.piis.objectives,
                includes_programme=spec.piis.includes_programme,
                next_review_on=spec.piis.next_review_on.day(today) if spec.piis.next_review_on else None,
            ),
        )
        for commitment in spec.commitments:
            author = _actor(coordination, commitment.by)
            if author is None:
                continue
            starts_at, ends_at = (_hour(h) for h in commitment.hours) if commitment.hours else (None, None)
            services.add_commitment(
                actor=author,
                plan=plan,
                data=services.CommitmentInput(
                    owner=organisations[commitment.owner],
                    domain=commitment.domain,
                    what=commitment.what,
                    starts_on=commitment.starts_on.day(today),
                    weekdays=list(commitment.weekdays),
                    starts_at=starts_at,
                    ends_at=ends_at,
                ),
            )
        services.hold_review(
            actor=keeper,
            plan=plan,
            data=services.ReviewInput(
                held_on=spec.review.held_on.day(today),
                in_person=spec.review.in_person,
                participants=[organisations[name] for name in spec.review.participants],
                decisions=list(spec.review.decisions),
            ),
        )
    return 1
