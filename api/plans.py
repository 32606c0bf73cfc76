"""The shared support plan: the plan of a person, its parts (assessments, commitments, the
PIIS) through the consent wall, its conflicts and its reviews. The same services and
selectors as the pages; every answer that carries the plan records its read."""

from datetime import time

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from directory import selectors as directory_selectors
from idempotency.decorators import idempotent
from maillage.api import ActorAPIView, referenced, validated
from maillage.errors import Forbidden, NotFound
from persons import selectors as person_selectors
from plans import policies, selectors, services
from plans.models import AssessmentKind, CommitmentStatus

# --- Output ----------------------------------------------------------------------------


class AssessmentItemSerializer(serializers.Serializer):
    domain = serializers.CharField(source="domain.code")
    situation = serializers.CharField()
    wishes = serializers.CharField()
    agreed = serializers.CharField()


class AssessmentSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organisation = serializers.UUIDField(source="organisation.public_id")
    organisation_name = serializers.CharField(source="organisation.name")
    kind = serializers.ChoiceField(AssessmentKind.choices)
    assessed_on = serializers.DateField()
    items = AssessmentItemSerializer(many=True, source="shown_items", help_text="The need domains you may read.")
    arrived_from = serializers.CharField(
        read_only=True,
        help_text="Set on a part that arrived with the family from another coordination: who wrote it there "
        "(organisation and coordination). Empty otherwise.",
    )


def _hour(value: time | None) -> str | None:
    return f"{value:%H:%M}" if value is not None else None


# Hours of the day as people write them: JSON Schema's "time" wants a time zone offset,
# which a weekly course does not have.
HOUR = r"^([01]\d|2[0-3]):[0-5]\d$"


class CommitmentSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organisation = serializers.UUIDField(source="organisation.public_id", help_text="Who wrote it.")
    owner = serializers.UUIDField(source="owner.public_id")
    owner_name = serializers.CharField(source="owner.name")
    domain = serializers.CharField(source="domain.code")
    what = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    weekdays = serializers.ListField(child=serializers.IntegerField(), help_text="1 (Monday) to 7 (Sunday).")
    starts_at = serializers.SerializerMethodField(help_text="HH:MM, local time.")
    ends_at = serializers.SerializerMethodField(help_text="HH:MM, local time.")
    status = serializers.ChoiceField(CommitmentStatus.choices)
    arrived_from = serializers.CharField(
        read_only=True,
        help_text="Set on a part that arrived with the family from another coordination: who wrote it there "
        "(organisation and coordination). Empty otherwise.",
    )
    arrived_owner = serializers.CharField(
        read_only=True,
        help_text="Set on a commitment that arrived with the family: the organisation that carries it out "
        "in the origin coordination. Empty otherwise.",
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_starts_at(self, commitment) -> str | None:
        return _hour(commitment.starts_at)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_ends_at(self, commitment) -> str | None:
        return _hour(commitment.ends_at)


class PiisSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organisation = serializers.UUIDField(source="organisation.public_id")
    organisation_name = serializers.CharField(source="organisation.name")
    domain = serializers.CharField(source="domain.code")
    signed_on = serializers.DateField()
    reviewed_on = serializers.DateField(allow_null=True)
    objectives = serializers.CharField()
    includes_programme = serializers.BooleanField()
    next_review_on = serializers.DateField(allow_null=True)
    arrived_from = serializers.CharField(
        read_only=True,
        help_text="Set on a part that arrived with the family from another coordination: who wrote it there "
        "(organisation and coordination). Empty otherwise.",
    )


class DecisionSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organisation = serializers.UUIDField(source="organisation.public_id")
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReviewSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    held_on = serializers.DateField()
    in_person = serializers.BooleanField()
    person_present = serializers.BooleanField()
    participants = serializers.SerializerMethodField(help_text="The organisations that took part.")
    decisions = DecisionSerializer(many=True, source="decisions.all")

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_participants(self, review) -> list[str]:
        return [str(organisation.public_id) for organisation in review.participants.all()]


class ConflictSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        [selectors.OVERLAP, selectors.UNCOVERED, selectors.PROGRAMME_DEADLINE],
        help_text="overlap: two commitments at the same hours; uncovered: no consent covers the owner for the "
        "domain; programme_deadline: no commitment meets the integration programme deadline.",
    )
    message = serializers.CharField()
    commitments = serializers.ListField(child=serializers.UUIDField())


class PlanSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="plan.public_id")
    person = serializers.UUIDField(source="plan.person.public_id")
    household = serializers.UUIDField(
        source="plan.household.public_id", allow_null=True, help_text="The household the plan follows, if any."
    )
    organisation = serializers.UUIDField(source="plan.organisation.public_id", help_text="Who started it.")
    created_at = serializers.DateTimeField(source="plan.created_at")
    assessments = AssessmentSerializer(many=True)
    commitments = CommitmentSerializer(many=True)
    piis = PiisSerializer(many=True)
    reviews = ReviewSerializer(many=True)
    conflicts = ConflictSerializer(many=True)


def _plan_body(view, plan) -> dict:
    shown = selectors.plan_view(
        actor=view.actor, plan=plan, deadline_months=view.request.tenant.registration_deadline_months
    )
    services.record_plan_read(actor=view.actor, plan=plan)
    return PlanSerializer(shown).data


# --- Input -----------------------------------------------------------------------------


class PlanInputSerializer(serializers.Serializer):
    household = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A household your organisation keeps, for a plan that follows the family. "
        "Ignored when the person's plan already exists.",
    )


class AssessmentItemInputSerializer(serializers.Serializer):
    domain = serializers.CharField(max_length=40, help_text="A need domain's code.")
    situation = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    wishes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    agreed = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class AssessmentInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(AssessmentKind.choices)
    assessed_on = serializers.DateField()
    items = AssessmentItemInputSerializer(many=True)


class CommitmentInputSerializer(serializers.Serializer):
    owner = serializers.UUIDField(help_text="The organisation that carries it out.")
    domain = serializers.CharField(max_length=40)
    what = serializers.CharField(max_length=300)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=7), required=False, default=list
    )
    starts_at = serializers.RegexField(HOUR, required=False, allow_null=True, default=None, help_text="HH:MM")
    ends_at = serializers.RegexField(HOUR, required=False, allow_null=True, default=None, help_text="HH:MM")
    status = serializers.ChoiceField(CommitmentStatus.choices, required=False, default=CommitmentStatus.PLANNED)


class CommitmentStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(CommitmentStatus.choices)


class PiisInputSerializer(serializers.Serializer):
    signed_on = serializers.DateField()
    objectives = serializers.CharField(max_length=5000)
    includes_programme = serializers.BooleanField(required=False, default=False)
    reviewed_on = serializers.DateField(required=False, allow_null=True, default=None)
    next_review_on = serializers.DateField(required=False, allow_null=True, default=None)
    domain = serializers.CharField(max_length=40, required=False, default="social_rights")


class PiisReviewInputSerializer(serializers.Serializer):
    reviewed_on = serializers.DateField()
    next_review_on = serializers.DateField(required=False, allow_null=True, default=None)


class ReviewInputSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    in_person = serializers.BooleanField(required=False, default=True)
    person_present = serializers.BooleanField(required=False, default=True)
    participants = serializers.ListField(child=serializers.UUIDField(), help_text="Organisations that took part.")
    decisions = serializers.ListField(child=serializers.CharField(max_length=2000), required=False, default=list)


class DecisionInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


# --- Views -----------------------------------------------------------------------------


def _readable(actor) -> None:
    if not policies.can_read_plans(actor):
        raise Forbidden()


class PersonPlanView(ActorAPIView):
    @extend_schema(responses=PlanSerializer, summary="The person's support plan, as far as the consent opens it")
    def get(self, request, public_id, *args, **kwargs):
        person = person_selectors.get_person_for(actor=self.actor, public_id=public_id)
        _readable(self.actor)
        plan = selectors.plan_of(actor=self.actor, person=person)
        if plan is None:
            raise NotFound()
        return Response(_plan_body(self, plan))

    @extend_schema(
        request=PlanInputSerializer,
        responses={201: PlanSerializer},
        summary="Start the person's support plan",
        description="An unknown household, or one another organisation keeps, is not found (404).",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        person = person_selectors.get_person_for(actor=self.actor, public_id=public_id)
        values = validated(PlanInputSerializer, request.data or {})
        household = None
        if values["household"] is not None:
            household = person_selectors.get_household_for(actor=self.actor, public_id=values["household"])
        plan = services.start_plan(actor=self.actor, person=person, household=household)
        return Response(_plan_body(self, plan), status=status.HTTP_201_CREATED)


class PlanAssessmentView(ActorAPIView):
    @extend_schema(
        request=AssessmentInputSerializer, responses={201: PlanSerializer}, summary="Add an assessment to a plan"
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        plan = selectors.get_plan_for(actor=self.actor, public_id=public_id)
        values = validated(AssessmentInputSerializer, request.data)
        data = services.AssessmentInput(
            kind=values["kind"],
            assessed_on=values["assessed_on"],
            items=[services.ItemInput(**item) for item in values["items"]],
        )
        services.add_assessment(actor=self.actor, plan=plan, data=data)
        return Response(_plan_body(self, plan), status=status.HTTP_201_CREATED)


class PlanCommitmentView(ActorAPIView):
    @extend_schema(
        request=CommitmentInputSerializer, responses={201: CommitmentSerializer}, summary="Add a commitment to a plan"
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        plan = selectors.get_plan_for(actor=self.actor, public_id=public_id)
        values = validated(CommitmentInputSerializer, request.data)
        values["owner"] = referenced(
            directory_selectors.get_organisation, values, "owner", actor=self.actor, message=_("Unknown organisation.")
        )
        for name in ("starts_at", "ends_at"):
            values[name] = time.fromisoformat(values[name]) if values[name] else None
        commitment = services.add_commitment(actor=self.actor, plan=plan, data=services.CommitmentInput(**values))
        return Response(CommitmentSerializer(commitment).data, status=status.HTTP_201_CREATED)


class CommitmentStatusView(ActorAPIView):
    @extend_schema(
        request=CommitmentStatusInputSerializer,
        responses=CommitmentSerializer,
        summary="Say where a commitment stands (its author or owner)",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        commitment = selectors.get_commitment_for(actor=self.actor, public_id=public_id)
        values = validated(CommitmentStatusInputSerializer, request.data)
        commitment = services.set_commitment_status(actor=self.actor, commitment=commitment, status=values["status"])
        return Response(CommitmentSerializer(commitment).data)


class PlanPiisView(ActorAPIView):
    @extend_schema(request=PiisInputSerializer, responses={201: PiisSerializer}, summary="Record the PIIS (a CPAS)")
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        plan = selectors.get_plan_for(actor=self.actor, public_id=public_id)
        values = validated(PiisInputSerializer, request.data)
        piis = services.record_piis(actor=self.actor, plan=plan, data=services.PiisInput(**values))
        return Response(PiisSerializer(piis).data, status=status.HTTP_201_CREATED)


class PiisReviewView(ActorAPIView):
    @extend_schema(
        request=PiisReviewInputSerializer,
        responses=PiisSerializer,
        summary="Record a review of the PIIS (the CPAS that signed it)",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        piis = selectors.get_piis_for(actor=self.actor, public_id=public_id)
        values = validated(PiisReviewInputSerializer, request.data)
        piis = services.review_piis(actor=self.actor, piis=piis, **values)
        return Response(PiisSerializer(piis).data)


class PlanReviewView(ActorAPIView):
    @extend_schema(request=ReviewInputSerializer, responses={201: ReviewSerializer}, summary="Record a plan review")
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        plan = selectors.get_plan_for(actor=self.actor, public_id=public_id)
        values = validated(ReviewInputSerializer, request.data)
        values["participants"] = services.participants_from(actor=self.actor, public_ids=values["participants"])
        review = services.hold_review(actor=self.actor, plan=plan, data=services.ReviewInput(**values))
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class ReviewDecisionView(ActorAPIView):
    @extend_schema(
        request=DecisionInputSerializer, responses={201: DecisionSerializer}, summary="Append a decision to a review"
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        review = selectors.get_review_for(actor=self.actor, public_id=public_id)
        values = validated(DecisionInputSerializer, request.data)
        decision = services.add_decision(actor=self.actor, review=review, text=values["text"])
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)
