"""The signed-in account as the API sees it."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from maillage.api import ActorAPIView


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name")
    coordination = serializers.CharField(source="coordination.slug")
    organisation = serializers.UUIDField(source="organisation.public_id")
    organisation_name = serializers.CharField(source="organisation.name")
    role = serializers.CharField()


class MeView(ActorAPIView):
    @extend_schema(responses=MeSerializer, summary="Who am I here")
    def get(self, request, *args, **kwargs):
        return Response(MeSerializer(self.actor).data)
