"""Computing a region's indicators now, from the dashboard, and following its progress."""

import re
import uuid

import pytest
from django.core import signing

from audit.models import AuditEvent
from maillage.actor import Actor
from maillage.celery import app
from regions.models import IndicatorValue
from regions.views import RUN_SALT
from tenants.models import User
from tenants.services import create_regional_administrator

PERIOD = "2026-10"
# Reading a result while tasks run eagerly (the test setting) warns; a worker stores them.
pytestmark = pytest.mark.filterwarnings("ignore:Results are not stored:RuntimeWarning")


def _token(region: str = "brussels", task: str | None = None, period: str = PERIOD) -> tuple[str, str]:
    task = task or str(uuid.uuid4())
    return task, signing.dumps({"task": task, "region": region, "period": period}, salt=RUN_SALT)


def _store(task: str, state: str, meta) -> None:
    """What a worker writes in the result backend (Redis) while it runs."""
    app.backend.store_result(task, meta, state)


@pytest.fixture
def wallonia_admin(tenant_db):
    return create_regional_administrator(
        actor=Actor.system(), email="region@wallonia.test", region="wallonia", password="a-long-test-password-2026"
    ).user


@pytest.fixture
def stored_eager_results(monkeypatch):
    """The task, run eagerly (the test setting), keeps its final state in the backend as a
    worker does (the task reads the setting once, when it is bound to the app)."""
    from regions.tasks import compute_indicators

    monkeypatch.setattr(compute_indicators, "store_eager_result", True)


def test_the_dashboard_offers_to_compute_the_period_now(tenant_db, login, client):
    login(tenant_db["regional_admin"], verified=False)
    body = client.get(f"/region/brussels/?period={PERIOD}").content.decode()
    form = body[body.index('class="compute-form"') - 40 :]
    form = form[: form.index("</form>")]
    assert 'method="post" action="compute/"' in form
    assert f'name="period" value="{PERIOD}"' in form
    assert "csrfmiddlewaretoken" in form


def test_compute_now_runs_the_task_for_the_region_and_shows_its_progress(
    tenant_db, login, client, django_capture_on_commit_callbacks, stored_eager_results
):
    login(tenant_db["regional_admin"], verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/region/brussels/compute/", {"period": PERIOD})
    assert response.status_code == 302
    assert re.fullmatch(r"/region/brussels/compute/[^/]+/", response["Location"])
    computed = set(IndicatorValue.objects.filter(period=PERIOD).values_list("coordination__slug", flat=True))
    assert computed == {"schaerbeek"}  # the region's coordinations only
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert re.search(
        r'<progress aria-labelledby="progress-label" aria-describedby="progress-status" max="1" value="1">', body
    )
    assert f'href="/region/brussels/?period={PERIOD}"' in body


def test_starting_a_computation_is_in_the_audit_trail(tenant_db, login, client, django_capture_on_commit_callbacks):
    login(tenant_db["regional_admin"], verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/region/brussels/compute/", {"period": PERIOD})
    event = AuditEvent.objects.filter(action="region.compute_started").latest("pk")
    assert event.actor == tenant_db["regional_admin"].user
    assert event.detail["region"] == "brussels" and event.detail["period"] == PERIOD


def test_progress_reports_the_indicators_done_so_far(tenant_db, login, client):
    task, token = _token()
    _store(task, "PROGRESS", {"current": 3, "total": 12})
    login(tenant_db["regional_admin"], verified=False)
    response = client.get(f"/region/brussels/compute/{token}/progress/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    run = response.json()
    assert (run["state"], run["current"], run["total"]) == ("running", 3, 12)
    assert (run["percent"], run["finished"]) == (25, False)
    assert run["message"] == "3 of 12 indicators computed."


def test_the_status_page_draws_the_same_progress_without_script(tenant_db, login, client):
    task, token = _token()
    _store(task, "PROGRESS", {"current": 3, "total": 12})
    login(tenant_db["regional_admin"], verified=False)
    body = client.get(f"/region/brussels/compute/{token}/").content.decode()
    assert 'max="12" value="3"' in body
    assert f'<a href="/region/brussels/compute/{token}/">' in body  # refresh without script
    assert re.search(r'<script src="[^"]+region-progress\.js" defer></script>', body)
    assert "<script>" not in body and "style=" not in body


def test_a_run_no_worker_has_taken_yet_is_waiting(tenant_db, login, client):
    _task, token = _token()
    login(tenant_db["regional_admin"], verified=False)
    run = client.get(f"/region/brussels/compute/{token}/progress/").json()
    assert (run["state"], run["finished"], run["percent"]) == ("waiting", False, 0)


def test_a_failed_run_says_so_without_the_error(tenant_db, login, client):
    task, token = _token()
    _store(task, "FAILURE", RuntimeError("connection to schaerbeek refused"))
    login(tenant_db["regional_admin"], verified=False)
    response = client.get(f"/region/brussels/compute/{token}/progress/")
    run = response.json()
    assert (run["state"], run["finished"]) == ("failed", True)
    assert "schaerbeek" not in response.content.decode()


def test_an_administrator_of_another_region_gets_404(tenant_db, client, wallonia_admin):
    task, token = _token("brussels")
    _store(task, "PROGRESS", {"current": 1, "total": 12})
    client.force_login(wallonia_admin, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/region/brussels/compute/{token}/").status_code == 404
    assert client.get(f"/region/brussels/compute/{token}/progress/").status_code == 404
    assert client.post("/region/brussels/compute/", {"period": PERIOD}).status_code == 404


def test_a_token_of_another_region_is_404_under_ones_own(tenant_db, login, client):
    _task, token = _token("wallonia")
    login(tenant_db["regional_admin"], verified=False)
    assert client.get(f"/region/brussels/compute/{token}/progress/").status_code == 404
    assert client.get(f"/region/wallonia/compute/{token}/progress/").status_code == 404


def test_an_altered_token_is_404(tenant_db, login, client):
    _task, token = _token()
    _other, forged = _token(task="not-the-same")
    altered = token.split(":")[0] + ":" + forged.split(":", 1)[1]
    login(tenant_db["regional_admin"], verified=False)
    assert client.get(f"/region/brussels/compute/{altered}/progress/").status_code == 404
    assert client.get("/region/brussels/compute/abc/").status_code == 404


def test_a_coordinator_can_neither_start_nor_watch(tenant_db, login, client):
    _task, token = _token()
    login(tenant_db["coordinator"])
    assert client.post("/region/brussels/compute/", {"period": PERIOD}).status_code == 404
    assert client.get(f"/region/brussels/compute/{token}/").status_code == 404
    assert client.get(f"/region/brussels/compute/{token}/progress/").status_code == 404


def test_without_signing_in_the_page_asks_to_sign_in_and_the_json_is_404(tenant_db, client):
    _task, token = _token()
    page = client.get(f"/region/brussels/compute/{token}/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    assert client.get(f"/region/brussels/compute/{token}/progress/").status_code == 404
    start = client.post("/region/brussels/compute/", {"period": PERIOD})
    assert start.status_code == 302 and "/accounts/login/" in start["Location"]


def test_platform_staff_may_watch_a_run(tenant_db, client):
    task, token = _token()
    _store(task, "SUCCESS", 42)
    staff = User.objects.create_user("staff@maillage.test", password="a-long-test-password-2026", is_staff=True)
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/region/brussels/compute/{token}/progress/").json()["state"] == "done"


def test_starting_needs_a_post(tenant_db, login, client):
    login(tenant_db["regional_admin"], verified=False)
    assert client.get("/region/brussels/compute/").status_code == 405


def test_a_bad_period_starts_nothing_and_says_why(tenant_db, login, client, django_capture_on_commit_callbacks):
    login(tenant_db["regional_admin"], verified=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/region/brussels/compute/", {"period": "2026-13"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "A month (2026-11)" in response.content.decode()
    assert callbacks == []
    assert not AuditEvent.objects.filter(action="region.compute_started").exists()
