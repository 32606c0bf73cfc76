"""The coordination's audit trail (coordinators)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from audit.selectors import events_visible_to
from maillage.api import ActorAPIView


class AuditEventSerializer(serializers.Serializer):
    occurred_at = serializers.DateTimeField()
    actor = serializers.EmailField(source="actor.email", allow_null=True, default=None)
    organisation = serializers.UUIDField(source="organisation_public_id", allow_null=True)
    action = serializers.CharField()
    object_type = serializers.CharField()
    object_id = serializers.UUIDField(source="object_public_id", allow_null=True)
    person_id = serializers.UUIDField(source="person_public_id", allow_null=True)
    request_id = serializers.UUIDField(allow_null=True)
    ip_address = serializers.IPAddressField(allow_null=True)


class AuditEventListView(ActorAPIView):
    @extend_schema(responses=AuditEventSerializer(many=True), summary="Audit events (coordinators)")
    def get(self, request, *args, **kwargs):
        return self.paginate(events_visible_to(actor=self.actor), AuditEventSerializer)
