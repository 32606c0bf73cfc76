"""How the API describes itself (drf-spectacular): the schema class every view uses, and the
hook that documents what every operation can answer besides its own result. Written for an
integrator who generates a client from the schema and validates answers against it."""

import inspect

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

# Every `error` an API answer can carry: ours (maillage.errors and the codes services give),
# DRF's own (parse_error, not_authenticated, throttled...), and the authentication's.
ERROR_CODES = [
    "invalid",
    "parse_error",
    "too_large",
    "not_authenticated",
    "authentication_failed",
    "invalid_token",
    "token_expired",
    "harvesting_off",
    "token_scope",
    "session_required",
    "permission_denied",
    "forbidden",
    "two_factor_required",
    "not_found",
    "method_not_allowed",
    "not_acceptable",
    "unsupported_media_type",
    "conflict",
    "consent_immutable",
    "possible_duplicate",
    "request_pending",
    "charter_published",
    "charter_not_adopted",
    "no_charter",
    "file_closed",
    "appointment_passed",
    "idempotency_key_reused",
    "idempotency_key_in_use",
    "throttled",
    "unavailable",
    "error",
]

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error answer of the API.",
    "properties": {
        "error": {"$ref": "#/components/schemas/ErrorCodeEnum"},
        "detail": {"type": "string", "description": "A sentence for a person, in the request's language."},
        "fields": {
            "type": "object",
            "description": "With `invalid`: the messages for each field of the input that was refused "
            "(`non_field_errors` for the input as a whole). A nested input nests its messages the same way.",
            "additionalProperties": {},
        },
    },
    "required": ["error", "detail"],
}

# When each status can happen, and what it means, for every operation of the API.
ERRORS = {
    "400": "The input (body or query) is not valid: `fields` names what was refused.",
    "401": "No credential, or one that is not valid (an unknown or expired token).",
    "403": "The credential may not do this: role, token scope, or a second factor required.",
    "404": "Not found: missing, outside what this member may see, or no membership in this coordination.",
    "409": "The record's current state does not allow this.",
    "413": "The body is larger than the API takes.",
    "415": "The body is not in the content type this operation reads.",
    "422": "This Idempotency-Key was already used for another request.",
    "429": "Too many requests: wait as Retry-After says.",
    "503": "The database is briefly unavailable: try again after Retry-After.",
}
WRITE_ONLY_ERRORS = {"409"}
BODY_ONLY_ERRORS = {"413", "415"}
IDEMPOTENT_ONLY_ERRORS = {"422"}
LIST_DESCRIPTION = (
    "One page: `?page=` from 1, `?page_size=` from 1 to 200 (50 by default); a page past the last is a 404."
)
SPECTACULAR_PLACEHOLDERS = {"", "No response body"}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema for one operation, with the API's conventions."""

    def get_description(self) -> str:
        # Only what the operation or its own view says: a docstring inherited from the base
        # view (how it authenticates) would otherwise describe every operation alike.
        method = getattr(self.view, self.method.lower(), None)
        own = getattr(method, "__doc__", None) or type(self.view).__dict__.get("__doc__")
        return inspect.cleandoc(own) if own else ""

    def _get_paginator(self):
        # Only lists read with GET are paginated (maillage.api.Pagination, on the base view).
        if self.method != "GET":
            return None
        return super()._get_paginator()

    def get_operation_id(self) -> str:
        """`<path>_list` for a list, `<path>_<action>` for an action on a record
        (members_deactivate, referrals_transition), drf-spectacular's otherwise."""
        segments = [s for s in self.path.strip("/").split("/") if s][2:]  # after api/v1
        # A view that also answers GET at this path is a collection: POST creates in it.
        if self.method == "POST" and len(segments) >= 3 and not hasattr(self.view, "get"):
            last = segments[-1]
            if last.startswith("{") and last not in ("{public_id}", "{hsds_id}"):
                names = [s for s in segments if not s.startswith("{")] + [last.strip("{}")]
                return "_".join(names).replace("-", "_")
            if not last.startswith("{") and segments[-2].startswith("{"):
                return "_".join(s for s in segments if not s.startswith("{")).replace("-", "_")
        return super().get_operation_id()


def document_errors(result, generator, request, public):
    """Postprocessing hook: the error type, its codes, and the error answers on every
    operation where they can happen; an operation's own answer for a status stays, with the
    error type offered beside it."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorCodeEnum"] = {"type": "string", "enum": ERROR_CODES, "description": "The `error` of an answer."}
    schemas["Error"] = ERROR_SCHEMA
    error_ref = {"$ref": "#/components/schemas/Error"}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            if _is_page(responses):
                operation["description"] = "\n\n".join(filter(None, [operation.get("description"), LIST_DESCRIPTION]))
            for status, description in ERRORS.items():
                if status in WRITE_ONLY_ERRORS and method == "get":
                    continue
                if status in IDEMPOTENT_ONLY_ERRORS and not _takes_idempotency_key(operation):
                    continue
                if status in BODY_ONLY_ERRORS and "requestBody" not in operation:
                    continue
                existing = responses.get(status)
                schema = (existing or {}).get("content", {}).get("application/json", {}).get("schema")
                schema = {"oneOf": [schema, error_ref]} if schema and schema != error_ref else error_ref
                own_description = (existing or {}).get("description", "")
                responses[status] = {
                    "description": description if own_description in SPECTACULAR_PLACEHOLDERS else own_description,
                    "content": {"application/json": {"schema": schema}},
                }
    return result


def drop_blank_defaults(result, generator, request, public):
    """Postprocessing hook: a field that may be left blank gets "" when left out, but a
    `default: ""` beside a format or pattern that "" does not meet (an e-mail, a postcode)
    makes the schema invalid. The default goes; a field left out is still blank.

    A query parameter loses its `default: ""` whatever its format: a generated client sends
    the default (`?domain=`), an empty value OpenAPI refuses without `allowEmptyValue`, where
    leaving the parameter out means the same."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("in") == "query" and parameter.get("schema", {}).get("default") == "":
                    del parameter["schema"]["default"]
    pending = [result]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if node.get("default") == "" and ("format" in node or "pattern" in node):
                del node["default"]
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return result


def _is_page(responses: dict) -> bool:
    schema = responses.get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("$ref", "").startswith("#/components/schemas/Paginated")


def _takes_idempotency_key(operation: dict) -> bool:
    return any(p.get("in") == "header" and p.get("name") == "Idempotency-Key" for p in operation.get("parameters", []))
