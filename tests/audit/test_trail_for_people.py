"""The audit trail as a coordinator reads it: labels in the reader's language, persons by
reference, actors by name and organisation, filters kept in the URL and shared by the
page, the CSV export and the API.

The dataset (`trail`): in Schaerbeek, Sarah Bapa (BAPA) opens Samira Darwish's file
(person.created) and reads it twice (person.read); Marc Cpas (CPAS) opens Yusuf Alami's
file (person.created). Tournai's coordinator opens a file in Tournai."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from audit.actions import ACTION_LABELS, action_label
from audit.models import AuditEvent
from tests.factories import PersonFactory

TRAIL = "/c/schaerbeek/audit/"
EXPORT = "/c/schaerbeek/audit/export.csv"
API = "/c/schaerbeek/api/v1/audit-events/"


@pytest.fixture
def trail(tenant_db):
    samira = PersonFactory(actor="bapa_worker", reads=2)
    yusuf = PersonFactory(actor="cpas_referent", given_name="Yusuf", family_name="Alami")
    PersonFactory(actor="tournai_coordinator", given_name="Zoé", family_name="Tournaisienne")
    return {"samira": samira, "yusuf": yusuf, "world": tenant_db}


@pytest.fixture
def coordinator(trail, login, client):
    login(trail["world"]["coordinator"])
    return client


def _rows(response) -> list[str]:
    """The table's events (not its "nothing" row), as text without tags."""
    html = response.content.decode()
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [row for row in body.split("<tr>")[1:] if "<time" in row]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_every_action_has_a_label_in_french_and_dutch():
    with translation.override("en"):
        english = {code: str(label) for code, label in ACTION_LABELS.items()}
    for language, expected in (("fr", "Dossier ouvert"), ("nl", "Dossier geopend")):
        with translation.override(language):
            assert action_label("person.read") == expected
            untranslated = [code for code, label in ACTION_LABELS.items() if str(label) == english[code]]
            assert not untranslated, f"{language}: {untranslated}"


def test_an_unknown_code_is_shown_as_it_is():
    assert action_label("spaceship.launched") == "spaceship.launched"


def test_every_code_written_in_the_source_has_a_label():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    written = set()
    for path in root.glob("*/**/*.py"):
        if any(part in {".venv", "tests", "migrations"} for part in path.parts):
            continue
        text = path.read_text()
        if "record_event" not in text and "record_reads" not in text and "_event(" not in text:
            continue
        written |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
        written |= set(re.findall(r'_event\(\s*\w+,\s*"([a-z_]+\.[a-z_]+)"', text))
        written |= set(re.findall(r'_ACTION = "([a-z_]+\.[a-z_]+)"', text))
    from referrals.models import ReferralStatus

    written |= {f"referral.{status}" for status in ReferralStatus.values}
    assert written - set(ACTION_LABELS) == set()


def test_page_shows_labels_names_organisations_and_references(trail, coordinator):
    with translation.override("fr"):
        response = coordinator.get(TRAIL, HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dossier ouvert" in html
    assert "Sarah Bapa" in html and "CPAS de Schaerbeek" in html
    short = str(trail["samira"].public_id)[:8]
    assert f"S. D. {short}" in html or f"S.D. {short}" in html
    assert str(trail["samira"].public_id) not in html
    assert "bapa.worker@schaerbeek.test" not in html
    assert "Darwish" not in html


def test_page_in_dutch(trail, coordinator):
    coordinator.cookies["django_language"] = "nl"
    html = coordinator.get(TRAIL, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Dossier geopend" in html


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("actor", lambda t: t["world"]["cpas_referent"].user.public_id, {"Marc Cpas"}),
        ("organisation", lambda t: t["world"]["bapa_worker"].organisation_public_id, {"Sarah Bapa"}),
        ("action", lambda t: "person.read", {"Sarah Bapa"}),
        ("person", lambda t: str(t["yusuf"].public_id)[:8], {"Marc Cpas"}),
        ("person", lambda t: str(t["yusuf"].public_id), {"Marc Cpas"}),
        ("person", lambda t: f"Y.A. {str(t['yusuf'].public_id)[:8]}", {"Marc Cpas"}),
    ],
)
def test_each_filter_narrows_the_rows(trail, coordinator, name, value, expected):
    everything = _rows(coordinator.get(TRAIL))
    response = coordinator.get(TRAIL, {name: value(trail)})
    rows = _rows(response)
    assert response.status_code == 200
    assert 0 < len(rows) < len(everything)
    assert {who for who in ("Sarah Bapa", "Marc Cpas") if any(who in row for row in rows)} == expected


def test_an_action_family_takes_every_code_of_it(trail, coordinator):
    rows = _rows(coordinator.get(TRAIL, {"action": "person"}))
    assert len(rows) == 4  # two files opened, one read twice


def test_dates_narrow_the_rows(trail, coordinator):
    today = timezone.localdate()
    assert len(_rows(coordinator.get(TRAIL, {"since": today.isoformat(), "action": "person"}))) == 4
    assert _rows(coordinator.get(TRAIL, {"until": (today - timedelta(days=1)).isoformat()})) == []
    assert _rows(coordinator.get(TRAIL, {"since": (today + timedelta(days=1)).isoformat()})) == []


def test_filters_are_kept_in_the_pager_and_export_link(trail, coordinator, monkeypatch):
    monkeypatch.setattr("members.audit_views.PAGE_SIZE", 1)
    html = coordinator.get(TRAIL, {"action": "person.read"}).content.decode()
    assert 'audit/export.csv?action=person.read"' in html
    assert "?action=person.read&amp;page=2" in html


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("actor", "not-an-id"),
        ("organisation", "123"),
        ("action", "DROP TABLE"),
        ("person", "zz"),
        ("since", "yesterday"),
        ("until", "2026-02-30"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_field(trail, coordinator, name, value):
    page = coordinator.get(TRAIL, {name: value})
    assert page.status_code == 400
    assert coordinator.get(EXPORT, {name: value}).status_code == 400
    api = coordinator.get(API, {name: value})
    assert api.status_code == 400
    assert name in api.json()["fields"]


def test_an_end_before_the_start_is_a_400(trail, coordinator):
    response = coordinator.get(API, {"since": "2026-05-02", "until": "2026-05-01"})
    assert response.status_code == 400
    assert "until" in response.json()["fields"]


def test_export_holds_the_rows_of_the_filtered_page(trail, coordinator):
    query = {"action": "person", "organisation": str(trail["world"]["bapa_worker"].organisation_public_id)}
    page_rows = _rows(coordinator.get(TRAIL, query))
    export = _csv(coordinator.get(EXPORT, query))
    header, rows = export[0], export[1:]
    assert header[:4] == ["occurred_at", "actor_email", "organisation_id", "action"]
    assert len(rows) == len(page_rows) == 3
    assert {row[header.index("action")] for row in rows} == {"person.created", "person.read"}
    assert all(row[header.index("actor_name")] == "Sarah Bapa" for row in rows)


def test_the_export_is_audited_with_its_filters(trail, coordinator):
    coordinator.get(EXPORT, {"action": "person.read"})
    with schema_context("schaerbeek"):
        event = AuditEvent.objects.filter(action="audit.exported").latest("id")
    assert event.detail == {"filters": {"action": "person.read"}}


def test_api_events_carry_an_id_and_labels(trail, coordinator):
    body = coordinator.get(API, {"action": "person.read"}, HTTP_ACCEPT_LANGUAGE="nl").json()
    assert body["count"] == 2
    event = body["results"][0]
    assert isinstance(event["id"], int)
    assert event["action_label"] == "Dossier geopend"
    assert event["actor_name"] == "Sarah Bapa"
    assert event["organisation_name"] == "VIA — BAPA Schaerbeek"
    assert event["person_id"] == str(trail["samira"].public_id)
    assert event["person_reference"].endswith(str(trail["samira"].public_id)[:8])
    assert "Samira" not in str(body)


@pytest.mark.parametrize(
    ("name", "value", "count"),
    [
        ("actor", lambda t: t["world"]["cpas_referent"].user.public_id, 1),
        ("organisation", lambda t: t["world"]["bapa_worker"].organisation_public_id, 3),
        ("action", lambda t: "person.created", 2),
        ("person", lambda t: t["samira"].public_id, 3),
        ("since", lambda t: timezone.localdate().isoformat(), None),
        ("until", lambda t: (timezone.localdate() - timedelta(days=1)).isoformat(), 0),
    ],
)
def test_api_filters_narrow_the_events(trail, coordinator, name, value, count):
    everything = coordinator.get(API).json()["count"]
    body = coordinator.get(API, {name: value(trail)}).json()
    if count is None:
        assert 0 < body["count"] <= everything
    else:
        assert body["count"] == count


def test_another_coordinations_events_never_appear(trail, coordinator):
    html = coordinator.get(TRAIL, {"action": "person.created"}).content.decode()
    assert "Coordinator Tournai" not in html and "Z. T." not in html
    body = coordinator.get(API).json()
    assert all(event["organisation_name"] != "Plateforme associative tournaisienne" for event in body["results"])
    tournai = trail["world"]["tournai_coordinator"]
    assert coordinator.get(API, {"actor": str(tournai.user.public_id)}).json()["count"] == 0


def test_a_foreign_coordinator_gets_404(trail, login, client):
    login(trail["world"]["tournai_coordinator"])
    assert client.get(TRAIL).status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert client.get(API).status_code == 404


@pytest.mark.parametrize("persona", ["bapa_worker", "cpas_referent"])
def test_other_roles_get_403_even_with_bad_filters(trail, login, client, persona):
    login(trail["world"][persona])
    assert client.get(TRAIL, {"since": "bad"}).status_code == 403
    assert client.get(EXPORT, {"since": "bad"}).status_code == 403
    assert client.get(API, {"since": "bad"}).status_code == 403


def test_the_action_filter_groups_the_actions_by_section(trail, coordinator):
    html = coordinator.get(TRAIL).content.decode()
    assert '<optgroup label="Orientations et notes de suivi">' in html
    assert '<option value="referral.accepted">Orientation acceptée</option>' in html


def test_a_family_given_in_the_url_stays_selected(trail, coordinator):
    html = coordinator.get(TRAIL, {"action": "person"}).content.decode()
    assert '<option value="person" selected>person</option>' in html


def test_a_referral_is_named_by_its_reference(tenant_db, login, client):
    from tests.factories import ReferralFactory

    with schema_context("schaerbeek"):
        referral = ReferralFactory(status="sent")
    login(tenant_db["coordinator"])
    html = client.get(TRAIL, {"action": "referral.sent"}).content.decode()
    assert referral.reference in html
    assert str(referral.public_id) not in html
    body = client.get(API, {"action": "referral.sent"}).json()
    assert body["results"][0]["object_reference"] == referral.reference
    export = _csv(client.get(EXPORT, {"action": "referral.sent"}))
    assert export[1][export[0].index("object_reference")] == referral.reference
