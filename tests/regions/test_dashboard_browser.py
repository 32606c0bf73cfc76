"""The regional dashboard in a real browser (Debian's chromium): the page never gets wider
than the screen, at 1,280 px or on a 390-px phone; the comparison table scrolls inside its
box with the territory column fixed; axe-core finds nothing moderate or worse, on a
phone too. The server and the regional administrator's session are the browser journey's."""

import pytest

from tests.test_browser_journey import CHROMIUM, journey, regional, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it)")


def test_the_dashboard_runs_on_the_test_database(db):
    """Asks for the test database, as the browser journey does (see there why)."""


@pytest.fixture(scope="module")
def browser(regional):  # noqa: F811 - the fixture imported above
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        yield browser
        browser.close()


def _dashboard(browser, server, regional, width: int, height: int, query: str = "", path: str = ""):  # noqa: F811
    label, session_key = regional
    context = browser.new_context(locale="en-GB", viewport={"width": width, "height": height})
    context.add_cookies([{"name": "sessionid", "value": session_key, "url": server}])
    page = context.new_page()
    page.goto(f"{server}/region/brussels/{path}?period={label}{query}")
    return page


@pytest.mark.parametrize("query", ["", "&per=1000"])
def test_the_page_is_no_wider_than_a_desktop_screen(regional, server, browser, django_db_blocker, query):  # noqa: F811
    with django_db_blocker.unblock():
        page = _dashboard(browser, server, regional, 1280, 900, query)
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_on_a_phone_the_table_scrolls_inside_its_box_with_the_territory_fixed(
    regional,  # noqa: F811
    server,  # noqa: F811
    browser,
    django_db_blocker,
):
    with django_db_blocker.unblock():
        page = _dashboard(browser, server, regional, 390, 844)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        box = page.locator(".comparison-wrap")
        assert box.evaluate("el => el.scrollWidth > el.clientWidth")
        territory = page.locator('#table-comparison th[scope="row"]').first
        before = territory.bounding_box()["x"]
        box.evaluate("el => { el.scrollLeft = 600; }")
        assert box.evaluate("el => el.scrollLeft") > 0
        assert abs(territory.bounding_box()["x"] - before) < 1  # sticky: it did not move
        assert page.evaluate("window.scrollX") == 0


@pytest.mark.parametrize(
    ("path", "query"), [("", "&per=1000"), ("territory/schaerbeek/", "")], ids=["dashboard", "territory"]
)
@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_the_pages_have_no_accessibility_violations(
    regional,  # noqa: F811
    server,  # noqa: F811
    browser,
    django_db_blocker,
    width,
    height,
    path,
    query,
):
    from axe_playwright_python.sync_playwright import Axe

    with django_db_blocker.unblock():
        page = _dashboard(browser, server, regional, width, height, query, path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        results = Axe().run(page)
    found = [
        f"{v['id']} ({v['impact']}) {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("moderate", "serious", "critical")
    ]
    assert found == []
