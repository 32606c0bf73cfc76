"""The search form's <select> written in Python says what Django's own would."""

import re

from django import forms

from maillage.widgets import QuickSelect

CHOICES = [("", "Any"), ("fr", "Français <b>"), ("nl", 'Nederlands "NL"'), ("Group", [("ar", "Arabe")])]


class _Form(forms.Form):
    django = forms.ChoiceField(choices=CHOICES, required=True, help_text="Pick one")
    quick = forms.ChoiceField(choices=CHOICES, required=True, help_text="Pick one", widget=QuickSelect)


def _normalised(html: str, name: str) -> list[str]:
    """The tags with their attributes in order, and the texts, in the order of the page."""
    html = re.sub(r">\s+<", "><", html.replace(f"id_{name}", "ID").replace(f'name="{name}"', 'name="N"'))
    out = []
    for tag, text in re.findall(r"(<[^>]+>)|([^<>]+)", html):
        if text:
            out.append(text.strip())
        else:
            head, *attributes = re.findall(r'[\w/-]+(?:="[^"]*")?', tag)
            out.append(" ".join([head, *sorted(attributes)]))
    return out


def test_quick_select_renders_what_djangos_select_renders():
    for data in ({"django": "ar", "quick": "ar"}, None):
        form = _Form(data)
        assert _normalised(str(form["quick"]), "quick") == _normalised(str(form["django"]), "django")
