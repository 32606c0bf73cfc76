"""Indicators: the regional comparison for regional administrators (public schema), and a
coordination's own indicators against its region for its coordinators. Aggregates only."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from maillage.api import ActorAPIView
from maillage.errors import Forbidden, Invalid
from members import policies
from regions import indicators
from regions.labels import definition_of
from regions.selectors import compare_with_region
from regions.table import comparison_table

PER_THOUSAND = "1000"


class CoordinationFiguresSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    values = serializers.DictField(child=serializers.CharField(), help_text="dimension → figure as shown")
    per_1000 = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="with ?per=1000, counts only: the total per 1,000 inhabitants, one decimal; "
        "null when the count is suppressed or missing, or the population unknown",
    )


class IndicatorTableSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    coordinations = CoordinationFiguresSerializer(many=True)


class PopulationSerializer(serializers.Serializer):
    slug = serializers.CharField()
    inhabitants = serializers.IntegerField(allow_null=True)
    reference_date = serializers.DateField(allow_null=True)
    provisional = serializers.BooleanField()
    missing_communes = serializers.ListField(child=serializers.CharField(), help_text="communes without a figure")


class RegionIndicatorsSerializer(serializers.Serializer):
    region = serializers.CharField()
    period = serializers.CharField()
    indicators = IndicatorTableSerializer(many=True)
    populations = PopulationSerializer(many=True, required=False, help_text="with ?per=1000")


def _indicators(table) -> list[dict]:
    """The dashboard's table (regions.table) as the API has always shaped it: per
    indicator, each coordination's figures by dimension as shown, and with ?per=1000 the
    rate the page shows (none for a suppressed count)."""
    result = []
    for index, column in enumerate(table.columns):
        rows = []
        for territory, row in zip(table.territories, table.rows, strict=True):
            figures = {
                "slug": territory.slug,
                "name": territory.name,
                "values": {code: cell.shown for code, cell in territory.breakdowns[column.code].items()},
            }
            if table.per and column.kind == "count":
                rate = row.cells[index].total if column.divided else None
                figures["per_1000"] = rate.shown if rate is not None and rate.value is not None else None
            rows.append(figures)
        result.append({"code": column.code, "label": column.label, "kind": column.kind, "coordinations": rows})
    return result


def _populations(table) -> list[dict]:
    return [
        {
            "slug": row.slug,
            "inhabitants": row.population.inhabitants,
            "reference_date": row.population.reference_date,
            "provisional": row.population.provisional,
            "missing_communes": list(row.population.missing),
        }
        for row in table.rows
    ]


class RegionIndicatorsView(APIView):
    """Public-schema API: a regional administrator sees the coordinations of their region,
    as suppressed aggregates. Another region looks missing (404)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, description="2026-11, 2026-Q4 or 2026"),
            OpenApiParameter("per", str, enum=[PER_THOUSAND], description="1000: add counts per 1,000 inhabitants"),
        ],
        responses=RegionIndicatorsSerializer,
        summary="Indicators of a region's coordinations (regional administrators)",
    )
    def get(self, request, region, *args, **kwargs):
        region = indicators.parse_region(region)
        admin = getattr(request.user, "regional_administrator", None)
        if admin is None or admin.region != region:
            raise exceptions.NotFound()
        period = indicators.parse_period(request.query_params.get("period", indicators.last_complete_month()))
        per = request.query_params.get("per", "")
        if per not in ("", PER_THOUSAND):
            raise Invalid(
                fields={"per": [_("Leave it out for counts, or give 1000 for figures per 1,000 inhabitants.")]}
            )
        table = comparison_table(region=region, period=period, per=bool(per))
        body = {"region": region, "period": period.label, "indicators": _indicators(table)}
        if per:
            body["populations"] = _populations(table)
        return Response(body)


# --- A coordination's indicators -----------------------------------------------------
# A coordination's own indicators against the median of its region (coordinators, like
# the page /c/<slug>/indicators/): aggregates only, suppressed as shown there.


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
