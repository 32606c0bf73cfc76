"""Persons, households and consents, under the consent policy. Every response that
carries a person's data writes an audit event for it."""

from datetime import datetime, time

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from audit.services import record_reads
from consent import selectors as consent_selectors
from consent import services as consent_services
from consent.models import ConsentMethod, DataCategory
from consent.policies import may_see
from directory.models import ResidenceStatus
from maillage.api import ActorAPIView
from maillage.errors import Conflict, Forbidden
from persons import policies, selectors, services
from persons.models import LanguageLevel, Literacy, Relation


class PersonInputSerializer(serializers.Serializer):
    given_name = serializers.CharField(max_length=100)
    family_name = serializers.CharField(max_length=100)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    birth_year = serializers.IntegerField(required=False, allow_null=True, default=None)
    languages = serializers.ListField(child=serializers.CharField(max_length=8), required=False, default=list)
    preferred_language = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")
    french_level = serializers.ChoiceField(LanguageLevel.choices, required=False, allow_blank=True, default="")
    dutch_level = serializers.ChoiceField(LanguageLevel.choices, required=False, allow_blank=True, default="")
    literacy = serializers.ChoiceField(Literacy.choices, required=False, allow_blank=True, default="")
    interpreter_needed = serializers.BooleanField(required=False, default=False)
    interpreter_language = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(ResidenceStatus.choices, required=False, allow_blank=True, default="")
    commune_registration_date = serializers.DateField(required=False, allow_null=True, default=None)
    programme_registration_date = serializers.DateField(required=False, allow_null=True, default=None)
    national_number = serializers.CharField(
        max_length=20, required=False, allow_null=True, default=None, write_only=True
    )


class IdentitySerializer(serializers.Serializer):
    """What any organisation the consent opens the file to sees (identity and contact)."""

    id = serializers.UUIDField(source="public_id")
    organisation = serializers.UUIDField(source="organisation.public_id")
    organisation_name = serializers.CharField(source="organisation.name")
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)
    birth_year = serializers.IntegerField(allow_null=True)
    languages = serializers.ListField(child=serializers.CharField())
    preferred_language = serializers.CharField()
    interpreter_needed = serializers.BooleanField()
    interpreter_language = serializers.CharField()


class SituationSerializer(serializers.Serializer):
    status = serializers.CharField()
    french_level = serializers.CharField()
    dutch_level = serializers.CharField()
    literacy = serializers.CharField()
    commune_registration_date = serializers.DateField(allow_null=True)
    programme_registration_date = serializers.DateField(allow_null=True)
    programme_deadline = serializers.DateField(allow_null=True)
    programme_deadline_alert = serializers.BooleanField()


def _person_body(view, person) -> dict:
    actor = view.actor
    body = IdentitySerializer(person).data
    if may_see(organisation_id=actor.organisation.pk, person=person, category=DataCategory.SITUATION):
        deadline = selectors.programme_deadline(person, view.request.tenant.registration_deadline_months)
        situation = {
            "status": person.status,
            "french_level": person.french_level,
            "dutch_level": person.dutch_level,
            "literacy": person.literacy,
            "commune_registration_date": person.commune_registration_date,
            "programme_registration_date": person.programme_registration_date,
            "programme_deadline": deadline.due if deadline else None,
            "programme_deadline_alert": bool(deadline and deadline.alert),
        }
        body["situation"] = SituationSerializer(situation).data
    return body


class PersonListView(ActorAPIView):
    @extend_schema(responses=IdentitySerializer(many=True), summary="Persons visible to your organisation")
    def get(self, request, *args, **kwargs):
        if not policies.can_read_personal_data(self.actor):
            raise Forbidden()
        from maillage.api import Pagination

        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.persons_visible_to(actor=self.actor), request, view=self)
        record_reads(actor=self.actor, persons=page, action="person.listed")
        return paginator.get_paginated_response(IdentitySerializer(page, many=True).data)

    @extend_schema(
        request=PersonInputSerializer,
        responses={201: IdentitySerializer},
        summary="Open a file (warns of possible duplicates)",
    )
    def post(self, request, *args, **kwargs):
        data = PersonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person_input = services.PersonInput(**data.validated_data)
        duplicates = selectors.possible_duplicates(
            actor=self.actor,
            given_name=person_input.given_name,
            family_name=person_input.family_name,
            birth_date=person_input.birth_date,
            birth_year=person_input.birth_year,
        )
        if duplicates and str(request.query_params.get("confirm_new", "")).lower() not in {"1", "true"}:
            raise Conflict(
                "A file on this person may already exist at: "
                + ", ".join(duplicates)
                + ". Check with them, or repeat with ?confirm_new=1.",
                code="possible_duplicate",
            )
        person = services.create_person(actor=self.actor, data=person_input)
        return Response(_person_body(self, person), status=status.HTTP_201_CREATED)


class PersonDetailView(ActorAPIView):
    @extend_schema(responses=IdentitySerializer, summary="One person (situation only where the consent covers it)")
    def get(self, request, public_id, *args, **kwargs):
        person = selectors.get_person_for(actor=self.actor, public_id=public_id)
        record_reads(actor=self.actor, persons=[person])
        return Response(_person_body(self, person))

    @extend_schema(
        request=PersonInputSerializer, responses=IdentitySerializer, summary="Update a file (its organisation)"
    )
    def put(self, request, public_id, *args, **kwargs):
        person = selectors.get_person_for(actor=self.actor, public_id=public_id)
        data = PersonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = services.update_person(
            actor=self.actor, person=person, data=services.PersonInput(**data.validated_data)
        )
        return Response(_person_body(self, person))


class HouseholdMemberSerializer(serializers.Serializer):
    person = serializers.UUIDField()
    relation = serializers.ChoiceField(Relation.choices)


class HouseholdInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    members = HouseholdMemberSerializer(many=True)


class HouseholdView(ActorAPIView):
    @extend_schema(
        request=HouseholdInputSerializer,
        responses={201: HouseholdInputSerializer},
        summary="Group persons your organisation follows into a household",
    )
    def post(self, request, *args, **kwargs):
        data = HouseholdInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        members = [
            (selectors.get_person_for(actor=self.actor, public_id=m["person"]), m["relation"])
            for m in data.validated_data["members"]
        ]
        household = services.create_household(actor=self.actor, name=data.validated_data["name"], members=members)
        body = {
            "id": str(household.public_id),
            "name": household.name,
            "members": [{"person": str(p.public_id), "relation": r} for p, r in members],
        }
        return Response(body, status=status.HTTP_201_CREATED)


class ConsentInputSerializer(serializers.Serializer):
    recipients = serializers.ListField(child=serializers.UUIDField(), allow_empty=True)
    domains = serializers.ListField(child=serializers.CharField(max_length=40), allow_empty=True)
    categories = serializers.ListField(child=serializers.ChoiceField(DataCategory.choices), allow_empty=True)
    purpose = serializers.CharField(allow_blank=True)
    method = serializers.ChoiceField(ConsentMethod.choices)
    explanation_language = serializers.CharField(max_length=8)
    signed_name = serializers.CharField(required=False, allow_blank=True, default="")
    witness_name = serializers.CharField(required=False, allow_blank=True, default="")
    interpreter_used = serializers.BooleanField(required=False, default=False)
    interpreter_name = serializers.CharField(required=False, allow_blank=True, default="")
    given_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    supersedes = serializers.UUIDField(required=False, allow_null=True, default=None)


class ConsentSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    person = serializers.UUIDField(source="person.public_id")
    organisation = serializers.UUIDField(source="organisation.public_id")
    recipients = serializers.SerializerMethodField()
    domains = serializers.SerializerMethodField()
    categories = serializers.ListField(child=serializers.CharField())
    purpose = serializers.CharField()
    method = serializers.CharField()
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

    def get_state(self, consent) -> str:
        return consent.display_state()


class PersonConsentsView(ActorAPIView):
    @extend_schema(responses=ConsentSerializer(many=True), summary="Consents of a person")
    def get(self, request, public_id, *args, **kwargs):
        person = selectors.get_person_for(actor=self.actor, public_id=public_id)
        consents = consent_selectors.consents_of(actor=self.actor, person=person)
        return Response(ConsentSerializer(consents, many=True).data)

    @extend_schema(
        request=ConsentInputSerializer,
        responses={201: ConsentSerializer},
        summary="Record a consent, or a new version of one (supersedes)",
    )
    def post(self, request, public_id, *args, **kwargs):
        person = selectors.get_person_for(actor=self.actor, public_id=public_id)
        data = ConsentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        supersedes = values.pop("supersedes")
        expires_on = values.pop("expires_on")
        previous = consent_selectors.get_consent_for(actor=self.actor, public_id=supersedes) if supersedes else None
        expires_at = timezone.make_aware(datetime.combine(expires_on, time(23, 59))) if expires_on else None
        consent = consent_services.record_consent(
            actor=self.actor,
            person=person,
            supersedes=previous,
            data=consent_services.ConsentInput(expires_at=expires_at, **values),
        )
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentDetailView(ActorAPIView):
    @extend_schema(responses=ConsentSerializer, summary="One consent")
    def get(self, request, public_id, *args, **kwargs):
        return Response(
            ConsentSerializer(consent_selectors.get_consent_for(actor=self.actor, public_id=public_id)).data
        )

    @extend_schema(request=None, responses={409: None}, summary="Refused: a given consent is never edited")
    def _refuse_edit(self, request, public_id, *args, **kwargs):
        consent_selectors.get_consent_for(actor=self.actor, public_id=public_id)
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


class ConsentWithdrawView(ActorAPIView):
    @extend_schema(
        request=WithdrawInputSerializer,
        responses=ConsentSerializer,
        summary="Withdraw a consent, whole or for some recipients or domains",
    )
    def post(self, request, public_id, *args, **kwargs):
        consent = consent_selectors.get_consent_for(actor=self.actor, public_id=public_id)
        data = WithdrawInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        remainder = consent_services.withdraw_consent(actor=self.actor, consent=consent, **data.validated_data)
        consent.refresh_from_db()
        body = {"withdrawn": ConsentSerializer(consent).data}
        if remainder is not None:
            body["remainder"] = ConsentSerializer(remainder).data
        return Response(body)
