"""Meetings, follow-up actions and the local action plan of the coordination.

Every member reads them; coordinators write them; an action's owner organisation marks
it done or dropped. They hold no personal data about followed persons.
"""

from dataclasses import replace

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from idempotency.decorators import idempotent
from maillage.api import ActorAPIView, validated
from meetings import selectors, services
from meetings.models import ActionStatus, AttendanceStatus, ObjectiveStatus

# --- Actions -------------------------------------------------------------------------


class ActionSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    what = serializers.CharField()
    owner = serializers.UUIDField(source="owner.public_id")
    owner_name = serializers.CharField(source="owner.name")
    due_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    overdue = serializers.BooleanField(source="is_overdue")
    meeting = serializers.SerializerMethodField()
    objective = serializers.SerializerMethodField()
    status_changed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_meeting(self, action) -> str | None:
        return str(action.meeting.public_id) if action.meeting_id else None

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_objective(self, action) -> str | None:
        return str(action.objective.public_id) if action.objective_id else None


class ActionInputSerializer(serializers.Serializer):
    what = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    owner = serializers.UUIDField(required=False, allow_null=True, default=None, help_text="A member organisation")
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False, default=ActionStatus.OPEN)
    meeting = serializers.UUIDField(required=False, allow_null=True, default=None)
    objective = serializers.UUIDField(required=False, allow_null=True, default=None)


class ActionStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices)


class ActionFilterParams(serializers.Serializer):
    status = serializers.ChoiceField(ActionStatus.choices, required=False, allow_blank=True, default="")
    overdue = serializers.BooleanField(required=False, default=False, help_text="Open and past their due date")
    owner = serializers.UUIDField(required=False, allow_null=True, default=None)
    meeting = serializers.UUIDField(required=False, allow_null=True, default=None)
    mine = serializers.BooleanField(required=False, default=False, help_text="Owned by my organisation")


class ActionListView(ActorAPIView):
    @extend_schema(parameters=[ActionFilterParams], responses=ActionSerializer(many=True), summary="Follow-up actions")
    def get(self, request, *args, **kwargs):
        params = validated(ActionFilterParams, request.query_params)
        return self.paginate(selectors.actions(actor=self.actor, **params), ActionSerializer)

    @extend_schema(
        request=ActionInputSerializer,
        responses={201: ActionSerializer},
        summary="Record a follow-up action (coordinators)",
    )
    @idempotent
    def post(self, request, *args, **kwargs):
        values = validated(ActionInputSerializer, request.data)
        action = services.create_action(actor=self.actor, data=services.ActionInput(**values))
        action = selectors.get_action(actor=self.actor, public_id=action.public_id)
        return Response(ActionSerializer(action).data, status=status.HTTP_201_CREATED)


class ActionDetailView(ActorAPIView):
    @extend_schema(responses=ActionSerializer, summary="One follow-up action")
    def get(self, request, public_id, *args, **kwargs):
        return Response(ActionSerializer(selectors.get_action(actor=self.actor, public_id=public_id)).data)

    @extend_schema(request=ActionInputSerializer, responses=ActionSerializer, summary="Change an action (coordinators)")
    def patch(self, request, public_id, *args, **kwargs):
        action = selectors.get_action(actor=self.actor, public_id=public_id)
        changes = validated(ActionInputSerializer, request.data, partial=True)
        values = replace(services.ActionInput.of(action), **changes)
        services.update_action(actor=self.actor, action=action, data=values)
        return Response(ActionSerializer(selectors.get_action(actor=self.actor, public_id=public_id)).data)


class ActionStatusView(ActorAPIView):
    @extend_schema(
        request=ActionStatusInputSerializer,
        responses=ActionSerializer,
        summary="Mark an action done or dropped (its owner organisation, coordinators)",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        action = selectors.get_action(actor=self.actor, public_id=public_id)
        new_status = validated(ActionStatusInputSerializer, request.data)["status"]
        services.set_action_status(actor=self.actor, action=action, status=new_status)
        return Response(ActionSerializer(selectors.get_action(actor=self.actor, public_id=public_id)).data)


# --- Meetings ------------------------------------------------------------------------


class AttendanceSerializer(serializers.Serializer):
    organisation = serializers.UUIDField(source="organisation.public_id")
    organisation_name = serializers.CharField(source="organisation.name")
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)


class AttendanceInputSerializer(serializers.Serializer):
    organisation = serializers.UUIDField()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)


class MeetingSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField()
    video_url = serializers.CharField()
    agenda = serializers.SerializerMethodField()
    has_minutes = serializers.SerializerMethodField()
    cancelled = serializers.BooleanField(source="is_cancelled")
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancellation_reason = serializers.CharField(help_text="Empty unless the meeting was cancelled")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_agenda(self, meeting) -> list[str]:
        return [item.title for item in meeting.agenda_items.all()]

    def get_has_minutes(self, meeting) -> bool:
        return bool(meeting.minutes)


class MeetingDetailSerializer(MeetingSerializer):
    minutes = serializers.CharField()
    decisions = serializers.SerializerMethodField()
    attendance = AttendanceSerializer(source="attendances", many=True)
    actions = ActionSerializer(many=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_decisions(self, meeting) -> list[str]:
        return [d.text for d in meeting.decisions.all()]


class MeetingInputSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    starts_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    ends_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Empty: two hours after the start"
    )
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    video_url = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    agenda = serializers.ListField(child=serializers.CharField(max_length=300), required=False, default=list)
    minutes = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required once the meeting has taken place. No personal data about followed persons.",
    )
    decisions = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    attendance = AttendanceInputSerializer(many=True, required=False, default=list)


def _meeting_input(validated: dict, base: services.MeetingInput | None = None) -> services.MeetingInput:
    data = base or services.MeetingInput()
    for name, value in validated.items():
        if name == "attendance":
            value = {row["organisation"]: row["status"] for row in value}
        setattr(data, name, value)
    return data


class MeetingListView(ActorAPIView):
    @extend_schema(responses=MeetingSerializer(many=True), summary="Meetings, latest first")
    def get(self, request, *args, **kwargs):
        return self.paginate(selectors.meetings(actor=self.actor), MeetingSerializer)

    @extend_schema(
        request=MeetingInputSerializer,
        responses={201: MeetingDetailSerializer},
        summary="Plan or record a meeting (coordinators)",
    )
    @idempotent
    def post(self, request, *args, **kwargs):
        values = validated(MeetingInputSerializer, request.data)
        meeting = services.create_meeting(actor=self.actor, data=_meeting_input(values))
        meeting = selectors.get_meeting(actor=self.actor, public_id=meeting.public_id)
        return Response(MeetingDetailSerializer(meeting).data, status=status.HTTP_201_CREATED)


class MeetingDetailView(ActorAPIView):
    @extend_schema(responses=MeetingDetailSerializer, summary="One meeting: agenda, attendance, minutes, actions")
    def get(self, request, public_id, *args, **kwargs):
        return Response(MeetingDetailSerializer(selectors.get_meeting(actor=self.actor, public_id=public_id)).data)

    @extend_schema(
        request=MeetingInputSerializer,
        responses=MeetingDetailSerializer,
        summary="Change a meeting, record attendance, minutes and decisions (coordinators)",
    )
    def patch(self, request, public_id, *args, **kwargs):
        meeting = selectors.get_meeting(actor=self.actor, public_id=public_id)
        changes = validated(MeetingInputSerializer, request.data, partial=True)
        services.update_meeting(
            actor=self.actor, meeting=meeting, data=_meeting_input(changes, services.MeetingInput.of(meeting))
        )
        return Response(MeetingDetailSerializer(selectors.get_meeting(actor=self.actor, public_id=public_id)).data)


class MeetingCancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required; members receive it. Name no person."
    )


class MeetingCancelView(ActorAPIView):
    @extend_schema(
        request=MeetingCancelInputSerializer,
        responses=MeetingDetailSerializer,
        summary="Cancel a meeting still to come, with its reason (coordinators)",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        meeting = selectors.get_meeting(actor=self.actor, public_id=public_id)
        reason = validated(MeetingCancelInputSerializer, request.data)["reason"]
        services.cancel_meeting(actor=self.actor, meeting=meeting, reason=reason)
        return Response(MeetingDetailSerializer(selectors.get_meeting(actor=self.actor, public_id=public_id)).data)


# --- The local action plan -----------------------------------------------------------


class FiguresSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="Latest month computed; empty when no figure yet")
    open_offers = serializers.CharField(help_text='Open offers in the need domain ("<5" when small)')
    referrals_in_domain = serializers.CharField(
        help_text='Referrals sent in the need domain that month ("<5" when small)'
    )
    referrals_sent = serializers.CharField(help_text="Referrals sent in the coordination that month")


class ObjectiveSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    need_domain = serializers.CharField(source="need_domain.code")
    need_domain_label = serializers.SerializerMethodField()
    title = serializers.CharField()
    description = serializers.CharField()
    status = serializers.ChoiceField(choices=ObjectiveStatus.choices)
    actions = ActionSerializer(many=True)
    figures = serializers.SerializerMethodField()

    def get_need_domain_label(self, objective) -> str:
        return objective.need_domain.label()

    @extend_schema_field(FiguresSerializer)
    def get_figures(self, objective) -> dict:
        figures = self.context["figures"]
        return {
            "period": figures.period,
            "open_offers": figures.open_offers_in(objective.need_domain.code),
            "referrals_in_domain": figures.referrals_in(objective.need_domain.code),
            "referrals_sent": figures.referrals_sent,
        }


class ObjectiveInputSerializer(serializers.Serializer):
    need_domain = serializers.CharField(required=False, allow_blank=True, default="", help_text="Need domain code")
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=ObjectiveStatus.choices, required=False, default=ObjectiveStatus.PLANNED)


def _objective_data(view, objective_or_list, many=False):
    figures = selectors.plan_figures(view.actor.coordination)
    return ObjectiveSerializer(objective_or_list, many=many, context={"figures": figures}).data


class ObjectiveListView(ActorAPIView):
    @extend_schema(
        responses=ObjectiveSerializer(many=True), summary="The local action plan: objectives, actions, figures"
    )
    def get(self, request, *args, **kwargs):
        page = self.page_of(selectors.objectives(actor=self.actor))
        return self.paginated_response(_objective_data(self, page, many=True))

    @extend_schema(
        request=ObjectiveInputSerializer,
        responses={201: ObjectiveSerializer},
        summary="Add an objective to the plan (coordinators)",
    )
    @idempotent
    def post(self, request, *args, **kwargs):
        values = validated(ObjectiveInputSerializer, request.data)
        objective = services.create_objective(actor=self.actor, data=services.ObjectiveInput(**values))
        objective = selectors.get_objective(actor=self.actor, public_id=objective.public_id)
        return Response(_objective_data(self, objective), status=status.HTTP_201_CREATED)


class ObjectiveDetailView(ActorAPIView):
    @extend_schema(responses=ObjectiveSerializer, summary="One objective of the plan")
    def get(self, request, public_id, *args, **kwargs):
        return Response(_objective_data(self, selectors.get_objective(actor=self.actor, public_id=public_id)))

    @extend_schema(
        request=ObjectiveInputSerializer, responses=ObjectiveSerializer, summary="Change an objective (coordinators)"
    )
    def patch(self, request, public_id, *args, **kwargs):
        objective = selectors.get_objective(actor=self.actor, public_id=public_id)
        changes = validated(ObjectiveInputSerializer, request.data, partial=True)
        values = replace(services.ObjectiveInput.of(objective), **changes)
        services.update_objective(actor=self.actor, objective=objective, data=values)
        return Response(_objective_data(self, selectors.get_objective(actor=self.actor, public_id=public_id)))
