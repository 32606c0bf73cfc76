"""The support plan: the consent wall on every part, the conflict rules, bad input, the
printed summary, the hooks (timeline, access report, retention) and the API.

The dataset is tests/plans/conftest.py's Schaerbeek family."""

import uuid
from datetime import time, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from consent.models import Consent
from consent.services import withdraw_consent
from maillage.actor import Actor
from maillage.errors import Forbidden, Invalid
from persons.access_report import access_report_for
from persons.models import Person
from persons.services import anonymise_closed_files, close_file
from persons.timeline import person_timeline
from plans import selectors, services
from plans.models import Commitment, Decision, Piis, Plan
from tests.factories import ConsentFactory, HouseholdFactory, PersonFactory, organisation_of
from tests.plans.conftest import build_family, today

PAGE = "/c/schaerbeek/"
API = "/c/schaerbeek/api/v1/"


def _view(persona, family):
    return selectors.plan_view(actor=persona.actor(), plan=family.plan, deadline_months=6)


def _parts(view) -> set[str]:
    """What a reader sees of the plan, by name."""
    shown = {f"item:{i.domain.code}" for a in view.assessments for i in a.shown_items}
    shown |= {f"commitment:{c.what}" for c in view.commitments}
    shown |= {"piis" for _ in view.piis}
    shown |= {"review" for _ in view.reviews}
    return shown


def _hold_review(family, world):
    return services.hold_review(
        actor=world["bapa_worker"].actor(),
        plan=family.plan,
        data=services.ReviewInput(
            held_on=today(),
            participants=[organisation_of("bapa_worker"), organisation_of("cpas_referent")],
            decisions=["Le cours de français passe à l'après-midi."],
        ),
    )


# --- The consent wall ------------------------------------------------------------------


def test_the_keeper_reads_its_own_parts_and_the_cpas_piis_the_consent_names(family, tenant_db):
    with schema_context("schaerbeek"):
        _hold_review(family, tenant_db)
        assert _parts(_view(tenant_db["bapa_worker"], family)) == {
            "item:integration_programme",
            "item:housing",
            "commitment:Formation à la citoyenneté",
            "commitment:Cours de français A1",
            "piis",
            "review",
        }


def test_the_cpas_reads_only_the_domains_the_consent_names(family, tenant_db):
    with schema_context("schaerbeek"):
        _hold_review(family, tenant_db)
        assert _parts(_view(tenant_db["cpas_referent"], family)) == {
            "item:integration_programme",
            "commitment:Formation à la citoyenneté",
            "commitment:Cours de français A1",
            "piis",
            "review",
        }


def test_another_organisation_reaches_no_plan(family, tenant_db):
    with schema_context("schaerbeek"):
        outsider = tenant_db["outsider"].actor()
        assert not selectors.plans_visible_to(actor=outsider).exists()
        assert _parts(selectors.plan_view(actor=outsider, plan=family.plan, deadline_months=6)) == set()


@pytest.mark.parametrize("ending", ["withdrawn", "expired"])
def test_an_ended_consent_hides_every_part_of_the_others(family, tenant_db, ending):
    with schema_context("schaerbeek"):
        _hold_review(family, tenant_db)
        if ending == "withdrawn":
            withdraw_consent(actor=tenant_db["bapa_worker"].actor(), consent=family.consent, reason="Refus")
        else:
            moment = timezone.now()
            Consent.objects.filter(pk=family.consent.pk).update(
                given_at=moment - timedelta(days=400), expires_at=moment - timedelta(minutes=1)
            )
        assert _parts(_view(tenant_db["cpas_referent"], family)) == {"piis"}  # its own only
        keeper = _parts(_view(tenant_db["bapa_worker"], family))
        assert "piis" not in keeper and "item:housing" in keeper


def test_another_coordination_reaches_nothing(family, tenant_db, token_client):
    response = token_client(tenant_db["foreigner"]).get(f"{API}persons/{family.person.public_id}/plan/")
    assert response.status_code == 404
    response = token_client(tenant_db["foreigner"]).get(f"/c/tournai/api/v1/persons/{family.person.public_id}/plan/")
    assert response.status_code == 404


@pytest.mark.parametrize("route", ["persons/{person}/plan/", "persons/{person}/plan/summary/"])
def test_the_pages_answer_404_to_an_outsider_and_a_foreigner(family, tenant_db, login, client, route):
    path = route.format(person=family.person.public_id)
    login(tenant_db["outsider"])
    assert client.get(PAGE + path).status_code == 404
    login(tenant_db["foreigner"])
    assert client.get(PAGE + path).status_code == 404


def test_only_a_cpas_writes_a_piis(family, tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Forbidden):
        services.record_piis(
            actor=tenant_db["bapa_worker"].actor(),
            plan=family.plan,
            data=services.PiisInput(signed_on=today(), objectives="x"),
        )


def test_an_organisation_writes_only_in_domains_its_consent_covers(family, tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Forbidden):
        services.add_assessment(
            actor=tenant_db["cpas_referent"].actor(),
            plan=family.plan,
            data=services.AssessmentInput(
                kind="social_enquiry", assessed_on=today(), items=[services.ItemInput("housing", "x")]
            ),
        )


# --- Conflicts -------------------------------------------------------------------------


def _kinds(view) -> list[str]:
    return sorted(conflict.kind for conflict in view.conflicts)


def test_commitments_at_overlapping_hours_and_an_owner_no_consent_covers_clash(family, tenant_db):
    with schema_context("schaerbeek"):
        assert _kinds(_view(tenant_db["bapa_worker"], family)) == ["overlap", "uncovered"]


def test_moving_the_course_to_the_afternoon_settles_the_overlap(family, tenant_db):
    with schema_context("schaerbeek"):
        Commitment.objects.filter(pk=family.course.pk).update(starts_at=time(13, 0), ends_at=time(16, 0))
        assert _kinds(_view(tenant_db["bapa_worker"], family)) == ["uncovered"]


def test_a_cancelled_commitment_clashes_with_nothing(family, tenant_db):
    with schema_context("schaerbeek"):
        services.set_commitment_status(
            actor=tenant_db["bapa_worker"].actor(), commitment=family.course, status="cancelled"
        )
        assert _kinds(_view(tenant_db["bapa_worker"], family)) == []


def test_a_programme_deadline_no_commitment_meets_is_a_clash(family, tenant_db):
    with schema_context("schaerbeek"):
        Commitment.objects.filter(pk=family.training.pk).update(starts_on=today() + timedelta(days=200))
        assert "programme_deadline" in _kinds(_view(tenant_db["bapa_worker"], family))


def test_the_clashes_show_on_my_work_of_each_organisation_concerned(family, tenant_db):
    from work.selectors import my_work

    with schema_context("schaerbeek"):
        sections = {s.key: s.lines for s in my_work(actor=tenant_db["bapa_worker"].actor()).sections}
        assert len(sections["plan_conflicts"]) == 2
        cpas = {s.key: s.lines for s in my_work(actor=tenant_db["cpas_referent"].actor()).sections}
        assert cpas["plan_conflicts"] == []  # neither clash is about the CPAS


# --- Bad input -------------------------------------------------------------------------


def test_a_commitment_ending_before_it_starts_is_refused(family, tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Invalid) as refused:
        services.add_commitment(
            actor=tenant_db["bapa_worker"].actor(),
            plan=family.plan,
            data=services.CommitmentInput(
                owner=organisation_of("bapa_worker"),
                domain="language",
                what="Cours",
                starts_on=today(),
                ends_on=today() - timedelta(days=1),
            ),
        )
    assert "ends_on" in refused.value.fields


def test_a_piis_dated_in_the_future_is_refused(family, tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Invalid) as refused:
        services.record_piis(
            actor=tenant_db["cpas_referent"].actor(),
            plan=family.plan,
            data=services.PiisInput(signed_on=today() + timedelta(days=3), objectives="x"),
        )
    assert "signed_on" in refused.value.fields


def test_a_review_with_no_participant_is_refused(family, tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Invalid) as refused:
        services.hold_review(
            actor=tenant_db["bapa_worker"].actor(),
            plan=family.plan,
            data=services.ReviewInput(held_on=today(), participants=[]),
        )
    assert "participants" in refused.value.fields


def test_bad_input_through_the_api_is_a_400_naming_the_field(family, tenant_db, token_client):
    bapa, cpas = token_client(tenant_db["bapa_worker"]), token_client(tenant_db["cpas_referent"])
    plan = family.plan.public_id
    ends_first = bapa.post(
        f"{API}plans/{plan}/commitments/",
        {
            "owner": str(tenant_db["bapa_worker"].organisation_public_id),
            "domain": "language",
            "what": "Cours",
            "starts_on": str(today()),
            "ends_on": str(today() - timedelta(days=1)),
        },
        format="json",
    )
    future = cpas.post(
        f"{API}plans/{plan}/piis/", {"signed_on": str(today() + timedelta(days=2)), "objectives": "x"}, format="json"
    )
    nobody = bapa.post(f"{API}plans/{plan}/reviews/", {"held_on": str(today()), "participants": []}, format="json")
    assert (ends_first.status_code, future.status_code, nobody.status_code) == (400, 400, 400)
    assert "ends_on" in ends_first.json()["fields"]
    assert "signed_on" in future.json()["fields"]
    assert "participants" in nobody.json()["fields"]


def test_a_page_form_shows_the_error_summary(family, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    response = client.post(f"{PAGE}persons/{family.person.public_id}/plan/reviews/new/", {"held_on": str(today())})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


# --- API -------------------------------------------------------------------------------


def test_the_api_starts_a_plan_and_answers_it_through_the_wall(tenant_db, token_client):
    with schema_context("schaerbeek"):
        person = PersonFactory()
        ConsentFactory(person=person, domains=["language"], categories=["identity", "plan"])
    bapa = token_client(tenant_db["bapa_worker"])
    started = bapa.post(f"{API}persons/{person.public_id}/plan/", format="json")
    assert started.status_code == 201
    plan = started.json()["id"]
    added = bapa.post(
        f"{API}plans/{plan}/commitments/",
        {
            "owner": str(tenant_db["bapa_worker"].organisation_public_id),
            "domain": "language",
            "what": "Cours de français",
            "starts_on": str(today()),
            "weekdays": [2],
            "starts_at": "14:00",
            "ends_at": "16:00",
        },
        format="json",
    )
    assert added.status_code == 201
    body = token_client(tenant_db["cpas_referent"]).get(f"{API}persons/{person.public_id}/plan/").json()
    assert [c["what"] for c in body["commitments"]] == ["Cours de français"]
    assert token_client(tenant_db["outsider"]).get(f"{API}persons/{person.public_id}/plan/").status_code == 404


def test_a_review_and_its_decisions_through_the_api(family, tenant_db, token_client):
    cpas = token_client(tenant_db["cpas_referent"])
    review = cpas.post(
        f"{API}plans/{family.plan.public_id}/reviews/",
        {
            "held_on": str(today()),
            "in_person": False,
            "participants": [
                str(tenant_db["bapa_worker"].organisation_public_id),
                str(tenant_db["cpas_referent"].organisation_public_id),
            ],
            "decisions": ["Cours l'après-midi"],
        },
        format="json",
    )
    assert review.status_code == 201, review.content
    decision = token_client(tenant_db["bapa_worker"]).post(
        f"{API}plan-reviews/{review.json()['id']}/decisions/", {"text": "Inscription au parcours"}, format="json"
    )
    assert decision.status_code == 201
    with schema_context("schaerbeek"):
        assert Decision.objects.filter(review__public_id=review.json()["id"]).count() == 2


# --- Audit, printed summary, timeline, access report, retention --------------------------


def test_every_read_and_write_is_audited(family, tenant_db, login, client):
    login(tenant_db["cpas_referent"])
    client.get(f"{PAGE}persons/{family.person.public_id}/plan/")
    with schema_context("schaerbeek"):
        actions = set(
            AuditEvent.objects.filter(person_public_id=family.person.public_id).values_list("action", flat=True)
        )
    assert {
        "plan.created",
        "plan.assessment_added",
        "plan.piis_recorded",
        "plan.commitment_added",
        "plan.read",
    } <= actions


def test_the_summary_prints_in_arabic_right_to_left(family, tenant_db, login, client):
    login(tenant_db["bapa_worker"])
    response = client.get(f"{PAGE}persons/{family.person.public_id}/plan/summary/?lang=ar")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="ar" dir="rtl"' in html
    assert "خطة" in html  # the title, in Arabic
    assert "<bdi>Lire et Écrire</bdi>" in html
    with schema_context("schaerbeek"):
        event = AuditEvent.objects.get(action="plan.summary_printed")
    assert event.detail["language"] == "ar"


def test_the_timeline_shows_the_plan_as_the_reader_sees_it(family, tenant_db):
    with schema_context("schaerbeek"):
        cpas = tenant_db["cpas_referent"].actor()
        entries = person_timeline(actor=cpas, person=family.person, deadline_months=6).entries
        keys = {e.key for e in entries if e.kind == "plan"}
    assert f"piis-{family.piis.public_id}" in keys
    assert f"commitment-{family.course.public_id}" in keys


def test_the_access_report_includes_the_plan(family, tenant_db):
    with schema_context("schaerbeek"):
        report = access_report_for(actor=tenant_db["bapa_worker"].actor(), person=family.person)
    (section,) = report.sections
    values = " ".join(line.value for line in section.lines)
    assert "Logement trop petit" in values and "Parcours d'intégration" in values


def test_retention_anonymises_the_plan_with_the_file(family, tenant_db):
    with schema_context("schaerbeek"):
        bapa = tenant_db["bapa_worker"].actor()
        close_file(actor=bapa, person=family.person)
        Person.objects.filter(pk=family.person.pk).update(closed_at=timezone.now() - timedelta(days=3 * 365))
        assert anonymise_closed_files(actor=Actor.system(tenant_db.schaerbeek)) == 1
        assert set(Commitment.objects.filter(plan=family.plan).values_list("what", flat=True)) == {"—"}
        assert set(Piis.objects.filter(plan=family.plan).values_list("objectives", flat=True)) == {"—"}
        assert AuditEvent.objects.filter(action="plan.anonymised", person_public_id=family.person.public_id).exists()


def test_the_dataset_builds_twice_in_one_coordination(tenant_db):
    with schema_context("schaerbeek"):
        first = build_family(tenant_db)
        assert services.start_plan(actor=tenant_db["bapa_worker"].actor(), person=first.person) == first.plan


def test_the_demo_family_shows_the_clash_to_the_bapa_and_the_association(tenant_db):
    from demo.plans import load_plans_demo
    from directory.models import Organisation

    with schema_context("schaerbeek"):
        seso = Organisation.objects.get(name="SESO")
        # The demo names the association by its demo name; the tests' SESO stands in for it.
        Organisation.objects.filter(pk=seso.pk).update(name="Service Social de Solidarité Socialiste (SESO)")
        assert load_plans_demo(tenant_db.schaerbeek) == 1
        plan = selectors.plans_visible_to(actor=tenant_db["bapa_worker"].actor()).get(person__given_name="Amal")
        bapa = selectors.plan_view(actor=tenant_db["bapa_worker"].actor(), plan=plan, deadline_months=6)
        cpas = selectors.plan_view(actor=tenant_db["cpas_referent"].actor(), plan=plan, deadline_months=6)
    assert [c.kind for c in bapa.conflicts] == ["overlap"]
    assert [c.kind for c in cpas.conflicts] == ["overlap"]
    assert {i.domain.code for a in cpas.assessments for i in a.shown_items} == {"integration_programme", "language"}
    assert [p.includes_programme for p in bapa.piis] == [True]
    assert [len(r.decisions.all()) for r in bapa.reviews] == [2]


def test_a_worker_builds_the_plan_through_the_pages_and_sees_the_clash(tenant_db, login, client):
    with schema_context("schaerbeek"):
        person = PersonFactory()
    base = f"{PAGE}persons/{person.public_id}/plan/"
    login(tenant_db["bapa_worker"])
    assert 'action="/c/schaerbeek/persons/' in client.get(base).content.decode()
    assert client.post(base + "start/").status_code == 302
    owner = str(tenant_db["bapa_worker"].organisation_public_id)
    for what, hours in (("Formation à la citoyenneté", ("09:00", "12:00")), ("Cours de français", ("10:00", "11:00"))):
        response = client.post(
            base + "commitments/new/",
            {
                "what": what,
                "owner": owner,
                "domain": "language",
                "starts_on": str(today()),
                "weekdays": ["1", "3"],
                "starts_at": hours[0],
                "ends_at": hours[1],
                "status": "planned",
            },
        )
        assert response.status_code == 302, response.content.decode()
    page = client.get(base, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "take the same hours" in page
    assert 'class="warn"' in page


def test_a_commitment_form_ending_before_it_starts_shows_the_error_on_its_field(tenant_db, family, login, client):
    login(tenant_db["bapa_worker"])
    response = client.post(
        f"{PAGE}persons/{family.person.public_id}/plan/commitments/new/",
        {
            "what": "Cours",
            "owner": str(tenant_db["bapa_worker"].organisation_public_id),
            "domain": "language",
            "starts_on": str(today()),
            "ends_on": str(today() - timedelta(days=3)),
            "status": "planned",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_ends_on"' in html and "id_ends_on_error" in html


def test_a_volunteer_reads_but_does_not_write(family, tenant_db):
    with schema_context("schaerbeek"), pytest.raises(Forbidden):
        services.add_commitment(
            actor=tenant_db["volunteer"].actor(),
            plan=family.plan,
            data=services.CommitmentInput(
                owner=organisation_of("volunteer"), domain="language", what="Aide aux devoirs", starts_on=today()
            ),
        )


def test_the_cpas_that_signed_the_piis_records_its_review(family, tenant_db, token_client):
    api = token_client(tenant_db["cpas_referent"])
    path = f"{API}plan-piis/{family.piis.public_id}/review/"
    early = api.post(path, {"reviewed_on": str(today() - timedelta(days=30))}, format="json")
    assert early.status_code == 400 and "reviewed_on" in early.json()["fields"]
    done = api.post(
        path, {"reviewed_on": str(today()), "next_review_on": str(today() + timedelta(days=90))}, format="json"
    )
    assert done.status_code == 200 and done.json()["reviewed_on"] == str(today())
    other = token_client(tenant_db["bapa_worker"]).post(path, {"reviewed_on": str(today())}, format="json")
    assert other.status_code == 403


def test_the_api_starts_a_plan_for_a_household_the_organisation_keeps(tenant_db, token_client):
    with schema_context("schaerbeek"):
        person = PersonFactory()
        ConsentFactory(person=person, domains=["language"], categories=["identity", "plan"])
        household = HouseholdFactory(members=[(person, "head")])
    started = token_client(tenant_db["bapa_worker"]).post(
        f"{API}persons/{person.public_id}/plan/", {"household": str(household.public_id)}, format="json"
    )
    assert started.status_code == 201
    assert started.json()["household"] == str(household.public_id)
    with schema_context("schaerbeek"):
        assert Plan.objects.get(person=person).household == household


def test_a_household_another_organisation_keeps_is_not_found(tenant_db, token_client):
    with schema_context("schaerbeek"):
        person = PersonFactory()
        ConsentFactory(person=person, domains=["language"], categories=["identity", "plan"])
        theirs = HouseholdFactory(actor="cpas_referent", name="Famille B.")
    bapa = token_client(tenant_db["bapa_worker"])
    plan_url = f"{API}persons/{person.public_id}/plan/"
    assert bapa.post(plan_url, {"household": str(theirs.public_id)}, format="json").status_code == 404
    assert bapa.post(plan_url, {"household": str(uuid.uuid4())}, format="json").status_code == 404
    bad = bapa.post(plan_url, {"household": "not-an-id"}, format="json")
    assert bad.status_code == 400
    assert "household" in bad.json()["fields"]
    with schema_context("schaerbeek"):
        assert not Plan.objects.filter(person=person).exists()


def test_the_api_says_where_the_arrived_parts_came_from(family, tenant_db, token_client):
    origin = "CPAS de Tournai (Tournai)"
    Piis.objects.filter(pk=family.piis.pk).update(arrived_from=origin)
    Commitment.objects.filter(pk=family.training.pk).update(arrived_from=origin, arrived_owner="BAPA de Tournai")
    body = token_client(tenant_db["bapa_worker"]).get(f"{API}persons/{family.person.public_id}/plan/").json()
    assert [p["arrived_from"] for p in body["piis"]] == [origin]
    commitments = {c["what"]: (c["arrived_from"], c["arrived_owner"]) for c in body["commitments"]}
    assert commitments["Formation à la citoyenneté"] == (origin, "BAPA de Tournai")
    assert commitments["Cours de français A1"] == ("", "")
    assert [a["arrived_from"] for a in body["assessments"]] == [""]
