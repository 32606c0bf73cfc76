"""Regional comparison for regional administrators: aggregates only, their region only."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants import indicators


class IndicatorTableSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    coordinations = serializers.ListField(child=serializers.DictField())


class RegionIndicatorsView(APIView):
    """Public-schema API: a regional administrator sees the coordinations of their region,
    as suppressed aggregates. Another region looks missing (404)."""

    @extend_schema(
        parameters=[OpenApiParameter("period", str, description="2026-11, 2026-Q4 or 2026")],
        responses=IndicatorTableSerializer(many=True),
        summary="Indicators of a region's coordinations (regional administrators)",
    )
    def get(self, request, region, *args, **kwargs):
        region = indicators.parse_region(region)
        period = indicators.parse_period(request.query_params.get("period", indicators.last_complete_month()))
        admin = getattr(request.user, "regional_administrator", None)
        if admin is None or admin.region != region:
            raise exceptions.NotFound()
        table = indicators.region_table(region=region, period=period)
        return Response({"region": region, "period": period.label, "indicators": table})
