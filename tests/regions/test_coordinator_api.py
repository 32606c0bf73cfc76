"""/c/<slug>/api/v1/indicators/: a coordination's own figures and its region's median, for
its coordinators, like the page /c/<slug>/indicators/."""

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from regions.indicators import INDICATORS

PATH = "/c/schaerbeek/api/v1/indicators/"


def _indicator(body: dict, code: str) -> dict:
    return next(row for row in body["indicators"] if row["code"] == code)


def test_a_coordinator_reads_their_figures_and_the_region_median(tenant_db, send_referrals, token_client):
    label = send_referrals(6)
    response = token_client(tenant_db["coordinator"]).get(f"{PATH}?period={label}")
    assert response.status_code == 200
    body = response.json()
    assert (body["period"], body["region"], body["territories"]) == (label, "brussels", 1)
    assert [row["code"] for row in body["indicators"]] == list(INDICATORS)
    sent = _indicator(body, "referrals_sent")
    assert sent["own"] == {"shown": "6", "value": 6.0}
    assert sent["breakdown"] == {"sent": "6"}
    assert sent["region_median"] == {"shown": "6", "value": 6.0}  # Schaerbeek alone in Brussels
    assert sent["territories_in_median"] == 1
    assert sent["kind"] == "count" and sent["definition"]


def test_a_suppressed_count_is_suppressed_here_too_and_left_out_of_the_median(tenant_db, send_referrals, token_client):
    label = send_referrals(3)
    sent = _indicator(token_client(tenant_db["coordinator"]).get(f"{PATH}?period={label}").json(), "referrals_sent")
    assert sent["own"] == {"shown": "<5", "value": None}
    assert sent["breakdown"] == {"sent": "<5"}
    assert sent["region_median"] == {"shown": "", "value": None}
    assert sent["territories_in_median"] == 0


def test_another_coordination_sees_its_own_figures_not_schaerbeeks(tenant_db, send_referrals, token_client):
    label = send_referrals(6)
    body = token_client(tenant_db["tournai_coordinator"]).get(f"/c/tournai/api/v1/indicators/?period={label}").json()
    assert body["region"] == "wallonia"
    sent = _indicator(body, "referrals_sent")
    assert sent["own"] == {"shown": "0", "value": 0.0}
    assert sent["region_median"] == {"shown": "0", "value": 0.0}


def test_a_worker_gets_403_like_on_the_page(tenant_db, token_client):
    response = token_client(tenant_db["bapa_worker"]).get(f"{PATH}?period=2026-10")
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_someone_from_another_coordination_gets_404(tenant_db, token_client):
    response = token_client(tenant_db["foreigner"]).get(f"{PATH}?period=2026-10")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_a_regional_administrator_cannot_open_it(tenant_db, token_client, login, client):
    assert token_client(tenant_db["regional_admin"]).get(f"{PATH}?period=2026-10").status_code == 404
    login(tenant_db["regional_admin"], verified=False)
    assert client.get(f"{PATH}?period=2026-10").status_code == 404


def test_a_bad_period_is_a_400_naming_the_field(tenant_db, token_client):
    response = token_client(tenant_db["coordinator"]).get(f"{PATH}?period=2026-Q5")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["period"]


def test_without_a_period_it_is_the_last_complete_month(tenant_db, token_client):
    from regions.indicators import last_complete_month

    assert token_client(tenant_db["coordinator"]).get(PATH).json()["period"] == last_complete_month()


def test_the_openapi_schema_describes_it_and_stays_valid():
    schema = SchemaGenerator(urlconf="maillage.urls_tenant").get_schema(request=None, public=True)
    validate_schema(schema)
    assert "/api/v1/indicators/" in schema["paths"]
