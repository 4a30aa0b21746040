"""Saved console queries per user (kb/services/saved_queries.py): each user sees only
their own; viewers may save (a saved query changes no knowledge-base data); `kb saved`;
and saving, opening (it runs) and deleting in the console."""

from __future__ import annotations

import json

import pytest

from kb.services import saved_queries as saved
from kb.services.access import AccessDenied, User
from kb.services.queries import QueryInputError
from tests.conftest import run_kb
from tests.test_ui_apptest import assert_clean, open_app, scratch_casebase, texts, ui_env  # noqa: F401
from tests.test_ui_curation import add_user, sign_in

ALICE, BOB = User("alice", "viewer"), User("bob", "editor")
OWN = "MATCH (l:Locality) RETURN count(l) AS localities"


def test_each_user_sees_only_their_own(kb, test_settings):
    s = test_settings
    saved.save(s, kb, ALICE, "places", text=OWN, params='{"x": 1}')
    saved.save(s, kb, ALICE, "Knowsley links", query="layer-links", params={"locality": "knowsley", "network": "all"})
    saved.save(s, kb, BOB, "places", text="RETURN 1 AS one")
    assert [q.name for q in saved.list_saved(s, kb, ALICE)] == ["Knowsley links", "places"]
    assert [(q.name, q.text) for q in saved.list_saved(s, kb, BOB)] == [("places", "RETURN 1 AS one")]
    mine = saved.get(s, kb, ALICE, "places")
    assert (mine.text, mine.params, mine.kind) == (OWN, {"x": 1}, "own")
    named = saved.get(s, kb, ALICE, "Knowsley links")
    assert (named.query, named.text, named.params) == ("layer-links", None, {"locality": "knowsley", "network": "all"})
    with pytest.raises(saved.SavedQueryError, match="bob has no saved query named 'Knowsley links'"):
        saved.get(s, kb, BOB, "Knowsley links")
    with pytest.raises(saved.SavedQueryError, match="nothing was deleted"):
        saved.delete(s, kb, BOB, "Knowsley links")
    # The same name again replaces the user's own, not anyone else's.
    saved.save(s, kb, BOB, "places", text="RETURN 2 AS two")
    assert saved.get(s, kb, ALICE, "places").text == OWN
    assert [q.text for q in saved.list_saved(s, kb, BOB)] == ["RETURN 2 AS two"]
    saved.delete(s, kb, ALICE, "places")
    assert [q.name for q in saved.list_saved(s, kb, ALICE)] == ["Knowsley links"]
    assert saved.get(s, kb, BOB, "places").text == "RETURN 2 AS two"
    # Knowledge-base data untouched: only :SavedQuery nodes.
    assert kb.read("MATCH (n) WHERE NOT n:SavedQuery RETURN count(n) AS n")[0]["n"] == 0


@pytest.mark.parametrize("kwargs, error, words", [
    ({"name": "", "text": OWN}, saved.SavedQueryError, "give the saved query a name"),
    ({"name": "x" * 81, "text": OWN}, saved.SavedQueryError, "at most 80 characters"),
    ({"name": "a\tb", "text": OWN}, saved.SavedQueryError, "printable"),
    ({"name": "both", "text": OWN, "query": "brokers"}, saved.SavedQueryError, "one of the two"),
    ({"name": "neither"}, saved.SavedQueryError, "one of the two"),
    ({"name": "bad json", "text": OWN, "params": "{x"}, saved.SavedQueryError, "Parameters: not valid JSON"),
    ({"name": "list", "text": OWN, "params": "[1]"}, saved.SavedQueryError, "must be a JSON object"),
    ({"name": "no such", "query": "no-such-query"}, QueryInputError, "no-such-query"),
])
def test_bad_input_is_refused_and_nothing_saved(kb, test_settings, kwargs, error, words):
    with pytest.raises(error, match=words):
        saved.save(test_settings, kb, ALICE, **kwargs)
    assert saved.list_saved(test_settings, kb, ALICE) == []


def test_signed_out_cannot_save_or_list(kb, test_settings):
    with pytest.raises(AccessDenied, match="not signed in"):
        saved.save(test_settings, kb, None, "mine", text=OWN)
    with pytest.raises(AccessDenied):
        saved.list_saved(test_settings, kb, None)


def test_kb_saved_list_show_delete(kb, test_settings, cli_env):
    saved.save(test_settings, kb, ALICE, "Knowsley links", query="layer-links", params={"locality": "knowsley"})
    saved.save(test_settings, kb, BOB, "bob's", text="RETURN 1 AS one")
    listed = run_kb(["saved", "list", "--user", "alice", "--format", "json"], cli_env)
    assert listed.returncode == 0, listed.stderr
    assert [(q["name"], q["kind"], q["query"]) for q in json.loads(listed.stdout)] == \
        [("Knowsley links", "named", "layer-links")]
    shown = run_kb(["saved", "show", "Knowsley links", "--user", "alice"], cli_env)
    assert shown.returncode == 0 and "kb query layer-links --param locality=knowsley" in shown.stdout
    missing = run_kb(["saved", "show", "bob's", "--user", "alice"], cli_env)
    assert missing.returncode == 2 and "alice has no saved query named \"bob's\"" in missing.stdout + missing.stderr
    assert "Traceback" not in missing.stdout + missing.stderr
    deleted = run_kb(["saved", "delete", "Knowsley links", "--user", "alice", "--format", "json"], cli_env)
    assert deleted.returncode == 0 and json.loads(deleted.stdout) == {"deleted": "Knowsley links", "user": "alice"}
    assert saved.list_saved(test_settings, kb, ALICE) == []
    assert [q.name for q in saved.list_saved(test_settings, kb, BOB)] == ["bob's"]


def test_console_saves_opens_and_deletes_a_users_own_queries(kb, ui_env, test_settings):
    add_user(test_settings, kb, "vera", "viewer")
    saved.save(test_settings, kb, BOB, "bob's", text="RETURN 1 AS one")
    at = open_app("console")
    assert "Sign in (sidebar) to save queries" in texts(at)
    sign_in(at, "vera")
    at.text_area(key="con_text").input("RETURN 41 + 1 AS answer")
    at.button(key="con_run_own").click().run()
    at.text_input(key="con_save_name").input("the answer")
    at.button(key="con_save").click().run()
    assert_clean(at)
    assert "Saved as 'the answer'." in texts(at)
    assert [q.text for q in saved.list_saved(test_settings, kb, User("vera", "viewer"))] == ["RETURN 41 + 1 AS answer"]
    assert at.selectbox(key="con_saved_pick").options == ["the answer — own Cypher, saved "
                                                          + saved.get(test_settings, kb, User("vera", "viewer"),
                                                                      "the answer").saved_at]  # not bob's
    at.text_area(key="con_text").input("RETURN 0 AS other")
    at.button(key="con_saved_open").click().run()
    assert_clean(at)
    assert at.text_area(key="con_text").value == "RETURN 41 + 1 AS answer"
    assert "Opened your saved query 'the answer'." in texts(at)
    assert at.dataframe and at.dataframe[0].value["answer"].tolist() == [42]  # it ran
    at.button(key="con_saved_delete").click().run()
    assert_clean(at)
    assert "Deleted your saved query 'the answer'." in texts(at)
    assert saved.list_saved(test_settings, kb, User("vera", "viewer")) == []
    assert saved.list_saved(test_settings, kb, BOB)


def test_console_opens_a_saved_named_query_with_its_parameters(scratch_casebase, ui_env, test_settings):
    kb = scratch_casebase
    add_user(test_settings, kb, "vera", "viewer")
    vera = User("vera", "viewer")
    saved.save(test_settings, kb, vera, "links", query="layer-links", params={"locality": "knowsley", "network": "all"})
    at = open_app("console")
    sign_in(at, "vera")
    at.button(key="con_saved_open").click().run()
    assert_clean(at)
    assert at.selectbox(key="con_query").value == "layer-links"
    assert "Opened your saved query 'links'." in texts(at)
    assert at.selectbox(key="con_p_layer-links_locality").value == "knowsley"
    assert "layer-links: " in texts(at) and at.dataframe  # it ran, with the saved locality


def test_removing_a_user_removes_their_saved_queries(kb, test_settings, cli_env):
    """A removed user's saved queries go with them (others' stay), and the CLI says how many."""
    s = test_settings
    saved.save(s, kb, ALICE, "places", text=OWN)
    saved.save(s, kb, ALICE, "brokers", query="brokers", params={"network": "all"})
    saved.save(s, kb, BOB, "places", text="RETURN 1 AS one")
    from kb.services.access import add_user as add
    add(s, kb, "alice", "viewer", "a long enough password")
    result = run_kb(["user", "remove", "alice"], cli_env, check=True)
    assert "2 saved queries" in result.stdout
    assert kb.read("MATCH (q:SavedQuery) RETURN collect(q.user) AS users")[0]["users"] == ["bob"]


def test_one_saved_query_per_user_and_name_even_when_saves_race(kb, test_settings):
    """The database itself keeps (user, name) unique: saves racing on the same name leave one
    node, and a second node with the same key is refused by the schema."""
    from concurrent.futures import ThreadPoolExecutor

    s = test_settings
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: saved.save(s, kb, ALICE, "race", text=f"RETURN {i} AS i"), range(40)))
    assert kb.read("MATCH (q:SavedQuery {user: 'alice', name: 'race'}) RETURN count(q) AS n")[0]["n"] == 1
    shapes = kb.read("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type "
                     "WHERE 'SavedQuery' IN labelsOrTypes RETURN properties, type")
    assert {"properties": ["user", "name"], "type": "UNIQUENESS"} in shapes


def test_kb_init_merges_duplicate_saved_queries_from_before_the_constraint(kb):
    """A database from before the (user, name) uniqueness constraint can hold two saved queries
    under one name (the old save raced). `kb init` (apply_schema) keeps the latest of each and
    then creates the constraint, instead of failing on it."""
    from kb.store.schema import apply_schema

    kb.write("DROP CONSTRAINT saved_query_user_name IF EXISTS")
    kb.write("CREATE (:SavedQuery {user: 'alice', name: 'places', text: 'RETURN 1 AS old', saved_at: '2026-01-01T00:00:00'}),"
             " (:SavedQuery {user: 'alice', name: 'places', text: 'RETURN 2 AS new', saved_at: '2026-02-01T00:00:00'}),"
             " (:SavedQuery {user: 'bob', name: 'places', text: 'RETURN 3 AS bobs', saved_at: '2026-01-15T00:00:00'})")
    apply_schema(kb)
    rows = kb.read("MATCH (s:SavedQuery) RETURN s.user AS user, s.text AS text ORDER BY user")
    assert rows == [{"user": "alice", "text": "RETURN 2 AS new"}, {"user": "bob", "text": "RETURN 3 AS bobs"}]
    assert kb.read("SHOW CONSTRAINTS YIELD name WHERE name = 'saved_query_user_name' RETURN count(*) AS n")[0]["n"] == 1
