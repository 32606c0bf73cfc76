"""The directory: organisations, offers, need domains, coverage, search; HSDS and CSV
import and export."""

from dataclasses import asdict

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from directory import policies, selectors, services
from directory.interop.csv import import_csv
from directory.interop.hsds import export_hsds, import_hsds
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
from maillage.uploads import size_refusal

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


# --- Interoperability: HSDS 3.0 and CSV ----------------------------------------------
# Open Referral HSDS 3.0 read endpoints, HSDS and CSV imports (coordinators).


DRY_RUN = OpenApiParameter("dry_run", OpenApiTypes.BOOL, description="Validate and report, store nothing")

# Tables that hang off a service in HSDS, and the key that links them.
_SERVICE_CHILDREN = {"languages": "service_id", "schedules": "service_id", "service_at_locations": "service_id"}


def _nested_service(document: dict, service: dict) -> dict:
    nested = dict(service)
    for table, key in _SERVICE_CHILDREN.items():
        nested[table] = [row for row in document.get(table, []) if row.get(key) == service["id"]]
    nested["attributes"] = [row for row in document.get("attributes", []) if row.get("link_id") == service["id"]]
    return nested


class ImportReportSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    dry_run = serializers.BooleanField()
    created = serializers.DictField(child=serializers.IntegerField())
    updated = serializers.DictField(child=serializers.IntegerField())
    errors = serializers.ListField(child=serializers.DictField())


def _report_response(report) -> Response:
    body = ImportReportSerializer(report).data
    if not report.ok:
        body = {"error": "invalid_import", "detail": "Nothing was stored: see the rows.", **body}
    return Response(body, status=200 if report.ok else 400)


def _dry_run(request) -> bool:
    return str(request.query_params.get("dry_run", "")).lower() in {"1", "true", "yes"}


class HsdsDocumentView(ActorAPIView):
    @extend_schema(responses=OpenApiTypes.OBJECT, summary="The whole directory as HSDS 3.0 tables")
    def get(self, request, *args, **kwargs):
        return Response(export_hsds(actor=self.actor))


class HsdsServiceListView(ActorAPIView):
    @extend_schema(responses=OpenApiTypes.OBJECT, summary="HSDS services, with their languages and schedules")
    def get(self, request, *args, **kwargs):
        document = export_hsds(actor=self.actor)
        return Response({"contents": [_nested_service(document, s) for s in document["services"]]})


class HsdsServiceDetailView(ActorAPIView):
    @extend_schema(responses=OpenApiTypes.OBJECT, summary="One HSDS service")
    def get(self, request, public_id, *args, **kwargs):
        document = export_hsds(actor=self.actor)
        for service in document["services"]:
            if service["id"] == str(public_id):
                return Response(_nested_service(document, service))
        raise NotFound()


class HsdsOrganizationListView(ActorAPIView):
    @extend_schema(responses=OpenApiTypes.OBJECT, summary="HSDS organizations")
    def get(self, request, *args, **kwargs):
        return Response({"contents": export_hsds(actor=self.actor)["organizations"]})


class HsdsImportView(ActorAPIView):
    parser_classes = [JSONParser]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        parameters=[DRY_RUN],
        responses={200: ImportReportSerializer, 400: ImportReportSerializer},
        summary="Import an HSDS 3.0 document (coordinators); all or nothing, idempotent",
    )
    def post(self, request, *args, **kwargs):
        if not policies.can_manage_organisations(self.actor):
            raise Forbidden()
        report = import_hsds(actor=self.actor, document=request.data, dry_run=_dry_run(request))
        return _report_response(report)


class CsvImportView(ActorAPIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={
            "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
        parameters=[DRY_RUN],
        responses={200: ImportReportSerializer, 400: ImportReportSerializer},
        summary="Import offers from CSV (coordinators); all or nothing, idempotent",
    )
    def post(self, request, *args, **kwargs):
        if not policies.can_manage_organisations(self.actor):
            raise Forbidden()
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": ["Attach the CSV file as 'file'."]})
        if size_refusal(upload):
            raise serializers.ValidationError({"file": [size_refusal(upload)]})
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise serializers.ValidationError({"file": ["The file must be UTF-8 text."]}) from None
        return _report_response(import_csv(actor=self.actor, text=text, dry_run=_dry_run(request)))
