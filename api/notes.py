"""Shared case notes on a person, read through the consent policy. Every response that
shows notes writes a read event for the person."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from audit.services import record_reads
from maillage.api import ActorAPIView, referenced, validated
from persons import selectors as person_selectors
from referrals import selectors as referral_selectors
from referrals.models import NoteAudience
from referrals.notes import selectors, services


class NoteInputSerializer(serializers.Serializer):
    domain = serializers.CharField(max_length=40, allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    audience = serializers.ChoiceField(NoteAudience.choices)
    referral = serializers.UUIDField(required=False, allow_null=True, default=None)
    sensitive = serializers.BooleanField(required=False, default=False)


class CorrectionInputSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)


class RetractionInputSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class RetractionSerializer(serializers.Serializer):
    retracted_at = serializers.DateTimeField()
    retracted_by = serializers.CharField()
    reason = serializers.CharField()
    summary = serializers.CharField()


class NoteSerializer(serializers.Serializer):
    """A note as the selectors annotate it: no text once retracted, only who, when, why."""

    id = serializers.UUIDField(source="public_id")
    person = serializers.UUIDField(source="person_public_id")
    organisation = serializers.UUIDField(source="organisation_public_id")
    organisation_name = serializers.CharField()
    author = serializers.CharField(source="author_name")
    domain = serializers.CharField(source="domain_code")
    audience = serializers.CharField()
    referral = serializers.UUIDField(source="referral_public_id", allow_null=True)
    sensitive = serializers.BooleanField()
    version = serializers.IntegerField()
    supersedes = serializers.UUIDField(source="supersedes_public_id", allow_null=True)
    current = serializers.BooleanField(source="is_current")
    text = serializers.CharField(source="shown_text", allow_null=True)
    retraction = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    @extend_schema_field(RetractionSerializer(allow_null=True))
    def get_retraction(self, note) -> dict | None:
        if note.retracted_at is None:
            return None
        by = note.retracted_by_name or _("a member of %(organisation)s") % {"organisation": note.organisation_name}
        summary = _("Retracted on %(date)s by %(name)s: %(reason)s") % {
            "date": formats.date_format(timezone.localtime(note.retracted_at), "SHORT_DATE_FORMAT"),
            "name": by,
            "reason": note.retraction_reason,
        }
        return RetractionSerializer(
            {
                "retracted_at": note.retracted_at,
                "retracted_by": by,
                "reason": note.retraction_reason,
                "summary": summary,
            }
        ).data


class NoteDetailSerializer(NoteSerializer):
    history = NoteSerializer(many=True)


def _detail(view, note) -> dict:
    history = list(selectors.note_history(actor=view.actor, note=note))
    note.history = history
    return NoteDetailSerializer(note).data


class PersonNotesView(ActorAPIView):
    @extend_schema(responses=NoteSerializer(many=True), summary="Notes on a person you may read (latest versions)")
    def get(self, request, public_id, *args, **kwargs):
        person = person_selectors.get_person_for(actor=self.actor, public_id=public_id)
        page = self.page_of(selectors.notes_visible_to(actor=self.actor, person=person))
        if page:
            record_reads(actor=self.actor, persons=[person], action="note.read")
        return self.paginated_response(NoteSerializer(page, many=True).data)

    @extend_schema(
        request=NoteInputSerializer,
        responses={201: NoteSerializer},
        summary="Write a note for your organisation, the parties of a referral, or the consent's recipients",
    )
    def post(self, request, public_id, *args, **kwargs):
        person = person_selectors.get_person_for(actor=self.actor, public_id=public_id)
        values = validated(NoteInputSerializer, request.data)
        referral = referenced(
            referral_selectors.get_referral_for, values, "referral", actor=self.actor, message=_("Unknown referral.")
        )
        note = services.add_note(
            actor=self.actor,
            person=person,
            domain_code=values["domain"],
            text=values["text"],
            audience=values["audience"],
            referral=referral,
            sensitive=values["sensitive"],
        )
        note = selectors.get_note_for(actor=self.actor, public_id=note.public_id)
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class NoteDetailView(ActorAPIView):
    @extend_schema(responses=NoteDetailSerializer, summary="One note, with its earlier versions")
    def get(self, request, public_id, *args, **kwargs):
        note = selectors.get_note_for(actor=self.actor, public_id=public_id)
        body = _detail(self, note)
        record_reads(actor=self.actor, persons=[note.person], action="note.read")
        return Response(body)


class NoteCorrectView(ActorAPIView):
    @extend_schema(
        request=CorrectionInputSerializer,
        responses={201: NoteDetailSerializer},
        summary="Correct a note (your organisation's): a new version, the old one stays as history",
    )
    def post(self, request, public_id, *args, **kwargs):
        note = selectors.get_note_for(actor=self.actor, public_id=public_id)
        text = validated(CorrectionInputSerializer, request.data)["text"]
        corrected = services.correct_note(actor=self.actor, note=note, text=text)
        corrected = selectors.get_note_for(actor=self.actor, public_id=corrected.public_id)
        return Response(_detail(self, corrected), status=status.HTTP_201_CREATED)


class NoteRetractView(ActorAPIView):
    @extend_schema(
        request=RetractionInputSerializer,
        responses=NoteDetailSerializer,
        summary="Retract a note (your organisation's): its entry stays, its text is shown to nobody",
    )
    def post(self, request, public_id, *args, **kwargs):
        note = selectors.get_note_for(actor=self.actor, public_id=public_id)
        reason = validated(RetractionInputSerializer, request.data)["reason"]
        latest = services.retract_note(actor=self.actor, note=note, reason=reason)
        latest = selectors.get_note_for(actor=self.actor, public_id=latest.public_id)
        return Response(_detail(self, latest))
