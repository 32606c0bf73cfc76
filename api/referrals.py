"""Referrals: drafts, transitions, inbox and outbox, and the shared case notes on a person,
under the consent policy."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from api.persons import HandOverInput
from audit.services import record_reads
from consent import selectors as consent_selectors
from directory import selectors as directory_selectors
from idempotency.decorators import idempotent
from maillage.api import ActorAPIView, referenced, validated
from maillage.encoders import local_iso
from maillage.errors import Forbidden, Invalid, NotFound
from maillage.querysets import LateRows
from members import selectors as member_selectors
from persons import policies as person_policies
from persons import selectors as person_selectors
from referrals import policies, selectors, services, transitions
from referrals.models import DeclineReason, NotCompletedReason, NoteAudience, Outcome, ReferralStatus, Urgency
from referrals.notes import selectors as note_selectors
from referrals.notes import services as note_services


class ReferralInputSerializer(serializers.Serializer):
    person = serializers.UUIDField()
    to_organisation = serializers.UUIDField()
    to_offer = serializers.UUIDField(required=False, allow_null=True, default=None)
    domains = serializers.ListField(child=serializers.CharField(max_length=40), allow_empty=True)
    consent = serializers.UUIDField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(allow_blank=True)
    expectation = serializers.CharField(required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(Urgency.choices, required=False, default=Urgency.NORMAL)
    appointment_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    appointment_place = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    send = serializers.BooleanField(required=False, default=False)


class ReferralPersonPreviewSerializer(serializers.Serializer):
    """What the receiving side sees of the person before it accepts (view `preview`)."""

    view = serializers.ChoiceField(["preview"])
    given_name = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField())
    interpreter_needed = serializers.BooleanField()
    interpreter_language = serializers.CharField()
    appointment_at = serializers.DateTimeField(allow_null=True)
    appointment_place = serializers.CharField()
    situation_shared = serializers.BooleanField()
    reason = serializers.CharField(allow_null=True, help_text="Only when the person shared their situation.")
    expectation = serializers.CharField(allow_null=True, help_text="Only when the person shared their situation.")


class ReferralPersonFullSerializer(ReferralPersonPreviewSerializer):
    """The person once the receiving side has accepted, and for the sending side (view `full`)."""

    view = serializers.ChoiceField(["full"])
    id = serializers.UUIDField()
    family_name = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)
    birth_year = serializers.IntegerField(allow_null=True)


REFERRAL_PERSON = PolymorphicProxySerializer(
    component_name="ReferralPerson",
    serializers={"preview": ReferralPersonPreviewSerializer, "full": ReferralPersonFullSerializer},
    resource_type_field_name="view",
    allow_null=True,
)


class ProposalSerializer(serializers.Serializer):
    """Another appointment the receiving side proposed, waiting for the sender's answer."""

    id = serializers.UUIDField(source="public_id")
    appointment_at = serializers.DateTimeField()
    appointment_place = serializers.CharField()
    note = serializers.CharField()
    organisation = serializers.CharField(source="organisation.name")
    created_at = serializers.DateTimeField()


class ReferralSerializer(serializers.Serializer):
    """Status and dates for both sides; the person as far as the actor may see them; the
    reason and what is expected in the preview only when the person shared their situation
    (`person.situation_shared`)."""

    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(ReferralStatus.choices)
    urgency = serializers.ChoiceField(Urgency.choices)
    from_organisation = serializers.CharField(source="from_organisation.name")
    to_organisation = serializers.CharField(source="to_organisation.name")
    domains = serializers.SerializerMethodField()
    response_due = serializers.DateField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    sent_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.ChoiceField(Outcome.choices, allow_blank=True)
    decline_reason = serializers.ChoiceField(DeclineReason.choices, allow_blank=True)
    not_completed_reason = serializers.ChoiceField(NotCompletedReason.choices, allow_blank=True)
    view = serializers.SerializerMethodField()
    person = serializers.SerializerMethodField()
    proposal = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField(
        help_text="The worker of the receiving organisation who took the referral (only that organisation sees it)"
    )
    assigned_to_me = serializers.SerializerMethodField()

    def get_domains(self, referral) -> list[str]:
        return sorted(d.code for d in referral.domains.all())

    def get_overdue(self, referral) -> bool:
        return selectors.is_overdue(referral)

    def _view(self, referral) -> str:
        views = self.context["views"]
        if referral.pk not in views:
            views[referral.pk] = selectors.recipient_view(self.context["actor"], referral)
        return views[referral.pk]

    @extend_schema_field(serializers.ChoiceField(["none", "preview", "full"]))
    def get_view(self, referral) -> str:
        return self._view(referral)

    @extend_schema_field(REFERRAL_PERSON)
    def get_person(self, referral) -> dict | None:
        shown = selectors.shown_of_referral(referral, self._view(referral))
        if shown is None:
            return None
        if shown.get("appointment_at") is not None:
            shown["appointment_at"] = local_iso(shown["appointment_at"])
        if shown.get("birth_date") is not None:
            shown["birth_date"] = shown["birth_date"].isoformat()
        if "id" in shown:
            shown["id"] = str(shown["id"])
        return {"view": self._view(referral), **shown}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_assignee(self, referral) -> str | None:
        return selectors.assignee_shown(self.context["actor"], referral)

    def get_assigned_to_me(self, referral) -> bool:
        return selectors.assigned_to_actor(self.context["actor"], referral)

    @extend_schema_field(ProposalSerializer(allow_null=True))
    def get_proposal(self, referral) -> dict | None:
        proposal = selectors.pending_proposal(referral)
        return None if proposal is None else ProposalSerializer(proposal).data


def _serialize(view, referrals, many=False):
    actor = view.actor
    items = referrals if many else [referrals]
    views = {r.pk: selectors.recipient_view(actor, r) for r in items}
    record_reads(actor=actor, persons=[r.person for r in items if views[r.pk] != "none"], action="referral.read")
    return ReferralSerializer(referrals, many=many, context={"actor": actor, "views": views}).data


class FilterParams(serializers.Serializer):
    status = serializers.ChoiceField(ReferralStatus.choices, required=False, allow_blank=True, default="")
    domain = serializers.CharField(required=False, allow_blank=True, default="")
    overdue = serializers.BooleanField(required=False, default=False)
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    state = serializers.ChoiceField(
        [selectors.OPEN, selectors.CLOSED],
        required=False,
        allow_blank=True,
        default="",
        help_text="`open` (drafts included): urgent first, then the soonest answer date; `closed`: the "
        "latest closed first; left out: both, the latest sent first. The pages' tabs.",
    )
    assigned_to_me = serializers.BooleanField(
        required=False, default=False, help_text="Only the referrals assigned to you (taken or handed over to you)"
    )


def _box(view, request, selector):
    filters = selectors.ReferralFilters(**validated(FilterParams, request.query_params))
    page = view.page_of(LateRows(selector(actor=view.actor, filters=filters)))
    return view.paginated_response(_serialize(view, page, many=True))


class InboxView(ActorAPIView):
    @extend_schema(
        parameters=[FilterParams],
        responses=ReferralSerializer(many=True),
        summary="Referrals received",
        description=(
            "`state=open` lists them as the inbox page does, most urgent then soonest due; `overdue` "
            "keeps those past their answer date. Each row carries the same `person` shapes as one "
            "referral (`view`)."
        ),
    )
    def get(self, request, *args, **kwargs):
        return _box(self, request, selectors.inbox)


class OutboxView(ActorAPIView):
    @extend_schema(parameters=[FilterParams], responses=ReferralSerializer(many=True), summary="Referrals sent")
    def get(self, request, *args, **kwargs):
        return _box(self, request, selectors.outbox)


class ReferralCreateView(ActorAPIView):
    @extend_schema(
        request=ReferralInputSerializer,
        responses={201: ReferralSerializer},
        summary="Refer a person your organisation follows (draft, or sent at once with send=true)",
        description=(
            "`consent` names the consent it relies on; without it, the consent in force (not "
            "withdrawn, not expired) that covers the recipient, every domain, identity and situation "
            "is taken, and none is a 400 on `consent`. With `send=true` the referral is created and "
            "sent in one transaction: a send refused (consent, charter not adopted, closed file) "
            "leaves no draft behind. `appointment_at` must be in the future."
        ),
    )
    @idempotent
    def post(self, request, *args, **kwargs):
        values = validated(ReferralInputSerializer, request.data)
        person = person_selectors.get_person_for(actor=self.actor, public_id=values["person"])
        # A recipient outside the coordination does not exist here: 404, like any unknown id.
        organisation = directory_selectors.get_organisation(actor=self.actor, public_id=values["to_organisation"])
        offer = None
        if values["to_offer"]:
            offer = directory_selectors.get_offer(actor=self.actor, public_id=values["to_offer"])
        consent = referenced(
            consent_selectors.get_consent_for, values, "consent", actor=self.actor, message="Unknown consent."
        )
        referral = services.refer_person(
            actor=self.actor,
            send=values["send"],
            data=services.ReferralInput(
                person=person,
                to_organisation=organisation,
                to_offer=offer,
                domains=values["domains"],
                consent=consent,
                reason=values["reason"],
                expectation=values["expectation"],
                urgency=values["urgency"],
                appointment_at=values["appointment_at"],
                appointment_place=values["appointment_place"],
            ),
        )
        referral = selectors.get_referral_for(actor=self.actor, public_id=referral.public_id)
        return Response(_serialize(self, referral), status=status.HTTP_201_CREATED)


class ReferralDetailView(ActorAPIView):
    @extend_schema(
        responses=ReferralSerializer,
        summary="One referral",
        description=(
            "`person` depends on `view`: `preview` (before the recipient answers: first name, "
            "languages, interpreter, appointment, and why and what is expected only when the consent "
            "shares the situation), `full` (after acceptance, what the consent covers) or null "
            "(`none`). What may happen next is under `referrals_transition`. 404 for a referral your "
            "organisation neither sent nor received."
        ),
    )
    def get(self, request, public_id, *args, **kwargs):
        return Response(_serialize(self, selectors.get_referral_for(actor=self.actor, public_id=public_id)))


class ReferralTakeView(ActorAPIView):
    @extend_schema(
        request=None,
        responses=ReferralSerializer,
        summary="Take a referral your organisation received (it is assigned to you)",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        referral = selectors.get_referral_for(actor=self.actor, public_id=public_id)
        services.take_referral(actor=self.actor, referral=referral)
        return Response(_serialize(self, selectors.get_referral_for(actor=self.actor, public_id=public_id)))


class ReferralHandOverView(ActorAPIView):
    @extend_schema(
        request=HandOverInput,
        responses=ReferralSerializer,
        summary="Hand a referral your organisation received over to a colleague, who is told",
        description="A member of another organisation or coordination is not found: 404.",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        referral = selectors.get_referral_for(actor=self.actor, public_id=public_id)
        member_id = validated(HandOverInput, request.data)["member"]
        if not policies.is_recipient_side(self.actor, referral):
            raise Forbidden()
        member = member_selectors.get_colleague(
            actor=self.actor, roles=policies.answering_roles(self.actor.organisation), public_id=member_id
        )
        services.hand_over_referral(actor=self.actor, referral=referral, to_member=member)
        return Response(_serialize(self, selectors.get_referral_for(actor=self.actor, public_id=public_id)))


class TransitionInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    outcome = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    # propose: the other appointment (in the future), its place
    appointment_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


def _transitions_description() -> str:
    """The lifecycle table (referrals.transitions) written out for the schema."""
    rows = [
        f"- `{row.name}` ({row.side} side): from {', '.join(sorted(row.sources))} to {row.target}"
        + (f"; takes {', '.join(row.needs)}" if row.needs else "")
        for row in transitions.TRANSITIONS.values()
    ]
    return "\n".join(
        [
            "Taken by the wrong side: 403. From a status the table does not list: 409.",
            "",
            *rows,
            "",
            f"`reason` of decline: {', '.join(DeclineReason.values)}.",
            f"`reason` of not-complete: {', '.join(NotCompletedReason.values)}.",
            f"`outcome` of complete: {', '.join(Outcome.values)}.",
        ]
    )


class ReferralTransitionView(ActorAPIView):
    @extend_schema(
        parameters=[OpenApiParameter("transition", str, OpenApiParameter.PATH, enum=transitions.ACTIONS)],
        request=TransitionInput,
        responses=ReferralSerializer,
        summary="Move a referral along its lifecycle",
        description=_transitions_description(),
    )
    @idempotent
    def post(self, request, public_id, transition, *args, **kwargs):
        if transition not in transitions.TRANSITIONS:
            raise NotFound()
        referral = selectors.get_referral_for(actor=self.actor, public_id=public_id)
        values = validated(TransitionInput, request.data)
        transitions.perform(transition, actor=self.actor, referral=referral, data=values)
        return Response(_serialize(self, selectors.get_referral_for(actor=self.actor, public_id=public_id)))


class TriageRowSerializer(serializers.Serializer):
    """What a coordinator sees to triage: no personal data."""

    id = serializers.UUIDField(source="public_id")
    from_organisation = serializers.CharField(source="from_organisation.name")
    to_organisation = serializers.CharField(source="to_organisation.name")
    domains = serializers.SerializerMethodField()
    urgency = serializers.ChoiceField(Urgency.choices)
    sent_at = serializers.DateTimeField()

    def get_domains(self, referral) -> list[str]:
        return sorted(d.code for d in referral.domains.all())


class TriageInput(serializers.Serializer):
    to_organisation = serializers.UUIDField(required=False, allow_null=True, default=None)


class TriageQueueView(ActorAPIView):
    @extend_schema(responses=TriageRowSerializer(many=True), summary="Referrals waiting for triage (coordinators)")
    def get(self, request, *args, **kwargs):
        if not policies.can_triage(self.actor):
            raise Forbidden()
        return self.paginate(selectors.triage_queue(actor=self.actor), TriageRowSerializer)


class TriageView(ActorAPIView):
    @extend_schema(
        request=TriageInput,
        responses=TriageRowSerializer,
        summary="Pass a referral on to the CPAS, or to another organisation the consent covers",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        referral = selectors.get_referral_to_triage(actor=self.actor, public_id=public_id)
        values = validated(TriageInput, request.data)
        target = None
        if values["to_organisation"]:
            target = directory_selectors.get_organisation(actor=self.actor, public_id=values["to_organisation"])
        referral = services.triage_referral(actor=self.actor, referral=referral, to_organisation=target)
        return Response(TriageRowSerializer(referral).data)


# --- Case notes ----------------------------------------------------------------------
# Shared case notes on a person, read through the consent policy. Every response that
# shows notes writes a read event for the person.


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
    audience = serializers.ChoiceField(NoteAudience.choices)
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
    history = list(note_selectors.note_history(actor=view.actor, note=note))
    note.history = history
    return NoteDetailSerializer(note).data


class PersonNotesView(ActorAPIView):
    @extend_schema(responses=NoteSerializer(many=True), summary="Notes on a person you may read (latest versions)")
    def get(self, request, public_id, *args, **kwargs):
        person = person_selectors.get_person_for(actor=self.actor, public_id=public_id)
        page = self.page_of(note_selectors.notes_visible_to(actor=self.actor, person=person))
        if page:
            record_reads(actor=self.actor, persons=[person], action="note.read")
        return self.paginated_response(NoteSerializer(page, many=True).data)

    @extend_schema(
        request=NoteInputSerializer,
        responses={201: NoteSerializer},
        summary="Write a note for your organisation, the parties of a referral, or the consent's recipients",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        person = person_selectors.get_person_for(actor=self.actor, public_id=public_id)
        values = validated(NoteInputSerializer, request.data)
        referral = referenced(
            selectors.get_referral_for, values, "referral", actor=self.actor, message=_("Unknown referral.")
        )
        note = note_services.add_note(
            actor=self.actor,
            person=person,
            domain_code=values["domain"],
            text=values["text"],
            audience=values["audience"],
            referral=referral,
            sensitive=values["sensitive"],
        )
        note = note_selectors.get_note_for(actor=self.actor, public_id=note.public_id)
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class AudienceParams(serializers.Serializer):
    domain = serializers.CharField(max_length=40)
    referral = serializers.UUIDField(required=False, allow_null=True, default=None)


class AudienceSerializer(serializers.Serializer):
    audience = serializers.ChoiceField(NoteAudience.choices)
    label = serializers.CharField()
    available = serializers.BooleanField()
    reason = serializers.CharField()


class PersonNoteAudiencesView(ActorAPIView):
    @extend_schema(
        parameters=[AudienceParams],
        responses=AudienceSerializer(many=True),
        summary="Who a note on this need domain may be written for, and why the consent rules out the others",
    )
    def get(self, request, public_id, *args, **kwargs):
        person = person_selectors.get_person_for(actor=self.actor, public_id=public_id)
        if not person_policies.can_open_files(self.actor):
            raise Forbidden()
        values = validated(AudienceParams, request.query_params)
        domain = directory_selectors.need_domains(actor=self.actor).filter(code=values["domain"]).first()
        if domain is None:
            raise Invalid(fields={"domain": [_("Name the need domain, from the taxonomy.")]})
        referral = referenced(
            selectors.get_referral_for, values, "referral", actor=self.actor, message=_("Unknown referral.")
        )
        choices = note_selectors.audience_choices(actor=self.actor, person=person, domain=domain, referral=referral)
        return self.paginate(choices, AudienceSerializer)


class NoteDetailView(ActorAPIView):
    @extend_schema(responses=NoteDetailSerializer, summary="One note, with its earlier versions")
    def get(self, request, public_id, *args, **kwargs):
        note = note_selectors.get_note_for(actor=self.actor, public_id=public_id)
        body = _detail(self, note)
        record_reads(actor=self.actor, persons=[note.person], action="note.read")
        return Response(body)


class NoteCorrectView(ActorAPIView):
    @extend_schema(
        request=CorrectionInputSerializer,
        responses={201: NoteDetailSerializer},
        summary="Correct a note (your organisation's): a new version, the old one stays as history",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        note = note_selectors.get_note_for(actor=self.actor, public_id=public_id)
        text = validated(CorrectionInputSerializer, request.data)["text"]
        corrected = note_services.correct_note(actor=self.actor, note=note, text=text)
        corrected = note_selectors.get_note_for(actor=self.actor, public_id=corrected.public_id)
        return Response(_detail(self, corrected), status=status.HTTP_201_CREATED)


class NoteRetractView(ActorAPIView):
    @extend_schema(
        request=RetractionInputSerializer,
        responses=NoteDetailSerializer,
        summary="Retract a note (your organisation's): its entry stays, its text is shown to nobody",
    )
    @idempotent
    def post(self, request, public_id, *args, **kwargs):
        note = note_selectors.get_note_for(actor=self.actor, public_id=public_id)
        reason = validated(RetractionInputSerializer, request.data)["reason"]
        latest = note_services.retract_note(actor=self.actor, note=note, reason=reason)
        latest = note_selectors.get_note_for(actor=self.actor, public_id=latest.public_id)
        return Response(_detail(self, latest))
