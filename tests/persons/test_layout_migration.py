"""Person, Household and HouseholdMember moved from referrals to persons without touching
the database: a coordination migrated before the move keeps every table, index and
constraint as it was, and its rows are found through the new models.

One schema, migrated to main as it was before the move, filled through the historical
models of that moment, then migrated to the end.
"""

from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from psycopg import sql as pgsql

from tests.tenants.test_schema_script import CATALOGUE

SCHEMA = "layout_before_persons"

# The leaf migrations of the project's apps on main before the move (commit aadb6d1).
BEFORE = [
    ("audit", "0002_refuse_update_and_delete"),
    ("charter", "0003_join_link_renewals"),
    ("consent", "0002_sensitive_category"),
    ("directory", "0003_seed_need_domains"),
    ("meetings", "0002_meeting_cancellation"),
    ("members", "0007_digest_opt_out_and_coordination_notices"),
    ("referrals", "0005_triage"),
    ("tenants", "0008_seed_commune_population"),
]
# The move: state only, in this order.
MOVE = [
    ("persons", "0001_persons_and_households_from_referrals"),
    ("consent", "0003_person_from_persons"),
    ("referrals", "0006_persons_move_to_persons"),
]
# Apps born after the move: their first migration depends on the persons of today.
LATER_APPS = {"plans"}
PROJECT_APPS = {app for app, _ in BEFORE + MOVE} | LATER_APPS


@contextmanager
def _fresh_schema():
    with connection.cursor() as cursor:
        cursor.execute(pgsql.SQL("CREATE SCHEMA {}").format(pgsql.Identifier(SCHEMA)).as_string())
    try:
        # As django-tenants does: the migration table is made with `public` off the path.
        connection.set_schema(SCHEMA, include_public=False)
        MigrationRecorder(connection).ensure_schema()
        connection.set_schema(SCHEMA)
        yield
    finally:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            # The rows' foreign keys are checked at commit; a dropped table may not wait for it.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(pgsql.SQL("DROP SCHEMA {} CASCADE").format(pgsql.Identifier(SCHEMA)).as_string())


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


def _structure() -> dict:
    """Tables, columns, constraints, indexes, triggers and sequences, under their names.
    The sequence of the migration table moves on as migrations are recorded: not counted."""
    found = {}
    with connection.cursor() as cursor:
        for part in ("columns", "constraints", "indexes", "triggers", "sequences"):
            cursor.execute(CATALOGUE[part], {"schema": SCHEMA})
            found[part] = sorted((row for row in cursor.fetchall() if row[0] != "django_migrations_id_seq"), key=repr)
    return found


def _fill(apps, user_id) -> dict:
    """A person in a household, a consent, a referral and a case note, as main wrote them."""
    Organisation = apps.get_model("directory", "Organisation")
    bapa = Organisation.objects.create(name="BAPA", kind="bapa")
    cpas = Organisation.objects.create(name="CPAS", kind="cpas")
    housing = apps.get_model("directory", "NeedDomain").objects.get(code="housing")
    person = apps.get_model("referrals", "Person").objects.create(
        organisation=bapa, given_name="Amina", family_name="Haddad", birth_year=1990, created_by_id=user_id
    )
    household = apps.get_model("referrals", "Household").objects.create(organisation=bapa, name="Family H.")
    apps.get_model("referrals", "HouseholdMember").objects.create(household=household, person=person, relation="head")
    now = timezone.now()
    consent = apps.get_model("consent", "Consent").objects.create(
        person=person,
        organisation=bapa,
        categories=["identity", "situation"],
        purpose="Housing",
        method="oral_witnessed",
        explanation_language="fr",
        given_at=now,
        expires_at=now + timedelta(days=365),
    )
    consent.recipients.add(cpas)
    consent.domains.add(housing)
    referral = apps.get_model("referrals", "Referral").objects.create(
        person=person,
        household=household,
        from_organisation=bapa,
        to_organisation=cpas,
        sender_id=user_id,
        consent=consent,
        reason="Looking for a flat",
        status="sent",
    )
    referral.domains.add(housing)
    note = apps.get_model("referrals", "CaseNote").objects.create(
        person=person, organisation=bapa, author_id=user_id, domain=housing, text="Met today.", audience="organisation"
    )
    return {
        "person": person.public_id,
        "household": household.public_id,
        "consent": consent.public_id,
        "referral": referral.public_id,
        "note": note.public_id,
    }


def test_the_move_changes_nothing_in_the_database_and_keeps_every_row(tenant_db):
    from consent.models import Consent
    from persons.models import Household, HouseholdMember, Person
    from referrals.models import CaseNote, Referral

    user_id = tenant_db["bapa_worker"].user.pk
    with _fresh_schema():
        graph = MigrationExecutor(connection).loader.graph
        third_party = [leaf for leaf in graph.leaf_nodes() if leaf[0] not in PROJECT_APPS]
        executor = _migrate(BEFORE + third_party)
        ids = _fill(executor.loader.project_state(BEFORE + third_party).apps, user_id)
        before = _structure()

        for app, name in MOVE:
            printed = call_command("sqlmigrate", app, name, stdout=StringIO(), stderr=StringIO())
            lines = [line for line in printed.splitlines() if line.strip() and not line.startswith("--")]
            assert lines in ([], ["BEGIN;", "COMMIT;"]), (app, name, printed)
        _migrate(MOVE)
        assert _structure() == before

        # The rows' foreign keys are checked at commit, and later migrations alter the
        # persons table, which PostgreSQL refuses while checks are pending: run them after
        # each migration, as the commit of each migration's own transaction would.
        leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
        for migration, _backwards in MigrationExecutor(connection).migration_plan(leaves):
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            _migrate([(migration.app_label, migration.name)])
        person = Person.objects.get(public_id=ids["person"])
        # The files that existed are written for the search (persons 0002).
        assert (person.search_name, person.search_key) == ("amina haddad", "amn hd")
        household = Household.objects.get(public_id=ids["household"])
        assert (person.given_name, person.organisation.name, person.created_by_id) == ("Amina", "BAPA", user_id)
        assert HouseholdMember.objects.get(household=household).person == person
        assert [m.relation for m in person.household_links.all()] == ["head"]
        assert Consent.objects.get(public_id=ids["consent"]).person == person
        referral = Referral.objects.get(public_id=ids["referral"])
        assert (referral.person, referral.household) == (person, household)
        assert [n.public_id for n in person.case_notes.all()] == [ids["note"]]
        assert CaseNote.objects.get(public_id=ids["note"]).person == person
        assert list(person.consents.all()) == [Consent.objects.get(public_id=ids["consent"])]
        assert list(person.referrals.all()) == [referral]
