"""Reading the Idempotency-Key header, fingerprinting a request, and keeping and finding
the response a key got (the DRF side: idempotency.decorators)."""

import hashlib
import json
from datetime import timedelta

from django.db import connection
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from idempotency.models import IdempotentRequest
from maillage.encoders import JSONEncoder
from maillage.errors import Conflict, DomainError, Invalid

HEADER = "Idempotency-Key"
MAX_LENGTH = 255
# How long a key answers with its first response; after that the same key is a new request.
KEPT_FOR = timedelta(hours=24)


class KeyReused(DomainError):
    status = 422
    code = "idempotency_key_reused"
    default_message = _("This Idempotency-Key was already used for another request; send a new key.")


class KeyInUse(Conflict):
    code = "idempotency_key_in_use"
    default_message = _("A request with this Idempotency-Key is still being processed; retry later.")


def read_key(headers) -> str | None:
    """The request's key, None without the header; a 400 naming the header when it is not
    1 to 255 printable ASCII characters."""
    if HEADER not in headers:
        return None
    key = headers[HEADER]
    if not 1 <= len(key) <= MAX_LENGTH or not all(" " <= char <= "~" for char in key):
        raise Invalid(fields={HEADER: [_("Send 1 to 255 printable ASCII characters.")]})
    return key


def _file_digest(upload) -> dict:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)  # the view reads the upload after us
    return {"name": upload.name, "size": upload.size, "sha256": digest.hexdigest()}


def _canonical(data, files=None):
    """The parsed body as plain data, the same whatever the order of its keys or the
    multipart boundary a client library picked on its retry."""
    if isinstance(data, QueryDict):
        # DRF merges the uploads into the form's data: they are fingerprinted by content below.
        data = {name: data.getlist(name) for name in data if not (files and name in files)}
    if files:
        data = {**data, "__files__": {name: [_file_digest(f) for f in files.getlist(name)] for name in files}}
    return data


def fingerprint(*, method: str, path: str, data, files=None) -> str:
    """What identifies a request for its key: method, path with its query, parsed body."""
    body = json.dumps(_canonical(data, files), cls=JSONEncoder, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{method}\n{path}\n{body}".encode()).hexdigest()


def lock_id(*, schema_name: str, user_id: int, key: str) -> int:
    """The advisory lock's number for a key: schema, user and key hashed to 64 bits."""
    digest = hashlib.sha256(f"idempotency\n{schema_name}\n{user_id}\n{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def hold(*, user, key: str) -> None:
    """Takes the key for the current transaction, or raises KeyInUse while another request
    holds it. A PostgreSQL advisory lock rather than a row marked "in progress": it goes
    with its transaction, so a crashed worker leaves nothing behind that would block the key."""
    number = lock_id(schema_name=connection.schema_name, user_id=user.pk, key=key)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [number])
        (taken,) = cursor.fetchone()
    if not taken:
        raise KeyInUse()


def kept_response(*, user, key: str, now=None) -> IdempotentRequest | None:
    """The response this user's key got in the last 24 hours, if any."""
    now = now or timezone.now()
    return IdempotentRequest.objects.filter(user=user, key=key, created_at__gt=now - KEPT_FOR).first()


def keep_response(*, user, key: str, fingerprint: str, status_code: int, body) -> IdempotentRequest:
    """Stores the response; called inside the transaction that wrote what the request
    created, so that the two are committed or lost together. An expired row of the same
    key gives way."""
    IdempotentRequest.objects.filter(user=user, key=key).delete()
    return IdempotentRequest.objects.create(
        user=user, key=key, fingerprint=fingerprint, status_code=status_code, body=json.dumps(body, cls=JSONEncoder)
    )


def kept_body(kept: IdempotentRequest):
    """The data of a kept response, its keys in their first order."""
    return json.loads(kept.body)


def purge_expired(*, now=None) -> int:
    """Drops the rows past their 24 hours; returns how many."""
    now = now or timezone.now()
    deleted, _by_model = IdempotentRequest.objects.filter(created_at__lte=now - KEPT_FOR).delete()
    return deleted
