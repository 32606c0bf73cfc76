"""Consents of a person: recorded, read, renewed as a new version, withdrawn. A given
consent is never edited."""

from datetime import datetime, time

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from consent import selectors, services
from consent.models import ConsentMethod, ConsentState, DataCategory
from idempotency.decorators import idempotent
from maillage.api import ActorAPIView, validated
from maillage.errors import Conflict
from maillage.parsers import JSONParser
from persons import selectors as person_selectors

# What a consent's `state` reads: its stored state, or expired once a given one is past its end.
STATES = [*ConsentState.values, "expired"]


class ConsentInputSerializer(serializers.Serializer):
    recipients = serializers.ListField(child=serializers.UUIDField(), allow_empty=True)
    domains = serializers.ListField(child=serializers.CharField(max_length=40), allow_empty=True)
    categories = serializers.ListField(child=serializers.ChoiceField(DataCategory.choices), allow_empty=True)
    purpose = serializers.CharField(allow_blank=True)
    method = serializers.ChoiceField(ConsentMethod.choices)
    explanation_language = serializers.CharField(max_length=8)
    signed_name = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="With screen_signed: the name the person signs."
    )
    witness_name = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="With oral_witnessed: who witnessed the consent."
    )
    interpreter_used = serializers.BooleanField(required=False, default=False)
    interpreter_name = serializers.CharField(required=False, allow_blank=True, default="")
    given_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    supersedes = serializers.UUIDField(required=False, allow_null=True, default=None)
    # The signed paper form, for method paper_signed: a PDF or a photo, sent as multipart.
    proof = serializers.FileField(
        required=False,
        allow_null=True,
        default=None,
        allow_empty_file=True,
        help_text="Required with paper_signed: the signed form, a PDF or a photo.",
    )


class ConsentSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    person = serializers.UUIDField(source="person.public_id")
    organisation = serializers.UUIDField(source="organisation.public_id")
    recipients = serializers.SerializerMethodField()
    domains = serializers.SerializerMethodField()
    categories = serializers.ListField(child=serializers.ChoiceField(DataCategory.choices))
    purpose = serializers.CharField()
    method = serializers.ChoiceField(ConsentMethod.choices)
    explanation_language = serializers.CharField()
    interpreter_used = serializers.BooleanField()
    interpreter_name = serializers.CharField()
    given_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    state = serializers.SerializerMethodField()
    version = serializers.IntegerField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawal_reason = serializers.CharField()

    def get_recipients(self, consent) -> list[str]:
        return sorted(str(o.public_id) for o in consent.recipients.all())

    def get_domains(self, consent) -> list[str]:
        return sorted(d.code for d in consent.domains.all())

    @extend_schema_field(serializers.ChoiceField(STATES))
    def get_state(self, consent) -> str:
        return consent.display_state()


class PersonConsentsView(ActorAPIView):
    # The signed paper form is a file: this body may come as multipart, and is documented so.
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(responses=ConsentSerializer(many=True), summary="Consents of a person")
    def get(self, request, public_id, *args, **kwargs):
        person = person_selectors.get_person_for(actor=self.actor, public_id=public_id)
        return self.paginate(selectors.consents_of(actor=self.actor, person=person), ConsentSerializer)

    @extend_schema(
        request={"multipart/form-data": ConsentInputSerializer},
        description="The method says what proves the consent: `paper_signed` needs the signed form as `proof`, "
        "`screen_signed` the `signed_name`, `oral_witnessed` the `witness_name`. Sent as multipart for the file; "
        "the same fields are also accepted as a JSON object when there is no file.",
        responses={201: ConsentSerializer},
        summary="Record a consent, or a new version of one (supersedes)",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        person = person_selectors.get_person_for(actor=self.actor, public_id=public_id)
        values = dict(validated(ConsentInputSerializer, request.data))
        supersedes = values.pop("supersedes")
        expires_on = values.pop("expires_on")
        previous = selectors.get_consent_for(actor=self.actor, public_id=supersedes) if supersedes else None
        expires_at = timezone.make_aware(datetime.combine(expires_on, time(23, 59))) if expires_on else None
        consent = services.record_consent(
            actor=self.actor,
            person=person,
            supersedes=previous,
            data=services.ConsentInput(expires_at=expires_at, **values),
        )
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentDetailView(ActorAPIView):
    @extend_schema(responses=ConsentSerializer, summary="One consent")
    def get(self, request, public_id, *args, **kwargs):
        return Response(ConsentSerializer(selectors.get_consent_for(actor=self.actor, public_id=public_id)).data)

    @extend_schema(request=None, responses={409: None}, summary="Refused: a given consent is never edited")
    def _refuse_edit(self, request, public_id, *args, **kwargs):
        selectors.get_consent_for(actor=self.actor, public_id=public_id)
        raise Conflict(
            "A given consent is never edited: record a new version (POST to the person's consents with "
            "'supersedes'), or withdraw it.",
            code="consent_immutable",
        )

    put = _refuse_edit
    patch = _refuse_edit


class WithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    recipients = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
    domains = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list)


class WithdrawnSerializer(serializers.Serializer):
    withdrawn = ConsentSerializer(help_text="The consent, now withdrawn.")
    remainder = ConsentSerializer(
        required=False,
        help_text="When only some recipients or domains were withdrawn: the new version that keeps the others.",
    )


class ConsentWithdrawView(ActorAPIView):
    @extend_schema(
        request=WithdrawInputSerializer,
        responses=WithdrawnSerializer,
        summary="Withdraw a consent, whole or for some recipients or domains",
        description=(
            "Takes effect at once, everywhere: the recipients lose access at their next request and "
            "the referrals that relied on it close with status `consent_withdrawn`. A partial "
            "withdrawal answers the withdrawn consent and the new version that remains (`remainder`, "
            "absent when nothing remains). `reason` is kept in the trail."
        ),
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        consent = selectors.get_consent_for(actor=self.actor, public_id=public_id)
        values = validated(WithdrawInputSerializer, request.data)
        remainder = services.withdraw_consent(actor=self.actor, consent=consent, **values)
        consent.refresh_from_db()
        body = {"withdrawn": ConsentSerializer(consent).data}
        if remainder is not None:
            body["remainder"] = ConsentSerializer(remainder).data
        return Response(body)
