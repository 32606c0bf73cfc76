"""Transfers of a file to another coordination when the family moves: where it may go
(coordinations and their member organisations, organisations only), starting one, the
receiving organisation's answer. A transfer carries ids and codes; the person's data shows
only in the file opened on acceptance."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from consent.models import DataCategory
from idempotency.decorators import idempotent
from maillage.api import ActorAPIView, validated
from maillage.errors import Forbidden, NotFound
from members.policies import can_read_personal_data
from persons import selectors as person_selectors
from transfers import selectors, services
from transfers.models import TransferState


class CoordinationSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField()


class OrganisationCardSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    kind = serializers.CharField()


class TransferSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    state = serializers.ChoiceField(TransferState.choices)
    origin = serializers.CharField(source="origin.slug", help_text="The coordination the family leaves.")
    origin_organisation = serializers.UUIDField()
    origin_organisation_name = serializers.CharField()
    destination = serializers.CharField(source="destination.slug", help_text="The coordination it moves to.")
    destination_organisation = serializers.UUIDField()
    destination_organisation_name = serializers.CharField()
    categories = serializers.ListField(
        child=serializers.ChoiceField(DataCategory.choices), help_text="What the consent lets cross."
    )
    parts = serializers.ListField(
        child=serializers.CharField(), help_text="Once accepted: the parts handed over (identity, situation, …)."
    )
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    arrived_person = serializers.SerializerMethodField(
        help_text="Once accepted, for the receiving organisation: the file opened on arrival."
    )

    def get_arrived_person(self, transfer) -> str | None:
        # An id of the receiving coordination: the origin has no use for it.
        here = self.context.get("coordination_id")
        if transfer.arrived_person and transfer.destination_id == here:
            return str(transfer.arrived_person)
        return None


class TransferInputSerializer(serializers.Serializer):
    coordination = serializers.CharField(max_length=40, help_text="The slug of the coordination the family moves to.")
    organisation = serializers.UUIDField(help_text="A member organisation of that coordination.")
    consent = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The consent naming that organisation (default: the latest in force that does).",
    )


class AcceptedSerializer(serializers.Serializer):
    transfer = TransferSerializer()
    person = serializers.UUIDField(help_text="The file opened in your organisation.")


def _body(view, transfer) -> dict:
    return TransferSerializer(transfer, context={"coordination_id": view.actor.coordination.pk}).data


class DestinationListView(ActorAPIView):
    @extend_schema(responses=CoordinationSerializer(many=True), summary="Coordinations a family may move to")
    def get(self, request, *args, **kwargs):
        if not can_read_personal_data(self.actor):
            raise Forbidden()
        return self.paginate(selectors.destinations(actor=self.actor), CoordinationSerializer)


class DestinationOrganisationsView(ActorAPIView):
    @extend_schema(
        responses=OrganisationCardSerializer(many=True),
        summary="Member organisations of another coordination (names and kinds only)",
    )
    def get(self, request, slug, *args, **kwargs):
        if not can_read_personal_data(self.actor):
            raise Forbidden()
        coordination = selectors.destination_by_slug(actor=self.actor, slug=slug)
        if coordination is None or not coordination.is_active or coordination.pk == self.actor.coordination.pk:
            raise NotFound()
        cards = selectors.receiving_organisations(actor=self.actor, coordination=coordination)
        return Response(OrganisationCardSerializer(cards, many=True).data)


class PersonTransfersView(ActorAPIView):
    @extend_schema(responses=TransferSerializer(many=True), summary="Transfers your organisation started for a file")
    def get(self, request, public_id, *args, **kwargs):
        person = person_selectors.get_person_for(actor=self.actor, public_id=public_id)
        page = self.page_of(selectors.transfers_of_person(actor=self.actor, person=person))
        return self.paginated_response([_body(self, t) for t in page])

    @extend_schema(
        request=TransferInputSerializer,
        responses={201: TransferSerializer},
        summary="Ask an organisation of another coordination to take over the file (the family moves)",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        person = person_selectors.get_person_for(actor=self.actor, public_id=public_id)
        values = validated(TransferInputSerializer, request.data)
        transfer = services.start_transfer(
            actor=self.actor,
            person=person,
            coordination_slug=values["coordination"],
            organisation_public_id=values["organisation"],
            consent_public_id=values["consent"],
        )
        return Response(_body(self, transfer), status=status.HTTP_201_CREATED)


class TransferListView(ActorAPIView):
    @extend_schema(
        responses=TransferSerializer(many=True), summary="Transfers to and from your organisation, waiting ones first"
    )
    def get(self, request, *args, **kwargs):
        if not can_read_personal_data(self.actor):
            raise Forbidden()
        page = self.page_of(selectors.transfers_visible_to(actor=self.actor).order_by("-state", "-created_at", "-pk"))
        return self.paginated_response([_body(self, t) for t in page])


class TransferDetailView(ActorAPIView):
    @extend_schema(responses=TransferSerializer, summary="One transfer (either side)")
    def get(self, request, public_id, *args, **kwargs):
        return Response(_body(self, selectors.get_transfer_for(actor=self.actor, public_id=public_id)))


class TransferAcceptView(ActorAPIView):
    @extend_schema(
        request=None,
        responses={201: AcceptedSerializer},
        summary="Accept a family's file: it opens in your organisation (once; a second acceptance answers 409)",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        transfer = selectors.get_transfer_for(actor=self.actor, public_id=public_id)
        person = services.accept_transfer(actor=self.actor, transfer=transfer)
        transfer = selectors.get_transfer_for(actor=self.actor, public_id=public_id)
        return Response(
            {"transfer": _body(self, transfer), "person": str(person.public_id)}, status=status.HTTP_201_CREATED
        )


class TransferDeclineView(ActorAPIView):
    @extend_schema(request=None, responses=TransferSerializer, summary="Decline a family's file: nothing crosses")
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        transfer = selectors.get_transfer_for(actor=self.actor, public_id=public_id)
        return Response(_body(self, services.decline_transfer(actor=self.actor, transfer=transfer)))
