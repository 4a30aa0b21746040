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

TURNAROUND = "Labour market of specialists in turning around failing councils and schools"
T = 300.0  # the machine may be busy: planning these long statements takes seconds then
HOLE = "RETURN size(reduce(s='', x IN range(1,2000000) | s + 'xxxxxxxxxx'))"


# -- the console ---------------------------------------------------------------------------
def test_console_innovation_is_picked_by_name(analysed, ui_env):
    at = open_app("console", {"query": "similar-innovations"})
    box = at.selectbox(key="con_p_similar-innovations_innovation")
    assert "See-through plastic shutters on vacant properties" in box.options  # by name; its id goes to the query
    at.button(key="con_run_named").click().run()
    assert "similar-innovations:" in texts(at)


@pytest.mark.parametrize("name", ["layer-links", "weak-layer-links", "brokerage-roles"])
def test_a_named_querys_own_text_runs_as_your_cypher(analysed, test_settings, name):
    q = queries.named_query(name)
    assert "reduce(" in q.text
    result = queries.run_cypher(test_settings, analysed, q.text, {"network": "all"}, timeout=T)
    assert result.rows and "synthetic" in result.columns
    body = "\n".join(line for line in q.text.splitlines() if not line.startswith("//"))
    assert queries.run_cypher(test_settings, analysed, "  " + body + "\n\n", {"network": "all"}, timeout=T).rows


def test_changed_named_query_text_is_analyst_text_again(analysed, test_settings):
    q = queries.named_query("layer-links")
    changed = q.text.replace("reduce(s = 0, c IN cells | s + c.ties)",
                             "reduce(s = 0, c IN range(1, 2000000) | s + 1)")
    assert changed != q.text
    for text in (changed, HOLE, "// " + q.name + "\n" + HOLE, q.text.replace("ORDER BY g.rank", "ORDER BY g.rank DESC")):
        with pytest.raises(QueryRefused, match="reduce"):
            queries.run_cypher(test_settings, analysed, text, {"network": "all"}, timeout=T)


def test_pasted_named_query_takes_only_its_own_typed_parameters(analysed, test_settings):
    q = queries.named_query("layer-links")
    with pytest.raises(queries.QueryInputError, match="no parameter"):
        queries.run_cypher(test_settings, analysed, q.text, {"cells": 1}, timeout=T)
    with pytest.raises(queries.QueryInputError, match="single values"):
        queries.run_cypher(test_settings, analysed, q.text, {"network": ["all"] * 1000}, timeout=T)


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


# -- editors' judgements -------------------------------------------------------------------
JUDGED = "⚖ editors' judgement"


def test_transfer_finder_marks_editors_judgements(analysed, ui_env):
    at = open_app("transfer", {"locality": "knowsley"})
    table = frames(at)[0]
    assert "editors_judgement" in table.columns
    judged = table[table["editors_judgement"] == JUDGED]
    assert len(judged) and all("editors' judgement" in r for r in judged["reason"])
    assert JUDGED + ":" in texts(at)


def test_innovation_page_shows_elements_and_preconditions_marked(analysed, ui_env):
    at = open_app("innovations", {"innovation": "highland_senior_frontline_links"})
    words = texts(at)
    assert "Elements and preconditions" in words
    parts = [d for d in frames(at) if "part" in d.columns][0]
    assert set(parts["editors_judgement"]) <= {JUDGED, "stated in the source"}
    assert JUDGED in set(parts["editors_judgement"])
    assert {"element", "precondition"} & set(parts["part"])


# -- roles with synthetic data hidden ------------------------------------------------------
def hide(at):
    at.sidebar.toggle(key="kb_hide_synthetic").set_value(True).run()
    assert_clean(at)
    return at


def test_hidden_synthetic_roles_are_computed_over_sourced_ties(analysed, ui_env, test_settings):
    from kb.services.sourced_roles import sourced_roles

    found = sourced_roles(test_settings, analysed, "innovation")
    assert found.ties and not found.too_big
    at = hide(open_app("brokers"))
    words = texts(at)
    assert f"computed now over the {found.ties} sourced ties" in words
    table = [d for d in frames(at) if "roles" in d.columns][0]
    assert set(table["name"]) == {r["name"] for r in found.rows}
    assert all(v == "sourced" for v in table["synthetic"])
    # the stored run (every tie, synthetic ones too) gives these actors other roles
    stored = queries.read(analysed, "brokers", {"network": "innovation", "limit": 1000, "include_synthetic": False})
    assert {(r["name"], tuple(r["roles"])) for r in stored} != {(r["name"], tuple(r["roles"])) for r in found.rows}


def test_network_profile_with_synthetic_hidden_uses_sourced_roles(analysed, ui_env):
    at = hide(open_app("network", {"actor": "knowsley_education_service", "network": "innovation"}))
    assert "sourced ties" in texts(at)


# -- a picture grouped by layer --------------------------------------------------------------
def test_network_can_be_arranged_in_layer_bands(analysed, ui_env):
    at = open_app("network", {"arrange": "layers", "network": "innovation"})
    assert at.radio(key="net_arrange").value == "layers"
    html = " ".join(str(f.proto) for f in at.get("iframe"))
    assert "__band_0" in html and "national" in html.lower()
    assert "one band per layer" in " ".join(str(m.proto) for m in at.get("html"))


def test_layer_bands_hold_each_actor_in_its_layer():
    from ui import network_picture

    p = network_picture.Picture(bands={0: "national", 1: "local authority"})
    p.node("a", "A", band=0)
    p.node("b", "B", band=1)
    p.edge("a", "b")
    html = network_picture.to_html(p)
    assert '"y": 0' in html and f'"y": {network_picture.BAND_GAP}' in html
    assert '"__band_1"' in html and "local authority" in html


# -- sectors as a vocabulary ---------------------------------------------------------------
def test_transfer_finder_sectors_are_a_vocabulary_with_a_hierarchy(analysed, ui_env):
    at = open_app("transfer", {"sector": "education", "unevidenced": "true"})
    options = at.selectbox(key="tf_sector").options
    assert "housing" in options and "housing / regeneration" not in options  # one option, not split in two
    names = set(frames(at)[0]["name"])
    assert TURNAROUND in names  # sector "local government / education" is under "education"
    assert len(names) >= 3  # and the innovations of sector "education" itself
    table = frames(at)[0]
    flags = dict(zip(table["name"], table["synthetic"]))
    assert flags["Head teachers' ideas forum (synthetic illustration)"] == "⚗ synthetic"  # not "sourced"
