"""Issue 14 end to end in a real headless Chromium (`kb ui` against the test Neo4j with the
bundled case base): an editor signs in, adds an innovation with two problems, an
originator and a source; it is found by search and by the transfer finder; the editor
edits one field with a reason and sees the history; an admin signs in and undoes the
edit. The users are made through the service (kb.services.access.add_user)."""

from __future__ import annotations

import pytest

from kb.services import access, curation
from tests.test_ui_browser import (app_url, assert_no_exception, browser, loaded, open_page, page,  # noqa: F401
                                   settle, shot)

pytestmark = pytest.mark.browser
PASSWORD = "browser test password 14"
NAME = "Zorblat homework circles (test record)"
ID = "zorblat_homework_circles_test_record"


@pytest.fixture(scope="module")
def users(loaded, test_settings):
    for name, role in (("erin_editor", "editor"), ("adam_admin", "admin")):
        access.add_user(test_settings, loaded, name, role, PASSWORD)
    yield
    loaded.write("MATCH (n) WHERE n:User OR n:Change OR n:SignInBackoff OR (n:Innovation AND n.id = $id) "
                 "DETACH DELETE n", {"id": ID})


def el(page, key: str, what: str = "input"):
    return page.locator(f".st-key-{key} {what}").first


def sign_in(page, name: str) -> None:
    el(page, "auth_name").fill(name)
    el(page, "auth_password").fill(PASSWORD)
    el(page, "auth_submit", "button").click()
    page.get_by_text(f"Signed in as {name}").wait_for(timeout=60_000)
    settle(page)


def pick(page, key: str, *typed: str) -> None:
    """Choose options of a select box or multiselect by typing and pressing Enter."""
    box = el(page, key)
    for text in typed:
        box.click()
        box.fill(text)
        page.wait_for_timeout(300)
        page.get_by_role("option").first.click()
    page.locator('[data-testid="stMain"] h1').first.click()  # closes the list (Escape would clear a select box)


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_editor_adds_edits_and_admin_undoes(page, app_url, users, loaded, test_settings):
    # an editor signs in and adds an innovation
    open_page(page, app_url)
    sign_in(page, "erin_editor")
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Add or edit").click()
    el(page, "f_innovations_name").wait_for(timeout=60_000)
    settle(page)
    el(page, "f_innovations_name").fill(NAME)
    el(page, "f_innovations_description", "textarea").fill("Weekly homework circles run by parents (a test record).")
    pick(page, "f_innovations_problems", "pupils' learning", "bystanders")
    pick(page, "f_innovations_originators", "Knowsley teachers")
    el(page, "f_innovations_evidence_level").fill("2")
    pick(page, "p_innovations_source", "Transformers")
    el(page, "p_innovations_section").fill("test section")
    el(page, "save_innovations", "button").click()
    page.get_by_text(f"Added innovation {ID}").wait_for(timeout=60_000)
    settle(page)
    assert_no_exception(page, "add innovation")
    shot(page, "curation-added")
    stored, _ = curation.fetch(test_settings, loaded, "innovations", ID)
    assert set(stored["problems"].split(";")) == {"pupils_learning_experience", "public_as_bystanders"}
    assert stored["originators"] == "knowsley_teachers" and stored["source"] == "transformers2008"

    # found by search and by the transfer finder
    open_page(page, app_url + "/innovations?q=zorblat")
    page.get_by_text("1 innovation", exact=True).wait_for(timeout=60_000)
    open_page(page, app_url + f"/transfer?locality=highland&innovation={ID}&unevidenced=true")
    settle(page)
    assert f"innovation={ID}" in page.url, "the transfer finder did not list the new innovation"
    assert NAME in main_text(page)

    # the editor edits one field with a reason, and sees the history
    open_page(page, app_url + f"/record?kind=innovations&id={ID}")
    sign_in(page, "erin_editor")
    page.get_by_role("link", name="Edit this record").click()
    el(page, "f_innovations_description", "textarea").wait_for(timeout=60_000)
    settle(page)
    el(page, "f_innovations_description", "textarea").fill("Fortnightly homework circles (a test record).")
    el(page, "p_innovations_reason").fill("the circles meet every two weeks")
    el(page, "save_innovations", "button").click()
    page.get_by_text(f"Saved innovation {ID}").wait_for(timeout=60_000)
    settle(page)
    page.get_by_role("link", name="History, completeness and undo").first.click()
    page.get_by_text("the circles meet every two weeks").wait_for(timeout=60_000)
    settle(page)
    assert "erin_editor edited" in main_text(page)
    assert not page.locator('[class*="st-key-undo_chg"]').count()  # editors do not undo
    shot(page, "curation-history")

    # an admin signs in and undoes the edit
    page.locator(".st-key-auth_sign_out button").click()
    sign_in(page, "adam_admin")
    edit = next(c for c in curation.history(test_settings, loaded, ID) if c.op == "update")
    el(page, f"undo_reason_{edit.id}").fill("the source says weekly")
    el(page, f"undo_{edit.id}", "button").click()
    page.get_by_text("Undone").wait_for(timeout=60_000)
    settle(page)
    assert_no_exception(page, "undo")
    shot(page, "curation-undone")
    stored, _ = curation.fetch(test_settings, loaded, "innovations", ID)
    assert stored["description"] == "Weekly homework circles run by parents (a test record)."
    assert curation.history(test_settings, loaded, ID)[0].op == "undo"
