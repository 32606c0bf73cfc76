"""No page puts its CSRF token in a URL: a form that submits by GET (its method, or a
button's formmethod) sends every field in the query string, where server logs, the
browser's history and the Referer header sent to the next site keep it."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.DOTALL | re.IGNORECASE)
METHOD = re.compile(r"""\bmethod\s*=\s*["']?(\w+)""", re.IGNORECASE)
GET_BUTTON = re.compile(r"""\bformmethod\s*=\s*["']?get\b""", re.IGNORECASE)
INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["']""")


def _expanded(text: str, depth: int = 0) -> str:
    """The template with its {% include %}s written in, as far as they are named literally."""
    if depth > 5:
        return text

    def inline(match):
        path = TEMPLATES / match.group(1)
        return _expanded(path.read_text(), depth + 1) if path.exists() else ""

    return INCLUDE.sub(inline, text)


def token_in_url(text: str) -> list[str]:
    """The opening tags of the forms in `text` that would send a csrf_token by GET."""
    found = []
    for form in FORM.finditer(_expanded(text)):
        if "csrf_token" not in form["body"]:
            continue
        method = METHOD.search(form["attrs"])
        if (method is None or method.group(1).lower() == "get") or GET_BUTTON.search(form["body"]):
            found.append(f"<form{form['attrs']}>")
    return found


@pytest.mark.parametrize(
    ("template", "leaks"),
    [
        ('<form method="get">{% csrf_token %}<input name="q"></form>', True),
        ("<form>{% csrf_token %}</form>", True),
        ('<form method="post">{% csrf_token %}<button formmethod="get">Print</button></form>', True),
        ('<form method="post">{% csrf_token %}<button formmethod="post">Print</button></form>', False),
        ('<form method="get"><input name="q"></form>', False),
        ('<form method="POST">{% csrf_token %}</form>', False),
    ],
)
def test_the_scan_tells_a_token_sent_by_get(template, leaks):
    assert bool(token_in_url(template)) is leaks


def test_no_template_sends_the_csrf_token_by_get():
    leaking = {
        str(path.relative_to(TEMPLATES)): forms
        for path in TEMPLATES.rglob("*.html")
        if (forms := token_in_url(path.read_text()))
    }
    assert not leaking, leaking
