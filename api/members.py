"""Members and invitations of the coordination."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from idempotency.decorators import idempotent
from maillage.api import ActorAPIView, validated
from members import selectors, services
from members.roles import Role


class MemberSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name")
    organisation = serializers.UUIDField(source="organisation.public_id")
    organisation_name = serializers.CharField(source="organisation.name")
    role = serializers.ChoiceField(choices=Role.choices)
    is_active = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    deactivated_at = serializers.DateTimeField(allow_null=True)


class InvitationInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    organisation = serializers.UUIDField()
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    email = serializers.EmailField()
    organisation = serializers.UUIDField(source="organisation.public_id")
    role = serializers.ChoiceField(Role.choices)
    expires_at = serializers.DateTimeField()


class MemberListView(ActorAPIView):
    @extend_schema(responses=MemberSerializer(many=True), summary="Members of the coordination")
    def get(self, request, *args, **kwargs):
        return self.paginate(selectors.members_visible_to(actor=self.actor), MemberSerializer)


class MemberDetailView(ActorAPIView):
    @extend_schema(responses=MemberSerializer, summary="One membership")
    def get(self, request, public_id, *args, **kwargs):
        membership = selectors.get_membership_for(actor=self.actor, public_id=public_id)
        return Response(MemberSerializer(membership).data)


class MemberDeactivateView(ActorAPIView):
    @extend_schema(request=None, responses=MemberSerializer, summary="Deactivate a membership (coordinators)")
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        membership = services.deactivate_member(actor=self.actor, membership_public_id=public_id)
        return Response(MemberSerializer(membership).data)


class RevokedTokensSerializer(serializers.Serializer):
    revoked = serializers.IntegerField(help_text="How many API tokens of the member's account were revoked")


class MemberRevokeTokensView(ActorAPIView):
    @extend_schema(
        request=None,
        responses=RevokedTokensSerializer,
        summary="Revoke every API token of a member's account (coordinators)",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        count = services.revoke_member_api_tokens(actor=self.actor, membership_public_id=public_id)
        return Response(RevokedTokensSerializer({"revoked": count}).data)


class InvitationCreateView(ActorAPIView):
    @extend_schema(
        request=InvitationInputSerializer,
        responses={201: InvitationSerializer},
        summary="Invite someone by e-mail (coordinators)",
    )
    @idempotent
    def post(self, request, *args, **kwargs):
        values = validated(InvitationInputSerializer, request.data)
        issued = services.invite_member(
            actor=self.actor,
            email=values["email"],
            organisation_public_id=values["organisation"],
            role=values["role"],
        )
        return Response(InvitationSerializer(issued.invitation).data, status=status.HTTP_201_CREATED)
