"""Change between survey rounds on the bundled two rounds of the illustrative study (both
synthetic): `kb change` names the two officers who left and the new bridge to the community
layer; its block densities equal a count from the raw CSV ties; its QAP correlation and
Jaccard equal an independent computation; the named query `network-change` agrees with the
service; `kb analyse --round` keeps one current run per round."""

from __future__ import annotations

import csv
import itertools
import json
from collections import Counter

import numpy as np
import pytest

from kb.analytics.change import qap
from kb.services import queries
from kb.services.analysis import UnknownRound, analyse
from kb.services.change import RoundProblem, network_change
from tests.conftest import DATA_DIR, run_kb
from tests.test_loaders_formats import load, wipe

STUDY = DATA_DIR / "network-study"
R1, R2 = "ila_round_1", "ila_round_2"
DEPARTED = ["ila_la_officer_02", "ila_la_officer_09"]
CONNECTOR = "ila_community_connector_01"


def _rows(name):
    with open(STUDY / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def raw_round(name):
    """A round straight from its CSV: distinct arcs, population (actors with a tie), respondents."""
    ties = _rows(name)
    arcs = {(t["from"], t["to"]) for t in ties}
    return arcs, {x for arc in arcs for x in arc}, {t["from"] for t in ties}


@pytest.fixture(scope="module")
def bundled(session_kb, test_settings):
    wipe(session_kb)
    load(session_kb, test_settings, DATA_DIR)
    return session_kb


@pytest.fixture(scope="module")
def change(bundled, test_settings):
    return network_change(test_settings, bundled, R1, R2, permutations=500, seed=7)


def test_the_change_names_the_two_officers_who_left_and_the_new_bridge(change):
    report = change.report
    assert report.departed == DEPARTED
    assert report.arrived == [CONNECTOR]
    assert set(DEPARTED) <= set(report.brokers_left)   # a hub and the community gatekeeper
    roles = report.roles.set_index(["actor", "role"])["change"].to_dict()
    assert roles[("ila_la_officer_02", "hub")] == "lost"
    assert roles[("ila_la_officer_09", "gatekeeper")] == "lost"
    assert roles[(CONNECTOR, "gatekeeper")] == "gained"
    carriers = report.carriers.set_index(["layer", "other_layer"])
    la_side = carriers.loc[("local_authority", "community")]
    assert la_side["status"] == "carriers replaced"
    assert la_side["left"] == ["ila_la_officer_09"] and la_side["new"] == [CONNECTOR]
    assert change.synthetic
    described = change.to_dict()
    assert [d["name"] for d in described["departed"]] == ["LA officer 02", "LA officer 09"]


def test_block_density_change_equals_a_count_of_the_raw_ties(change):
    layer = {p["id"]: p["layer"] for p in _rows("people.csv")}
    (arcs1, pop1, _), (arcs2, pop2, _) = raw_round("ties.csv"), raw_round("ties_round_2.csv")

    def density(arcs, population, g, h):
        ties = sum(1 for a, b in arcs if layer[a] == g and layer[b] == h)
        n = Counter(layer[x] for x in population)
        possible = n[g] * (n[g] - 1) if g == h else n[g] * n[h]
        return ties / possible if possible else 0.0, ties

    blocks = change.report.blocks
    assert len(blocks) >= 20
    for row in blocks.itertuples():
        before, ties_before = density(arcs1, pop1, row.from_layer, row.to_layer)
        after, ties_after = density(arcs2, pop2, row.from_layer, row.to_layer)
        assert (row.ties_before, row.ties_after) == (ties_before, ties_after), row
        assert row.density_change == pytest.approx(after - before, abs=1e-12), row
        cell = lambda arcs: {(a, b) for a, b in arcs if (layer[a], layer[b]) == (row.from_layer, row.to_layer)}  # noqa: E731
        assert row.gained == len(cell(arcs2) - cell(arcs1)) and row.lost == len(cell(arcs1) - cell(arcs2)), row
    community = blocks.set_index(["from_layer", "to_layer"]).loc[("local_authority", "community")]
    assert community["gained"] > 0 and community["lost"] > 0


def test_qap_and_jaccard_match_an_independent_computation(change):
    (arcs1, pop1, resp1), (arcs2, pop2, resp2) = raw_round("ties.csv"), raw_round("ties_round_2.csv")
    common = sorted(resp1 & resp2 & pop1 & pop2)
    index = {a: i for i, a in enumerate(common)}
    m1, m2 = np.zeros((len(common),) * 2), np.zeros((len(common),) * 2)
    for matrix, arcs in ((m1, arcs1), (m2, arcs2)):
        for a, b in arcs:
            if a in index and b in index:
                matrix[index[a], index[b]] = 1
    off = ~np.eye(len(common), dtype=bool)
    expected_r = np.corrcoef(m1[off], m2[off])[0, 1]
    both = {(a, b) for a, b in arcs1 if a in index and b in index}
    later = {(a, b) for a, b in arcs2 if a in index and b in index}
    s = change.report.similarity
    assert not s["same_respondents"] and s["common_respondents"] == len(common)
    assert s["qap_r"] == pytest.approx(expected_r, abs=1e-12)
    assert s["jaccard"] == pytest.approx(len(both & later) / len(both | later), abs=1e-12)
    assert 0.5 < s["qap_r"] < 1 and s["qap_p"] == pytest.approx(1 / 501)  # no permutation comes close


def test_qap_p_value_matches_the_exact_permutation_distribution():
    """On five actors all 120 relabellings can be enumerated: the exact one-sided p-value
    (with the observed labelling among them) against qap()'s seeded sample."""
    rng = np.random.default_rng(3)
    a = (rng.random((5, 5)) < 0.5).astype(float)
    b = a.copy()
    b[0, 1], b[2, 3], b[4, 0] = 1 - b[0, 1], 1 - b[2, 3], 1 - b[4, 0]
    np.fill_diagonal(a, 0)
    np.fill_diagonal(b, 0)
    off = ~np.eye(5, dtype=bool)
    observed = np.corrcoef(a[off], b[off])[0, 1]
    perms = [np.corrcoef(a[off], b[np.ix_(p, p)][off])[0, 1] for p in map(list, itertools.permutations(range(5)))]
    exact = np.mean([r >= observed - 1e-12 for r in perms])
    result = qap(a, b, permutations=20_000, seed=0)
    assert result.r == pytest.approx(observed, abs=1e-12)
    assert result.p == pytest.approx(exact, abs=0.01)
    assert qap(a, b, permutations=300, seed=5).p == qap(a, b, permutations=300, seed=5).p  # seeded


def test_the_named_query_agrees_with_the_service(bundled, change):
    q = queries.named_query("network-change")
    rows = queries.read(bundled, "network-change", q.bind({"from": R1, "to": R2}), timeout=120)
    by_cell = {(r["from_layer"], r["to_layer"]): r for r in rows}
    for row in change.report.blocks.itertuples():
        if row.ties_before + row.ties_after == 0:
            continue
        r = by_cell[(row.from_layer, row.to_layer)]
        assert (r["ties_before"], r["ties_after"], r["gained"], r["lost"]) == \
            (row.ties_before, row.ties_after, row.gained, row.lost)
        assert r["density_change"] == pytest.approx(row.density_change, abs=1e-12)
        assert r["synthetic"] and r["from_round"] == R1 and r["to_round"] == R2
    la = by_cell[("local_authority", "community")]
    assert CONNECTOR in la["new_carriers"] and "ila_la_officer_09" in la["departed_carriers"]
    # Without parameters: the latest round against the one before it.
    default = queries.read(bundled, "network-change", q.bind({}), timeout=120)
    assert [(r["from_layer"], r["to_layer"], r["gained"]) for r in default] == \
        [(r["from_layer"], r["to_layer"], r["gained"]) for r in rows]


def test_bad_rounds_are_refused_with_a_clear_message(bundled, test_settings, cli_env):
    with pytest.raises(RoundProblem, match="no tie carries the survey round 'ila_round_9'; rounds: ila_round_1"):
        network_change(test_settings, bundled, R1, "ila_round_9")
    with pytest.raises(RoundProblem, match="two different rounds"):
        network_change(test_settings, bundled, R1, R1)
    with pytest.raises(UnknownRound, match="not both"):
        analyse(test_settings, bundled, ["work"], round=R1, as_of="2009")
    proc = run_kb(["change", "--from", R1, "--to", "nope"], cli_env)
    assert proc.returncode == 2 and "--to: no tie carries the survey round 'nope'" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_kb_change_json(bundled, cli_env):
    proc = run_kb(["change", "--from", R1, "--to", R2, "--permutations", "50", "--format", "json"], cli_env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = json.loads(proc.stdout)
    assert [d["id"] for d in out["departed"]] == DEPARTED and out["synthetic"] is True
    assert out["similarity"]["permutations"] == 50
    text = run_kb(["change", "--from", R1, "--to", R2, "--permutations", "20"], cli_env)
    assert "LA officer 09 (ila_la_officer_09)" in text.stdout and "[SYNTHETIC data]" in text.stdout


def test_analyse_one_round_keeps_the_default_run_current(bundled, test_settings):
    analyse(test_settings, bundled, ["work"])
    default = bundled.read("MATCH (r:AnalysisRun {network: 'work', current: true}) RETURN r.id AS id, r.scope AS scope")
    assert len(default) == 1 and default[0]["scope"] == ""
    [one] = analyse(test_settings, bundled, ["work"], round=R2)
    assert one.scope == f"round:{R2}"
    runs = bundled.read("MATCH (r:AnalysisRun {network: 'work', scope_current: true}) "
                        "RETURN r.scope AS scope, r.round AS round, r.current AS current, r.actors AS actors "
                        "ORDER BY scope")
    assert [(r["scope"], r["round"], r["current"]) for r in runs] == [("", None, True), (f"round:{R2}", R2, False)]
    assert bundled.read("MATCH (r:AnalysisRun {network: 'work', current: true}) RETURN r.id AS id, r.scope AS scope") \
        == default
    scored = {r["id"] for r in bundled.read(
        "MATCH (a:Actor)-[:HAS_SCORE]->(:Score)-[:IN_RUN]->(:AnalysisRun {id: $id}) RETURN a.id AS id",
        {"id": one.run_id})}
    assert CONNECTOR in scored and not set(DEPARTED) & scored
    # A second run of the same round replaces it; the default run stays.
    analyse(test_settings, bundled, ["work"], round=R2)
    assert bundled.read("MATCH (r:AnalysisRun {network: 'work'}) RETURN count(r) AS n") == [{"n": 2}]
    # As of 2009: round 1 and the undated ties without a round; the connector is not there yet.
    [then] = analyse(test_settings, bundled, ["work"], as_of="2009")
    scored = {r["id"] for r in bundled.read(
        "MATCH (a:Actor)-[:HAS_SCORE]->(:Score)-[:IN_RUN]->(:AnalysisRun {id: $id}) RETURN a.id AS id",
        {"id": then.run_id})}
    assert set(DEPARTED) <= scored and CONNECTOR not in scored
    with pytest.raises(UnknownRound, match="--as-of"):
        analyse(test_settings, bundled, ["work"], as_of="March")
