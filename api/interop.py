"""Open Referral HSDS 3.0 read endpoints, HSDS and CSV imports (coordinators)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from directory import policies
from directory.interop.csv import import_csv
from directory.interop.hsds import export_hsds, import_hsds
from maillage.api import ActorAPIView
from maillage.errors import Forbidden

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
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise serializers.ValidationError({"file": ["The file must be UTF-8 text."]}) from None
        return _report_response(import_csv(actor=self.actor, text=text, dry_run=_dry_run(request)))
