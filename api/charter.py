"""Membership requests, the data-sharing charter and its adoptions.

Routes (included by api/urls.py):
  membership-requests/                  GET coordinators; POST members, or anyone signed in
                                        with the join code of the coordinators' join link
  membership-requests/<id>/             GET coordinators
  membership-requests/<id>/approve/     POST coordinators
  membership-requests/<id>/refuse/      POST coordinators, with a reason
  charter/current/                      GET the version in force (404 before the first one)
  charter/versions/                     GET published versions (and the draft for coordinators);
                                        POST a draft (coordinators)
  charter/versions/<id>/                GET; PATCH the draft (409 once published)
  charter/versions/<id>/publish/        POST (coordinators)
  charter/adoptions/                    GET who adopted a version (?version=, default current);
                                        POST adopt the current version for one's organisation
"""

from dataclasses import replace

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from charter import selectors, services
from charter.models import RequestStatus
from directory import selectors as directory_selectors
from directory.models import OrganisationKind
from idempotency.decorators import idempotent
from maillage.actor import Actor, client_ip
from maillage.api import ActorAPIView, referenced, validated
from maillage.errors import Invalid, NotFound

# --- Membership requests -----------------------------------------------------------------


class MembershipRequestSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organisation_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    enterprise_number = serializers.CharField()
    street = serializers.CharField()
    postcode = serializers.CharField()
    city = serializers.CharField()
    contact_name = serializers.CharField()
    contact_email = serializers.EmailField()
    motivation = serializers.CharField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    organisation = serializers.UUIDField(source="organisation.public_id", allow_null=True, default=None)
    requested_by = serializers.EmailField(
        source="requested_by.email", allow_null=True
    )  # None: filed without an account
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    refusal_reason = serializers.CharField()


class MembershipRequestInputSerializer(serializers.Serializer):
    organisation_name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    enterprise_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    street = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100)
    contact_name = serializers.CharField(max_length=200)
    contact_email = serializers.EmailField()
    motivation = serializers.CharField(max_length=services.MAX_TEXT)
    join_code = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        help_text="Needed without a membership here: the last part of the join link the coordinators share.",
    )


class RefuseInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.MAX_REASON)


class ApprovalSerializer(serializers.Serializer):
    request = MembershipRequestSerializer()
    organisation = serializers.UUIDField(source="organisation.public_id")
    organisation_name = serializers.CharField(source="organisation.name")
    contact_invited = serializers.BooleanField(source="invited")


class StatusParams(serializers.Serializer):
    status = serializers.ChoiceField(choices=RequestStatus.choices, required=False)


class MembershipRequestListView(ActorAPIView):
    def initial(self, request, *args, **kwargs):
        """Asking to join is open to any signed-in account, member here or not; every other
        operation needs a membership (404 without, as everywhere)."""
        try:
            super().initial(request, *args, **kwargs)
        except exceptions.NotFound:
            # Without a membership, only with the coordination's join code (the secret part
            # of the join link the coordinators share); otherwise the usual 404.
            if request.method != "POST" or not selectors.is_join_token(request._request.tenant, self._join_code()):
                raise
            self.actor = request.actor = Actor(
                user=request.user,
                membership=None,
                organisation=None,
                coordination=request._request.tenant,
                request_id=getattr(request._request, "request_id", None),
                ip_address=client_ip(request._request),
            )

    def _join_code(self) -> str:
        try:
            code = self.request.data.get("join_code", "")
        except Exception:  # an unreadable body is no code
            return ""
        return code if isinstance(code, str) else ""

    @extend_schema(
        parameters=[StatusParams],
        responses=MembershipRequestSerializer(many=True),
        summary="Membership requests (coordinators)",
    )
    def get(self, request, *args, **kwargs):
        params = validated(StatusParams, request.query_params)
        rows = selectors.membership_requests_for(actor=self.actor, status=params.get("status", ""))
        return self.paginate(rows, MembershipRequestSerializer)

    @extend_schema(
        request=MembershipRequestInputSerializer,
        responses={201: MembershipRequestSerializer},
        summary="Ask for an organisation to join the coordination (anyone signed in)",
    )
    @idempotent
    def post(self, request, *args, **kwargs):
        values = dict(validated(MembershipRequestInputSerializer, request.data))
        values.pop("join_code")
        created = services.request_membership(
            actor=self.actor,
            data=services.MembershipRequestInput(**values),
            by_link=self.actor.membership is None,  # let in by `initial` only with the join code
        )
        return Response(MembershipRequestSerializer(created).data, status=status.HTTP_201_CREATED)


class MembershipRequestDetailView(ActorAPIView):
    @extend_schema(responses=MembershipRequestSerializer, summary="One membership request (coordinators)")
    def get(self, request, public_id, *args, **kwargs):
        item = selectors.get_membership_request_for(actor=self.actor, public_id=public_id)
        return Response(MembershipRequestSerializer(item).data)


class MembershipRequestApproveView(ActorAPIView):
    @extend_schema(
        request=None,
        responses=ApprovalSerializer,
        summary="Approve: the organisation becomes a member, its contact is invited (coordinators)",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        approval = services.approve_membership_request(actor=self.actor, public_id=public_id)
        return Response(ApprovalSerializer(approval).data)


class MembershipRequestRefuseView(ActorAPIView):
    @extend_schema(
        request=RefuseInputSerializer,
        responses=MembershipRequestSerializer,
        summary="Refuse, with a reason the requester receives by e-mail (coordinators)",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        reason = validated(RefuseInputSerializer, request.data)["reason"]
        refused = services.refuse_membership_request(actor=self.actor, public_id=public_id, reason=reason)
        return Response(MembershipRequestSerializer(refused).data)


# --- Charter versions ------------------------------------------------------------------------


class CharterVersionSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    number = serializers.IntegerField(allow_null=True)
    status = serializers.SerializerMethodField()
    title = serializers.CharField()
    purposes = serializers.CharField()
    secrecy_rules = serializers.CharField()
    retention = serializers.CharField()
    data_protection_contact = serializers.CharField()
    other_provisions = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ChoiceField(["draft", "published"]))
    def get_status(self, version) -> str:
        return "published" if version.is_published else "draft"


class CharterInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    purposes = serializers.CharField(max_length=services.MAX_TEXT, allow_blank=True)
    secrecy_rules = serializers.CharField(max_length=services.MAX_TEXT, allow_blank=True)
    retention = serializers.CharField(max_length=services.MAX_TEXT, allow_blank=True)
    data_protection_contact = serializers.CharField(max_length=services.MAX_TEXT, allow_blank=True)
    other_provisions = serializers.CharField(max_length=services.MAX_TEXT, allow_blank=True, required=False, default="")


class CurrentCharterView(ActorAPIView):
    @extend_schema(responses=CharterVersionSerializer, summary="The charter version in force (404 before the first)")
    def get(self, request, *args, **kwargs):
        current = selectors.current_charter()
        if current is None:
            raise NotFound()
        return Response(CharterVersionSerializer(current).data)


class CharterVersionListView(ActorAPIView):
    @extend_schema(
        responses=CharterVersionSerializer(many=True),
        summary="Charter versions (published; coordinators also see the draft)",
    )
    def get(self, request, *args, **kwargs):
        return self.paginate(selectors.charter_versions_for(actor=self.actor), CharterVersionSerializer)

    @extend_schema(
        request=CharterInputSerializer,
        responses={201: CharterVersionSerializer},
        summary="Write the next version as a draft (coordinators; one draft at a time)",
    )
    @idempotent
    def post(self, request, *args, **kwargs):
        values = validated(CharterInputSerializer, request.data)
        version = services.create_charter_draft(actor=self.actor, data=services.CharterInput(**values))
        return Response(CharterVersionSerializer(version).data, status=status.HTTP_201_CREATED)


class CharterVersionDetailView(ActorAPIView):
    @extend_schema(responses=CharterVersionSerializer, summary="One charter version")
    def get(self, request, public_id, *args, **kwargs):
        version = selectors.get_charter_version_for(actor=self.actor, public_id=public_id)
        return Response(CharterVersionSerializer(version).data)

    @extend_schema(
        request=CharterInputSerializer(partial=True),
        responses=CharterVersionSerializer,
        summary="Change the draft (coordinators; a published version is never changed: 409)",
    )
    def patch(self, request, public_id, *args, **kwargs):
        version = selectors.get_charter_version_for(actor=self.actor, public_id=public_id)
        changes = validated(CharterInputSerializer, request.data, partial=True)
        values = replace(services.CharterInput.of(version), **changes)
        version = services.update_charter_draft(actor=self.actor, version=version, data=values)
        return Response(CharterVersionSerializer(version).data)


class CharterVersionPublishView(ActorAPIView):
    @extend_schema(
        request=None,
        responses=CharterVersionSerializer,
        summary="Publish the draft as the next version; every member organisation must adopt it again",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        version = selectors.get_charter_version_for(actor=self.actor, public_id=public_id)
        version = services.publish_charter(actor=self.actor, version=version)
        return Response(CharterVersionSerializer(version).data)


# --- Adoptions ---------------------------------------------------------------------------------


class AdoptionSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    version = serializers.IntegerField(source="charter.number")
    organisation = serializers.UUIDField(source="organisation.public_id")
    organisation_name = serializers.CharField(source="organisation.name")
    representative = serializers.CharField(source="representative_name")
    representative_title = serializers.CharField()
    adopted_at = serializers.DateTimeField()
    adopted_by = serializers.EmailField(source="adopted_by.email", allow_null=True, default=None)


class AdoptInputSerializer(serializers.Serializer):
    representative = serializers.CharField(max_length=200, allow_blank=True)
    representative_title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    organisation = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="Default: the actor's organisation."
    )
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="When given, must be the current version."
    )


class AdoptionListView(ActorAPIView):
    @extend_schema(
        parameters=[OpenApiParameter("version", int, description="Version number; default the current one")],
        responses=AdoptionSerializer(many=True),
        summary="Organisations that adopted a charter version",
    )
    def get(self, request, *args, **kwargs):
        number = request.query_params.get("version")
        if number:
            try:
                version = selectors.get_charter_version_by_number(actor=self.actor, number=int(number))
            except ValueError:
                raise Invalid(fields={"version": [_("Give a version number.")]}) from None
        else:
            version = selectors.current_charter()
        # Before the first publication there is no version, and so nobody adopted anything.
        return self.paginate(selectors.adoptions_of(actor=self.actor, charter=version), AdoptionSerializer)

    @extend_schema(
        request=AdoptInputSerializer,
        responses={201: AdoptionSerializer},
        summary="Adopt the current version for your organisation, through a named representative",
    )
    @idempotent
    def post(self, request, *args, **kwargs):
        values = validated(AdoptInputSerializer, request.data)
        organisation = referenced(
            directory_selectors.get_organisation,
            values,
            "organisation",
            actor=self.actor,
            message=_("Choose a member organisation of this coordination."),
        )
        adoption = services.adopt_charter(
            actor=self.actor,
            organisation=organisation,
            representative=values["representative"],
            representative_title=values["representative_title"],
            number=values["version"],
        )
        return Response(AdoptionSerializer(adoption).data, status=status.HTTP_201_CREATED)
