"""Every form page of a coordination shows every field's problem in one round: a submission
wrong in two fields at once gets both errors in the one response, in the summary at the top
(each linking to its field) and beside the fields, with the values typed kept."""

import html
from dataclasses import dataclass, field

import pytest
from django_tenants.utils import schema_context

from charter.policies import join_token
from consent.services import withdraw_consent
from directory.models import Access, CapacityStatus, Cost
from maillage.errors import Invalid
from tests.factories import ConsentFactory, PersonFactory, organisation_of

BASE = "/c/schaerbeek"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@dataclass
class Case:
    persona: str | None  # None: no one signed in
    url: object  # the path, or a function of the world giving it
    data: dict
    wrong: tuple[str, ...]  # the fields at fault, as the form names them
    kept: str  # a value typed in a field that is right, as the page prints it back
    link: dict = field(default_factory=dict)  # a field whose summary link names another id


def _person_url(suffix):
    def url(world, client):
        with schema_context("schaerbeek"):
            person = PersonFactory()
        return f"{BASE}/persons/{person.public_id}/{suffix}"

    return url


def _plan_url(suffix):
    def url(world, client):
        base = _person_url("plan/")(world, client)
        assert client.post(base + "start/").status_code == 302
        return base + suffix

    return url


def _offer_url(world, client):
    return f"{BASE}/directory/organisations/{organisation_of('coordinator').public_id}/offers/new/"


def _join_url(world, client):
    return f"{BASE}/join/{join_token(world.schaerbeek, 0)}/"


CASES = {
    "person": Case(
        "bapa_worker",
        f"{BASE}/persons/new/",
        {"given_name": "", "family_name": "Youssef", "birth_date": "not a date"},
        ("given_name", "birth_date"),
        'value="Youssef"',
    ),
    "consent": Case(
        "bapa_worker",
        _person_url("consents/new/"),
        {"purpose": "", "explanation_language": "ar", "witness_name": "Une collègue du CPAS"},
        ("method", "purpose"),
        'value="Une collègue du CPAS"',
        link={"method": "id_method_0"},
    ),
    "refer": Case(
        "bapa_worker",
        _person_url("refer/"),
        {"to_organisation": "", "reason": "", "expectation": "Un logement stable", "urgency": "normal", "send": "1"},
        ("to_organisation", "reason"),
        "Un logement stable</textarea>",
    ),
    "refer, a date without its time": Case(
        "bapa_worker",
        _person_url("refer/"),
        {"reason": "", "appointment_date": "2030-01-10", "expectation": "Un logement stable", "urgency": "normal"},
        ("appointment_time", "reason"),
        'value="2030-01-10"',
    ),
    "organisation": Case(
        "coordinator",
        f"{BASE}/directory/organisations/new/",
        {"name": "", "kind": "association", "enterprise_number": "123", "city": "Evere"},
        ("name", "enterprise_number"),
        'value="Evere"',
    ),
    "offer": Case(
        "coordinator",
        _offer_url,
        {
            "title": "",
            "primary_domain": "",
            "capacity_status": CapacityStatus.values[0],
            "cost": Cost.values[0],
            "access": Access.values[0],
            "phone": "02 123 45 67",
        },
        ("title", "primary_domain"),
        'value="02 123 45 67"',
    ),
    "membership request": Case(
        None,
        _join_url,
        {"organisation_name": "", "kind": "", "city": "Schaerbeek", "contact_name": "Inès Lambert"},
        ("organisation_name", "kind"),
        'value="Inès Lambert"',
    ),
    "meeting": Case(
        "coordinator",
        f"{BASE}/meetings/new/",
        {"title": "", "starts_at": "not a date", "place": "Maison communale"},
        ("title", "starts_at"),
        'value="Maison communale"',
    ),
    "action": Case(
        "coordinator",
        f"{BASE}/meetings/actions/new/",
        {"what": "", "owner": "", "due_on": "2030-01-10", "status": "open"},
        ("what", "owner"),
        'value="2030-01-10"',
    ),
    "objective": Case(
        "coordinator",
        f"{BASE}/meetings/plan/new/",
        {"need_domain": "", "title": "", "description": "Cours de français pour parents"},
        ("need_domain", "title"),
        "Cours de français pour parents</textarea>",
    ),
    "charter": Case(
        "coordinator",
        f"{BASE}/charter/versions/new/",
        {"title": "", "purposes": "", "secrecy_rules": "Le secret partagé", "retention": "Cinq ans"},
        ("title", "purposes"),
        "Le secret partagé</textarea>",
    ),
    "plan commitment": Case(
        "bapa_worker",
        _plan_url("commitments/new/"),
        {
            "what": "",
            "owner": "",
            "domain": "language",
            "starts_on": "2026-01-05",
            "starts_at": "11:00",
            "ends_at": "10:00",
            "status": "planned",
        },
        ("what", "ends_at"),
        'value="2026-01-05"',
    ),
    "plan assessment": Case(
        "bapa_worker",
        _plan_url("assessments/new/"),
        {"kind": "", "assessed_on": "2026-01-05", "domain_1": "", "situation_1": "Cherche un logement"},
        ("kind", "domain_1"),
        'value="2026-01-05"',
    ),
    "invitation": Case(
        "coordinator",
        f"{BASE}/members/",
        {"email": "not an address", "organisation": "", "role": "worker"},
        ("email", "organisation"),
        'value="not an address"',
    ),
    "api token": Case(
        "bapa_worker",
        "/accounts/token/",
        {"label": "", "scope": "nothing", "days": "7"},
        ("label", "scope"),
        'value="7"',
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_two_wrong_fields_show_at_once_with_the_values_kept(tenant_db, login, client, case):
    if case.persona:
        login(tenant_db[case.persona])
    url = case.url(tenant_db, client) if callable(case.url) else case.url
    response = client.post(url, case.data)
    page = html.unescape(response.content.decode())
    assert response.status_code == 400, page[:2000]
    assert 'class="error-summary"' in page
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    for name in case.wrong:
        link = case.link.get(name, f"id_{name}")
        assert f'href="#{link}"' in summary, (name, summary)
        assert f'id="id_{name}_error"' in page, name
        assert page.index('class="error-summary"') < page.index(f'id="id_{name}_error"')
    assert case.kept in page


def test_withdrawing_a_consent_names_every_field_at_fault_at_once(tenant_db):
    with schema_context("schaerbeek"):
        consent = ConsentFactory()
        with pytest.raises(Invalid) as refused:
            withdraw_consent(
                actor=tenant_db["bapa_worker"].actor(),
                consent=consent,
                reason="",
                recipients=["00000000-0000-0000-0000-000000000000"],
                domains=["no_such_domain"],
            )
    assert set(refused.value.fields) == {"reason", "recipients", "domains"}
