"""The API's JSON parser. Its own module: DRF reads DEFAULT_PARSER_CLASSES while
maillage.api is still importing APIView, so the parser cannot live there."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser as DRFJSONParser

MAX_JSON_DEPTH = 32
"""Well past any document the API takes: an HSDS import, the deepest, needs a handful of levels."""


class JSONParser(DRFJSONParser):
    """DRF's JSON parser, with a cap on nesting: a body nested thousands of levels deep
    would otherwise exhaust Python's recursion, in the parser or in whatever walks it."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("The JSON is nested too deeply.")) from None
        if _depth_exceeds(data, MAX_JSON_DEPTH):
            raise exceptions.ParseError(_("The JSON is nested too deeply."))
        return data


def _depth_exceeds(data, limit: int) -> bool:
    # Iterative, so that the check cannot hit the recursion limit itself.
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False
