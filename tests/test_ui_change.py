"""The Change page (ui/views/change.py) with AppTest against the real test Neo4j holding the
bundled case base and its two invented survey rounds."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.test_ui_apptest import APP, TIMEOUT, assert_clean, casebase, iframes, texts, ui_env  # noqa: F401


def open_change(query_params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    at.switch_page("views/change.py")
    if query_params:
        at.query_params.update(query_params)
    at.run()
    assert_clean(at)
    return at


def test_the_change_page_tells_the_story_of_the_two_rounds(casebase, ui_env):
    at = open_change()
    words = texts(at)
    assert "**Left** (no tie in ila_round_2): LA officer 02; LA officer 09" in words
    assert "Community connector 01" in words
    assert "Illustrative (synthetic) data" in words
    heatmaps = [getattr(df.value, "data", df.value) for df in at.dataframe][:3]
    assert [h.index.name for h in heatmaps] == ["from \\ to"] * 3
    difference = heatmaps[2]
    assert difference.loc["local authority", "local authority"] < 0   # two core officers left
    tables = "\n".join(getattr(df.value, "data", df.value).to_csv() for df in at.dataframe)
    assert "carriers replaced" in tables and "⚗ synthetic" in tables
    assert "gatekeeper" in tables and "gained" in tables and "lost" in tables
    pictures = iframes(at)
    assert pictures and "new tie" in pictures[0].proto.srcdoc and "lost tie" in pictures[0].proto.srcdoc
    assert at.query_params.get("from") in ("ila_round_1", ["ila_round_1"])


def test_hiding_synthetic_data_hides_the_invented_rounds(casebase, ui_env):
    at = open_change()
    at.sidebar.toggle(key="kb_hide_synthetic").set_value(True).run()
    assert_clean(at)
    words = texts(at)
    assert "synthetic data is hidden" in words and "LA officer 02" not in words


def test_a_bad_round_in_the_url_falls_back_and_the_same_round_twice_is_refused(casebase, ui_env):
    at = open_change({"from": "nope", "to": "ila_round_1"})
    assert at.selectbox(key="ch_from").value == "ila_round_1"
    assert "compare two different rounds" in texts(at)
