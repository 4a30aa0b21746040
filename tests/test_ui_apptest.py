"""The Streamlit app, page by page, with streamlit.testing's AppTest against the real test
Neo4j holding the bundled case base (data/), loaded by the project's own loaders."""

from __future__ import annotations

import os
import re
import time

import pytest
from streamlit.testing.v1 import AppTest

from kb.settings import DEFAULT_NETWORK_TYPES, PROJECT_ROOT
from kb.store.known_ids import known_ids
from kb.store.writer import write_batch
from loaders import read_paths, validate
from tests.conftest import DATA_DIR

APP = PROJECT_ROOT / "ui" / "app.py"
PAGES = {
    "overview": "views/overview.py",
    "innovations": "views/innovations.py",
    "transfer": "views/transfer.py",
    "network": "views/network.py",
    "brokers": "views/brokers.py",
    "layers": "views/layers.py",
    "console": "views/console.py",
}
SHUTTERS = "See-through plastic shutters on vacant properties"
PA_PROJECTS = "Neighbourhood-based Participatory Appraisal Projects"
TIMEOUT = 120


def load(kb, *paths):
    batch = validate(read_paths(list(paths)), DEFAULT_NETWORK_TYPES, known_ids(kb))
    return write_batch(kb, batch, DEFAULT_NETWORK_TYPES, progress=False)


_LOADED: dict = {}


def _fingerprint(kb) -> tuple:
    return tuple(sorted(kb.label_counts().items())), kb.counts()["relationships"]


def _ensure(kb, state: str) -> None:
    """Bring the database to `state` ("casebase" or "analysed") unless it is there already.
    Loading takes a while, so it happens only when a test (or another test module)
    changed the database since."""
    if _LOADED.get(state) == _fingerprint(kb):
        return
    if _LOADED.get("casebase") != _fingerprint(kb):
        kb.write_in_batches("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
        load(kb, DATA_DIR)
        _LOADED["casebase"] = _fingerprint(kb)
    if state == "analysed":
        analysis = pytest.importorskip("kb.store.analysis_runs", reason="kb analyse (kb/store/analysis_runs.py) is not available")
        for network in ("innovation", "all"):
            analysis.analyse_network(kb, network)
        _LOADED["analysed"] = _fingerprint(kb)


@pytest.fixture
def casebase(session_kb):
    """The bundled case base (data/: the casebase and the illustrative network study), as
    `kb load data/` loads it: read, validated and written by the project's loaders."""
    _ensure(session_kb, "casebase")
    return session_kb


@pytest.fixture
def scratch_casebase(session_kb):
    """The case base for a test that changes it (reloaded for the next test)."""
    _ensure(session_kb, "casebase")
    yield session_kb
    _LOADED.clear()


@pytest.fixture
def analysed(session_kb):
    """The case base with `kb analyse`'s scores for the innovation network and all ties."""
    _ensure(session_kb, "analysed")
    return session_kb


@pytest.fixture
def ui_env(monkeypatch, test_settings, tmp_path):
    """The app's environment: the test server, nothing from the developer's env or .env."""
    for name in list(os.environ):
        if name.startswith(("NEO4J_", "KB_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("NEO4J_URI", test_settings.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", test_settings.neo4j_password)
    monkeypatch.setenv("KB_UI_PLAN_AHEAD", "false")  # no background planning competing with the tests
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def open_app(page: str | None = None, query_params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    if page:
        at.switch_page(PAGES[page])
        if query_params:
            at.query_params.clear()
            at.query_params.update(query_params)
        at.run()
    assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def texts(at: AppTest) -> str:
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info", "success",
                 "code", "text"):
        parts += [str(e.value) for e in at.get(kind)]
    return "\n".join(parts)


def table_text(at: AppTest) -> str:
    return "\n".join(df.value.to_csv() for df in at.dataframe)


def iframes(at: AppTest):
    return at.get("iframe")


# -- Overview -----------------------------------------------------------------------------
def test_overview_shows_counts_and_the_analytics_notice(casebase, ui_env):
    at = open_app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Named localities"] == "7"
    assert metrics["Innovations (sourced)"] == "19"
    assert metrics["Sources (sourced)"] == "6"  # and the illustrative study, synthetic
    assert "9 localities in all: 7 named, 1 unnamed in its source, 1 synthetic" in texts(at)
    assert "kb analyse" in "\n".join(i.value for i in at.info)
    localities = table_text(at)
    for name in ("Highland", "Knowsley", "South Tyneside", "Pittsburgh", "Gouda", "Lille", "Portland"):
        assert name in localities
    assert "Transformers: how local areas innovate" in localities


def test_overview_on_an_empty_database_says_what_to_do(kb, ui_env):
    at = open_app()
    assert "kb load data/" in "\n".join(i.value for i in at.info)
    assert not at.warning


def test_overview_warns_of_an_unfinished_staged_load(kb, ui_env):
    kb.write("CREATE (:Load {id: 'big1', status: 'in_progress', files: ['ties.csv'], started_at: '2026-11-26T10:00:00',"
             " chunks_written: 3, chunks_total: 101, progress_at: datetime() - duration({seconds: 42})})")
    at = open_app()
    assert_clean(at)
    warning = "\n".join(w.value for w in at.warning)
    assert "load big1 of ties.csv" in warning and "3 of 101 chunks" in warning
    assert re.search(r"the last (4[2-9]|[5-9]\d) s ago", warning), warning


# -- every page, no analytics yet ---------------------------------------------------------
def test_every_page_renders_without_analytics(casebase, ui_env):
    at = open_app()
    for name, path in PAGES.items():
        at.switch_page(path).run()
        assert_clean(at)
        assert not at.error, (name, [e.value for e in at.error])
        assert at.title, name
    at.switch_page(PAGES["brokers"]).run()
    assert "run `kb analyse`" in "\n".join(i.value for i in at.info)
    assert at.dataframe, "brokerage roles are counted in Cypher even before kb analyse"
    at.switch_page(PAGES["layers"]).run()
    assert "run `kb analyse`" in "\n".join(i.value for i in at.info)


# -- Innovations --------------------------------------------------------------------------
def test_search_finds_the_see_through_shutters(casebase, ui_env):
    at = open_app("innovations")
    assert "20 innovations" in texts(at)
    at.text_input(key="inn_q").input("shutters").run()
    assert_clean(at)
    assert "1 innovation" in [s.value for s in at.subheader]
    assert SHUTTERS in table_text(at)
    assert at.query_params["q"] == "shutters"
    assert at.download_button, "the results can be downloaded as CSV"


def test_search_text_is_escaped_and_lucene_errors_are_friendly(casebase, ui_env):
    at = open_app("innovations")
    at.text_input(key="inn_q").input('shutters (" AND OR').run()
    assert_clean(at)
    assert not at.warning and not at.error
    at.checkbox(key="inn_lucene").check()
    at.text_input(key="inn_q").input("shutters AND (").run()
    assert_clean(at)
    assert not at.error
    assert "not valid full-text (Lucene) syntax" in "\n".join(w.value for w in at.warning)
    at.text_input(key="inn_q").input('shutter* OR "teachers ideas"').run()
    assert not at.warning
    assert SHUTTERS in table_text(at)


def test_facets_combine_with_and(casebase, ui_env):
    at = open_app("innovations")
    at.multiselect(key="inn_problem").select("residents_feel_unsafe").run()
    found = table_text(at)
    assert SHUTTERS in found and PA_PROJECTS in found
    at.multiselect(key="inn_stage").select("diffuse").run()
    at.multiselect(key="inn_evidence").select(2).run()
    at.multiselect(key="inn_locality").select("south_tyneside").run()
    at.multiselect(key="inn_layer").select("frontline").run()
    assert_clean(at)
    found = table_text(at)
    assert SHUTTERS in found and PA_PROJECTS in found
    at.multiselect(key="inn_sector").select("housing_community_safety").run()
    found = table_text(at)
    assert SHUTTERS in found and PA_PROJECTS not in found
    assert at.query_params["sector"] == "housing_community_safety"
    at.multiselect(key="inn_locality").unselect("south_tyneside").select("knowsley").run()
    assert "0 innovations" in texts(at)


def test_search_state_comes_from_the_url(casebase, ui_env):
    at = open_app("innovations", {"q": "shutters", "stage": "diffuse"})
    assert at.text_input(key="inn_q").value == "shutters"
    assert at.multiselect(key="inn_stage").value == ["diffuse"]
    assert SHUTTERS in table_text(at)


def test_innovation_detail_view(casebase, ui_env):
    at = open_app("innovations", {"innovation": "see_through_shutters"})
    assert at.title[0].value == SHUTTERS
    text = texts(at)
    assert "South Tyneside" in text and "Residents not feeling safe" in text
    tables = table_text(at)
    assert "adoption" in tables and "Adopted in vacant properties" in tables  # the diffusion timeline
    assert "Organisers of South Tyneside" in tables  # organisations and people
    assert "5.4, p.29-30" in tables  # sources with sections
    assert PA_PROJECTS in tables  # similar innovations
    subheaders = [s.value for s in at.subheader]
    for section in ("Origin", "Adoption timeline", "Organisations and people", "Sources", "Similar innovations",
                    "Where it could transfer"):
        assert section in subheaders


def test_opening_an_innovation_puts_it_in_the_url(casebase, ui_env):
    at = open_app("innovations")
    at.text_input(key="inn_q").input("shutters").run()
    at.selectbox(key="inn_open").select("see_through_shutters").run()
    assert_clean(at)
    assert at.query_params["innovation"] == "see_through_shutters"
    assert at.title[0].value == SHUTTERS
    next(b for b in at.button if b.label == "Back to the search").click().run()  # the URL kept the search
    assert "innovation" not in at.query_params
    assert at.text_input(key="inn_q").value == "shutters"


def test_unknown_innovation_id_is_a_notice(casebase, ui_env):
    at = open_app("innovations", {"innovation": "no_such_thing"})
    assert "There is no innovation with id 'no_such_thing'." in [w.value for w in at.warning]


def test_nonsense_in_the_url_falls_back_to_defaults(casebase, ui_env):
    junk = {
        "innovations": {"sector": "no_such_sector", "evidence": "abc", "stage": "nowhere", "lucene": "x"},
        "transfer": {"locality": "atlantis", "min_evidence": "99", "max_hops": "-3"},
        "network": {"network": "gossip", "scope": "galaxy", "cap": "1", "k": "9", "size": "shoe_size"},
        "brokers": {"network": "gossip", "role": "king", "limit": "0", "grouping": "star_sign"},
        "layers": {"network": "gossip", "measure": "weight", "k": "1000"},
        "console": {"query": "../../etc/passwd", "p_innovation": "x"},
    }
    for name, params in junk.items():
        at = open_app(name, params)
        assert not at.error, (name, [e.value for e in at.error])
    at = open_app("network", {"cap": "1"})
    assert at.select_slider(key="net_cap").value == 300


# -- Transfer finder ----------------------------------------------------------------------
def test_transfer_finder_for_a_locality(casebase, ui_env):
    at = open_app("transfer")
    assert at.info  # asks for a locality or a problem first
    at.selectbox(key="tf_locality").select("knowsley").run()
    assert_clean(at)
    tables = table_text(at)
    assert PA_PROJECTS in tables
    assert "addresses Promising ideas not flowing between levels" in tables  # the reasons
    assert at.query_params["locality"] == "knowsley"
    at.selectbox(key="tf_innovation").select("south_tyneside_pa_projects").run()
    assert_clean(at)
    assert at.query_params["innovation"] == "south_tyneside_pa_projects"
    assert at.success or at.warning or at.info  # who could introduce us (a warning when synthetic), or nobody
    assert len(iframes(at)) == 2  # the case for the transfer, and the dossier's introduction paths (pyvis)
    assert "Transfer dossier" in texts(at)
    assert "Download the brief (HTML, printable)" in [b.proto.label for b in at.download_button]
    at.slider(key="tf_hops").set_value(1).run()
    assert_clean(at)
    assert "No chain of ties or memberships of at most 1 step joins" in "\n".join(i.value for i in at.info)


def test_transfer_finder_for_a_problem(casebase, ui_env):
    at = open_app("transfer", {"problem": "vacant_properties"})
    assert SHUTTERS in table_text(at)


def test_transfer_finder_takes_a_need_in_free_text_to_a_dossier(casebase, ui_env, test_settings):
    from kb.services.find import refresh

    refresh(test_settings, casebase)  # `load` here writes without `kb load`'s embedding step
    at = open_app("transfer", {"locality": "knowsley"})
    at.text_input(key="tf_need").input("neighbours are frightened to go out at night").run()
    assert_clean(at)
    assert "Showing innovations for **Residents not feeling safe**" in texts(at)
    at.selectbox(key="tf_innovation").select("see_through_shutters").run()
    assert_clean(at)
    words = texts(at)
    assert "Transfer dossier" in words and "Preconditions" in words and "Introduction paths: up to three" in words
    assert "⚖ editors' judgement" in words and "[1: 5.4, p.29-30]" in words
    assert {"Download the brief (Markdown)", "Download the brief (HTML, printable)"} <= {
        b.proto.label for b in at.download_button}


def test_transfer_finder_draws_the_introduction_path(scratch_casebase, ui_env, tmp_path):
    extra = tmp_path / "ties.csv"
    extra.write_text("from,to,network,weight,source,section,synthetic\n"
                     "knowsley_teachers,south_tyneside_pa_organisers,work,1,transformers2008,test,true\n")
    load(scratch_casebase, extra)
    at = open_app("transfer", {"locality": "knowsley", "innovation": "south_tyneside_pa_projects"})
    found = "\n".join(s.value for s in at.warning)  # the tie is synthetic: a warning says so
    assert "Who could introduce you: Knowsley teachers" in found
    assert "⇢⚗ Organisers of South Tyneside" in found
    assert "This path is synthetic" in texts(at)
    assert "introduction in 1 step via Knowsley teachers" in texts(at)
    assert len(iframes(at)) == 2  # the case, and the dossier's introduction paths


# -- Network ------------------------------------------------------------------------------
def test_network_picture_is_capped_with_a_notice(casebase, ui_env):
    at = open_app("network")
    assert_clean(at)
    assert len(iframes(at)) == 1
    assert not any("capped" in w.value for w in at.warning)
    at.select_slider(key="net_cap").set_value(25).run()
    assert_clean(at)
    assert any("Showing the top 25 of" in w.value and "capped at 25" in w.value for w in at.warning)
    assert at.query_params["cap"] == "25"


def test_network_around_an_actor_shows_its_profile(casebase, ui_env):
    at = open_app("network", {"scope": "actor", "actor": "highland_council", "network": "innovation"})
    assert_clean(at)
    assert "Profile: The Highland Council" in [s.value for s in at.subheader]
    assert "Highland Council frontline staff" in table_text(at)  # its ties
    assert "2 actors and 2 tied pairs drawn" in texts(at)
    assert len(iframes(at)) == 1


def test_network_for_one_locality(casebase, ui_env):
    at = open_app("network", {"scope": "locality", "locality": "illustrative_la"})
    assert_clean(at)
    assert len(iframes(at)) == 1
    assert "actors and" in texts(at)


# -- Brokers and Layers (with analytics, when `kb analyse` exists) ------------------------
def test_brokers_with_analytics(analysed, ui_env):
    at = open_app("brokers")
    assert_clean(at)
    assert not at.info
    tables = [df.value for df in at.dataframe]
    brokers = tables[0]
    assert len(brokers) > 0 and "roles" in brokers.columns and "reasons" in brokers.columns
    assert brokers["roles"].str.contains("hub|gatekeeper|pulsetaker").all()
    at.selectbox(key="br_role").select("hub").run()
    assert at.dataframe[0].value["roles"].str.contains("hub").all()
    assert at.query_params["role"] == "hub"


def test_layers_heatmap_weak_links_and_fragility(analysed, ui_env):
    at = open_app("layers")
    assert_clean(at)
    assert not at.error
    tables = table_text(at)
    assert "local authority" in tables and "sectoral" in tables  # the heatmap's axes
    assert "The Highland Council" in tables  # a weak link and who carries it
    assert "thin_atrophied" in tables  # as the case studies describe Gouda
    assert any("Leaving:" in c.value for c in at.caption)  # fragility ran


def test_overview_says_when_analytics_last_ran(analysed, ui_env):
    at = open_app()
    assert any("Analytics last computed" in s.value for s in at.success)


def test_network_sized_and_marked_by_scores(analysed, ui_env):
    at = open_app("network", {"network": "innovation", "size": "betweenness"})
    assert_clean(at)
    assert at.selectbox(key="net_size").value == "betweenness"
    assert len(iframes(at)) == 1


# -- Cypher console -----------------------------------------------------------------------
def run_own(at: AppTest, text: str, params: str = "{}") -> AppTest:
    at.selectbox(key="con_query").select("__own__").run()
    at.text_area(key="con_text").input(text)
    at.text_area(key="con_params_text").input(params)
    at.button(key="con_run_own").click().run()
    assert_clean(at)
    return at


def test_console_runs_a_named_query_with_its_parameters(casebase, ui_env):
    at = open_app("console")
    at.selectbox(key="con_query").select("diffusion").run()
    assert at.selectbox(key="con_p_diffusion_innovation").value == "see_through_shutters"  # picked by name
    at.button(key="con_run_named").click().run()
    assert_clean(at)
    frame = at.dataframe[0].value
    assert list(frame.columns) == ["step", "locality", "year", "kind", "outcome", "adaptation", "actors",
                                   "spread_from", "synthetic"]
    assert set(frame["locality"]) == {"South Tyneside"}
    assert len(at.download_button) == 2  # CSV and JSON
    at.selectbox(key="con_p_diffusion_innovation").set_value("knowsley_teacher_ideas")
    at.button(key="con_run_named").click().run()
    assert "Knowsley" in set(at.dataframe[0].value["locality"])
    assert at.query_params["query"] == "diffusion"
    assert at.query_params["p_innovation"] == "knowsley_teacher_ideas"


def test_console_own_cypher_with_parameters_and_a_graph(casebase, ui_env):
    at = open_app("console")
    run_own(at, "MATCH (i:Innovation {id: $id})-[r:ORIGINATED_IN]->(l:Locality) RETURN i, r, l",
            '{"id": "see_through_shutters"}')
    assert not at.error
    assert "1 row" in texts(at)
    assert len(iframes(at)) == 1  # nodes and relationships drawn


def test_console_refuses_writes_and_writes_nothing(casebase, ui_env):
    before = casebase.counts()
    at = open_app("console")
    query = "CREATE (n:Intruder {name: 'x'}) RETURN n"
    run_own(at, query)
    errors = "\n".join(e.value for e in at.error)
    assert "Refused" in errors and "read" in errors
    assert "Writing in read access mode not allowed" in errors  # the server's own refusal
    assert at.text_area(key="con_text").value == query  # the text is kept
    assert casebase.counts() == before
    assert casebase.read("MATCH (n:Intruder) RETURN count(n) AS n")[0]["n"] == 0
    for statement in ("MATCH (l:Locality) SET l.name = 'x'", "MATCH (n) DETACH DELETE n",
                      "CREATE INDEX intruder IF NOT EXISTS FOR (n:Intruder) ON (n.x)",
                      "LOAD CSV FROM 'http://127.0.0.1:9/x.csv' AS row RETURN row",
                      "SHOW TRANSACTIONS", "CALL db.stats.clear('QUERIES')",
                      "RETURN size(reduce(s='', x IN range(1,2000000) | s + 'xxxxxxxxxx'))"):
        run_own(at, statement)
        assert "Refused" in "\n".join(e.value for e in at.error), statement
    assert casebase.counts() == before


def test_console_truncation_banner(casebase, ui_env):
    ui_env.setenv("KB_ROW_LIMIT", "3")
    at = open_app("console")
    run_own(at, "MATCH (i:Innovation) RETURN i ORDER BY i.id")
    assert any("Truncated: showing the first 3 rows" in w.value for w in at.warning)
    assert len(at.dataframe[0].value) == 3
    run_own(at, "MATCH (i:Innovation) RETURN i.id LIMIT 3")
    assert not any("Truncated" in w.value for w in at.warning)


def test_console_timeout_keeps_the_query(casebase, ui_env):
    ui_env.setenv("KB_QUERY_TIMEOUT", "1")
    slow = "UNWIND range(1, 50000) AS x UNWIND range(1, 50000) AS y WITH x, y WHERE x * y = -1 RETURN count(x) AS n"
    at = open_app("console")
    started = time.perf_counter()
    run_own(at, slow)
    assert time.perf_counter() - started < 60
    errors = "\n".join(e.value for e in at.error)
    assert "Timed out" in errors and "KB_QUERY_TIMEOUT" in errors
    assert at.text_area(key="con_text").value == slow


def test_console_syntax_error_is_a_message(casebase, ui_env):
    at = open_app("console")
    run_own(at, "MATCH (n RETURN n")
    assert "The query failed" in "\n".join(e.value for e in at.error)


# -- Import -------------------------------------------------------------------------------
def test_import_page_is_hidden_by_default(casebase, ui_env):
    at = open_app()
    with pytest.raises(ValueError):
        at.switch_page("views/import_data.py")
    ui_env.setenv("KB_UI_ALLOW_WRITES", "true")  # allowed, but no password: still hidden
    at = open_app()
    with pytest.raises(ValueError):
        at.switch_page("views/import_data.py")


def test_import_with_password_validates_then_loads(scratch_casebase, ui_env):
    casebase = scratch_casebase
    ui_env.setenv("KB_UI_ALLOW_WRITES", "true")
    ui_env.setenv("KB_UI_PASSWORD", "correct horse")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    at.switch_page("views/import_data.py").run()
    assert_clean(at)
    assert not at.file_uploader
    at.text_input(key="imp_password").input("wrong")
    at.button(key="imp_unlock").click().run()
    assert "Wrong password." in [e.value for e in at.error]
    assert not at.file_uploader
    at.text_input(key="imp_password").input("correct horse")
    at.button(key="imp_unlock").click().run()
    assert_clean(at)
    assert at.file_uploader
    assert "correct horse" not in texts(at)

    bad = b"id,name,country\nnew_town,New Town,\n"
    at.file_uploader(key="imp_files").upload("localities.csv", bad, "text/csv").run()
    assert_clean(at)
    assert any("Load refused" in e.value for e in at.error)
    assert "country" in table_text(at)
    assert casebase.read("MATCH (l:Locality {id: 'new_town'}) RETURN count(l) AS n")[0]["n"] == 0

    good = b"id,name,country,problems,source,section,synthetic\nnew_town,New Town,UK,vacant_properties,,,true\n"
    at.file_uploader(key="imp_files").set_value(("localities.csv", good, "text/csv")).run()
    assert_clean(at)
    assert any("Dry run: valid. Would load 1 localities" in s.value for s in at.success)
    assert casebase.read("MATCH (l:Locality {id: 'new_town'}) RETURN count(l) AS n")[0]["n"] == 0
    at.button(key="imp_load").click().run()
    assert_clean(at)
    assert any("Loaded 1 file(s)" in s.value for s in at.success)
    assert casebase.read("MATCH (l:Locality {id: 'new_town'}) RETURN l.name AS name")[0]["name"] == "New Town"


# -- connection failures, and never a credential -------------------------------------------
def test_unreachable_server_is_a_friendly_error_without_credentials(ui_env):
    ui_env.setenv("NEO4J_URI", "neo4j://127.0.0.1:9")
    ui_env.setenv("NEO4J_PASSWORD", "env-secret")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert_clean(at)
    shown = texts(at) + str(at.sidebar)
    assert "Neo4j is not reachable at neo4j://127.0.0.1:9" in shown
    assert "env-secret" not in shown
    # credentials inside the URI are refused by the driver, and never echoed
    ui_env.setenv("NEO4J_URI", "neo4j://someone:uri-secret@127.0.0.1:9")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert_clean(at)
    shown = texts(at) + str(at.sidebar)
    assert "NEO4J_URI" in "\n".join(e.value for e in at.error)
    assert "uri-secret" not in shown and "env-secret" not in shown and "someone" not in shown


def test_pages_never_show_the_password(casebase, ui_env, test_settings):
    password = test_settings.neo4j_password  # the test server's real one: auth is on
    at = open_app()
    for path in PAGES.values():
        at.switch_page(path).run()
        assert_clean(at)
        assert password not in texts(at) + str(at.sidebar) + str(at.main)


# -- render times (written to tests/artifacts/ for docs/benchmarks.md) ---------------------
def test_render_times(analysed, ui_env):
    """Each page's script time in AppTest on the analysed case base: the first run with
    empty caches, then the median of three warm runs."""
    import json
    import statistics

    import streamlit as st

    views = {**{name: (path, {}) for name, path in PAGES.items()},
             "innovation detail": (PAGES["innovations"], {"innovation": "see_through_shutters"}),
             "transfer to Knowsley": (PAGES["transfer"], {"locality": "knowsley",
                                                          "innovation": "south_tyneside_pa_projects"}),
             "network around an actor": (PAGES["network"], {"scope": "actor", "actor": "ila_head_teacher_05",
                                                            "k": "2", "size": "betweenness"})}
    times = {}
    for name, (path, params) in views.items():
        st.cache_data.clear()
        at = open_app()  # a new session per view, as when a URL is opened
        at.switch_page(path)
        at.query_params.clear()
        at.query_params.update(params)
        started = time.perf_counter()
        at.run()
        cold = time.perf_counter() - started
        assert_clean(at)
        warm = []
        for _ in range(3):
            started = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - started)
        times[name] = {"cold_s": round(cold, 3), "warm_s": round(statistics.median(warm), 3)}
        assert statistics.median(warm) < 30, (name, warm)
    artifacts = PROJECT_ROOT / "tests" / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / "apptest-render-times.json").write_text(json.dumps(times, indent=2))


def _unlock_import(at: AppTest) -> AppTest:
    at.switch_page("views/import_data.py").run()
    at.text_input(key="imp_password").input("correct horse")
    at.button(key="imp_unlock").click().run()
    assert_clean(at)
    return at


def _stored_strings(kb) -> list[str]:
    rows = kb.read("MATCH (n) RETURN [k IN keys(n) | n[k]] AS values "
                   "UNION ALL MATCH ()-[r]->() RETURN [k IN keys(r) | r[k]] AS values")
    return [item for row in rows for value in row["values"]
            for item in (value if isinstance(value, list) else [value]) if isinstance(item, str)]


def test_import_page_pseudonymises_people_when_configured(kb, ui_env):
    """The privacy defect of issue 11: the import page wrote people with their real names
    and roles even with KB_PSEUDONYMISE on, because it loaded files its own way."""
    ui_env.setenv("KB_UI_ALLOW_WRITES", "true")
    ui_env.setenv("KB_UI_PASSWORD", "correct horse")
    ui_env.setenv("KB_PSEUDONYMISE", "true")
    ui_env.setenv("KB_PSEUDONYM_KEY", "a-test-key-that-stays-outside-the-db")
    people = (b"id,name,role,layer,organisations,locality,case_study,source,section,synthetic,notes\n"
              b"upl_ada_quill,Ada Quillfeather,Head of Quillfeather Trust,frontline,,,,,,true,lives at 3 Elm Row\n"
              b"upl_bo_marsh,Bo Marshwick,Community organiser,community,,,,,,true,\n")
    ties = (b"from,to,network,weight,source,section,synthetic\n"
            b"upl_ada_quill,upl_bo_marsh,work,1,,,true\n")
    at = _unlock_import(AppTest.from_file(str(APP), default_timeout=TIMEOUT).run())
    at.file_uploader(key="imp_files").set_value([("people.csv", people, "text/csv"),
                                                 ("ties.csv", ties, "text/csv")]).run()
    assert_clean(at)
    assert any("Dry run: valid" in s.value for s in at.success), texts(at)
    at.button(key="imp_load").click().run()
    assert_clean(at)
    assert any("Loaded 2 file(s)" in s.value for s in at.success), texts(at)
    assert kb.read("MATCH (p:Person) RETURN count(p) AS n")[0]["n"] == 2
    assert kb.read("MATCH (:Person)-[t:TIE]->(:Person) RETURN count(t) AS n")[0]["n"] == 1
    stored = _stored_strings(kb)
    for real in ("upl_ada_quill", "upl_bo_marsh", "Ada Quillfeather", "Bo Marshwick", "Quillfeather",
                 "Marshwick", "Head of Quillfeather Trust", "Community organiser", "3 Elm Row"):
        assert not any(real in s for s in stored), (real, [s for s in stored if real in s])
    shown = texts(at) + table_text(at)
    assert "Ada Quillfeather" not in shown


def test_import_page_without_a_pseudonym_key_refuses(kb, ui_env):
    ui_env.setenv("KB_UI_ALLOW_WRITES", "true")
    ui_env.setenv("KB_UI_PASSWORD", "correct horse")
    ui_env.setenv("KB_PSEUDONYMISE", "true")
    people = b"id,name,layer\nupl_ada_quill,Ada Quillfeather,frontline\n"
    at = _unlock_import(AppTest.from_file(str(APP), default_timeout=TIMEOUT).run())
    at.file_uploader(key="imp_files").upload("people.csv", people, "text/csv").run()
    assert_clean(at)
    assert any("KB_PSEUDONYM_KEY" in e.value for e in at.error), texts(at)
    assert not any("Dry run: valid" in s.value for s in at.success)
    assert kb.read("MATCH (n:Person) RETURN count(n) AS n")[0]["n"] == 0


def test_import_page_stages_a_big_load(kb, ui_env):
    ui_env.setenv("KB_UI_ALLOW_WRITES", "true")
    ui_env.setenv("KB_UI_PASSWORD", "correct horse")
    ui_env.setenv("KB_LOAD_TRANSACTION_ROWS", "3")
    ui_env.setenv("KB_LOAD_CHUNK_ROWS", "2")
    localities = b"id,name,country\n" + b"".join(f"town_{i},Town {i},UK\n".encode() for i in range(7))
    at = _unlock_import(AppTest.from_file(str(APP), default_timeout=TIMEOUT).run())
    at.file_uploader(key="imp_files").upload("localities.csv", localities, "text/csv").run()
    at.button(key="imp_load").click().run()
    assert_clean(at)
    loaded = "\n".join(s.value for s in at.success)
    assert "Loaded 1 file(s)" in loaded and "staged" in loaded, loaded
    assert kb.read("MATCH (l:Locality) RETURN count(l) AS n")[0]["n"] == 7
    assert kb.read("MATCH (l:Load) RETURN l.status AS status")[0]["status"] == "complete"


def test_a_page_that_ends_early_still_draws_its_drawn_mark(kb, ui_env):
    """Record history with no record chosen ends its run early (ui.end_page): the app still
    draws "Page drawn in ... s" last, which the browser tests and bench.pages wait for
    (st.stop() dropped it, so such a page never counted as drawn)."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    at.switch_page("views/record.py").run()
    assert_clean(at)
    assert "Choose a record to see its history." in texts(at)
    assert any(str(c.value).startswith("Page drawn in") for c in at.sidebar.get("caption"))
