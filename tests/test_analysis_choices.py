"""Analysts' choices (issue 16 part 4): directed paths, role thresholds from a file (YAML,
JSON or TOML) recorded on the run, and the gatekeeper rule's default on the bundled study."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest

from kb.analytics import RoleThresholds, analyse, from_edges
from kb.analytics.thresholds import ThresholdError
from kb.services.role_thresholds import ThresholdsFileError, read_thresholds
from tests.conftest import DATA_DIR, run_kb

STUDY_TIES = [DATA_DIR / "network-study" / "ties.csv", DATA_DIR / "network-study" / "bridges.csv",
              DATA_DIR / "casebase" / "ties.csv"]


def study_ties(network: str | None = None, paths=None) -> list[tuple[str, str]]:
    """The bundled study's ties (of one network type, or all) straight from the CSV files."""
    out = []
    for path in paths or STUDY_TIES:
        with open(path, encoding="utf-8-sig", newline="") as f:
            out += [(r["from"], r["to"]) for r in csv.DictReader(f) if network in (None, r["network"])]
    return out


def study_layers() -> dict[str, str]:
    layers = {}
    for folder in ("network-study", "casebase"):
        for table in ("people", "organisations"):
            path = DATA_DIR / folder / f"{table}.csv"
            if not path.exists():
                continue
            with open(path, encoding="utf-8-sig", newline="") as f:
                layers.update({r["id"]: r["layer"] for r in csv.DictReader(f)})
    return layers


@pytest.mark.parametrize("network", [None, "work", "innovation"])
def test_directed_betweenness_on_the_bundled_study_equals_networkx(network):
    ties = study_ties(network)
    layers = study_layers()
    graph = from_edges(ties, groups={a: layers.get(a) for a in {x for t in ties for x in t}})
    digraph = nx.DiGraph(ties)
    result = analyse(graph, directed_paths=True)
    expected = nx.betweenness_centrality(digraph)  # normalised 1/((n-1)(n-2)) for a digraph
    raw = nx.betweenness_centrality(digraph, normalized=False)
    for actor in graph.nodes:
        assert result.nodes.loc[actor, "betweenness_normalized"] == pytest.approx(expected[actor], abs=1e-12)
        assert result.nodes.loc[actor, "betweenness"] == pytest.approx(raw[actor], abs=1e-9)
    # closeness along the arcs: networkx's (incoming distances, Wasserman-Faust improved)
    closeness = nx.closeness_centrality(digraph)
    assert result.nodes["closeness"].to_dict() == pytest.approx(closeness, abs=1e-12)
    assert result.parameters["directed_paths"] is True
    # the directed values differ from the undirected ones (the choice matters here)
    undirected = analyse(graph)
    assert not result.nodes["betweenness"].equals(undirected.nodes["betweenness"])
    assert undirected.parameters["directed_paths"] is False


def test_gatekeeper_default_needs_more_than_one_pendant_contact():
    # h holds one pendant contact p; x is the only bridge between two triangles {a,b,c}, {d,e,f}.
    g = from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "f"), ("f", "d"),
                    ("c", "x"), ("x", "d"), ("a", "h"), ("h", "p")], directed=False)
    only_cut = dict(gatekeeper_brokerage_z=float("inf"), gatekeeper_betweenness_residual=float("inf"))
    table = analyse(g, thresholds=RoleThresholds(**only_cut)).nodes
    # h cuts off 1 actor (p): a gate to nobody but one contact, not a gatekeeper by default
    assert table.loc["h", "cut_off"] == 1 and not table.loc["h", "gatekeeper"]
    assert table.loc["x", "gatekeeper"] and table.loc["a", "gatekeeper"]  # a guards {h, p}
    # the former rule (any cut vertex) is one threshold away
    old = analyse(g, thresholds=RoleThresholds(gatekeeper_min_cut_off=1, **only_cut)).nodes
    assert old.loc["h", "gatekeeper"]


def test_gatekeeper_count_on_the_bundled_study_work_network():
    # docs/analytics.md "The gatekeeper rule": 28 of 83 with any cut vertex, 23 now.
    ties = study_ties("work")
    layers = study_layers()
    actors = sorted({x for t in study_ties() for x in t})
    graph = from_edges(ties, groups={a: layers.get(a) for a in actors}, nodes=actors)
    assert graph.n == 83
    assert int(analyse(graph).nodes["gatekeeper"].sum()) == 23
    assert int(analyse(graph, thresholds=RoleThresholds(gatekeeper_min_cut_off=1)).nodes["gatekeeper"].sum()) == 28


# ------------------------------------------------------------------ thresholds files
@pytest.mark.parametrize("name, text", [
    ("t.yaml", "hub_quantile: 0.8\npulsetaker_measures: [closeness, harmonic]\ngatekeeper_brokerage_z: .inf\n"),
    ("t.json", '{"hub_quantile": 0.8, "pulsetaker_measures": ["closeness", "harmonic"], '
               '"gatekeeper_brokerage_z": 1e309}'),
    ("t.toml", "hub_quantile = 0.8\npulsetaker_measures = ['closeness', 'harmonic']\n"
               "gatekeeper_brokerage_z = inf\n"),
])
def test_thresholds_file_formats(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    t = read_thresholds(path)
    assert t.hub_quantile == 0.8 and t.pulsetaker_measures == ("closeness", "harmonic")
    assert t.gatekeeper_brokerage_z == float("inf")
    assert t.hub_min_nominations == RoleThresholds().hub_min_nominations  # left out: the default
    assert set(t.changed()) == {"hub_quantile", "pulsetaker_measures", "gatekeeper_brokerage_z"}


@pytest.mark.parametrize("name, text, message", [
    ("t.yaml", "hub_quantile: 0.8\nhub_quantil: 0.7\n",
     "t.yaml, line 2: hub_quantil: unknown threshold (did you mean hub_quantile?)"),
    ("t.yaml", "# roles\nhub_quantile: high\n",
     "t.yaml, line 2: hub_quantile: must be a number from 0 to 1 (a quantile), got 'high'"),
    ("t.json", '{\n  "hub_min_nominations": 2.5\n}',
     "t.json, line 2: hub_min_nominations: must be a whole number >= 0, got 2.5"),
    ("t.toml", "gatekeeper_cut_vertex = 1\n",
     "t.toml, line 1: gatekeeper_cut_vertex: must be true or false, got 1"),
    ("t.yaml", "pulsetaker_measures: [closeness, fame]\n",
     "t.yaml, line 1: pulsetaker_measures: unknown measure 'fame'"),
    ("t.yaml", "gatekeeper_min_cut_off: 0\n",
     "t.yaml, line 1: gatekeeper_min_cut_off: must be a whole number >= 1, got 0"),
    ("t.yaml", "hub_quantile: [0.8\n", "t.yaml, line 2: not valid YAML"),
    ("t.json", '{"hub_quantile": 0.8,}', "t.json, line 1: not valid JSON"),
    ("t.toml", "hub_quantile = \n", "t.toml: not valid TOML"),
    ("t.yaml", "- 0.8\n", "t.yaml: expected a table of thresholds (name: value), got list"),
    ("t.txt", "hub_quantile: 0.8\n", "t.txt: a thresholds file must end in .yaml, .yml, .json or .toml"),
])
def test_thresholds_file_errors_say_where_and_what(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ThresholdsFileError) as err:
        read_thresholds(path)
    assert str(err.value).startswith(str(tmp_path / message.split(":")[0].split(",")[0]))
    assert message.split(name, 1)[1] in str(err.value)


def test_thresholds_from_dict_rejects_booleans_as_numbers():
    with pytest.raises(ThresholdError, match="hub_quantile"):
        RoleThresholds.from_dict({"hub_quantile": True})


# ------------------------------------------------------------------ through `kb analyse`
def _run(kb, network):
    return kb.read("MATCH (r:AnalysisRun {network: $n, current: true}) RETURN r", {"n": network})[0]["r"]


def _scores(kb, network):
    rows = kb.read("MATCH (:AnalysisRun {network: $n, current: true})<-[:IN_RUN]-(s:Score)<-[:HAS_SCORE]-(a:Actor) "
                   "RETURN a.id AS id, s AS s", {"n": network})
    return {r["id"]: dict(r["s"]) for r in rows}


def test_kb_analyse_directed_and_thresholds_file_are_recorded_on_the_run(kb, cli_env, tmp_path):
    run_kb(["load", str(DATA_DIR), "--no-progress"], cli_env, check=True)
    run_kb(["analyse", "-n", "work"], cli_env, check=True)
    default_run = _run(kb, "work")
    assert default_run["directed_paths"] is False and default_run["thresholds_from"] == "defaults"
    assert default_run["thresholds_changed"] == []
    default_hubs = sum(bool(s.get("hub")) for s in _scores(kb, "work").values())
    assert default_hubs > 0

    strict = tmp_path / "strict.yaml"
    strict.write_text("hub_min_nominations: 1000\ngatekeeper_min_cut_off: 1\n")
    out = run_kb(["analyse", "-n", "work", "--directed", "--thresholds", str(strict)], cli_env, check=True)
    assert f"Role thresholds from {strict}" in out.stdout
    run = _run(kb, "work")
    assert run["directed_paths"] is True
    assert run["thresholds_from"] == str(strict)
    assert sorted(run["thresholds_changed"]) == ["gatekeeper_min_cut_off=1", "hub_min_nominations=1000"]
    assert json.loads(run["thresholds"])["hub_min_nominations"] == 1000
    assert json.loads(run["parameters"])["directed_paths"] is True
    scores = _scores(kb, "work")
    assert not any(s.get("hub") for s in scores.values())  # the file changed the roles
    # the stored betweenness is networkx's directed betweenness of the study's work ties in the
    # plain view `kb analyse` reads: the arcs of both survey rounds (a pair tied in both counts once)
    both_rounds = [*STUDY_TIES, DATA_DIR / "network-study" / "ties_round_2.csv"]
    raw = nx.betweenness_centrality(nx.DiGraph(study_ties("work", both_rounds)), normalized=False)
    for actor, value in raw.items():
        assert scores[actor]["betweenness"] == pytest.approx(value, abs=1e-9)
    # the UI's read of the run shows the choices
    ui = kb.read(open(DATA_DIR.parent / "cypher" / "ui" / "analysis-runs.cypher").read())
    assert {r["network"]: (r["directed_paths"], r["thresholds_from"]) for r in ui}["work"] == (True, str(strict))
    # fewer pivots (and a lower exact threshold, so that the study's work network is sampled):
    # recorded on the run, with standard errors
    run_kb(["analyse", "-n", "work", "--pivots", "7", "--exact-max-nodes", "10"], cli_env, check=True)
    parameters = json.loads(_run(kb, "work")["parameters"])
    assert parameters["pivots"] == 7 and parameters["methods"]["betweenness"] in ("sampled", "mixed")
    assert any(s.get("betweenness_stderr") for s in _scores(kb, "work").values())


def test_kb_analyse_refuses_a_bad_thresholds_file_before_connecting(cli_env, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("hub_quantile = 0.9\nhubs = 3\n")
    env = dict(cli_env, NEO4J_URI="bolt://127.0.0.1:1")  # nothing listens there
    out = run_kb(["analyse", "--thresholds", str(bad)], env)
    assert out.returncode == 2
    assert f"{bad}, line 2: hubs: unknown threshold" in out.stderr
    assert "Traceback" not in out.stderr
    # the setting names a default file
    out = run_kb(["analyse"], dict(env, KB_ROLE_THRESHOLDS=str(bad)))
    assert out.returncode == 2 and f"{bad}, line 2" in out.stderr
