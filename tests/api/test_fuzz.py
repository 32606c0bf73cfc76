"""The whole API schema fuzzed by schemathesis, as a worker and as a coordinator: whatever
the input, no answer is a server error.

Bounded and reproducible: each operation gets MAILLAGE_FUZZ_EXAMPLES generated cases (2 by
default, a few hundred in all), derandomized, so the normal suite runs it in about a minute
at most. For the large run, raise the number:

    MAILLAGE_FUZZ_EXAMPLES=25 python3 platform/dev.py test tests/api/test_fuzz.py -p no:randomly -q

Requests go through the WSGI application in the test's process (no server), inside the
test's rolled-back transaction. Schemathesis's own pytest integration is not used: its
lazily loaded schema (from_fixture) fails under pytest 9, so hypothesis runs each operation's
strategy here, and every server error is collected before the test fails, with a curl line
to replay it."""

import os
from collections import Counter
from itertools import product

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import (
    ActionFactory,
    CaseNoteFactory,
    MeetingFactory,
    ObjectiveFactory,
    OfferFactory,
    ReferralFactory,
)

EXAMPLES = int(os.environ.get("MAILLAGE_FUZZ_EXAMPLES", "2"))
BASE = "/c/schaerbeek"
# Valid input by the schema, and input the schema forbids (each should be a 4xx).
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


@pytest.fixture
def in_transaction():
    """As Django's test client does: the handler must not close the test's connection (and
    with it the transaction) at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def records(world) -> dict:
    """One record of each kind an API path names by public_id, keyed by the path's first
    segment after /api/v1/: with random ids every detail route would only ever answer 404."""
    referral = ReferralFactory(status="sent")
    note = CaseNoteFactory(person=referral.person)
    return {
        "members": world["cpas_referent"].membership_public_id,
        "organisations": world["cpas_referent"].organisation_public_id,
        "offers": OfferFactory(organisation="VIA — BAPA Schaerbeek").public_id,
        "hsds": OfferFactory().public_id,
        "persons": referral.person.public_id,
        "consents": referral.consent.public_id,
        "notes": note.public_id,
        "referrals": referral.public_id,
        "meetings": MeetingFactory().public_id,
        "actions": ActionFactory().public_id,
        "objectives": ObjectiveFactory().public_id,
    }


def fuzz(headers: dict, examples: int, known: dict) -> tuple[int, list[str]]:
    """(cases run, one line per server error) over every operation of the schema."""
    schema = schemathesis.openapi.from_wsgi(f"{BASE}/api/v1/schema/", get_wsgi_application(), headers=headers)
    count, errors, statuses, off_schema = 0, [], Counter(), Counter()
    for result, mode in product(schema.get_all_operations(), MODES):
        operation = result.ok()
        segment = operation.path.removeprefix("/api/v1/").split("/")[0]
        fixed = {"public_id": str(known[segment])} if "{public_id}" in operation.path and segment in known else None

        @settings(
            max_examples=examples,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed))
        def run(case):
            nonlocal count
            count += 1
            response = case.call(base_url=f"http://localhost{BASE}", headers=headers)
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                errors.append(f"{response.status_code} {case.as_curl_command(headers=headers)}")
            try:
                case.validate_response(response, checks=[response_schema_conformance], headers=headers)
            except (FailureGroup, Failure):  # counted, not failed: see the module's docstring
                off_schema[f"{case.method} {operation.path} {response.status_code}"] += 1

        try:
            run()
        except Unsatisfiable:
            pass  # nothing in this operation's input can be made invalid (no parameters, no body)
    print(sorted(statuses.items()))
    print(f"{sum(off_schema.values())} responses off the schema:", *sorted(off_schema.items()), sep="\n  ")
    return count, errors


@pytest.mark.parametrize("persona", ["bapa_worker", "coordinator"])
def test_no_input_is_a_server_error(tenant_db, in_transaction, persona):
    token, _ = Token.objects.get_or_create(user=tenant_db[persona].user)
    count, errors = fuzz({"Authorization": f"Token {token.key}"}, EXAMPLES, records(tenant_db))
    print(f"{persona}: {count} cases, {len(errors)} server errors")
    assert count >= 20
    assert not errors, "\n".join(errors)
