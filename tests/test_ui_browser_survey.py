"""A full survey round in a real headless Chromium (issue 15): an editor creates a round
with three respondents and issues their private links; two answer on a phone-sized screen
(one saves, comes back and submits); the editor watches the response rate and closes the
round; the ties appear, dated and tagged with the round. Screenshots in tests/artifacts/."""

from __future__ import annotations

import csv

import pytest

from bench.browser import launch, served_ui
from kb.model import ENTITIES
from tests.test_ui_browser import ARTIFACTS, sync_api  # skips without Chromium
from tests.test_surveys import LOCALITIES, ORGANISATIONS, PEOPLE

pytestmark = pytest.mark.browser
PASSWORD = "survey-editor-pass"
PHONE = {"width": 390, "height": 844}
# A token visitor's page has no sidebar (and so no "page drawn" mark): ready once the form is drawn.
FORM_READY = """() => document.querySelector('[data-testid="stMain"] h1')
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')"""


@pytest.fixture(scope="module")
def town(session_kb, test_settings, tmp_path_factory):
    from kb.services.loading import load_files

    folder = tmp_path_factory.mktemp("town")
    (folder / "localities.csv").write_text(LOCALITIES)
    (folder / "organisations.csv").write_text(ORGANISATIONS)
    (folder / "people.csv").write_text(PEOPLE)
    session_kb.write_in_batches("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    load_files(test_settings, session_kb, [folder], progress=False)
    return session_kb


@pytest.fixture(scope="module")
def app_url(town, test_settings, tmp_path_factory):
    """`kb ui` with writes allowed and an editor's password."""
    with served_ui({"NEO4J_URI": test_settings.uri, "NEO4J_PASSWORD": test_settings.neo4j_password,
                    "KB_UI_ALLOW_WRITES": "true", "KB_UI_PASSWORD": PASSWORD},
                   tmp_path_factory.mktemp("kb-ui-survey")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def ready(page, check: str = FORM_READY) -> None:
    page.wait_for_timeout(400)
    try:
        page.wait_for_function(check, timeout=90_000)
    except sync_api.TimeoutError:
        page.screenshot(path=str(ARTIFACTS / "survey-timeout.png"), full_page=True)
        raise AssertionError("the page did not settle: " + page.locator("body").inner_text()[:3000]) from None


def no_exception(page, where: str) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, f"{where}: {errors.first.inner_text()}"


def pick(page, key: str, text: str) -> None:
    """Choose an option of a multiselect by typing part of it (the search) and clicking it."""
    box = page.locator(f".st-key-{key} input").first
    box.click()
    box.fill(text)
    page.get_by_role("option").filter(has_text=text).first.click()
    page.locator('[data-testid="stMain"] h1').first.click()          # close the list
    page.locator(f".st-key-{key}").get_by_text(text).first.wait_for(timeout=60_000)
    ready(page, FORM_READY)


def answer(page, network: str, person: str, name: str, how: str) -> None:
    pick(page, f"svy_pick_{network}", name)
    control = page.locator(f".st-key-svy_how_{network}_{person}")
    control.wait_for(timeout=60_000)
    control.get_by_role("radio", name=how, exact=True).click()
    ready(page, FORM_READY)


def phone(browser, link: str):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(link)
    page.locator(".st-key-svy_submit, [data-testid='stAlert']").first.wait_for(timeout=90_000)
    ready(page, FORM_READY)
    return context, page


def test_an_editor_runs_a_round_that_two_respondents_answer_on_a_phone(browser, app_url, town, tmp_path):
    editor = browser.new_context(viewport={"width": 1300, "height": 1800}, accept_downloads=True).new_page()
    editor.goto(app_url + "/survey-admin")
    ready(editor)
    editor.locator(".st-key-srv_password input").fill(PASSWORD)
    editor.get_by_role("button", name="Unlock").click()
    ready(editor)
    editor.locator(".st-key-srv_round_id input").fill("b1")
    editor.get_by_role("button", name="Create the round").click()
    editor.get_by_text("Created survey round b1.").wait_for(timeout=60_000)
    ready(editor)
    for name in ("Ann Able", "Bob Bell", "Cat Crane"):
        pick(editor, "srv_people", name)
    editor.get_by_role("button", name="Add to the roster").click()
    editor.get_by_text("Added 3 respondent(s).").wait_for(timeout=60_000)
    ready(editor)
    editor.get_by_role("button", name="Issue links to respondents without one").click()
    editor.get_by_text("Copy these links now").wait_for(timeout=60_000)
    ready(editor)
    no_exception(editor, "links issued")
    with editor.expect_download() as download:
        editor.locator(".st-key-srv_links_dl_csv button").click()
    saved = tmp_path / "links.csv"
    download.value.save_as(saved)
    links = {row["person"]: row["link"] for row in csv.DictReader(saved.open())}
    assert set(links) == {"ann", "bob", "cat"} and all("/?token=" in x for x in links.values())
    editor.screenshot(path=str(ARTIFACTS / "survey-editor-links.png"), full_page=True)

    # Ann answers one question, saves, and comes back later to finish and submit.
    context, ann = phone(browser, links["ann"])
    assert ann.locator('[data-testid="stSidebarNav"]').count() == 0      # nothing else of the app
    main = ann.locator('[data-testid="stMain"]').inner_text()
    assert "Hello Ann Able" in main, main
    answer(ann, "work", "bob", "Bob", "Often (about weekly)")
    ann.get_by_role("button", name="Save and continue later").click()
    ann.get_by_text("Saved. Open your link again").wait_for(timeout=60_000)
    ann.screenshot(path=str(ARTIFACTS / "survey-phone-saved.png"), full_page=True)
    context.close()
    context, ann = phone(browser, links["ann"])
    ann.locator(".st-key-svy_pick_work").get_by_text("Bob Bell").wait_for(timeout=60_000)   # resumed
    ann.screenshot(path=str(ARTIFACTS / "survey-phone-resumed.png"), full_page=True)
    answer(ann, "innovation", "cat", "Cat", "Rarely (a few times a year)")
    ann.get_by_role("button", name="Submit my answers").click()
    ann.get_by_text("Thank you: your answers are submitted").wait_for(timeout=60_000)
    no_exception(ann, "ann submitted")
    context.close()

    context, bob = phone(browser, links["bob"])
    assert "Cat Crane" not in bob.locator(".st-key-svy_pick_innovation").inner_text()  # not Ann's answers
    answer(bob, "work", "ann", "Ann", "Very often (daily)")
    bob.get_by_role("button", name="Submit my answers").click()
    bob.get_by_text("Thank you: your answers are submitted").wait_for(timeout=60_000)
    bob.screenshot(path=str(ARTIFACTS / "survey-phone-submitted.png"), full_page=True)
    context.close()

    # The editor sees the response rate (it refreshes by itself) and closes the round.
    editor.get_by_text("2 (67%)").wait_for(timeout=60_000)
    ready(editor)
    editor.screenshot(path=str(ARTIFACTS / "survey-editor-rate.png"), full_page=True)
    editor.get_by_text("Yes, close this round now").click()
    ready(editor)
    editor.get_by_role("button", name="Close the round").click()
    editor.get_by_text("Closed b1: 3 tie(s)").wait_for(timeout=60_000)
    no_exception(editor, "closed")

    ties = town.read("MATCH (a)-[t:TIE]->(b) WHERE t.source = 'survey-b1' "
                     "RETURN a.id AS f, b.id AS t, t.network AS n, t.weight AS w, t.date AS d, t.round AS r")
    date = town.read("MATCH (r:SurveyRound {id: 'b1'}) RETURN r.date AS d")[0]["d"]
    assert {(t["f"], t["t"], t["n"], t["w"]) for t in ties} == {
        ("ann", "bob", "work", 3.0), ("ann", "cat", "innovation", 1.0), ("bob", "ann", "work", 4.0)}
    assert {str(t["d"]) for t in ties} == {date}
    if "round" in ENTITIES["ties"].column_names:
        assert {t["r"] for t in ties} == {"b1"}
    context, late = phone(browser, links["cat"])                                 # a closed round opens nothing
    late.get_by_text("This link does not open a survey").wait_for(timeout=60_000)
    context.close()
