"""Rules that keep scoping hard to forget (STYLE.md §2, §3)."""

import ast
import re
from pathlib import Path

import pytest
from django.utils.module_loading import import_string

ROOT = Path(__file__).resolve().parents[1]
APPS = [
    "maillage",
    "tenants",
    "members",
    "audit",
    "notifications",
    "directory",
    "persons",
    "referrals",
    "consent",
    "charter",
    "meetings",
    "network",
    "regions",
    "demo",
    "idempotency",
    "work",
    "plans",
    "transfers",
    "api",
]
# Where querying models directly is allowed (matched on the file's own name, so
# `network_services.py` is not a service): services, selectors, admin, migrations,
# management commands, Celery tasks (which take ids), the demo loader, the reads that
# directory import/export shares (a whole coordination's directory; writes go through
# services), the consent policy (the one place that says who sees what, as query
# filters), the access report (a selector over the audit trail), referral reminders (a
# service of a scheduled job), the regional indicators (the one module reading
# across schemas), the sections of the weekly digest and the e-mail context of referral
# notices (selectors each app contributes to the notifications app through settings) and
# provisioning (the new-schema script, the public rows and the lead organisation).
ALLOWED = re.compile(
    r"(^|/)(services|selectors|admin|tasks|access_report|reminders|indicators|digest|notices)\.py$"
    r"|directory/interop/common\.py$"
    r"|tenants/schemas\.py$|provisioning\.py$|demo/|consent/policies\.py$|/migrations/|/management/"
)


def _python_files():
    for app in APPS:
        yield from (p for p in (ROOT / app).rglob("*.py") if ".venv" not in p.parts)


def test_views_and_api_never_query_models_directly():
    offenders = []
    for path in _python_files():
        relative = path.relative_to(ROOT).as_posix()
        if ALLOWED.search(relative):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\b[A-Z]\w+\.objects\.", line) and "TOTPDevice" not in line:
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


# The records that carry a person's data are read and written only by their own app's
# selectors and services: every other module goes through those, so the consent wall and
# the audit trail cannot be skipped by a query written somewhere else. A banned pattern,
# checked on every file of every app, whatever its name.
GUARDED_MODELS = {"Person": "persons", "Consent": "consent", "Referral": "referrals", "CaseNote": "referrals"}
GUARDED_QUERY = re.compile(r"\b(" + "|".join(GUARDED_MODELS) + r")\.(objects|_default_manager|_base_manager)\b")
# Own-app modules that may query, beside selectors.py and services.py, with why.
GUARDED_QUERY_ALLOWED = {
    # The one consent predicate: its SQL form is a subquery over consents (tests prove it
    # agrees with the in-memory form).
    "consent/policies.py",
}


def _may_query(relative: str, model: str) -> bool:
    if "/migrations/" in relative:
        return True
    if not relative.startswith(GUARDED_MODELS[model] + "/"):
        return False
    return relative.rsplit("/", 1)[-1] in {"selectors.py", "services.py"} or relative in GUARDED_QUERY_ALLOWED


def _guarded_queries(path: Path, relative: str) -> list[str]:
    return [
        f"{relative}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        for match in GUARDED_QUERY.finditer(line)
        if not _may_query(relative, match.group(1))
    ]


def test_persons_consents_referrals_and_notes_are_queried_only_by_their_own_selectors_and_services():
    offenders = [
        offence for path in _python_files() for offence in _guarded_queries(path, path.relative_to(ROOT).as_posix())
    ]
    assert offenders == []


def test_the_guard_sees_a_query_of_another_apps_person(tmp_path):
    module = tmp_path / "views.py"
    module.write_text("def page():\n    return Person.objects.all()\n")
    assert _guarded_queries(module, "network/views.py") == ["network/views.py:2: return Person.objects.all()"]
    assert _guarded_queries(module, "persons/views.py") == ["persons/views.py:2: return Person.objects.all()"]
    assert _guarded_queries(module, "persons/selectors.py") == []


# Project imports inside a function hide a dependency from the import contract's reader and
# usually paper over a cycle; apps depend downward only (pyproject.toml, [tool.importlinter]),
# so every import sits at the top of its module. The ones that must stay, with why:
INNER_IMPORTS_ALLOWED: dict[str, str] = {
    # django-tenants finds `--executor=replay` among its executor's subclasses, so the module
    # must be imported at start-up, and it needs the models, which apps.py may not import.
    "tenants/apps.py": "registers the replay migration executor in ready()",
}


def _is_project_import(node: ast.AST) -> bool:
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] in APPS for alias in node.names)
    return isinstance(node, ast.ImportFrom) and node.level == 0 and node.module.split(".")[0] in APPS


def _inner_project_imports(path: Path) -> list[tuple[int, str]]:
    found = set()
    for function in ast.walk(ast.parse(path.read_text())):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found |= {(node.lineno, ast.unparse(node)) for node in ast.walk(function) if _is_project_import(node)}
    return sorted(found)


def test_project_imports_sit_at_the_top_of_the_module():
    offenders = [
        f"{relative}:{number}: {statement}"
        for path in _python_files()
        if (relative := path.relative_to(ROOT).as_posix()) not in INNER_IMPORTS_ALLOWED
        for number, statement in _inner_project_imports(path)
    ]
    assert offenders == []


def test_the_inner_import_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("from maillage.actor import Actor\n\n\ndef job():\n    from referrals import services\n")
    assert _inner_project_imports(module) == [(5, "from referrals import services")]


HOOK_SETTINGS = (
    "MAILLAGE_CONSENT_WITHDRAWAL_HOOKS",
    "MAILLAGE_CONSENT_HOLDS",
    "MAILLAGE_PERSON_ANONYMISED_HOOKS",
    "MAILLAGE_PERSON_TIMELINE",
    "MAILLAGE_NOTICE_EMAIL_CONTEXT",
    "MAILLAGE_DIGEST_SECTIONS",
    "MAILLAGE_TRANSFER_HANDOVER",
)


@pytest.mark.parametrize("name", HOOK_SETTINGS)
def test_every_settings_hook_names_a_function(name, settings):
    value = getattr(settings, name)
    paths = value.values() if isinstance(value, dict) else value
    assert paths
    assert all(callable(import_string(path)) for path in paths)


def test_serializers_list_their_fields():
    for path in (ROOT / "api").rglob("*.py"):
        text = path.read_text()
        assert "__all__" not in text, path
        assert not re.search(r"^\s*exclude\s*=", text, re.M), path


def test_platform_folder_is_not_a_package():
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_no_cdn_in_templates():
    for path in (ROOT / "templates").rglob("*.html"):
        assert not re.search(r"(src|href)=\"https?://", path.read_text()), path
