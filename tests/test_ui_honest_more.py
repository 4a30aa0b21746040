"""Issue 17's second round: the console's pick lists and pasted named queries, the pages'
queries planned ahead, editors' judgements marked, roles with synthetic data hidden, and
the picture grouped by layer (AppTest against the real test Neo4j holding the bundled case
base, analysed)."""

from __future__ import annotations

import pytest

from kb.services import queries
from kb.store.connection import QueryRefused
from tests.test_ui_apptest import analysed, assert_clean, open_app, texts, ui_env  # noqa: F401
from tests.test_ui_honest import frames

HOLE = "RETURN size(reduce(s='', x IN range(1,2000000) | s + 'xxxxxxxxxx'))"


# -- the console ---------------------------------------------------------------------------
def test_console_innovation_is_picked_by_name(analysed, ui_env):
    at = open_app("console", {"query": "similar-innovations"})
    box = at.selectbox(key="con_p_similar-innovations_innovation")
    assert "see_through_shutters" in box.options
    assert "See-through shutters" in box.format_func("see_through_shutters")
    at.button(key="con_run_named").click().run()
    assert "similar-innovations:" in texts(at)


@pytest.mark.parametrize("name", ["layer-links", "weak-layer-links", "brokerage-roles"])
def test_a_named_querys_own_text_runs_as_your_cypher(analysed, test_settings, name):
    q = queries.named_query(name)
    assert "reduce(" in q.text
    result = queries.run_cypher(test_settings, analysed, q.text, {"network": "all"})
    assert result.rows and "synthetic" in result.columns
    body = "\n".join(line for line in q.text.splitlines() if not line.startswith("//"))
    assert queries.run_cypher(test_settings, analysed, "  " + body + "\n\n", {"network": "all"}).rows


def test_changed_named_query_text_is_analyst_text_again(analysed, test_settings):
    q = queries.named_query("layer-links")
    changed = q.text.replace("reduce(s = 0, c IN cells | s + c.ties)",
                             "reduce(s = 0, c IN range(1, 2000000) | s + 1)")
    assert changed != q.text
    for text in (changed, HOLE, q.text + "\n" + HOLE, q.text.replace("ORDER BY g.rank", "ORDER BY g.rank DESC")):
        with pytest.raises(QueryRefused, match="reduce"):
            queries.run_cypher(test_settings, analysed, text, {"network": "all"})


def test_pasted_named_query_takes_only_its_own_typed_parameters(analysed, test_settings):
    q = queries.named_query("layer-links")
    with pytest.raises(queries.QueryInputError, match="no parameter"):
        queries.run_cypher(test_settings, analysed, q.text, {"cells": [1] * 10})
    with pytest.raises(queries.QueryInputError, match="single values"):
        queries.run_cypher(test_settings, analysed, q.text, {"network": ["all"] * 1000})


def test_console_runs_a_named_query_edited_as_your_own(analysed, ui_env):
    at = open_app("console", {"query": "layer-links"})
    at.button(key="con_edit").click().run()
    assert at.selectbox(key="con_query").value == "__own__"
    at.button(key="con_run_own").click().run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert "your query:" in texts(at)


# -- planning ahead ------------------------------------------------------------------------
def test_every_page_query_can_be_planned_ahead(analysed):
    expected = sum(len(queries.plan_variants(q)) for q in queries.list_queries())
    assert queries.plan_all(analysed, folders=()) == expected
    brokers = queries.plan_variants(queries.named_query("brokers"))
    assert {(v["role"], v["locality"]) for v in brokers} == {(None, None), ("x", None), (None, "x"), ("x", "x")}
