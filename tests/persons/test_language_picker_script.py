"""language-picker.js in a real browser, on the select the person form renders: typing
finds a language, the keyboard picks it, the hidden select is what the form submits."""

import os
import shutil
from pathlib import Path

import pytest
from django.utils import translation

from persons.forms import PersonForm

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "maillage" / "static" / "maillage" / "language-picker.js"
CHROMIUM = os.environ.get("MAILLAGE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Debian's chromium is not installed (make test installs it)"
)


@pytest.fixture
def page(settings):
    from playwright.sync_api import sync_playwright

    with translation.override("en"):
        form = PersonForm(initial={"languages": ["ar"]})
        body = (
            '<form><div class="field"><label for="id_languages">Languages spoken</label>'
            '<p class="help" id="id_languages_help">help</p>'
            f"{form['languages']}</div><button>Save</button></form>"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.set_content(f"<!DOCTYPE html><html><body>{body}</body></html>")
        page.add_script_tag(content=SCRIPT.read_text())
        yield page
        browser.close()


def _selected(page) -> list[str]:
    return page.eval_on_selector("#id_languages", "s => Array.from(s.selectedOptions).map(o => o.value)")


def test_typing_and_enter_choose_a_language(page):
    assert page.is_hidden("#id_languages")
    combobox = page.get_by_role("combobox", name="Languages spoken")
    combobox.fill("tigr")
    assert page.get_attribute("#id_languages_search", "aria-expanded") == "true"
    combobox.press("Enter")
    assert _selected(page) == ["ar", "ti"]
    assert page.get_by_role("button", name="Remove Tigrinya").is_visible()
    assert "Tigrinya added" in page.inner_text('[role="status"]')


def test_a_chip_removes_its_language(page):
    page.get_by_role("button", name="Remove Arabic").click()
    assert _selected(page) == []


def test_klingon_is_not_found(page):
    page.get_by_role("combobox").fill("klingon")
    assert page.locator('[role="option"]').count() == 0
    assert "No language by that name" in page.inner_text('[role="listbox"]')


def test_the_empty_box_offers_the_languages_of_the_public(page):
    page.get_by_role("combobox").focus()
    options = page.locator('[role="option"]').all_inner_texts()
    assert "Pashto" in options and "German" not in options and "Arabic" not in options  # Arabic is chosen
