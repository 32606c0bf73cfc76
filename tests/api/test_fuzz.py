"""The whole API schema fuzzed by schemathesis, as a worker and as a coordinator: whatever
the input, valid by the schema or not, no answer is a server error.

Bounded and reproducible: each operation gets MAILLAGE_FUZZ_EXAMPLES generated cases per
mode (valid, invalid; 2 by default, about 250 cases in all), derandomized, and each case is
sent as both personas. Detail routes are given real records. For the large run (1,000 and
more cases), raise the number and keep the printed figures:

    MAILLAGE_FUZZ_EXAMPLES=10 python3 platform/dev.py test tests/api/test_fuzz.py -p no:randomly -q -s

Every answer must also match the schema (status documented, body of the documented type):
the schema is what integrators generate their clients from. A mismatch fails the test,
with the first message for each operation and status.

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
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from plans import services
from tests.factories import (
    ActionFactory,
    CaseNoteFactory,
    MeetingFactory,
    ObjectiveFactory,
    OfferFactory,
    ReferralFactory,
    api_token_for,
)
from tests.plans.conftest import build_family

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
    note = CaseNoteFactory(person=referral.person, audience="organisation")
    with schema_context("schaerbeek"):
        family = build_family(world)
        review = services.hold_review(
            actor=world["bapa_worker"].actor(),
            plan=family.plan,
            data=services.ReviewInput(held_on=family.piis.signed_on, participants=[family.association]),
        )
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
        "plans": family.plan.public_id,
        "plan-commitments": family.course.public_id,
        "plan-piis": family.piis.public_id,
        "plan-reviews": review.public_id,
    }


def fuzz(personas: dict[str, dict], examples: int, known: dict) -> tuple[int, list[str], dict[str, str]]:
    """(cases generated, one line per server error, responses off the schema by operation and
    status with the first mismatch's message)
    over every operation of the schema; each case is sent once with each persona's headers."""
    any_headers = next(iter(personas.values()))
    schema = schemathesis.openapi.from_wsgi(f"{BASE}/api/v1/schema/", get_wsgi_application(), headers=any_headers)
    count, errors, statuses, off_schema = 0, [], Counter(), {}
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
            if case.headers and "Idempotency-Key" in case.headers:
                # A key the generator repeats across cases would replay or refuse (422) the
                # first case's answer instead of running the new input: each case gets its own.
                case.headers["Idempotency-Key"] = f"fuzz-{count}"
            for persona, headers in personas.items():
                response = case.call(base_url=f"http://localhost{BASE}", headers=headers)
                statuses[response.status_code] += 1
                if response.status_code >= 500:
                    errors.append(f"{persona}: {response.status_code} {case.as_curl_command(headers=headers)}")
                try:
                    case.validate_response(response, checks=[response_schema_conformance], headers=headers)
                except (FailureGroup, Failure) as failure:
                    key = f"{case.method} {operation.path} {response.status_code}"
                    off_schema.setdefault(key, f"{persona}: {str(failure)[:1000]}")

        try:
            run()
        except Unsatisfiable:
            pass  # nothing in this operation's input can be made invalid (no parameters, no body)
    print("statuses:", sorted(statuses.items()))
    return count, errors, off_schema


def test_no_input_is_a_server_error_or_off_the_schema_for_a_worker_or_a_coordinator(tenant_db, in_transaction):
    personas = {}
    for persona in ("bapa_worker", "coordinator"):
        personas[persona] = {"Authorization": f"Token {api_token_for(tenant_db[persona].user)}"}
    count, errors, off_schema = fuzz(personas, EXAMPLES, records(tenant_db))
    print(f"{count} cases, each sent as {len(personas)} personas; {len(errors)} server errors")
    print(f"{len(off_schema)} operations and statuses off the schema")
    assert count >= 100
    assert not errors, "\n".join(errors)
    assert not off_schema, "\n".join(f"{key}: {message}" for key, message in sorted(off_schema.items()))
