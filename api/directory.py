"""The directory: organisations, offers, need domains, coverage, search."""

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from directory import policies, selectors, services
from directory.models import (
    Access,
    CapacityStatus,
    Cost,
    Offer,
    OrganisationKind,
    ResidenceStatus,
)
from maillage.api import ActorAPIView, body_object, referenced, validated
from maillage.errors import Forbidden
from maillage.languages import is_known_language

# --- Organisations -------------------------------------------------------------------


class OrganisationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    enterprise_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    is_member = serializers.BooleanField(required=False, default=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    street = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=4, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    website = serializers.URLField(required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    staff_languages = serializers.ListField(child=serializers.CharField(max_length=8), required=False, default=list)


def _organisation_input(data: dict) -> services.OrganisationInput:
    return services.OrganisationInput(**data)


class OrganisationListView(ActorAPIView):
    @extend_schema(responses=OrganisationSerializer(many=True), summary="Organisations of the coordination")
    def get(self, request, *args, **kwargs):
        return self.paginate(selectors.organisations(actor=self.actor), OrganisationSerializer)

    @extend_schema(
        request=OrganisationSerializer,
        responses={201: OrganisationSerializer},
        summary="Add an organisation (coordinators)",
    )
    def post(self, request, *args, **kwargs):
        values = validated(OrganisationSerializer, request.data)
        organisation = services.create_organisation(actor=self.actor, data=_organisation_input(values))
        return Response(OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)


class OrganisationDetailView(ActorAPIView):
    @extend_schema(responses=OrganisationSerializer, summary="One organisation")
    def get(self, request, public_id, *args, **kwargs):
        return Response(OrganisationSerializer(selectors.get_organisation(actor=self.actor, public_id=public_id)).data)

    @extend_schema(
        request=OrganisationSerializer,
        responses=OrganisationSerializer,
        summary="Change an organisation (its members, coordinators)",
    )
    def patch(self, request, public_id, *args, **kwargs):
        organisation = selectors.get_organisation(actor=self.actor, public_id=public_id)
        current = asdict(services.OrganisationInput.of(organisation))
        values = validated(OrganisationSerializer, {**current, **body_object(request)})
        organisation = services.update_organisation(
            actor=self.actor, organisation=organisation, data=_organisation_input(values)
        )
        return Response(OrganisationSerializer(organisation).data)


# --- Offers --------------------------------------------------------------------------


class SlotSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=1, max_value=7)
    opens_at = serializers.TimeField(format="%H:%M")
    closes_at = serializers.TimeField(format="%H:%M")


class PlaceSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    street = serializers.CharField(max_length=200)
    postcode = serializers.CharField(max_length=4)
    city = serializers.CharField(max_length=100)


class OfferInputSerializer(serializers.Serializer):
    organisation = serializers.UUIDField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    primary_domain = serializers.CharField(max_length=40)
    secondary_domains = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list)
    target_statuses = serializers.ListField(
        child=serializers.ChoiceField(choices=ResidenceStatus.choices), required=False, default=list
    )
    age_min = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True, default=None)
    age_max = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True, default=None)
    eligibility = serializers.CharField(required=False, allow_blank=True, default="")
    languages = serializers.ListField(child=serializers.CharField(max_length=8), required=False, default=list)
    interpretation_available = serializers.BooleanField(required=False, default=False)
    places = PlaceSerializer(many=True, required=False, default=list)
    is_online = serializers.BooleanField(required=False, default=False)
    online_url = serializers.URLField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    opening_hours = SlotSerializer(many=True, required=False, default=list)
    schedule_notes = serializers.CharField(required=False, allow_blank=True, default="")
    capacity_status = serializers.ChoiceField(choices=CapacityStatus.choices, required=False, default="open")
    waiting_weeks = serializers.IntegerField(min_value=0, max_value=104, required=False, allow_null=True, default=None)
    cost = serializers.ChoiceField(choices=Cost.choices, required=False, default="free")
    cost_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    access = serializers.ChoiceField(choices=Access.choices, required=False, default="appointment")
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)


class OfferSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organisation = serializers.UUIDField(source="organisation.public_id")
    organisation_name = serializers.CharField(source="organisation.name")
    organisation_kind = serializers.CharField(source="organisation.kind")
    title = serializers.CharField()
    description = serializers.CharField()
    primary_domain = serializers.CharField(source="primary_domain.code")
    secondary_domains = serializers.SerializerMethodField()
    target_statuses = serializers.ListField(child=serializers.CharField())
    age_min = serializers.IntegerField(allow_null=True)
    age_max = serializers.IntegerField(allow_null=True)
    eligibility = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField())
    interpretation_available = serializers.BooleanField()
    places = PlaceSerializer(source="locations", many=True)
    is_online = serializers.BooleanField()
    online_url = serializers.CharField()
    phone = serializers.CharField()
    opening_hours = SlotSerializer(many=True)
    schedule_notes = serializers.CharField()
    capacity_status = serializers.CharField()
    waiting_weeks = serializers.IntegerField(allow_null=True)
    cost = serializers.CharField()
    cost_note = serializers.CharField()
    access = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    last_verified_at = serializers.DateTimeField()
    freshness = serializers.SerializerMethodField()

    def get_secondary_domains(self, offer) -> list[str]:
        return sorted(d.code for d in offer.secondary_domains.all())

    def get_freshness(self, offer) -> str:
        return selectors.freshness(offer)


def offer_input(data: dict) -> services.OfferInput:
    values = {k: v for k, v in data.items() if k != "organisation"}
    values["places"] = [
        services.PlaceInput(street=p["street"], postcode=p["postcode"], city=p["city"], name=p.get("name", ""))
        for p in data.get("places", [])
    ]
    values["opening_hours"] = [
        services.Slot(weekday=s["weekday"], opens_at=s["opens_at"], closes_at=s["closes_at"])
        for s in data.get("opening_hours", [])
    ]
    return services.OfferInput(**values)


def offer_as_input(offer: Offer) -> dict:
    """The offer's current values in the input shape (for partial updates)."""
    data = OfferSerializer(offer).data
    keep = set(OfferInputSerializer().fields)
    values = {k: v for k, v in data.items() if k in keep}
    values["places"] = [{k: p[k] for k in ("name", "street", "postcode", "city")} for p in data["places"]]
    return values


class SearchParams(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    domain = serializers.CharField(required=False, allow_blank=True, default="")
    language = serializers.CharField(required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=ResidenceStatus.choices, required=False, allow_blank=True, default="")
    open_now = serializers.BooleanField(required=False, default=False)
    no_appointment = serializers.BooleanField(required=False, default=False)
    capacity = serializers.ChoiceField(choices=CapacityStatus.choices, required=False, allow_blank=True, default="")
    organisation_kind = serializers.ChoiceField(
        choices=OrganisationKind.choices, required=False, allow_blank=True, default=""
    )
    organisation = serializers.UUIDField(required=False, allow_null=True, default=None)
    include_ended = serializers.BooleanField(required=False, default=False)

    def validate_domain(self, value):
        if value and not selectors.need_domains(actor=self.context["actor"]).filter(code=value).exists():
            raise serializers.ValidationError("Unknown need domain.")
        return value

    def validate_language(self, value):
        if value and not is_known_language(value):
            raise serializers.ValidationError("Unknown language code.")
        return value


def filters_from(params: dict) -> selectors.OfferFilters:
    data = dict(params)
    data["query"] = data.pop("q")
    return selectors.OfferFilters(**data)


class OfferListView(ActorAPIView):
    @extend_schema(
        parameters=[SearchParams],
        responses=OfferSerializer(many=True),
        summary="Search offers (full text in French and Dutch, filters, best match first)",
    )
    def get(self, request, *args, **kwargs):
        params = validated(SearchParams, request.query_params, context={"actor": self.actor})
        offers = selectors.search_offers(actor=self.actor, filters=filters_from(params))
        return self.paginate(offers, OfferSerializer)

    @extend_schema(
        request=OfferInputSerializer, responses={201: OfferSerializer}, summary="Post an offer for your organisation"
    )
    def post(self, request, *args, **kwargs):
        values = validated(OfferInputSerializer, request.data)
        organisation = referenced(
            selectors.get_organisation, values, "organisation", actor=self.actor, message="Unknown organisation."
        )
        offer = services.create_offer(actor=self.actor, organisation=organisation, data=offer_input(values))
        offer = selectors.get_offer(actor=self.actor, public_id=offer.public_id)
        return Response(OfferSerializer(offer).data, status=status.HTTP_201_CREATED)


class OfferDetailView(ActorAPIView):
    @extend_schema(responses=OfferSerializer, summary="One offer")
    def get(self, request, public_id, *args, **kwargs):
        return Response(OfferSerializer(selectors.get_offer(actor=self.actor, public_id=public_id)).data)

    def _update(self, request, public_id, partial: bool):
        offer = selectors.get_offer(actor=self.actor, public_id=public_id)
        if not policies.can_edit_offers_of(self.actor, offer.organisation):
            raise Forbidden()
        base = offer_as_input(offer) if partial else {}
        values = validated(
            OfferInputSerializer, {**base, **body_object(request), "organisation": str(offer.organisation.public_id)}
        )
        services.update_offer(actor=self.actor, offer=offer, data=offer_input(values))
        return Response(OfferSerializer(selectors.get_offer(actor=self.actor, public_id=public_id)).data)

    @extend_schema(request=OfferInputSerializer, responses=OfferSerializer, summary="Replace an offer")
    def put(self, request, public_id, *args, **kwargs):
        return self._update(request, public_id, partial=False)

    @extend_schema(request=OfferInputSerializer, responses=OfferSerializer, summary="Change some fields of an offer")
    def patch(self, request, public_id, *args, **kwargs):
        return self._update(request, public_id, partial=True)


class OfferVerifyView(ActorAPIView):
    @extend_schema(request=None, responses=OfferSerializer, summary="Confirm the offer is still accurate")
    def post(self, request, public_id, *args, **kwargs):
        offer = selectors.get_offer(actor=self.actor, public_id=public_id)
        services.confirm_offer_accurate(actor=self.actor, offer=offer)
        return Response(OfferSerializer(selectors.get_offer(actor=self.actor, public_id=public_id)).data)


# --- Taxonomy and coverage -----------------------------------------------------------


class NeedDomainSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    label_fr = serializers.CharField(max_length=120)
    label_nl = serializers.CharField(max_length=120)
    label_en = serializers.CharField(max_length=120)
    is_local = serializers.BooleanField(read_only=True)


class NeedDomainListView(ActorAPIView):
    pagination_class = None

    @extend_schema(responses=NeedDomainSerializer(many=True), summary="The need-domain taxonomy")
    def get(self, request, *args, **kwargs):
        return Response(NeedDomainSerializer(selectors.need_domains(actor=self.actor), many=True).data)

    @extend_schema(
        request=NeedDomainSerializer, responses={201: NeedDomainSerializer}, summary="Add a local term (coordinators)"
    )
    def post(self, request, *args, **kwargs):
        values = validated(NeedDomainSerializer, request.data)
        domain = services.add_need_domain(actor=self.actor, **values)
        return Response(NeedDomainSerializer(domain).data, status=status.HTTP_201_CREATED)


class CoverageRowSerializer(serializers.Serializer):
    domain = serializers.CharField(source="domain.code")
    open_offers = serializers.IntegerField()
    languages = serializers.ListField(child=serializers.CharField())
    is_gap = serializers.BooleanField()
    is_priority = serializers.BooleanField()


class CoverageView(ActorAPIView):
    @extend_schema(responses=CoverageRowSerializer(many=True), summary="Need domains × open offers (coordinators)")
    def get(self, request, *args, **kwargs):
        if not policies.can_see_coverage(self.actor):
            raise Forbidden()
        return Response(CoverageRowSerializer(selectors.coverage(actor=self.actor), many=True).data)
