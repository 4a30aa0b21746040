"""Issue 14 in the app (streamlit.testing's AppTest against the real test Neo4j holding the
bundled case base): sign-in and roles, the forms' validation with the loader's messages,
and the refused save over a newer version with its merge."""

from __future__ import annotations

import re
import time

import pytest
from streamlit.testing.v1 import AppTest

from kb.model import LoadBatch, Origin
from kb.services import access, curation
from loaders.rows import make_record
from tests.test_ui_apptest import (APP, TIMEOUT, assert_clean, casebase, open_app, scratch_casebase,  # noqa: F401
                                   texts, ui_env)

PASSWORD = "a long enough password 14"


def add_user(test_settings, kb, name: str, role: str) -> access.User:
    return access.add_user(test_settings, kb, name, role, PASSWORD)


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    at.button(key="auth_submit").click().run()
    assert_clean(at)
    return at


def sidebar_text(at: AppTest) -> str:
    return "\n".join(str(m.value) for kind in ("markdown", "caption", "error", "info")
                     for m in at.sidebar.get(kind))


def has_form(at: AppTest) -> bool:
    return any(w.key and w.key.startswith("f_") for w in at.text_input) or \
        any(b.key and str(b.key).startswith("save_") for b in at.button)


def test_signed_out_user_sees_no_form_and_cannot_write(scratch_casebase, ui_env, test_settings):
    at = open_app()
    assert at.text_input(key="auth_name") is not None  # the sign-in form in the sidebar
    for page in ("views/curate.py", "views/attention.py", "views/import_data.py"):
        with pytest.raises(ValueError):  # not a page for them: the app never runs it
            at.switch_page(page)
    at.switch_page("views/record.py").run()
    assert_clean(at)
    at.selectbox(key="rec_id").select("see_through_shutters").run()
    assert_clean(at)
    assert "History" in texts(at)
    assert not has_form(at) and not any(b.key and str(b.key).startswith("undo_") for b in at.button)
    # and the service refuses the signed-out user whatever the page
    with pytest.raises(access.AccessDenied):
        curation.save(test_settings, scratch_casebase, None, "problems", {"id": "p_x", "name": "X"},
                      reason="test", provenance=curation.Provenance(editors_judgement=True, note="test"))


def test_viewer_sees_no_form_and_cannot_write(scratch_casebase, ui_env, test_settings):
    viewer = add_user(test_settings, scratch_casebase, "vera_viewer", "viewer")
    at = sign_in(open_app(), "vera_viewer")
    assert "Signed in as **vera_viewer** (viewer" in sidebar_text(at)
    for page in ("views/curate.py", "views/attention.py", "views/import_data.py"):
        with pytest.raises(ValueError):
            at.switch_page(page)
    with pytest.raises(access.AccessDenied, match="editor role"):
        curation.save(test_settings, scratch_casebase, viewer, "problems", {"id": "p_x", "name": "X"},
                      reason="test", provenance=curation.Provenance(editors_judgement=True, note="test"))
    assert scratch_casebase.read("MATCH (p:Problem {id: 'p_x'}) RETURN count(p) AS n")[0]["n"] == 0


def test_closed_viewing_asks_everyone_to_sign_in(casebase, ui_env):
    ui_env.setenv("KB_UI_OPEN_VIEWING", "false")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert_clean(at)
    assert [t.value for t in at.title] == ["Sign in"]
    assert not at.metric  # the overview's counts are not shown
    with pytest.raises(ValueError):
        at.switch_page("views/innovations.py")


def test_wrong_password_is_a_message_not_a_traceback(scratch_casebase, ui_env, test_settings):
    add_user(test_settings, scratch_casebase, "wanda_editor", "editor")
    at = sign_in(open_app(), "wanda_editor", "not the password")
    errors = "\n".join(e.value for e in at.error)
    assert errors and "Traceback" not in errors
    assert "Signed in as" not in sidebar_text(at)
    assert "not the password" not in texts(at) + sidebar_text(at)
    # the back-off: after a few failures the next try is refused with how long to wait
    for _ in range(access.FREE_FAILURES):
        sign_in(at, "wanda_editor", "not the password")
    errors = "\n".join(e.value for e in at.sidebar.error)
    # refused outright while the back-off runs, or told how long it will run (a slow machine)
    assert re.search(r"(Wait|try again in) \d+ s", errors) and "Traceback" not in errors, errors
    time.sleep(access.backoff_seconds(access.FREE_FAILURES + 2) + 1)
    sign_in(at, "wanda_editor")  # the right password after the wait (and the address is cleared)
    assert "Signed in as **wanda_editor**" in sidebar_text(at)


def test_session_expires(scratch_casebase, ui_env, test_settings):
    add_user(test_settings, scratch_casebase, "sam_editor", "editor")
    at = sign_in(open_app(), "sam_editor")
    at.switch_page("views/curate.py").run()
    assert has_form(at)
    at.session_state["kb_user"] = dict(at.session_state["kb_user"], expires=time.time() - 1)
    at.run()
    assert_clean(at)
    assert not has_form(at)
    assert any("Your session expired" in e.value for e in at.sidebar.info)


def open_form(at: AppTest, kind: str, record_id: str | None = None) -> AppTest:
    at.switch_page("views/curate.py").run()
    assert_clean(at)
    at.selectbox(key="cur_kind").select(kind).run()
    if record_id:
        at.selectbox(key="cur_record").select(record_id).run()
    assert_clean(at)
    return at


def loader_message(kind: str, column: str, value: str) -> str:
    """What `kb load` says about this value in this column."""
    batch = LoadBatch()
    make_record(kind, {column: value}, Origin("x.csv", 1), batch)
    return next(p.message for p in batch.problems if p.column == column)


def test_form_shows_the_loaders_message_under_the_field(scratch_casebase, ui_env, test_settings):
    add_user(test_settings, scratch_casebase, "eddie_editor", "editor")
    at = open_form(sign_in(open_app(), "eddie_editor"), "innovations")
    at.text_input(key="f_innovations_name").input("Street repair cafés")
    at.text_input(key="f_innovations_origin_year").input("20x9")
    at.radio(key="p_innovations_mode").set_value("judgement")
    at.text_input(key="p_innovations_note").input("heard at a network meeting")
    at.button(key="save_innovations").click().run()
    assert_clean(at)
    expected = loader_message("innovations", "origin_year", "20x9")
    errors = [e.value for e in at.error]
    assert f"origin year: {expected}" in errors, errors
    assert scratch_casebase.read("MATCH (i:Innovation {id: 'street_repair_cafes'}) RETURN count(i) AS n")[0]["n"] == 0
    # corrected, it saves (the id made from the name)
    at.text_input(key="f_innovations_origin_year").input("2019")
    at.button(key="save_innovations").click().run()
    assert_clean(at)
    assert any("Added innovation `street_repair_cafes`" in s.value for s in at.success)
    row = scratch_casebase.read("MATCH (i:Innovation {id: 'street_repair_cafes'}) RETURN i.origin_year AS y")
    assert row and row[0]["y"] == 2019


def test_stale_form_shows_differences_and_merges(scratch_casebase, ui_env, test_settings):
    add_user(test_settings, scratch_casebase, "edna_editor", "editor")
    other = add_user(test_settings, scratch_casebase, "otto_editor", "editor")
    at = open_form(sign_in(open_app(), "edna_editor"), "problems", "vacant_properties")
    stored, version = curation.fetch(test_settings, scratch_casebase, "problems", "vacant_properties")
    # someone else saves a new description meanwhile
    theirs = dict(stored, description="Empty shops and houses that attract crime.")
    curation.save(test_settings, scratch_casebase, other, "problems", theirs, reason="clearer",
                  provenance=curation.Provenance(source=stored.get("source") or None,
                                                 section=stored.get("section") or None,
                                                 editors_judgement=not stored.get("source"),
                                                 note=None if stored.get("source") else "test"),
                  expected_version=version)
    at.text_input(key="f_problems_name").input("Vacant and derelict properties")
    at.text_input(key="p_problems_reason").input("the report's own words")
    at.button(key="save_problems").click().run()
    assert_clean(at)
    assert any("Not saved" in w.value for w in at.warning)
    assert "Empty shops and houses" in texts(at)
    at.radio(key="merge_problems_description").set_value("theirs")
    if any(r.key == "merge_problems_name" for r in at.radio):
        at.radio(key="merge_problems_name").set_value("mine")
    at.button(key="merge_save_problems").click().run()
    assert_clean(at)
    saved, _ = curation.fetch(test_settings, scratch_casebase, "problems", "vacant_properties")
    assert saved["name"] == "Vacant and derelict properties"
    assert saved["description"] == "Empty shops and houses that attract crime."
