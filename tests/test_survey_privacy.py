"""Survey rounds and the privacy rules (docs/surveys.md, "What is stored about
respondents"): `kb forget` removes a person from survey data too, a backup round-trips
rounds and respondents (links keep working after a restore), under pseudonyms a closed
round keeps no clear name of anyone not listed, and the services check the editor role."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from kb.services.access import AccessDenied, User
from kb.services.survey_answers import open_form, save_answers
from kb.services.surveys import add_roster, close_round, create_round, issue_tokens
from kb.store.backup import backup, restore
from loaders.pseudonymise import pseudonym
from tests.test_forget_everywhere import _traces
from tests.test_surveys import new_round, town  # noqa: F401  (the fixture)
from tests.conftest import run_kb

KEY = "a-test-key-that-stays-outside-the-db"


def test_forget_removes_a_respondent_named_and_not_listed_everywhere(town, test_settings, cli_env, tmp_path):  # noqa: F811
    # bob answers round t1 and is named there by ann; in round t2 (bob not on its roster)
    # dan names "Bob Bell" as someone not listed. Round t1 is closed, t2 still open.
    tokens = new_round(test_settings, town, "t1", ("ann", "bob", "cat"))
    save_answers(test_settings, town, tokens["bob"], {"named": {"ann": {"work": 2}}}, submit=True)
    save_answers(test_settings, town, tokens["ann"], {"named": {"bob": {"work": 3}, "cat": {"work": 1}}},
                 submit=True)
    close_round(test_settings, town, "t1")
    later = new_round(test_settings, town, "t2", ("ann", "cat", "dan"))
    save_answers(test_settings, town, later["dan"],
                 {"named": {"cat": {"work": 2}},
                  "others": [{"name": "bob  BELL", "organisation": "clinic", "layer": "frontline",
                              "answers": {"work": 3}},
                             {"name": "Fay Field", "organisation": "", "layer": "community",
                              "answers": {"social": 1}}]})
    save_answers(test_settings, town, later["cat"], {"named": {"dan": {"social": 2}}})

    proc = run_kb(["forget", "bob"], cli_env)
    assert proc.returncode == 0, proc.stderr
    assert "1 survey respondent record(s)" in proc.stdout
    assert "answers of 2 respondent(s)" in proc.stdout
    assert _traces(town, cli_env, tmp_path, ["bob", "Bob Bell", "bob  BELL", "bob bell"]) == []
    # The other answers are kept as they were.
    kept = {r["id"]: json.loads(r["a"]) for r in town.read("MATCH (x:Respondent) RETURN x.id AS id, x.answers AS a")}
    assert kept["t1/ann"]["named"] == {"cat": {"work": 1}}
    assert kept["t2/dan"]["named"] == {"cat": {"work": 2}}
    assert [o["name"] for o in kept["t2/dan"]["others"]] == ["Fay Field"]
    assert kept["t2/cat"]["named"] == {"dan": {"social": 2}}
    assert open_form(test_settings, town, later["dan"]).answers == kept["t2/dan"]   # the round still works


def test_backup_and_restore_keep_rounds_respondents_and_their_links(town, test_settings, tmp_path):  # noqa: F811
    tokens = new_round(test_settings, town)
    save_answers(test_settings, town, tokens["ann"], {"named": {"bob": {"work": 3}}}, submit=True)
    before = town.read("MATCH (n) WHERE n:SurveyRound OR n:Respondent RETURN n.id AS id, properties(n) AS p "
                       "ORDER BY id")
    archive = tmp_path / "kb.tar.gz"
    backup(town, archive)
    town.write_in_batches("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    restore(town, archive)
    after = town.read("MATCH (n) WHERE n:SurveyRound OR n:Respondent RETURN n.id AS id, properties(n) AS p "
                      "ORDER BY id")
    assert after == before and len(after) == 4
    assert all(r["p"].get("token_hash") for r in after if "/" in r["id"])
    # A link issued before the backup opens the same form after the restore, and answers are saved.
    assert open_form(test_settings, town, tokens["ann"]).answers["named"] == {"bob": {"work": 3}}
    save_answers(test_settings, town, tokens["bob"], {"named": {"ann": {"work": 1}}}, submit=True)
    assert close_round(test_settings, town, "t1").ties == 2


def test_closing_under_pseudonyms_keeps_no_clear_name_of_anyone_not_listed(kb, test_settings, cli_env, tmp_path):
    env = {**cli_env, "KB_PSEUDONYM_KEY": KEY, "KB_PSEUDONYMISE": "true"}
    folder = tmp_path / "town"
    folder.mkdir()
    from tests.test_surveys import LOCALITIES, ORGANISATIONS, PEOPLE

    (folder / "localities.csv").write_text(LOCALITIES)
    (folder / "organisations.csv").write_text(ORGANISATIONS)
    (folder / "people.csv").write_text(PEOPLE)
    run_kb(["load", str(folder), "--no-progress"], env, check=True)
    settings = replace(test_settings, kb_pseudonym_key=KEY, kb_pseudonymise=True)
    create_round(settings, kb, "testtown", "2026-11-01", round_id="p1")
    add_roster(settings, kb, "p1", people=["ann", "bob"])     # real ids, as `kb load` takes them
    people = [pseudonym(KEY.encode(), "ann"), pseudonym(KEY.encode(), "bob")]
    assert sorted(r["p"] for r in kb.read("MATCH (x:Respondent) RETURN x.person AS p")) == sorted(people)
    links = {x.person: x.token for x in issue_tokens(settings, kb, "p1")}
    save_answers(settings, kb, links[people[0]],
                 {"named": {people[1]: {"work": 2}},
                  "others": [{"name": "Eve Early", "organisation": "council", "layer": "local_authority",
                              "answers": {"work": 3}}]}, submit=True)
    # Until the round closes the name is on the respondent's answers (documented) ...
    assert "Eve Early" in kb.read("MATCH (x:Respondent {id: $id}) RETURN x.answers AS a",
                                  {"id": f"p1/{people[0]}"})[0]["a"]
    proc = run_kb(["survey", "close", "p1"], env)
    assert proc.returncode == 0, proc.stderr
    # ... and after it, nowhere: the new person is a pseudonym and the answers name them by it.
    assert _traces(kb, env, tmp_path, ["Eve Early", "eve_early"]) == []
    answers = json.loads(kb.read("MATCH (x:Respondent {id: $id}) RETURN x.answers AS a",
                                 {"id": f"p1/{people[0]}"})[0]["a"])
    new_id = answers["others"][0]["person"]
    assert new_id.startswith("p-") and kb.read("MATCH (p:Person {id: $id}) RETURN count(p) AS n",
                                               {"id": new_id})[0]["n"] == 1
    # Forgetting by the real id (only its pseudonym is sent) removes the respondent and the
    # person not listed, from the answers too.
    for given in ("bob", new_id):
        proc = run_kb(["forget", given], env)
        assert proc.returncode == 0, proc.stderr
    assert _traces(kb, env, tmp_path, [people[1], new_id]) == []
    assert json.loads(kb.read("MATCH (x:Respondent) RETURN x.answers AS a")[0]["a"]) == {"named": {}, "others": []}


def test_the_round_services_need_an_editor_when_a_user_is_given(town, test_settings):  # noqa: F811
    viewer, editor = User("vic", "viewer"), User("eda", "editor")
    with pytest.raises(AccessDenied, match="editor role"):
        create_round(test_settings, town, "testtown", "2026-11-01", round_id="u1", user=viewer)
    create_round(test_settings, town, "testtown", "2026-11-01", round_id="u1", user=editor)
    with pytest.raises(AccessDenied):
        add_roster(test_settings, town, "u1", people=["ann", "bob"], user=viewer)
    assert add_roster(test_settings, town, "u1", people=["ann", "bob"], user=editor) == 2
    with pytest.raises(AccessDenied):
        issue_tokens(test_settings, town, "u1", user=viewer)
    links = {x.person: x.token for x in issue_tokens(test_settings, town, "u1", user=editor)}
    save_answers(test_settings, town, links["ann"], {"named": {"bob": {"work": 1}}}, submit=True)
    with pytest.raises(AccessDenied):
        close_round(test_settings, town, "u1", user=viewer)
    assert close_round(test_settings, town, "u1", user=editor).ties == 1
    # the round's load is in the history under the editor who closed it (times are to the second,
    # so the town's own load may share its timestamp: look for it rather than take the latest)
    by = town.read("MATCH (c:Change {op: 'load'}) RETURN c.user AS u")
    assert "eda" in [r["u"] for r in by]
