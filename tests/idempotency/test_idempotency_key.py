"""An API POST sent again with the same Idempotency-Key gets its first response, not a
second record; the keys are each user's, in each coordination, for 24 hours."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import get_resolver
from django.utils import timezone
from django_tenants.utils import schema_context
from drf_spectacular.generators import SchemaGenerator

from idempotency import services
from idempotency.models import IdempotentRequest
from idempotency.tasks import purge_expired_keys, purge_expired_keys_everywhere
from members.roles import Role
from referrals.models import Referral
from tests.api.test_interop_api import CSV
from tests.conftest import Persona
from tests.factories import ConsentFactory, MembershipFactory, PersonFactory

API = "/c/schaerbeek/api/v1/referrals/"
KEY = "2f1e6c1a-6f5b-4c2e-9d43-8f0b1c2d3e4f"


@pytest.fixture
def person(tenant_db):
    """A person the BAPA follows, with a consent to share with the CPAS about housing."""
    with schema_context("schaerbeek"):
        person = PersonFactory()
        ConsentFactory(person=person)
    return person


def _body(world, person, **values):
    return {
        "person": str(person.public_id),
        "to_organisation": str(world["cpas_referent"].organisation_public_id),
        "domains": ["housing"],
        "reason": "Logement",
        "send": True,
        **values,
    }


def _refer(api, world, person, key=KEY, **values):
    return api.post(API, _body(world, person, **values), format="json", HTTP_IDEMPOTENCY_KEY=key)


def _referrals(person) -> int:
    with schema_context("schaerbeek"):
        return Referral.objects.filter(person=person).count()


def test_a_retried_referral_creates_one_referral_and_gets_the_same_response(tenant_db, token_client, person):
    api = token_client(tenant_db["bapa_worker"])
    first = _refer(api, tenant_db, person)
    again = _refer(api, tenant_db, person)
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _referrals(person) == 1
    with schema_context("schaerbeek"):
        assert Referral.objects.get(person=person).status == "sent"


def test_the_same_body_with_its_keys_in_another_order_is_the_same_request(tenant_db, token_client, person):
    api = token_client(tenant_db["bapa_worker"])
    body = _body(tenant_db, person)
    first = api.post(API, body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    again = api.post(API, dict(reversed(body.items())), format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    assert again.json() == first.json()
    assert _referrals(person) == 1


def test_the_same_key_with_another_body_is_422_and_creates_nothing_more(tenant_db, token_client, person):
    api = token_client(tenant_db["bapa_worker"])
    assert _refer(api, tenant_db, person).status_code == 201
    response = _refer(api, tenant_db, person, reason="Autre chose")
    assert response.status_code == 422
    assert response.json()["error"] == "idempotency_key_reused"
    assert response.json()["detail"]
    assert _referrals(person) == 1


def test_the_same_key_on_another_path_is_422(tenant_db, token_client, person):
    api = token_client(tenant_db["bapa_worker"])
    assert _refer(api, tenant_db, person).status_code == 201
    response = api.post(
        f"/c/schaerbeek/api/v1/persons/{person.public_id}/notes/",
        {"domain": "housing", "text": "Vu ce jour", "audience": "organisation"},
        format="json",
        HTTP_IDEMPOTENCY_KEY=KEY,
    )
    assert response.status_code == 422


def test_another_user_with_the_same_key_gets_a_referral_of_their_own(tenant_db, token_client, person):
    world = tenant_db
    seat = MembershipFactory(user__email="bapa.two@schaerbeek.test", organisation="bapa_worker", role=Role.WORKER)
    colleague = Persona(seat.user, world.schaerbeek, seat.organisation.public_id, seat.public_id, Role.WORKER)
    first = _refer(token_client(world["bapa_worker"]), world, person)
    second = _refer(token_client(colleague), world, person)
    assert first.status_code == second.status_code == 201
    assert second.json()["id"] != first.json()["id"]
    assert "Idempotent-Replayed" not in second.headers
    assert _referrals(person) == 2


def test_the_same_user_and_key_in_another_coordination_are_another_key(tenant_db, token_client):
    world = tenant_db
    with schema_context("schaerbeek"):
        IdempotentRequest.objects.create(
            user=world["foreigner"].user, key=KEY, fingerprint="0" * 64, status_code=201, body="{}"
        )
    # The foreigner's own coordination has no row for that key: the request runs.
    response = token_client(world["foreigner"]).post(
        "/c/tournai/api/v1/persons/",
        {"given_name": "Ilona", "family_name": "Kovacs", "birth_year": 1990},
        format="json",
        HTTP_IDEMPOTENCY_KEY=KEY,
    )
    assert response.status_code == 201, response.json()
    assert "Idempotent-Replayed" not in response.headers


def test_a_key_older_than_24_hours_is_a_new_request(tenant_db, token_client, person):
    api = token_client(tenant_db["bapa_worker"])
    first = _refer(api, tenant_db, person)
    with schema_context("schaerbeek"):
        IdempotentRequest.objects.filter(key=KEY).update(created_at=timezone.now() - timedelta(hours=25))
    again = _refer(api, tenant_db, person)
    assert again.status_code == 201
    assert again.json()["id"] != first.json()["id"]
    assert _referrals(person) == 2
    with schema_context("schaerbeek"):
        assert IdempotentRequest.objects.filter(key=KEY).count() == 1


def test_the_daily_job_purges_keys_older_than_24_hours(tenant_db):
    user = tenant_db["bapa_worker"].user
    with schema_context("schaerbeek"):
        for key, age in (("old", 25), ("fresh", 23)):
            row = IdempotentRequest.objects.create(user=user, key=key, fingerprint="0" * 64, status_code=201, body="{}")
            IdempotentRequest.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(hours=age))
    assert purge_expired_keys("schaerbeek") == 1
    with schema_context("schaerbeek"):
        assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["fresh"]


def test_the_daily_job_purges_the_account_apis_keys_too(tenant_db):
    user = tenant_db["bapa_worker"].user
    row = IdempotentRequest.objects.create(user=user, key="old", fingerprint="0" * 64, status_code=204, body="null")
    IdempotentRequest.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(hours=25))
    with mock.patch("idempotency.tasks.for_each_coordination", return_value=0):
        purge_expired_keys_everywhere()
    assert not IdempotentRequest.objects.filter(pk=row.pk).exists()


def test_a_request_still_running_with_the_key_gets_409(tenant_db, token_client, person):
    world = tenant_db
    other = connection.copy()
    try:
        # Another connection holds the key, as the first request's transaction would.
        with other.cursor() as cursor:
            number = services.lock_id(schema_name="schaerbeek", user_id=world["bapa_worker"].user.pk, key=KEY)
            cursor.execute("SELECT pg_advisory_lock(%s)", [number])
        response = _refer(token_client(world["bapa_worker"]), world, person)
    finally:
        other.close()
    assert response.status_code == 409
    assert response.json()["error"] == "idempotency_key_in_use"
    assert _referrals(person) == 0


@pytest.mark.parametrize("key", ["", "x" * 256, "clé", "tab\there"])
def test_a_malformed_key_is_400_naming_the_header(tenant_db, token_client, person, key):
    response = _refer(token_client(tenant_db["bapa_worker"]), tenant_db, person, key=key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["fields"]
    assert _referrals(person) == 0


def test_a_refused_request_is_kept_and_answered_again(tenant_db, token_client, person):
    api = token_client(tenant_db["bapa_worker"])
    first = _refer(api, tenant_db, person, domains=["legal_aid"])  # beyond the consent
    again = _refer(api, tenant_db, person, domains=["legal_aid"])
    assert first.status_code == again.status_code == 400
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _referrals(person) == 0


def test_a_server_error_keeps_neither_the_referral_nor_the_key(tenant_db, token_client, person):
    api = token_client(tenant_db["bapa_worker"])
    api.raise_request_exception = False
    with mock.patch("api.referrals._serialize", side_effect=RuntimeError("rendering failed")):
        assert _refer(api, tenant_db, person).status_code == 500
    assert _referrals(person) == 0
    with schema_context("schaerbeek"):
        assert not IdempotentRequest.objects.exists()
    # The key stays free: the retry is carried out.
    assert _refer(api, tenant_db, person).status_code == 201
    assert _referrals(person) == 1


def test_an_upload_sent_again_is_the_same_request_and_another_file_is_not(tenant_db, token_client):
    api = token_client(tenant_db["coordinator"])

    def _import(text):
        upload = SimpleUploadedFile("offers.csv", text.encode(), content_type="text/csv")
        return api.post(
            "/c/schaerbeek/api/v1/import/csv/", {"file": upload}, format="multipart", HTTP_IDEMPOTENCY_KEY=KEY
        )

    first = _import(CSV)
    assert first.status_code == 200, first.content.decode()
    again = _import(CSV)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert _import(CSV.replace("Permanence logement", "Permanence emploi")).status_code == 422


def test_without_the_header_each_post_creates_a_referral(tenant_db, token_client, person):
    api = token_client(tenant_db["bapa_worker"])
    for _ in range(2):
        assert api.post(API, _body(tenant_db, person), format="json").status_code == 201
    assert _referrals(person) == 2


def _tenant_api_views():
    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns)
            elif getattr(pattern.callback, "cls", None) is not None:
                yield pattern.callback.cls

    return set(walk(get_resolver("api.urls").url_patterns))


def test_every_post_of_the_coordination_api_takes_an_idempotency_key():
    posts = [view for view in _tenant_api_views() if hasattr(view, "post")]
    assert posts
    assert [view.__name__ for view in posts if not getattr(view.post, "idempotent", False)] == []


def test_the_openapi_schema_declares_the_header_on_posts():
    schema = SchemaGenerator(urlconf="maillage.urls_tenant").get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/referrals/"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation["parameters"])


# Issuing a token is left out on purpose: a kept response would hold the token's key in
# clear for a day (api.accounts.MyTokensView.post).
NOT_KEPT = {"MyTokensView"}


def test_every_post_of_the_account_api_takes_an_idempotency_key():
    views = {
        pattern.callback.cls
        for pattern in get_resolver("api.urls_public").url_patterns
        if getattr(pattern.callback, "cls", None) is not None
    }
    posts = [view for view in views if "post" in vars(view)]
    assert posts
    missing = [view.__name__ for view in posts if not getattr(view.post, "idempotent", False)]
    assert sorted(missing) == sorted(NOT_KEPT)
