"""A coordination's own indicators against the median of its region (coordinators, like
the page /c/<slug>/indicators/): aggregates only, suppressed as shown there."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from maillage.api import ActorAPIView
from maillage.errors import Forbidden
from members import policies
from regions import indicators
from regions.selectors import compare_with_region
from regions.views import definition_of


class FigureSerializer(serializers.Serializer):
    shown = serializers.CharField(help_text='As on the page: "12", "<5", "—", "3.5", "83 %", or "" for no figure')
    value = serializers.FloatField(allow_null=True, help_text="null when suppressed or missing")


class IndicatorComparisonSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["count", "flag", "duration", "share"])
    definition = serializers.CharField()
    own = FigureSerializer()
    breakdown = serializers.DictField(child=serializers.CharField(), help_text="dimension → figure as shown")
    region_median = FigureSerializer()
    territories_in_median = serializers.IntegerField()


class CoordinationIndicatorsSerializer(serializers.Serializer):
    period = serializers.CharField()
    region = serializers.CharField()
    territories = serializers.IntegerField(help_text="active coordinations of the region")
    indicators = IndicatorComparisonSerializer(many=True)


class CoordinationIndicatorsView(ActorAPIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, description="2026-11, 2026-Q4 or 2026; the last complete month if left out")
        ],
        responses=CoordinationIndicatorsSerializer,
        summary="This coordination's indicators and the median of its region (coordinators)",
    )
    def get(self, request, *args, **kwargs):
        if not policies.can_manage_members(self.actor):
            raise Forbidden()
        period = indicators.parse_period(request.query_params.get("period") or indicators.last_complete_month())
        coordination = request.tenant
        comparisons, territory_count = compare_with_region(coordination=coordination, period=period)
        data = {
            "period": period.label,
            "region": coordination.region,
            "territories": territory_count,
            "indicators": [
                {
                    "code": c.code,
                    "label": str(indicators.INDICATORS[c.code]["label"]),
                    "kind": indicators.INDICATORS[c.code]["kind"],
                    "definition": definition_of(c.code),
                    "own": {"shown": c.own.shown, "value": c.own.value},
                    "breakdown": {dimension: cell.shown for dimension, cell in c.breakdown.items() if dimension},
                    "region_median": {"shown": c.median_shown, "value": c.median},
                    "territories_in_median": c.counted,
                }
                for c in comparisons
            ],
        }
        return Response(CoordinationIndicatorsSerializer(data).data)
