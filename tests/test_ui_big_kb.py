"""What the pages do on a big knowledge base (issue 16 part 3: every page under 5 s cold at
100,000 actors), shown on the bundled case base with the thresholds lowered: the UI answers the
named queries that read `kb analyse`'s runs as `kb query` does (KB_STALE_RUN_ACTORS: without a
run, no rows and why, instead of counting live for seconds; a stale run, said on the page), and
the Network page's actor picker stops listing every actor."""

from __future__ import annotations

from tests.test_ui_apptest import analysed, casebase, open_app, texts, ui_env  # noqa: F401 (fixtures)


def test_brokers_without_a_run_on_a_big_kb_say_why_instead_of_counting_live(casebase, ui_env):
    ui_env.setenv("KB_STALE_RUN_ACTORS", "10")  # the case base's 84 actors count as big
    at = open_app("brokers")
    shown = texts(at)
    assert "has not been analysed yet, and counting it live over" in shown
    assert not at.dataframe or all(len(df.value) == 0 for df in at.dataframe)


def test_the_network_page_lists_every_actor_below_its_limit_and_profiles_one_from_the_url(analysed, ui_env):
    at = open_app("network")
    assert not [t for t in at.text_input if t.key == "net_find"]  # 84 actors: all listed, no name to type
    assert len(at.selectbox(key="net_actor").options) == 84
    at = open_app("network", {"actor": "ila_la_officer_01", "scope": "actor"})
    assert "Profile: LA officer 01" in texts(at)
