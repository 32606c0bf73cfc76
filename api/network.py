"""The network map's data: member organisations (nodes), referral counts between them
(edges) and what is missing (gaps). Counts only: no person, no referral id. Every active
member of the coordination reads it; anyone else gets the 404 of the base view."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from directory.models import OrganisationKind
from maillage.api import ActorAPIView
from network.map import FLAG_LABELS, parse_network_period
from network.selectors import network_map

FLAG_CHOICES = [(code, str(label)) for code, label in FLAG_LABELS.items()]


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="First day, included")
    end = serializers.DateField(help_text="Last day, included")
    code = serializers.CharField(help_text="2026-11 or 2026-Q4 when asked as such, else empty")


class NodeSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    is_member = serializers.BooleanField()
    domains = serializers.SerializerMethodField(help_text="Need-domain codes its open offers cover")
    open_offers = serializers.IntegerField()
    sent = serializers.IntegerField(help_text="Referrals it sent in the period")
    received = serializers.IntegerField(help_text="Referrals it received in the period (triage passed)")
    left_unanswered = serializers.IntegerField(help_text="Of those received, still unanswered past their deadline")
    flags = serializers.ListField(child=serializers.ChoiceField(choices=FLAG_CHOICES))

    def get_domains(self, node) -> list[str]:
        return [domain.code for domain in node.domains]


class EdgeSerializer(serializers.Serializer):
    source = serializers.UUIDField(source="source.public_id", help_text="Sending organisation")
    target = serializers.UUIDField(source="target.public_id", help_text="Receiving organisation")
    sent = serializers.IntegerField()
    accepted = serializers.IntegerField()
    answered = serializers.IntegerField(help_text="Accepted or declined")
    unanswered = serializers.IntegerField(help_text="Still sent or received, waiting for an answer")
    overdue = serializers.IntegerField(help_text="Of the unanswered, past their answer deadline")


class UnansweredSerializer(serializers.Serializer):
    organisation = serializers.UUIDField(source="public_id")
    received = serializers.IntegerField()
    left_unanswered = serializers.IntegerField()


class GapsSerializer(serializers.Serializer):
    no_cpas = serializers.BooleanField(help_text="No CPAS is a member organisation")
    cpas_without_referent = serializers.SerializerMethodField(help_text="CPAS with no active reference person")
    mostly_unanswered = UnansweredSerializer(
        many=True, help_text="More than half of the referrals received still unanswered past their deadline"
    )
    inactive = serializers.SerializerMethodField(help_text="No referral sent or received, no open offer")
    uncovered_domains = serializers.SerializerMethodField(help_text="Need-domain codes no open offer covers")

    def get_cpas_without_referent(self, gaps) -> list[str]:
        return [str(node.public_id) for node in gaps.cpas_without_referent]

    def get_inactive(self, gaps) -> list[str]:
        return [str(node.public_id) for node in gaps.inactive]

    def get_uncovered_domains(self, gaps) -> list[str]:
        return [domain.code for domain in gaps.uncovered_domains]


class NetworkMapSerializer(serializers.Serializer):
    period = PeriodSerializer()
    nodes = NodeSerializer(many=True)
    edges = EdgeSerializer(many=True)
    gaps = GapsSerializer()


def _today():
    return timezone.localdate()


class NetworkMapView(ActorAPIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, description="A month (2026-11), a quarter (2026-Q4) or a year (2026)"),
            OpenApiParameter("start", str, description="First day (YYYY-MM-DD), with end"),
            OpenApiParameter("end", str, description="Last day, included (YYYY-MM-DD), with start"),
        ],
        responses=NetworkMapSerializer,
        summary="The network map: organisations, referral counts between them, gaps (default: last 12 months)",
    )
    def get(self, request, *args, **kwargs):
        today = _today()
        period = parse_network_period(request.query_params, today=today)
        return Response(NetworkMapSerializer(network_map(actor=self.actor, period=period, today=today)).data)
