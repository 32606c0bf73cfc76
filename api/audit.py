"""The coordination's audit trail (coordinators), narrowed by the same filters as the page."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from audit.filters import AuditFilterForm
from audit.selectors import events_visible_to
from maillage.api import ActorAPIView
from maillage.errors import Invalid
from members.selectors import describe_audit_events


class AuditEventSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", help_text="Grows with each event; stable, never reused.")
    occurred_at = serializers.DateTimeField()
    actor = serializers.EmailField(source="actor.email", allow_null=True, default=None)
    actor_id = serializers.UUIDField(source="actor.public_id", allow_null=True, default=None)
    actor_name = serializers.CharField()
    organisation = serializers.UUIDField(source="organisation_public_id", allow_null=True)
    organisation_name = serializers.CharField()
    action = serializers.CharField()
    action_label = serializers.CharField(help_text="The action in the request's language.")
    object_type = serializers.CharField()
    object_id = serializers.UUIDField(source="object_public_id", allow_null=True)
    object_reference = serializers.CharField(help_text="A referral's reference; the start of the id otherwise.")
    person_id = serializers.UUIDField(source="person_public_id", allow_null=True)
    person_reference = serializers.CharField(help_text="Initials and the start of the id; never a name.")
    request_id = serializers.UUIDField(allow_null=True)
    ip_address = serializers.IPAddressField(allow_null=True)


FILTERS = [
    OpenApiParameter("actor", OpenApiTypes.UUID, description="The acting account's id."),
    OpenApiParameter("organisation", OpenApiTypes.UUID, description="The acting organisation's id."),
    OpenApiParameter("action", str, description="A code (referral.read) or a family (referral)."),
    OpenApiParameter("person", str, description="The person's id, or its first characters (at least four)."),
    OpenApiParameter("since", OpenApiTypes.DATE, description="From this day (inclusive)."),
    OpenApiParameter("until", OpenApiTypes.DATE, description="To this day (inclusive)."),
]


class AuditEventListView(ActorAPIView):
    @extend_schema(parameters=FILTERS, responses=AuditEventSerializer(many=True), summary="Audit events (coordinators)")
    def get(self, request, *args, **kwargs):
        events = events_visible_to(actor=self.actor)  # a 403 before any word on the filters
        form = AuditFilterForm(request.query_params)
        if not form.is_valid():
            raise Invalid(fields={name: list(errors) for name, errors in form.errors.items()})
        events = form.filters().apply(events)
        page = describe_audit_events(self.page_of(events))
        return self.paginated_response(AuditEventSerializer(page, many=True).data)
