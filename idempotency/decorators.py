"""`@idempotent` on an API view's POST: a request sent again with the same Idempotency-Key
gets the first response again instead of being carried out twice.

- Without the header, nothing changes.
- The key is the user's, in this coordination (the table lives in its schema), for 24 hours.
- The same key with another method, path or body: 422 `idempotency_key_reused`.
- The same key while its first request still runs: 409 `idempotency_key_in_use`.
- A malformed key: 400 naming the `Idempotency-Key` field.
- Kept: every response the view gave, 2xx and 4xx alike (a refused request sent again is
  refused again, as with Stripe and the IETF httpapi draft). Not kept: 5xx and unexpected
  errors, nor what is refused before the view runs (authentication, the coordination's
  404, a malformed key or body): all is rolled back and the key stays free for a retry.

The view runs inside one transaction that also stores the response: the created records,
their timeline and audit rows and the kept response are committed together or not at all,
so a crash cannot leave a record without its key or a key without its record. A view's
own failures run in a savepoint, rolled back before its error response is kept.
Notifications and tasks scheduled with `on_commit` run once that transaction commits; if
one of them fails (the broker down), the response is already kept, so the client's retry
gets the 201 it missed instead of a second record.

Written here rather than taken from a package: django-idempotency-key was last released in
2023 for Django 4.2, drf-idempotency (1.0) and drf-idempotencykey (0.2) are new, and none
documents storing the response in the transaction of the records it answers for, which
is the point here (a Redis store would also fail with the outage a client retries after).
"""

import functools

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from idempotency import services

PARAMETER = OpenApiParameter(
    services.HEADER,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optional, 1 to 255 printable ASCII characters (a UUID, say). Sent again within 24 hours "
        "with the same request, it gets the first response again (marked `Idempotent-Replayed: true`) "
        "instead of a second record; with another request, 422 `idempotency_key_reused`; while the "
        "first is still running, 409 `idempotency_key_in_use`."
    ),
)
REPLAYED = "Idempotent-Replayed"


def idempotent(post):
    @functools.wraps(post)
    def wrapper(view, request, *args, **kwargs):
        key = services.read_key(request.headers)
        if key is None:
            return post(view, request, *args, **kwargs)
        fingerprint = services.fingerprint(
            method=request.method, path=request.get_full_path(), data=request.data, files=request.FILES
        )
        with transaction.atomic():
            services.hold(user=request.user, key=key)
            kept = services.kept_response(user=request.user, key=key)
            if kept is not None:
                if kept.fingerprint != fingerprint:
                    raise services.KeyReused()
                return Response(services.kept_body(kept), status=kept.status_code, headers={REPLAYED: "true"})
            try:
                with transaction.atomic():
                    response = post(view, request, *args, **kwargs)
            except Exception as exc:
                # The view's error response, as its base would make it (re-raised when the
                # handler has none: a 500, and everything rolled back).
                response = view.handle_exception(exc)
            if isinstance(response, Response) and response.status_code < 500:
                services.keep_response(
                    user=request.user,
                    key=key,
                    fingerprint=fingerprint,
                    status_code=response.status_code,
                    body=response.data,
                )
            return response

    wrapper.idempotent = True
    return extend_schema(parameters=[PARAMETER])(wrapper)
