"""The directory: organisations, offers, need domains, coverage, search; HSDS and CSV
import and export."""

from dataclasses import asdict
from types import SimpleNamespace

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from directory import policies, search, selectors, services
from directory.interop import harvesting, hsds_api, hsds_objects
from directory.interop.csv import import_csv
from directory.interop.hsds import export_hsds, import_hsds
from directory.models import (
    TEXT_LANGUAGES,
    Access,
    CapacityStatus,
    Cost,
    Offer,
    OrganisationKind,
    ResidenceStatus,
)
from idempotency.decorators import idempotent
from maillage.api import ActorAPIView, body_object, referenced, validated
from maillage.errors import Forbidden
from maillage.languages import is_known_language
from maillage.uploads import size_refusal

# --- Organisations -------------------------------------------------------------------


class OrganisationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(max_length=200)
    name_nl = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="The official Dutch name, where the organisation has one (Brussels).",
    )
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
    @idempotent
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


@extend_schema_field({"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2})?$", "example": "09:30"})
class HourMinuteField(serializers.TimeField):
    """A time of day answered as HH:MM (not the schema's time format, which has seconds)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class SlotSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=1, max_value=7)
    opens_at = HourMinuteField()
    closes_at = HourMinuteField()


class PlaceSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    street = serializers.CharField(max_length=200)
    postcode = serializers.CharField(max_length=4)
    city = serializers.CharField(max_length=100)


class OfferInputSerializer(serializers.Serializer):
    organisation = serializers.UUIDField()
    title = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="The French title. At least one of title, title_nl and title_en.",
    )
    description = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="The French description."
    )
    title_nl = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description_nl = serializers.CharField(required=False, allow_blank=True, default="")
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description_en = serializers.CharField(required=False, allow_blank=True, default="")
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
    confirm_ended = serializers.BooleanField(
        required=False,
        default=False,
        help_text="True to save an end date already past (the offer leaves the directory); "
        "without it, such a date is a 400 on confirm_ended.",
    )


class ShownSerializer(serializers.Serializer):
    """The offer's text as a reader in the request's language (Accept-Language) sees it:
    their language when the offer has it, else the first of French, Dutch, English."""

    title = serializers.CharField()
    language = serializers.ChoiceField(TEXT_LANGUAGES)
    fell_back = serializers.BooleanField(help_text="True when the title is not in the reader's language.")
    description = serializers.CharField()
    description_language = serializers.ChoiceField(TEXT_LANGUAGES)


class OfferSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organisation = serializers.UUIDField(source="organisation.public_id")
    organisation_name = serializers.CharField(source="organisation.name")
    organisation_kind = serializers.ChoiceField(OrganisationKind.choices, source="organisation.kind")
    title = serializers.CharField(help_text="The first title given, in French, Dutch or English order.")
    description = serializers.CharField(help_text="The first description given, in the same order.")
    title_fr = serializers.CharField()
    title_nl = serializers.CharField()
    title_en = serializers.CharField()
    description_fr = serializers.CharField()
    description_nl = serializers.CharField()
    description_en = serializers.CharField()
    shown = serializers.SerializerMethodField()
    primary_domain = serializers.CharField(source="primary_domain.code")
    secondary_domains = serializers.SerializerMethodField()
    target_statuses = serializers.ListField(child=serializers.ChoiceField(ResidenceStatus.choices))
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
    capacity_status = serializers.ChoiceField(CapacityStatus.choices)
    waiting_weeks = serializers.IntegerField(allow_null=True)
    cost = serializers.ChoiceField(Cost.choices)
    cost_note = serializers.CharField()
    access = serializers.ChoiceField(Access.choices)
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    last_verified_at = serializers.DateTimeField()
    freshness = serializers.SerializerMethodField()

    def get_secondary_domains(self, offer) -> list[str]:
        return sorted(d.code for d in offer.secondary_domains.all())

    @extend_schema_field(ShownSerializer)
    def get_shown(self, offer) -> dict:
        title, description = offer.shown_title(), offer.shown_description()
        return {
            "title": title.text,
            "language": title.language,
            "fell_back": title.fell_back,
            "description": description.text,
            "description_language": description.language,
        }

    @extend_schema_field(
        serializers.ChoiceField(
            ["ok", "remind", "to_verify"], help_text="Unverified for 90 days: remind; for 180 days: to_verify."
        )
    )
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
    # The input's title and description are the French version (the output's are the first given).
    values["title"], values["description"] = data["title_fr"], data["description_fr"]
    return values


class SearchParams(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="", max_length=search.MAX_QUERY_LENGTH)
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
        summary="Search offers (as the directory page: prefixes, stems, misspellings, the thesaurus; best first)",
    )
    def get(self, request, *args, **kwargs):
        params = validated(SearchParams, request.query_params, context={"actor": self.actor})
        offers = selectors.search_offers(actor=self.actor, filters=filters_from(params))
        return self.paginate(offers, OfferSerializer)

    @extend_schema(
        request=OfferInputSerializer, responses={201: OfferSerializer}, summary="Post an offer for your organisation"
    )
    @idempotent
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
    @idempotent
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
    @extend_schema(responses=NeedDomainSerializer(many=True), summary="The need-domain taxonomy")
    def get(self, request, *args, **kwargs):
        return self.paginate(selectors.need_domains(actor=self.actor), NeedDomainSerializer)

    @extend_schema(
        request=NeedDomainSerializer, responses={201: NeedDomainSerializer}, summary="Add a local term (coordinators)"
    )
    @idempotent
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
        return self.paginate(selectors.coverage(actor=self.actor), CoverageRowSerializer)


# --- Interoperability: HSDS 3.0 and CSV ----------------------------------------------
# Open Referral HSDS 3.0 read endpoints, HSDS and CSV imports (coordinators).


DRY_RUN = OpenApiParameter("dry_run", OpenApiTypes.BOOL, description="Validate and report, store nothing")


class ImportReportSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    dry_run = serializers.BooleanField()
    created = serializers.DictField(child=serializers.IntegerField())
    updated = serializers.DictField(child=serializers.IntegerField())
    errors = serializers.ListField(child=serializers.DictField())
    unmapped = serializers.ListField(child=serializers.DictField())


def _report_response(report) -> Response:
    body = ImportReportSerializer(report).data
    if not report.ok:
        body = {"error": "invalid_import", "detail": "Nothing was stored: see the rows.", **body}
    return Response(body, status=200 if report.ok else 400)


def _dry_run(request) -> bool:
    return str(request.query_params.get("dry_run", "")).lower() in {"1", "true", "yes"}


# The HSDS API. Lists answer the standard's Page object; objects leave absent values
# out. Maillage stores no coordinates, so `proximity` is refused (400) rather than ignored.

PROFILE = {
    "name": "Maillage (Belgium)",
    "hsds_version": hsds_objects.HSDS_VERSION,
    "organization_identifier_scheme": hsds_objects.BCE_SCHEME,
    "address": "state_province and region hold ISO 3166-2:BE codes derived from the postcode",
    "taxonomies": {
        hsds_objects.DOMAINS_TAXONOMY: "Need domains; a service's attributes label one 'primary', others 'secondary'",
        hsds_objects.FACTS_TAXONOMY: "Fields HSDS has no place for; the attribute's value holds the field's value",
    },
    "facts": {
        "target_statuses": "JSON list of the statuses of the public: " + ", ".join(ResidenceStatus.values),
        "access": "one of: " + ", ".join(Access.values),
        "capacity_status": "one of: " + ", ".join(CapacityStatus.values),
        "cost": "one of: " + ", ".join(Cost.values),
        "kind": "kind of organisation, one of: " + ", ".join(OrganisationKind.values),
    },
    "languages": "A service's name and description are its first version in French, Dutch, English order; "
    "each version travels as a maillage-facts attribute (title_fr, title_nl, title_en, description_fr, "
    "description_nl, description_en), written when not blank, and an organisation's Dutch name as name_nl; "
    "need-domain terms carry x_label_nl and x_label_en beside their French name",
}


class _HsdsNegotiation(DefaultContentNegotiation):
    # HSDS's own `format` parameter (json or ndjson) is not DRF's renderer override: it is
    # read, and refused when not json, by the views' parameters.
    settings = SimpleNamespace(URL_FORMAT_OVERRIDE=None)


class HsdsAPIView(ActorAPIView):
    content_negotiation_class = _HsdsNegotiation
    # The HSDS read routes: what a harvesting token may read (tenants.authentication.SCOPE_RULES).
    harvestable = True


class HsdsPageParams(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, max_value=100_000, required=False, default=1)
    per_page = serializers.IntegerField(min_value=1, max_value=200, required=False, default=50)
    format = serializers.ChoiceField(choices=["json"], required=False, default="json")


class HsdsSearchParams(HsdsPageParams):
    search = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class HsdsServiceParams(HsdsSearchParams):
    taxonomy_term_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    taxonomy_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    organization_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    modified_after = serializers.DateTimeField(required=False, allow_null=True, default=None)
    full = serializers.BooleanField(required=False, default=False)


class HsdsServiceListParams(HsdsServiceParams):
    minimal = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        if attrs["minimal"] and attrs["full"]:
            raise serializers.ValidationError({"minimal": ["Ask for minimal or full services, not both."]})
        return attrs


class HsdsServiceAtLocationParams(HsdsServiceParams):
    postcode = serializers.RegexField(r"^\d{4}$", required=False, allow_blank=True, default="")
    proximity = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_proximity(self, value):
        if value:
            raise serializers.ValidationError("Maillage stores no coordinates: filter by postcode instead.")
        return value


class HsdsOrganizationParams(HsdsSearchParams):
    full = serializers.BooleanField(required=False, default=False)
    full_service = serializers.BooleanField(required=False, default=False)


class HsdsOrganizationDetailParams(serializers.Serializer):
    full_service = serializers.BooleanField(required=False, default=False)


class HsdsTaxonomyTermParams(HsdsSearchParams):
    taxonomy_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    parent_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    top_only = serializers.BooleanField(required=False, default=False)


class HsdsPageSerializer(serializers.Serializer):
    total_items = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    page_number = serializers.IntegerField()
    size = serializers.IntegerField()
    first_page = serializers.BooleanField()
    last_page = serializers.BooleanField()
    empty = serializers.BooleanField()
    contents = serializers.ListField(child=serializers.DictField())


class HsdsRootSerializer(serializers.Serializer):
    version = serializers.CharField()
    profile = serializers.URLField()
    openapi_url = serializers.URLField()


def hsds_page(items, params: dict, documents) -> Response:
    """The HSDS Page object: the requested page of `items` (a queryset or a list), turned
    into documents all at once (`documents(rows)`, so that a page costs a fixed number of
    queries)."""
    page, per_page = params["page"], params["per_page"]
    total = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    rows = documents(list(items[(page - 1) * per_page : page * per_page]))
    total_pages = -(-total // per_page)
    return Response(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page,
            "size": len(rows),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": not rows,
            "contents": rows,
        }
    )


def _service_query(params: dict) -> hsds_api.ServiceQuery:
    return hsds_api.ServiceQuery(
        search=params["search"],
        taxonomy_term_id=params["taxonomy_term_id"],
        taxonomy_id=params["taxonomy_id"],
        organization_id=params["organization_id"],
        modified_after=params["modified_after"],
    )


class HsdsRootView(HsdsAPIView):
    @extend_schema(
        operation_id="hsds_root", responses=HsdsRootSerializer, summary="HSDS: version and profile of this API"
    )
    def get(self, request, *args, **kwargs):
        return Response(
            {
                "version": hsds_objects.HSDS_VERSION,
                # Relative to this route, /c/<slug>/api/v1/hsds/.
                "profile": request.build_absolute_uri("profile/"),
                "openapi_url": request.build_absolute_uri("../schema/"),
            }
        )


class HsdsProfileView(HsdsAPIView):
    @extend_schema(
        operation_id="hsds_profile", responses=OpenApiTypes.OBJECT, summary="HSDS: the Belgian profile this API follows"
    )
    def get(self, request, *args, **kwargs):
        return Response(PROFILE)


class HsdsDocumentView(HsdsAPIView):
    @extend_schema(
        operation_id="hsds_export", responses=OpenApiTypes.OBJECT, summary="The whole directory as HSDS 3.0 tables"
    )
    def get(self, request, *args, **kwargs):
        return Response(export_hsds(actor=self.actor))


class HsdsServiceListView(HsdsAPIView):
    @extend_schema(
        operation_id="hsds_services_list",
        parameters=[HsdsServiceListParams],
        responses=HsdsPageSerializer,
        summary="HSDS services (Page); search is the directory's full text search",
    )
    def get(self, request, *args, **kwargs):
        params = validated(HsdsServiceListParams, request.query_params)
        offers = hsds_api.offers(actor=self.actor, query=_service_query(params))
        if params["minimal"]:
            return hsds_page(
                offers, params, lambda rows: [_minimal(hsds_api.service_document(o, full=False)) for o in rows]
            )
        return hsds_page(offers, params, lambda rows: [hsds_api.service_document(o, full=params["full"]) for o in rows])


def _minimal(service: dict) -> dict:
    # HSDS asks for id and modification date; name and status stay, as the schema requires them.
    return {key: service[key] for key in ("id", "name", "status", "last_modified")}


class HsdsServiceDetailView(HsdsAPIView):
    @extend_schema(operation_id="hsds_service", responses=OpenApiTypes.OBJECT, summary="HSDS: one fully nested service")
    def get(self, request, public_id, *args, **kwargs):
        offer = hsds_api.get_offer(actor=self.actor, public_id=public_id)
        return Response(hsds_api.service_document(offer, full=True))


class HsdsOrganizationListView(HsdsAPIView):
    @extend_schema(
        operation_id="hsds_organizations_list",
        parameters=[HsdsOrganizationParams],
        responses=HsdsPageSerializer,
        summary="HSDS organizations",
    )
    def get(self, request, *args, **kwargs):
        params = validated(HsdsOrganizationParams, request.query_params)
        organisations = hsds_api.organisations(actor=self.actor, search=params["search"])
        full, full_service = params["full"] or params["full_service"], params["full_service"]

        def documents(rows):
            if not full:
                return [hsds_api.organization_document(organisation, services=None) for organisation in rows]
            services = hsds_api.offers_by_organisation(actor=self.actor, organisations=rows)
            return [
                hsds_api.organization_document(o, services=services.get(o.pk, []), full_service=full_service)
                for o in rows
            ]

        return hsds_page(organisations, params, documents)


class HsdsOrganizationDetailView(HsdsAPIView):
    @extend_schema(
        operation_id="hsds_organization",
        parameters=[HsdsOrganizationDetailParams],
        responses=OpenApiTypes.OBJECT,
        summary="HSDS: one organization with its places and services",
    )
    def get(self, request, public_id, *args, **kwargs):
        params = validated(HsdsOrganizationDetailParams, request.query_params)
        organisation = hsds_api.get_organisation(actor=self.actor, public_id=public_id)
        services = hsds_api.offers_by_organisation(actor=self.actor, organisations=[organisation])
        return Response(
            hsds_api.organization_document(
                organisation, services=services.get(organisation.pk, []), full_service=params["full_service"]
            )
        )


class HsdsServiceAtLocationListView(HsdsAPIView):
    @extend_schema(
        operation_id="hsds_service_at_locations_list",
        parameters=[HsdsServiceAtLocationParams],
        responses=HsdsPageSerializer,
        summary="HSDS services at a location (Page); postcode filters places, proximity is refused",
    )
    def get(self, request, *args, **kwargs):
        params = validated(HsdsServiceAtLocationParams, request.query_params)
        pairs = hsds_api.services_at_locations(
            actor=self.actor, query=_service_query(params), postcode=params["postcode"]
        )
        return hsds_page(
            pairs, params, lambda rows: [hsds_api.service_at_location_document(*p, full=params["full"]) for p in rows]
        )


class HsdsServiceAtLocationDetailView(HsdsAPIView):
    @extend_schema(
        operation_id="hsds_service_at_location",
        responses=OpenApiTypes.OBJECT,
        summary="HSDS: one service at a location, nested",
    )
    def get(self, request, hsds_id, *args, **kwargs):
        offer, place = hsds_api.get_service_at_location(actor=self.actor, hsds_id=hsds_id)
        return Response(hsds_api.service_at_location_document(offer, place, full=True))


class HsdsTaxonomyListView(HsdsAPIView):
    @extend_schema(
        operation_id="hsds_taxonomies_list",
        parameters=[HsdsSearchParams],
        responses=HsdsPageSerializer,
        summary="HSDS taxonomies",
    )
    def get(self, request, *args, **kwargs):
        params = validated(HsdsSearchParams, request.query_params)
        rows = [t for t in hsds_objects.taxonomies() if hsds_api.matches(t, params["search"], ("name", "description"))]
        return hsds_page(rows, params, lambda page: page)


class HsdsTaxonomyDetailView(HsdsAPIView):
    @extend_schema(operation_id="hsds_taxonomy", responses=OpenApiTypes.OBJECT, summary="HSDS: one taxonomy")
    def get(self, request, hsds_id, *args, **kwargs):
        for row in hsds_objects.taxonomies():
            if row["id"] == str(hsds_id):
                return Response(row)
        raise NotFound()


class HsdsTaxonomyTermListView(HsdsAPIView):
    @extend_schema(
        operation_id="hsds_taxonomy_terms_list",
        parameters=[HsdsTaxonomyTermParams],
        responses=HsdsPageSerializer,
        summary="HSDS taxonomy terms: the need domains and the fact names (no term has a parent)",
    )
    def get(self, request, *args, **kwargs):
        params = validated(HsdsTaxonomyTermParams, request.query_params)
        keys = ("code", "name", "description", "x_label_nl", "x_label_en")
        rows = [
            term
            for term in hsds_api.taxonomy_terms(actor=self.actor)
            if hsds_api.matches(term, params["search"], keys)
            and (params["taxonomy_id"] is None or term["taxonomy_id"] == str(params["taxonomy_id"]))
            and (params["parent_id"] is None or term.get("parent_id") == str(params["parent_id"]))
        ]
        return hsds_page(rows, params, lambda page: page)


class HsdsTaxonomyTermDetailView(HsdsAPIView):
    @extend_schema(operation_id="hsds_taxonomy_term", responses=OpenApiTypes.OBJECT, summary="HSDS: one taxonomy term")
    def get(self, request, hsds_id, *args, **kwargs):
        for term in hsds_api.taxonomy_terms(actor=self.actor):
            if term["id"] == str(hsds_id):
                return Response(term)
        raise NotFound()


# --- Harvesting: who may read the HSDS routes besides the members ----------------------


class HarvestingTokenSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    label = serializers.CharField()
    scope = serializers.CharField()
    token_key = serializers.CharField(help_text="The key's first characters, to recognise it")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)


class IssuedHarvestingTokenSerializer(HarvestingTokenSerializer):
    key = serializers.CharField(help_text="Shown once: send it as 'Authorization: Token <key>'")


class HarvestingSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
    tokens = HarvestingTokenSerializer(many=True)


class HarvestingInputSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()


class HarvestingTokenInputSerializer(serializers.Serializer):
    label = serializers.CharField(allow_blank=True, max_length=200)
    days = serializers.IntegerField()


class RevokedHarvestingTokenSerializer(serializers.Serializer):
    revoked = serializers.IntegerField()


def _harvesting_response(actor) -> Response:
    state = harvesting.harvesting_of(actor=actor)
    return Response(HarvestingSerializer({"allowed": state.allowed, "tokens": state.tokens}).data)


class HarvestingView(ActorAPIView):
    @extend_schema(
        operation_id="harvesting_read",
        responses=HarvestingSerializer,
        summary="Whether harvesters may read the HSDS routes, and their tokens (coordinators)",
    )
    def get(self, request, *args, **kwargs):
        return _harvesting_response(self.actor)

    @extend_schema(
        operation_id="harvesting_set",
        request=HarvestingInputSerializer,
        responses=HarvestingSerializer,
        summary="Allow or stop harvesting (coordinators); stopped, every harvesting token is refused at once",
    )
    @idempotent
    def post(self, request, *args, **kwargs):
        values = validated(HarvestingInputSerializer, body_object(request))
        harvesting.set_harvesting(actor=self.actor, allowed=values["allowed"])
        return _harvesting_response(self.actor)


class HarvestingTokenCreateView(ActorAPIView):
    @extend_schema(
        request=HarvestingTokenInputSerializer,
        responses={201: IssuedHarvestingTokenSerializer},
        summary="Issue a read-only harvesting token for the HSDS routes (coordinators)",
    )
    @idempotent
    def post(self, request, *args, **kwargs):
        values = validated(HarvestingTokenInputSerializer, body_object(request))
        issued = harvesting.issue_harvesting_token(actor=self.actor, label=values["label"], days=values["days"])
        body = {**HarvestingTokenSerializer(issued.token).data, "key": issued.key}
        return Response(body, status=status.HTTP_201_CREATED)


class HarvestingTokenRevokeView(ActorAPIView):
    @extend_schema(
        request=None,
        responses=RevokedHarvestingTokenSerializer,
        summary="Revoke a harvesting token (coordinators); it is refused from its next request",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        harvesting.revoke_harvesting_token(actor=self.actor, public_id=public_id)
        return Response(RevokedHarvestingTokenSerializer({"revoked": 1}).data)


class HsdsImportView(ActorAPIView):
    parser_classes = [JSONParser]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        parameters=[DRY_RUN],
        responses={200: ImportReportSerializer, 400: ImportReportSerializer},
        summary="Import an HSDS 3.0 document (coordinators); all or nothing, idempotent",
    )
    @idempotent
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
    @idempotent
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
