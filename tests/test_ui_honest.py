"""Issue 17, "an honest, readable front end": provenance on every page, the hide-synthetic
setting, plain words, the console's shareable URLs and bounded search, with AppTest
against the real test Neo4j holding the bundled case base (analysed)."""

from __future__ import annotations

import re

import pytest

from kb.services import queries
# The UI modules (glossary, network_picture, search_text) are imported inside the tests that
# use them, so that each test runs, and fails on its own, against code from before issue 17
# (docs/ui-defects.md).
from tests.test_ui_apptest import PA_PROJECTS, analysed, assert_clean, open_app, texts, ui_env  # noqa: F401

KNOWSLEY_PA = {"locality": "knowsley", "innovation": "south_tyneside_pa_projects"}
HEATMAP_LAYERS = {"national", "local authority", "sectoral", "frontline", "community"}


def hide(at):
    at.sidebar.toggle(key="kb_hide_synthetic").set_value(True).run()
    assert_clean(at)
    return at


def frames(at):
    """The tables of a page (the layers heatmap, a matrix of numbers, left out)."""
    out = []
    for df in at.dataframe:
        value = df.value
        data = getattr(value, "data", value)  # a Styler holds its frame in .data
        if set(map(str, data.columns)) <= HEATMAP_LAYERS:
            continue
        out.append(data)
    return out


# -- 1. provenance --------------------------------------------------------------------------
def test_knowsley_path_says_it_is_synthetic(analysed, ui_env):
    at = open_app("transfer", KNOWSLEY_PA)
    words = texts(at)
    assert "Who could introduce you" in words
    assert "This path is synthetic, not a fact from a source" in words
    assert "LA officer 01 (⚗ synthetic)" in words and "⇢⚗" in words
    assert "Do not contact anyone on the strength of it" in words


def test_hide_synthetic_removes_the_path_and_says_why(analysed, ui_env):
    at = hide(open_app("transfer", KNOWSLEY_PA))
    words = texts(at)
    assert "Who could introduce you" not in words
    assert "Synthetic data is hidden" in words
    assert "LA officer 01" not in words
    assert at.query_params.get("hide_synthetic") in ("1", ["1"])
    table = frames(at)[0]
    assert all(not p for p in table["introduction_path"])


@pytest.mark.parametrize("page, params", [
    ("overview", {}), ("brokers", {}), ("layers", {}), ("layers", {"locality": "knowsley"}),
    ("network", {"actor": "knowsley_education_service"}), ("transfer", KNOWSLEY_PA),
])
def test_every_table_carries_the_synthetic_flag(analysed, ui_env, page, params):
    at = open_app(page, params)
    tables = frames(at)
    assert tables, page
    for data in tables:
        assert "synthetic" in data.columns, (page, list(data.columns))


@pytest.mark.parametrize("name", ["brokers", "brokerage-roles", "layer-links", "weak-layer-links", "fragility",
                                  "core-clique", "outside-core", "diffusion", "similar-innovations"])
def test_kb_query_rows_carry_the_synthetic_flag(analysed, name):
    q = queries.named_query(name)
    assert "synthetic" in q.columns
    rows = queries.read(analysed, name, q.bind({}), timeout=120)
    assert rows and all("synthetic" in r for r in rows)


def test_include_synthetic_false_leaves_out_every_synthetic_row(analysed):
    for name in ("brokers", "core-clique", "fragility", "layer-links"):
        q = queries.named_query(name)
        rows = queries.read(analysed, name, q.bind({"include_synthetic": False, **({"network": "all"} if name == "layer-links" else {})}), timeout=120)
        assert not any(r["synthetic"] for r in rows), name
    brokers = queries.read(analysed, "brokers", queries.named_query("brokers").bind({}), timeout=120)
    assert any(r["synthetic"] for r in brokers)


def test_overview_counts_are_split_into_sourced_and_synthetic(analysed, ui_env):
    at = open_app("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Ties (sourced)"] == "8"
    words = texts(at)
    # The plain view (tests/test_tie_plain_view.py): a pair tied in both rounds of the
    # illustrative study counts once (3,954 stored ties, 2,242 synthetic in the plain view).
    assert "2242 ties" in words and "⚗ synthetic" in words
    at = hide(at)
    assert "in addition" not in texts(at)
    ties = [d for d in frames(at) if "network" in d.columns and "sourced" in d.columns][0]
    assert ties["synthetic"].sum() == 0 and ties["ties"].sum() == 8


def test_layers_fragility_follows_the_locality(analysed, ui_env):
    at = open_app("layers", {"locality": "knowsley"})
    fragility = [d for d in frames(at) if "ties_before" in d.columns][0]
    assert fragility["ties_before"].sum() <= 2  # Knowsley's own ties, not the whole network's
    assert "Among the actors of Knowsley" in texts(at)


def test_hidden_pages_show_no_synthetic_actor(analysed, ui_env):
    for page in ("brokers", "network", "layers"):
        at = hide(open_app(page))
        assert "Synthetic data is hidden" in texts(at)
        for data in frames(at):
            if "synthetic" in data.columns:
                assert not any(v == "⚗ synthetic" or v is True for v in data["synthetic"]), page


# -- 3. plain words -------------------------------------------------------------------------
@pytest.mark.parametrize("page, params", [
    ("overview", {}), ("brokers", {}), ("layers", {}), ("network", {"actor": "ila_la_officer_09"}),
    ("transfer", KNOWSLEY_PA), ("innovations", {"q": "shutters"}),
])
def test_no_raw_ids_no_ascii_comparisons_no_none(analysed, ui_env, page, params):
    at = open_app(page, params)
    words = re.sub(r"\]\([^)]*\)", "]", texts(at))  # what is shown, not where a link goes
    assert ">=" not in words and "<=" not in words
    assert not re.search(r"\bila_[a-z0-9_]+", words), re.search(r"\bila_[a-z0-9_]+", words)
    assert "None" not in words
    for data in frames(at):
        for column in data.columns:
            assert not any(isinstance(v, str) and v == "None" for v in data[column]), (page, column)
            if isinstance(column, str) and column in ("reasons",):
                assert not any("cut vertex" in str(v) or "sd above" in str(v) for v in data[column])


def test_brokers_in_plain_words_with_a_glossary(analysed, ui_env):
    at = open_app("brokers")
    words = texts(at)
    assert "cut vertex" not in words and " sd above" not in words
    assert "the only link for" in words and "≥ 1.96 is notable" in words
    assert "*gatekeeping*; not the same as the broker role *gatekeeper*" in words
    assert "0 is what chance would give" in words


def test_glossary_has_every_term_and_is_linked():
    from kb.settings import PROJECT_ROOT
    for page in ("overview", "brokers", "layers", "network", "transfer"):
        assert "glossary.link(" in (PROJECT_ROOT / "ui" / "views" / f"{page}.py").read_text(), page
    from ui import glossary

    for term in ("hub", "gatekeeper", "pulsetaker", "coordinator", "itinerant", "representative",
                 "gatekeeping (into its group)", "liaison", "density", "E-I index", "core", "fragility"):
        assert term in glossary.TERMS


def test_plain_reason_uses_names_and_one_notation():
    from ui import glossary

    names = {"ila_head_teacher_01": "Head teacher 01", "ila_la_officer_01": "LA officer 01"}
    text = glossary.plain_reason("pulsetaker: closeness 0.3, top 10% (threshold 0.29); nominated by 2 hubs "
                                 "(ila_head_teacher_01, ila_la_officer_01)", names)
    assert "Head teacher 01, LA officer 01" in text and "ila_" not in text
    text = glossary.plain_reason("gatekeeper: betweenness 269 is 5.23 sd above what degree 23 predicts (>= 2)", {})
    assert ">=" not in text and "≥ 2" in text and "sd above" not in text


# -- 4. pictures ----------------------------------------------------------------------------
def test_pictures_have_seeded_layout_export_and_marks():
    from ui import network_picture

    p = network_picture.Picture()
    p.node("a", "A", synthetic=True)
    p.node("b", "B")
    p.edge("a", "b", synthetic=True)
    html = network_picture.to_html(p)
    assert '"randomSeed": 2008' in html
    assert "Save PNG" in html and "Save SVG" in html and "toDataURL" in html
    assert '"dashes": true' in html and "borderDashes" in html
    assert html == network_picture.to_html(p)


# -- 5. console -----------------------------------------------------------------------------
def test_a_shared_named_query_url_runs(analysed, ui_env):
    at = open_app("console", {"query": "layer-links", "p_locality": "knowsley", "p_network": "all"})
    assert "layer-links:" in texts(at)
    assert any("synthetic" in d.columns for d in frames(at))


def test_own_cypher_in_the_url_runs_and_errors_without_explain(analysed, ui_env):
    at = open_app("console", {"cypher": "MATCH (l:Locality {id: 'knowsley'}) RETURN l.name AS name"})
    assert "your query: 1 row" in texts(at)
    at = open_app("console", {"cypher": "MATC (n) RETURN n"})
    errors = " ".join(str(e.value) for e in at.error)
    assert "MATC" in errors and "EXPLAIN" not in errors and "column 1 (offset: 0)" in errors


def test_console_locality_is_picked_by_name(analysed, ui_env):
    at = open_app("console", {"query": "brokers"})
    box = at.selectbox(key="con_p_brokers_locality")
    assert "knowsley" in box.options or "Knowsley" in box.options


def test_choosing_another_query_clears_the_old_result(analysed, ui_env):
    at = open_app("console", {"query": "layer-links"})
    assert "layer-links:" in texts(at)
    at.selectbox(key="con_query").set_value("core-clique").run()
    assert "layer-links:" not in texts(at)


# -- 6. search ------------------------------------------------------------------------------
def test_a_5000_character_search_gets_a_message(analysed, ui_env):
    at = open_app("innovations", {"q": "a" * 5000})
    assert not at.error
    assert "too long" in " ".join(str(w.value) for w in at.warning)


def test_us_spelling_finds_the_uk_word(analysed, ui_env):
    at = open_app("innovations", {"q": "neighborhood"})
    tables = frames(at)
    assert tables, "nothing found"
    assert PA_PROJECTS in set(tables[0]["name"])
    from ui import search_text

    assert "neighbourhood" in search_text.variants("neighborhood")
    assert "organization" in search_text.variants("organisation")


def test_stage_named_as_its_filter(analysed, ui_env):
    at = open_app("innovations")
    stages = set(frames(at)[0]["stage"])
    assert "diffuse" not in stages


def test_network_cap_shows_what_it_uses(analysed, ui_env):
    at = open_app("network")
    slider = at.select_slider(key="net_cap")
    assert "0" not in slider.options and slider.options[0] == "10"
    assert slider.value == 300


def test_heatmap_can_be_saved_and_any_page_printed(analysed, ui_env):
    at = open_app("layers", {"locality": "knowsley", "print": "1"})
    assert [b for b in at.get("download_button") if b.label == "Save the heatmap (SVG)"]
    assert any("Print view" in str(m.value) and "print=1" in str(m.value) for m in at.sidebar.markdown)
