"""What needs the member now (work.selectors.my_work, the landing page's own service):
the same sections and lines, each with the path of the page where it is done."""

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from audit.services import record_reads
from maillage.api import ActorAPIView
from maillage.errors import Invalid
from work.selectors import SECTIONS, my_work


class LineSerializer(serializers.Serializer):
    todo = serializers.CharField(help_text="What to do, in the request's language")
    path = serializers.CharField(help_text="Where to do it, under the coordination's root")
    url = serializers.SerializerMethodField(help_text="The page where it is done")
    id = serializers.UUIDField(source="object_id", help_text="The referral, person, note, action or offer")
    due = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    urgent = serializers.BooleanField()

    def get_url(self, line) -> str:
        return self.context["root"] + line.path


class SectionSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=list(SECTIONS))
    title = serializers.CharField()
    count = serializers.SerializerMethodField()
    lines = LineSerializer(many=True)
    more = serializers.BooleanField(help_text="More lines than `limit`: the full list is at `more_url`")
    more_url = serializers.SerializerMethodField(help_text="The page listing them all (empty: none)")

    def get_count(self, section) -> int:
        return len(section.lines)

    def get_more_url(self, section) -> str:
        return self.context["root"] + section.more_path if section.more and section.more_path else ""


class MyWorkSerializer(serializers.Serializer):
    since = serializers.DateTimeField(help_text="New notes are counted from here")
    count = serializers.IntegerField()
    sections = SectionSerializer(many=True)


# Lines per section, as on the page: a CPAS with a thousand referrals waiting would
# otherwise receive them all on every call; the full lists have their own routes.
DEFAULT_LINES = 20
MAX_LINES = 200


def _limit(request) -> int:
    raw = request.query_params.get("limit")
    if raw in (None, ""):
        return DEFAULT_LINES
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_LINES:
        raise Invalid(fields={"limit": [_("Give a whole number from 1 to %(max)s.") % {"max": MAX_LINES}]})
    return value


def _since(request):
    raw = request.query_params.get("since")
    if not raw:
        return None
    value = parse_datetime(raw)
    if value is None:
        raise Invalid(fields={"since": [_("Give a date and time, such as 2026-12-01T08:00:00+01:00.")]})
    return value if timezone.is_aware(value) else timezone.make_aware(value)


class MyWorkView(ActorAPIView):
    @extend_schema(
        responses=MyWorkSerializer,
        summary="What needs me now",
        description=(
            "The lines of the My work page, in the same order: referrals to answer (urgent first), "
            "referrals sent that were declined or wait too long, programme deadlines within 30 days, "
            "notes addressed to your organisation since your last visit, follow-up actions due, "
            "offers to verify. Each line names what to do and the API route of the record. "
            "Each section lists its first `limit` lines (20 by default, as on the page); "
            "`more` tells that there are others, listed in full at `more_url`."
        ),
        parameters=[
            OpenApiParameter(
                "limit", int, description=f"Lines per section, 1 to {MAX_LINES} (default {DEFAULT_LINES})"
            ),
            OpenApiParameter(
                "since", str, description="New notes from this moment (ISO 8601); by default the previous sign-in"
            ),
        ],
    )
    def get(self, request, *args, **kwargs):
        work = my_work(actor=self.actor, since=_since(request), limit=_limit(request))
        record_reads(actor=self.actor, persons=work.persons)
        return Response(MyWorkSerializer(work, context={"root": self.actor.coordination.url}).data)
