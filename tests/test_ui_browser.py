"""End to end in a real headless Chromium: `kb ui` serves the app against the test Neo4j
holding the bundled case base; Playwright opens every page, searches, runs a console
query and downloads its CSV. Screenshots go to tests/artifacts/ (git-ignored).

Needs Debian's /usr/bin/chromium (`make browser`); Playwright never downloads a browser
of its own here (no `playwright install`)."""

from __future__ import annotations

import json

import pytest

from bench.browser import available, launch, open_page, served_ui, settle  # noqa: F401 (the other browser tests import them from here)
from kb.settings import PROJECT_ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
PAGES = {"overview": "/", "innovations": "/innovations", "innovation detail": "/innovations?innovation=see_through_shutters",
         "transfer": "/transfer?locality=knowsley&innovation=south_tyneside_pa_projects", "network": "/network",
         "network around an actor": "/network?scope=actor&actor=ila_head_teacher_05&k=2&size=betweenness",
         "brokers": "/brokers", "layers": "/layers", "console": "/console"}

if available():
    pytest.skip(f"{available()}: skipping the browser tests", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")


@pytest.fixture(scope="module")
def loaded(session_kb):
    """The bundled case base, analysed by `kb analyse`'s code when that exists."""
    from tests.test_ui_apptest import _ensure

    try:
        import kb.store.analysis_runs  # noqa: F401
    except ImportError:
        _ensure(session_kb, "casebase")
    else:
        _ensure(session_kb, "analysed")
    return session_kb


@pytest.fixture(scope="module")
def app_url(loaded, test_settings, tmp_path_factory):
    """`kb ui --port <free port>` in a subprocess, against the test server."""
    with served_ui({"NEO4J_URI": test_settings.uri, "NEO4J_PASSWORD": test_settings.neo4j_password},
                   tmp_path_factory.mktemp("kb-ui")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1300, "height": 2200}, accept_downloads=True)
    page = context.new_page()
    page.external_requests = []
    page.on("request", lambda r: None if r.url.startswith((app_url, "data:", "about:", "blob:"))
            else page.external_requests.append(r.url))
    yield page
    context.close()


def assert_no_exception(page, where: str) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"{where}: {exceptions.first.inner_text()}"


def shot(page, name: str) -> None:
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_every_page_renders(page, app_url):
    times = {}
    for name, path in PAGES.items():
        open_page(page, app_url + path)  # the first visit warms the server's caches
        times[name] = round(open_page(page, app_url + path), 2)
        assert_no_exception(page, name)
        assert page.locator('[data-testid="stMain"] h1').first.is_visible()
        shot(page, "page-" + name.replace(" ", "-"))
    assert page.external_requests == [], "the app made the browser fetch from other hosts"
    (ARTIFACTS / "browser-render-times.json").write_text(json.dumps(times, indent=2))


def test_sidebar_lists_the_pages_but_not_import(page, app_url):
    open_page(page, app_url)
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    for title in ("Overview", "Innovations", "Transfer finder", "Network", "Brokers", "Layers", "Cypher console"):
        assert title in nav
    assert "Import" not in nav
    open_page(page, app_url + "/import")  # not a page here: the main page runs instead
    assert page.locator('[data-testid="stMain"] h1').first.inner_text() == "Local innovation knowledge base"


def test_search_and_open_an_innovation(page, app_url):
    open_page(page, app_url + "/innovations")
    box = page.get_by_role("textbox", name="Search innovations")
    box.fill("shutters")
    box.press("Enter")
    page.get_by_text("1 innovation", exact=True).wait_for(timeout=60_000)
    settle(page)
    assert "q=shutters" in page.url
    assert_no_exception(page, "search")
    shot(page, "search-shutters")
    open_page(page, app_url + "/innovations?innovation=see_through_shutters")
    assert page.locator('[data-testid="stMain"] h1').first.inner_text() == \
        "See-through plastic shutters on vacant properties"
    for section in ("Adoption timeline", "Organisations and people", "Sources", "Similar innovations",
                    "Where it could transfer"):
        page.get_by_role("heading", name=section).wait_for()
    assert_no_exception(page, "innovation detail")
    shot(page, "innovation-detail")
    page.get_by_role("button", name="Back to the search").click()
    page.get_by_role("textbox", name="Search innovations").wait_for()
    settle(page)
    assert "innovation=" not in page.url


def test_console_query_and_csv_download(page, app_url):
    open_page(page, app_url + "/console")
    editor = page.get_by_role("textbox", name="Cypher", exact=True)
    editor.fill("MATCH (i:Innovation) RETURN i.id AS id, i.name AS name ORDER BY id")
    page.get_by_role("button", name="Run query").click()
    page.get_by_text("your query: 20 rows").wait_for(timeout=60_000)  # 19 from the report, 1 synthetic
    settle(page)
    assert_no_exception(page, "console")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    target = ARTIFACTS / "console-innovations.csv"
    download.value.save_as(target)
    lines = target.read_text().splitlines()
    assert lines[0] == "id,name" and len(lines) == 21  # the header and 20 innovations
    assert any(line.startswith("see_through_shutters,") for line in lines)
    shot(page, "console-query")

    editor.fill("CREATE (n:Intruder) RETURN n")
    page.get_by_role("button", name="Run query").click()
    page.get_by_text("Refused", exact=False).first.wait_for(timeout=60_000)
    assert editor.input_value() == "CREATE (n:Intruder) RETURN n"
    shot(page, "console-refused")


def test_network_picture_draws_and_then_holds_still(page, app_url):
    open_page(page, app_url + "/network?network=innovation")
    assert_no_exception(page, "network")
    page.locator("iframe").first.wait_for(timeout=60_000)
    frame = next(f for f in page.frames if f != page.main_frame)
    frame.wait_for_selector("canvas", timeout=60_000)
    # physics lays the graph out, then is switched off once it has stabilised
    frame.wait_for_function("() => window.network && network.physics.options.enabled === false", timeout=60_000)
    shot(page, "network-innovation")
    open_page(page, app_url + "/transfer?locality=knowsley&innovation=south_tyneside_pa_projects")
    assert_no_exception(page, "transfer")
    shot(page, "transfer-knowsley")


def test_bench_opens_a_page_behind_the_sign_in_and_reruns_it(browser, app_url, loaded, test_settings):
    """`bench.pages --browser`'s way in (bench/pages_browser.py): sign in on the Overview, click
    the page in the sidebar; then reruns in the same session ("r") keep the user signed in."""
    from bench.browser import drawn_runs, rerun
    from bench.pages_browser import open_view
    from kb.services import access

    access.add_user(test_settings, loaded, "bench_probe", "editor", "bench probe password 17")
    context = browser.new_context(viewport={"width": 1300, "height": 1600})
    page = context.new_page()
    try:
        seconds = open_view(page, app_url, "views/attention.py", {}, True, "bench_probe", "bench probe password 17")
        assert seconds > 0 and page.url.endswith("/attention")
        assert page.locator('[data-testid="stMain"] h1').first.inner_text() == "Needs attention"
        assert_no_exception(page, "needs attention")
        runs = drawn_runs(page)
        assert rerun(page) > 0 and drawn_runs(page) == runs + 1
        assert page.locator('[data-testid="stMain"] h1').first.inner_text() == "Needs attention"  # still signed in
    finally:
        context.close()
        access.remove_user(test_settings, loaded, "bench_probe")
