"""The contract: what an integrator does with the schema, done in the suite. A client is
generated from a coordination's schema (openapi-python-client, offline, into a temporary
folder), every module of it is imported, and the referral journey runs through it against
a real server: open a file, record the consent, refer, accept, add a note, withdraw the
consent. Every request and response is checked against the schema (openapi-core), so any
answer the schema does not describe fails the test.

The server is a real process on the test database, as for the browser journey
(tests/test_browser_journey.py), with its own committed coordination: pytest-django's
live_server would need a transactional database, whose flush at the end would take the
session's coordinations with it.
"""

import importlib
import importlib.util
import json
import os
import pkgutil
import re
import socket
import subprocess
import sys
import time
import typing
import uuid
from pathlib import Path

import httpx
import pytest
from django.db import connection
from django_tenants.utils import schema_context
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from maillage.actor import Actor
from members.provisioning import CommuneInput, provision_coordination
from members.roles import Role
from members.services import add_member
from tenants.models import Coordination, User
from tests.factories import api_token_for

ROOT = Path(__file__).resolve().parents[2]
SLUG = "contract"
PACKAGE = "maillage_client"
GENERATOR = Path(sys.executable).parent / "openapi-python-client"
# Without post hooks: the generator would run ruff on its output, which the test does not need.
GENERATOR_CONFIG = f"package_name_override: {PACKAGE}\npost_hooks: []\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def contract(world, django_db_blocker) -> dict:
    """A coordination with a BAPA worker and a CPAS reference person, each with a token."""
    with django_db_blocker.unblock():
        coordination = Coordination.objects.filter(slug=SLUG).first() or provision_coordination(
            actor=Actor.system(),
            name="Contract",
            slug=SLUG,
            region="brussels",
            communes=[CommuneInput("Etterbeek", "21005")],
            lead_organisation_name="BAPA Contract",
            lead_organisation_kind="bapa",
            coordinator_email="coordinator@contract.test",
        )
        people = {}
        with schema_context(SLUG):
            from directory.models import Organisation
            from directory.services import create_organisation
            from members.models import Membership

            system = Actor.system(coordination)
            bapa = Organisation.objects.get(name="BAPA Contract")
            cpas = Organisation.objects.filter(name="CPAS Contract").first() or create_organisation(
                actor=system, name="CPAS Contract", kind="cpas"
            )
            for key, email, organisation, role in (
                ("bapa", "worker@contract.test", bapa, Role.WORKER),
                ("cpas", "referent@contract.test", cpas, Role.CPAS_REFERENT),
            ):
                user = User.objects.filter(email=email).first() or User.objects.create_user(email, full_name=key)
                if not Membership.objects.filter(user=user, is_active=True).exists():
                    add_member(actor=system, user=user, organisation=organisation, role=role)
                people[key] = {"organisation": str(organisation.public_id)}
        for key, email in (("bapa", "worker@contract.test"), ("cpas", "referent@contract.test")):
            people[key]["token"] = api_token_for(User.objects.get(email=email), label="contract")
        connection.set_schema_to_public()
    return people


@pytest.fixture(scope="module")
def server(contract):
    db = connection.settings_dict
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MAILLAGE_SITE_URL": f"http://127.0.0.1:{port}",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "EMAIL_URL": "dummymail://",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def schema(server, contract) -> dict:
    response = httpx.get(
        f"{server}/c/{SLUG}/api/v1/schema/?format=json",
        headers={"Authorization": f"Token {contract['bapa']['token']}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def generated(schema, tmp_path_factory) -> tuple[Path, float]:
    """The client's package folder (on sys.path) and how long generating it took."""
    folder = tmp_path_factory.mktemp("client")
    (folder / "schema.json").write_text(json.dumps(schema))
    (folder / "config.yaml").write_text(GENERATOR_CONFIG)
    started = time.monotonic()
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(folder / "schema.json"),
            "--config",
            str(folder / "config.yaml"),
            "--meta",
            "none",
            "--output-path",
            str(folder / PACKAGE),
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        # Offline: the generator must need nothing from the network.
        env={**os.environ, "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"},
    )
    took = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    yield folder / PACKAGE, took
    sys.path.remove(str(folder))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]


def test_the_contract_runs_on_the_test_database(db):
    """Asked first, as in tests/test_browser_journey.py: the test database exists only once
    a test asks for it, and the server below must not open the real one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        assert cursor.fetchone()[0].startswith("test_")


def _modules() -> list[str]:
    package = importlib.import_module(PACKAGE)
    return [m.name for m in pkgutil.walk_packages(package.__path__, PACKAGE + ".")]


def test_the_schema_names_its_absolute_server(schema, server):
    assert schema["servers"] == [{"url": f"{server}/c/{SLUG}", "description": "Contract"}]


def test_the_schema_is_valid_openapi(schema):
    OpenAPI.from_dict(schema).check_spec()


def test_the_client_generates_offline_within_a_minute(generated):
    folder, took = generated
    assert (folder / "client.py").exists() and (folder / "api").is_dir()
    assert took < 60


def test_every_module_of_the_client_imports(generated):
    failures = {}
    for name in _modules():
        try:
            importlib.import_module(name)
        except Exception as error:
            failures[name] = repr(error)
    assert failures == {}


class Journey:
    """Calls the generated client by route (method and path, as in the schema), and checks
    every exchange against the schema."""

    def __init__(self, schema: dict, server: str, token: str, violations: list):
        from maillage_client import AuthenticatedClient

        # The schema's own validity is test_the_schema_is_valid_openapi's: here, the exchanges.
        self.openapi = OpenAPI.from_dict(schema, config=Config(spec_validator_cls=None))
        self.violations = violations
        self.client = AuthenticatedClient(
            base_url=schema["servers"][0]["url"],
            token=token,
            prefix="Token",
            raise_on_unexpected_status=False,
            timeout=httpx.Timeout(60),
            httpx_args={"event_hooks": {"response": [self._check]}},
        )
        self.endpoints = _endpoints()

    def _check(self, response: httpx.Response) -> None:
        response.read()
        request = response.request
        request.read()  # a multipart body is a stream until read
        url = request.url
        mock_request = MockRequest(
            host_url=f"{url.scheme}://{url.netloc.decode()}",
            method=request.method.lower(),
            path=url.path,
            args=dict(url.params),
            headers=dict(request.headers),
            data=request.content or None,
            # Whole, with its parameters: a multipart body is read by its boundary.
            content_type=request.headers.get("content-type", "application/json"),
        )
        mock_response = MockResponse(
            response.content,
            status_code=response.status_code,
            headers=dict(response.headers),
            content_type=response.headers.get("content-type", "application/json").split(";")[0],
        )
        where = f"{request.method} {url.path} → {response.status_code}"
        if mock_request.content_type.startswith("application/json"):
            # Multipart bodies are left out: openapi-core cannot decode one whose schema has
            # OpenAPI 3.1 type lists (["string", "null"]). Every response is checked.
            self.violations.extend(
                f"{where} request: {e} ({e.__cause__})" for e in self.openapi.iter_request_errors(mock_request)
            )
        self.violations.extend(
            f"{where} response: {e} ({e.__cause__})"
            for e in self.openapi.iter_response_errors(mock_request, mock_response)
        )

    def call(self, method: str, path: str, body: dict | None = None, **params):
        module = importlib.import_module(self.endpoints[(method, path)])
        kwargs = dict(params)
        if body is not None:
            hint = typing.get_type_hints(module._get_kwargs)["body"]
            model = next(t for t in typing.get_args(hint) or (hint,) if hasattr(t, "from_dict"))
            kwargs["body"] = model.from_dict(body)
        if method == "post":
            kwargs["idempotency_key"] = str(uuid.uuid4())
        response = module.sync_detailed(client=self.client, **kwargs)
        assert response.status_code < 400, (method, path, response.status_code, response.content)
        if response.content:
            assert response.parsed is not None, (method, path, "the client could not read the answer")
            return json.loads(response.content)
        return None


def _endpoints() -> dict:
    """Each generated endpoint module's name by the route it calls, read from its source
    (imported only when called: one that fails to import fails only the calls to it)."""
    found = {}
    for name in _modules():
        if ".api." not in name or name.endswith("__init__"):
            continue
        source = Path(importlib.util.find_spec(name).origin).read_text()
        route = re.search(r'"method": "(\w+)",\s*"url": "([^"]+)"', source)
        if route:
            found[route.groups()] = name
    return found


def test_the_referral_journey_runs_through_the_client(generated, schema, server, contract):
    violations: list[str] = []
    worker = Journey(schema, server, contract["bapa"]["token"], violations)
    referent = Journey(schema, server, contract["cpas"]["token"], violations)
    cpas = contract["cpas"]["organisation"]

    person = worker.call("post", "/api/v1/persons/", {"given_name": "Amina", "family_name": "Contrat"})
    consent = worker.call(
        "post",
        "/api/v1/persons/{public_id}/consents/",
        {
            "recipients": [cpas],
            "domains": ["housing"],
            "categories": ["identity", "situation", "case_notes"],
            "purpose": "Logement",
            "method": "oral_witnessed",
            "witness_name": "Collègue",
            "explanation_language": "fr",
        },
        public_id=person["id"],
    )
    referral = worker.call(
        "post",
        "/api/v1/referrals/",
        {
            "person": person["id"],
            "to_organisation": cpas,
            "domains": ["housing"],
            "reason": "Logement",
            "send": True,
            "appointment_at": "2027-01-15T09:30:00+01:00",
        },
    )
    inbox = referent.call("get", "/api/v1/referrals/inbox/")
    assert referral["id"] in json.dumps(inbox)
    accepted = referent.call(
        "post", "/api/v1/referrals/{public_id}/{transition}/", {}, public_id=referral["id"], transition="accept"
    )
    assert accepted["status"] == "accepted"
    referent.call(
        "post",
        "/api/v1/persons/{public_id}/notes/",
        {"domain": "housing", "text": "Reçue", "audience": "referral", "referral": referral["id"]},
        public_id=person["id"],
    )
    worker.call("get", "/api/v1/persons/{public_id}/notes/", public_id=person["id"])
    worker.call("post", "/api/v1/consents/{public_id}/withdraw/", {"reason": "Refus"}, public_id=consent["id"])
    after = referent.call("get", "/api/v1/referrals/{public_id}/", public_id=referral["id"])
    assert after["person"] is None
    assert violations == []
