"""Persons and households, under the consent policy. Every response that
carries a person's data writes an audit event for it."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from audit.services import record_reads
from consent.models import DataCategory
from consent.policies import may_see
from directory.models import ResidenceStatus
from idempotency.decorators import idempotent
from maillage.api import ActorAPIView, validated
from maillage.errors import Conflict, Forbidden
from members import selectors as member_selectors
from members.roles import KEEPS_FILES
from persons import policies, selectors, services
from persons.models import LanguageLevel, Literacy, Relation
from persons.timeline import person_timeline


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
    status = serializers.ChoiceField(ResidenceStatus.choices, allow_blank=True)
    french_level = serializers.ChoiceField(LanguageLevel.choices, allow_blank=True)
    dutch_level = serializers.ChoiceField(LanguageLevel.choices, allow_blank=True)
    literacy = serializers.ChoiceField(Literacy.choices, allow_blank=True)
    commune_registration_date = serializers.DateField(allow_null=True)
    programme_registration_date = serializers.DateField(allow_null=True)
    programme_deadline = serializers.DateField(allow_null=True)
    programme_deadline_alert = serializers.BooleanField()


class PersonSerializer(IdentitySerializer):
    """A file as `_person_body` answers it (described for the schema)."""

    situation = SituationSerializer(
        required=False, help_text="Only where a consent opens the person's situation to your organisation."
    )


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


class PersonSearchSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=selectors.NAME_QUERY_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="A name in any spelling or script (Youssef finds Yusuf and يوسف); closest first.",
    )
    birth_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Files with this birth date (YYYY-MM-DD)."
    )


class PersonListView(ActorAPIView):
    @extend_schema(
        parameters=[PersonSearchSerializer],
        responses=IdentitySerializer(many=True),
        summary="Persons visible to your organisation (search by name or birth date)",
    )
    def get(self, request, *args, **kwargs):
        if not policies.can_read_personal_data(self.actor):
            raise Forbidden()
        search = validated(PersonSearchSerializer, request.query_params)
        persons = selectors.search_persons(actor=self.actor, name=search["q"], birth_date=search["birth_date"])
        page = self.page_of(persons)
        record_reads(actor=self.actor, persons=page, action="person.listed")
        return self.paginated_response(IdentitySerializer(page, many=True).data)

    @extend_schema(
        request=PersonInputSerializer,
        parameters=[
            OpenApiParameter(
                "confirm_new",
                bool,
                description="Open the file even though files with the same name and birth date exist "
                "(without it, such a request answers 409 possible_duplicate naming where).",
            )
        ],
        responses={201: PersonSerializer},
        summary="Open a file (warns of possible duplicates)",
        description=(
            "The file belongs to your organisation. When files with a similar name (across spellings "
            "and scripts) and the same birth date exist in the coordination, the answer is 409 "
            "`possible_duplicate` naming the organisations that hold them and nothing more; check "
            "with them, or send the same request again with `confirm_new=true`. The national register "
            "number is checked (a 400 naming the field when invalid) and never returned in lists."
        ),
    )
    @idempotent
    def post(self, request, *args, **kwargs):
        person_input = services.PersonInput(**validated(PersonInputSerializer, request.data))
        duplicates = selectors.possible_duplicates(
            actor=self.actor,
            given_name=person_input.given_name,
            family_name=person_input.family_name,
            birth_date=person_input.birth_date,
            birth_year=person_input.birth_year,
        )
        if duplicates and str(request.query_params.get("confirm_new", "")).lower() not in {"1", "true"}:
            raise Conflict(
                f"{_('A file on this person may already exist at:')} {', '.join(duplicates)}. "
                + _("Check with them, or repeat with ?confirm_new=1."),
                code="possible_duplicate",
            )
        person = services.create_person(actor=self.actor, data=person_input)
        return Response(_person_body(self, person), status=status.HTTP_201_CREATED)


class PersonDetailView(ActorAPIView):
    @extend_schema(
        responses=PersonSerializer,
        summary="One person (situation only where the consent covers it)",
        description=(
            "Your organisation's own files, and the files of persons whose consent in force names "
            "your organisation (404 otherwise, and 404 again the moment that consent is withdrawn or "
            "expires). `situation` is present only when the consent shares the person's situation "
            "with you. Every answer is written to the audit trail."
        ),
    )
    def get(self, request, public_id, *args, **kwargs):
        person = selectors.get_person_for(actor=self.actor, public_id=public_id)
        record_reads(actor=self.actor, persons=[person])
        return Response(_person_body(self, person))

    @extend_schema(
        request=PersonInputSerializer, responses=PersonSerializer, summary="Update a file (its organisation)"
    )
    def put(self, request, public_id, *args, **kwargs):
        person = selectors.get_person_for(actor=self.actor, public_id=public_id)
        person_input = services.PersonInput(**validated(PersonInputSerializer, request.data))
        person = services.update_person(actor=self.actor, person=person, data=person_input)
        return Response(_person_body(self, person))


class PersonReopenView(ActorAPIView):
    @extend_schema(request=None, responses=IdentitySerializer, summary="Reopen a closed file (its organisation)")
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        person = selectors.get_person_for(actor=self.actor, public_id=public_id)
        person = services.reopen_file(actor=self.actor, person=person)
        return Response(_person_body(self, person))


class AssignmentSerializer(serializers.Serializer):
    """Who works on a file of your organisation."""

    id = serializers.UUIDField(help_text="The file")
    assignee = serializers.CharField(allow_null=True, help_text="The worker who has the file (None: nobody)")
    assigned_to_me = serializers.BooleanField()


class HandOverInput(serializers.Serializer):
    member = serializers.UUIDField(help_text="The membership of a colleague of your organisation (GET /members/)")


def _assignment(view, public_id) -> dict:
    person = selectors.get_person_for(actor=view.actor, public_id=public_id)
    return AssignmentSerializer(
        {
            "id": person.public_id,
            "assignee": selectors.assignee_shown(view.actor, person),
            "assigned_to_me": selectors.assigned_to_actor(view.actor, person),
        }
    ).data


class PersonTakeView(ActorAPIView):
    @extend_schema(request=None, responses=AssignmentSerializer, summary="Take a file of your organisation")
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        person = selectors.get_person_for(actor=self.actor, public_id=public_id)
        services.take_file(actor=self.actor, person=person)
        return Response(_assignment(self, public_id))


class PersonHandOverView(ActorAPIView):
    @extend_schema(
        request=HandOverInput,
        responses=AssignmentSerializer,
        summary="Hand a file of your organisation over to a colleague, who is told",
        description="A member of another organisation or coordination is not found: 404.",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        person = selectors.get_person_for(actor=self.actor, public_id=public_id)
        member_id = validated(HandOverInput, request.data)["member"]
        if not policies.can_edit_file(self.actor, person):
            raise Forbidden()
        member = member_selectors.get_colleague(actor=self.actor, roles=KEEPS_FILES, public_id=member_id)
        services.hand_over_file(actor=self.actor, person=person, to_member=member)
        return Response(_assignment(self, public_id))


class HouseholdMemberSerializer(serializers.Serializer):
    person = serializers.UUIDField()
    relation = serializers.ChoiceField(Relation.choices)


class HouseholdInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    members = HouseholdMemberSerializer(many=True)


class HouseholdSerializer(HouseholdInputSerializer):
    id = serializers.UUIDField()


class HouseholdView(ActorAPIView):
    @extend_schema(
        request=HouseholdInputSerializer,
        responses={201: HouseholdSerializer},
        summary="Group persons your organisation follows into a household",
    )
    @idempotent
    def post(self, request, *args, **kwargs):
        values = validated(HouseholdInputSerializer, request.data)
        members = [
            (selectors.get_person_for(actor=self.actor, public_id=m["person"]), m["relation"])
            for m in values["members"]
        ]
        household = services.create_household(actor=self.actor, name=values["name"], members=members)
        body = {
            "id": str(household.public_id),
            "name": household.name,
            "members": [{"person": str(p.public_id), "relation": r} for p, r in members],
        }
        return Response(body, status=status.HTTP_201_CREATED)


class TimelineDetailSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class TimelineLinkSerializer(serializers.Serializer):
    label = serializers.CharField()
    path = serializers.CharField(help_text="Below the coordination's root, e.g. consents/<id>/receipt/.")


class TimelineEntrySerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="referral_sent, referral_received, note, consent, consent_withdrawn, "
        "consent_ended, document, deadline, appointment, file or plan."
    )
    key = serializers.CharField(help_text="Unique on this timeline (the page's entry-<key> anchor).")
    kind_label = serializers.CharField()
    at = serializers.DateTimeField()
    day = serializers.DateField(allow_null=True, help_text="Set when the entry is dated by a day (a deadline).")
    upcoming = serializers.BooleanField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    next_step = serializers.CharField()
    text = serializers.CharField()
    details = TimelineDetailSerializer(many=True)
    links = TimelineLinkSerializer(many=True)
    path = serializers.CharField()
    id = serializers.UUIDField(source="public_id", allow_null=True)
    open = serializers.BooleanField()
    warn = serializers.BooleanField()


class HouseholdMemberSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    relation = serializers.CharField()


class HouseholdSummarySerializer(serializers.Serializer):
    name = serializers.CharField()
    relation = serializers.CharField()
    members = HouseholdMemberSummarySerializer(many=True)


class TimelineSummarySerializer(serializers.Serializer):
    languages = serializers.ListField(child=serializers.CharField())
    preferred_language = serializers.CharField()
    interpreter_needed = serializers.BooleanField()
    interpreter_language = serializers.CharField()
    households = HouseholdSummarySerializer(many=True)
    programme_deadline = serializers.DateField(allow_null=True)
    programme_deadline_alert = serializers.BooleanField()
    open_referrals = serializers.ListField(child=serializers.CharField(), help_text="Keys of the open referrals.")
    consents_in_force = serializers.IntegerField()


class TimelineSerializer(serializers.Serializer):
    person = serializers.UUIDField()
    summary = TimelineSummarySerializer()
    entries = TimelineEntrySerializer(many=True)


class PersonTimelineView(ActorAPIView):
    @extend_schema(
        responses=TimelineSerializer,
        summary="The file as one timeline: referrals, shared notes, consents, papers printed, deadlines",
    )
    def get(self, request, public_id, *args, **kwargs):
        person = selectors.get_person_for(actor=self.actor, public_id=public_id)
        record_reads(actor=self.actor, persons=[person])
        file = person_timeline(
            actor=self.actor, person=person, deadline_months=request.tenant.registration_deadline_months
        )
        summary, deadline = file.summary, file.summary.deadline
        upcoming = {entry.key for entry in file.upcoming}
        body = {
            "person": person.public_id,
            "summary": {
                "languages": list(summary.languages),
                "preferred_language": summary.preferred_language,
                "interpreter_needed": summary.interpreter_needed,
                "interpreter_language": summary.interpreter_language,
                "households": summary.households,
                "programme_deadline": deadline.due if deadline else None,
                "programme_deadline_alert": bool(deadline and deadline.alert),
                "open_referrals": [entry.key for entry in summary.open_referrals],
                "consents_in_force": summary.consents_in_force,
            },
            "entries": [
                {**vars(entry), "kind_label": entry.kind_label, "upcoming": entry.key in upcoming}
                for entry in file.entries
            ],
        }
        return Response(TimelineSerializer(body).data)
