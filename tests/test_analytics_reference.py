"""Analytics against published reference values and against networkx (the independent
reference implementation). Pure: no database.

Undirected reference graphs are passed as ``TieGraph(directed=False)`` (via
``from_networkx``), the documented convention of kb.analytics.graph.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from kb.analytics import brokerage as br
from kb.analytics import centrality as c
from kb.analytics import cores
from kb.analytics import groups
from kb.analytics import structural_holes as sh
from kb.analytics.graph import TieGraph, from_edges, from_networkx


@pytest.fixture(scope="module")
def florentine() -> TieGraph:
    return from_networkx(nx.florentine_families_graph())


@pytest.fixture(scope="module")
def karate() -> TieGraph:
    # weight=None: every tie counts 1 (the reference values are unweighted)
    return from_networkx(nx.karate_club_graph(), group_attr="club", weight=None)


def as_array(series: pd.Series, ref: dict, order) -> tuple[np.ndarray, np.ndarray]:
    return series.loc[list(order)].to_numpy(dtype=float), np.array([ref[v] for v in order], dtype=float)


# ------------------------------------------------------------ Florentine families
def test_florentine_medici(florentine):
    assert not florentine.directed and florentine.n == 15 and florentine.m == 20
    assert c.betweenness(florentine)["Medici"] == pytest.approx(47.5)
    assert c.betweenness(florentine, normalized=True)["Medici"] == pytest.approx(0.522, abs=5e-4)
    assert c.degree(florentine)["Medici"] == 6
    assert c.closeness(florentine)["Medici"] == pytest.approx(0.560, abs=5e-4)
    assert sh.constraint(florentine)["Medici"] == pytest.approx(0.210, abs=5e-4)
    assert sh.effective_size(florentine)["Medici"] == pytest.approx(5.667, abs=5e-4)


def test_florentine_betweenness_ranking(florentine):
    b = c.betweenness(florentine).sort_values(ascending=False)
    assert list(b.index[:5]) == ["Medici", "Guadagni", "Albizzi", "Salviati", "Ridolfi"]
    assert b["Guadagni"] == pytest.approx(23.17, abs=5e-3)
    assert b["Albizzi"] == pytest.approx(19.33, abs=5e-3)
    assert b["Salviati"] == pytest.approx(13.0)
    assert b["Ridolfi"] == pytest.approx(10.33, abs=5e-3)
    assert b["Pazzi"] == 0  # a pendant family brokers nothing


def test_isolate_conventions(florentine):
    """Add Pucci (isolated in Padgett's data, absent from networkx's version)."""
    g = TieGraph(florentine.nodes + ["Pucci"], {}, florentine.edges, directed=False)
    assert c.betweenness(g)["Pucci"] == 0 and c.closeness(g)["Pucci"] == 0
    assert c.harmonic(g)["Pucci"] == 0 and c.information_centrality(g)["Pucci"] == 0
    assert math.isnan(sh.constraint(g)["Pucci"]) and math.isnan(sh.effective_size(g)["Pucci"])
    # raw betweenness is unchanged; Wasserman-Faust closeness scales by (r-1)/(n-1) = 14/15
    assert c.betweenness(g)["Medici"] == pytest.approx(47.5)
    assert c.closeness(g)["Medici"] == pytest.approx(c.closeness(florentine)["Medici"] * 14 / 15)


# ------------------------------------------------------------ Zachary karate club
def test_karate_betweenness(karate):
    b = c.betweenness(karate, normalized=True)
    assert b[0] == pytest.approx(0.4376, abs=5e-5)
    assert b[33] == pytest.approx(0.3041, abs=5e-5)


def test_karate_cores(karate):
    core = cores.core_number(karate)
    assert core.max() == 4
    assert (core == 4).sum() == 10
    cp = cores.core_periphery(karate)
    assert cp["in_main_core"].sum() == 10 and cp["in_main_component"].all()


def test_karate_ei_by_club(karate):
    ei = groups.ei_index(karate)
    assert (ei["external"], ei["internal"]) == (11, 67)
    assert ei["ei"] == pytest.approx(-0.718, abs=5e-4)


def test_karate_constraint(karate):
    assert sh.constraint(karate)[0] == pytest.approx(0.1554, abs=5e-5)


# ------------------------------------------------------------ Gould-Fernandez toy
TOY_ARCS = [(1, 2), (1, 3), (2, 3), (2, 4), (3, 4), (4, 1)]
TOY_GROUPS = {1: "g1", 2: "g1", 3: "g2", 4: "g2"}
TOY_TABLE = pd.DataFrame(  # sna.md, raw counts
    {"w_I": [0, 0, 0, 0], "w_O": [1, 0, 0, 1], "b_IO": [0, 1, 0, 1], "b_OI": [1, 0, 1, 0],
     "b_O": [0, 0, 0, 0]}, index=[1, 2, 3, 4], dtype=float)


def test_gould_fernandez_toy_raw_counts():
    g = from_edges(TOY_ARCS, groups=TOY_GROUPS)
    got = br.brokerage_counts(g)
    pd.testing.assert_frame_equal(got[list(br.ROLES)], TOY_TABLE, check_names=False)
    assert got["t"].tolist() == [2, 1, 1, 2]


def test_gould_fernandez_toy_moments():
    """Hand-derived from the R sna formulas: N = 4, m = 6, d = 1/2, p = d^2(1-d) = 1/8,
    covariance term d^3(1-d)^3 = 1/64; both groups have n_i = 2."""
    g = from_edges(TOY_ARCS, groups=TOY_GROUPS)
    res = br.brokerage(g)
    row = res.loc[1]
    assert row["exp_w_I"] == 0 and row["sd_w_I"] == 0 and math.isnan(row["z_w_I"])
    assert row["exp_w_O"] == pytest.approx(0.25)            # p * 2 * 1
    assert row["sd_w_O"] == pytest.approx(math.sqrt(0.25 * 7 / 8))
    assert row["exp_b_IO"] == pytest.approx(0.25)           # p * (4-2) * (2-1)
    assert row["sd_b_IO"] == pytest.approx(0.5)             # 0.25*7/8 + 2*1*C(2,2)/64
    assert row["exp_t"] == pytest.approx(0.75)              # p * 3 * 2
    assert row["sd_t"] == pytest.approx(math.sqrt(0.75 * 7 / 8 + 2 * 3 * 2 * 1 / 64))
    assert res.loc[1, "z_w_O"] == pytest.approx((1 - 0.25) / math.sqrt(0.21875))
    assert res.loc[2, "z_b_IO"] == pytest.approx(1.5)
    assert res.loc[1, "z_b_IO"] == pytest.approx(-0.5)
    assert res.loc[3, "z_b_OI"] == pytest.approx(1.5)
    assert res.loc[2, "z_boundary"] == pytest.approx((1 - 0.5) / math.sqrt(0.5))


@pytest.mark.parametrize("sizes", [(4,), (2, 2), (3, 1), (2, 1, 1), (1, 1, 1, 1)])
def test_brokerage_moments_are_exact_under_bernoulli_graph(sizes):
    """R sna's E and Var equal the exact moments of the counts when each of the 12 arcs
    of a 4-actor digraph is present independently with probability d = 1/2: enumerate
    all 4096 digraphs."""
    labels = [f"g{i}" for i, s in enumerate(sizes) for _ in range(s)]
    groups_ = dict(zip(range(4), labels))
    codes = [int(label[1:]) for label in labels]
    pairs = [(a, b) for a in range(4) for b in range(4) if a != b]
    counts = []
    for mask in range(1 << 12):
        arcs = {pairs[i] for i in range(12) if mask >> i & 1}
        raw = count_roles(4, arcs, codes)
        counts.append(np.column_stack([raw, raw.sum(axis=1)]))
    counts = np.array(counts)  # graphs x brokers x (5 roles + total)
    mean, var = counts.mean(axis=0), counts.var(axis=0)  # uniform = Bernoulli(1/2)
    six = TieGraph(list(range(4)), groups_, [(a, b, 1.0) for a, b in pairs[:6]])  # d = 6/12
    res = br.brokerage(six)
    for j, role in enumerate((*br.ROLES, "t")):
        np.testing.assert_allclose(res[f"exp_{role}"].to_numpy(), mean[:, j], atol=1e-12)
        np.testing.assert_allclose(res[f"sd_{role}"].to_numpy() ** 2, var[:, j], atol=1e-12)


def brute_force_brokerage(graph: TieGraph) -> np.ndarray:
    """Literal definition: enumerate every a -> v -> b."""
    arcs = set(zip(graph.arcs().src.tolist(), graph.arcs().dst.tolist()))
    return count_roles(graph.n, arcs, graph.group_codes[0])


def count_roles(n: int, arcs: set, codes) -> np.ndarray:
    ins: dict[int, list[int]] = {v: [] for v in range(n)}
    outs: dict[int, list[int]] = {v: [] for v in range(n)}
    for a, b in arcs:
        outs[a].append(b)
        ins[b].append(a)
    out = np.zeros((n, 5))
    for v in range(n):
        for a in ins[v]:
            for b in outs[v]:
                if a == b or (a, b) in arcs:
                    continue
                ga, gv, gb = codes[a], codes[v], codes[b]
                role = (0 if ga == gv == gb else 1 if ga == gb else 2 if ga == gv else 3 if gv == gb else 4)
                out[v, role] += 1
    return out


@pytest.mark.parametrize("seed", range(4))
def test_brokerage_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    digraph = nx.gnm_random_graph(70, 450, seed=seed, directed=True)
    groups_ = {v: f"g{rng.integers(0, 4)}" for v in digraph}
    g = from_networkx(digraph)
    g = TieGraph(g.nodes, groups_, g.edges, directed=True)
    assert np.array_equal(br.brokerage_counts(g)[list(br.ROLES)].to_numpy(), brute_force_brokerage(g))
    und = nx.gnm_random_graph(50, 180, seed=seed)
    u = from_networkx(und)
    u = TieGraph(u.nodes, {v: f"g{v % 3}" for v in und}, u.edges, directed=False)
    assert np.array_equal(br.brokerage_counts(u)[list(br.ROLES)].to_numpy(), brute_force_brokerage(u))


# ------------------------------------------------------------ networkx comparisons
SEEDS = range(3)


def random_undirected(seed: int, n: int = 90, m: int = 110) -> nx.Graph:
    """Sparse enough to be disconnected (tests the per-component conventions)."""
    return nx.gnm_random_graph(n, m, seed=seed)


def random_directed(seed: int, n: int = 70, m: int = 220) -> nx.DiGraph:
    return nx.gnm_random_graph(n, m, seed=seed, directed=True)


@pytest.mark.parametrize("seed", SEEDS)
def test_betweenness_matches_networkx(seed):
    for graph, directed in ((random_undirected(seed), False), (random_directed(seed), True)):
        g = from_networkx(graph)
        for normalized in (False, True):
            ref = nx.betweenness_centrality(graph, normalized=normalized)
            got, want = as_array(c.betweenness(g, directed=directed, normalized=normalized), ref, graph)
            np.testing.assert_allclose(got, want, atol=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_closeness_and_harmonic_match_networkx(seed):
    for graph, directed in ((random_undirected(seed), False), (random_directed(seed), True)):
        assert not nx.is_connected(graph.to_undirected()) or directed
        g = from_networkx(graph)
        got, want = as_array(c.closeness(g, directed=directed), nx.closeness_centrality(graph), graph)
        np.testing.assert_allclose(got, want, atol=1e-12)
        got, want = as_array(c.harmonic(g, directed=directed), nx.harmonic_centrality(graph), graph)
        np.testing.assert_allclose(got, want, atol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_information_centrality_matches_networkx_per_component(seed):
    graph = random_undirected(seed)
    got = c.information_centrality(from_networkx(graph))
    for comp in nx.connected_components(graph):
        if len(comp) < 2:
            assert all(got[v] == 0 for v in comp)
            continue
        ref = nx.information_centrality(graph.subgraph(comp))
        a, b = as_array(got, ref, sorted(comp))
        np.testing.assert_allclose(a, b, rtol=1e-9)


@pytest.mark.parametrize("graph", [nx.gnm_random_graph(500, 700, seed=4),  # sparse: the sparse LU factor
                                   nx.gnp_random_graph(150, 0.4, seed=4),   # dense: the dense Cholesky
                                   nx.connected_watts_strogatz_graph(200, 6, 0.2, seed=4)])
def test_information_centrality_of_components_above_64_actors_matches_networkx(graph):
    """Components of 65 to exact_max_nodes actors: exact from a sparse LU factor of the grounded
    Laplacian when it stays sparse, else from the dense Cholesky; both equal networkx."""
    got = c.information_centrality(from_networkx(graph))
    comp = max(nx.connected_components(graph), key=len)
    assert len(comp) > 64
    a, b = as_array(got, nx.information_centrality(graph.subgraph(comp)), sorted(comp))
    np.testing.assert_allclose(a, b, rtol=1e-9)


def test_information_centrality_weighted_matches_networkx():
    graph = nx.connected_watts_strogatz_graph(40, 4, 0.3, seed=3)
    rng = np.random.default_rng(3)
    for u, v in graph.edges:
        graph[u][v]["weight"] = float(rng.integers(1, 5))
    got = c.information_centrality(from_networkx(graph, weight="weight"), weighted=True)
    a, b = as_array(got, nx.information_centrality(graph, weight="weight"), graph)
    np.testing.assert_allclose(a, b, rtol=1e-9)


def test_information_wf_scaling():
    graph = random_undirected(0)
    g = from_networkx(graph)
    raw = c.information_centrality(g)
    wf = c.information_centrality(g, wf_improved=True)
    comp = max(nx.connected_components(graph), key=len)
    v = next(iter(comp))
    assert wf[v] == pytest.approx(raw[v] * (len(comp) - 1) ** 2 / (g.n - 1))


@pytest.mark.parametrize("seed", SEEDS)
def test_structural_holes_match_networkx(seed):
    und = random_undirected(seed, m=160)
    g = from_networkx(und)
    for ours, ref in ((sh.constraint, nx.constraint), (sh.effective_size, nx.effective_size)):
        got, want = as_array(ours(g), ref(und), und)
        np.testing.assert_allclose(got, want, atol=1e-12, equal_nan=True)
    # Directed and weighted graphs use Burt's general formula. Compare with networkx's
    # per-node code path (nodes=...): in networkx 3.6 the all-nodes sparse path of
    # effective_size divides by the column maxima instead of the row maxima.
    di = random_directed(seed)
    d = from_networkx(di)
    got, want = as_array(sh.constraint(d), nx.constraint(di), di)
    np.testing.assert_allclose(got, want, atol=1e-12, equal_nan=True)
    got, want = as_array(sh.effective_size(d), nx.effective_size(di, nodes=list(di)), di)
    # networkx's per-node path also returns NaN for actors with in-arcs but no out-arcs
    # (it tests G[v], the successors; networkx issue #2661). Ours is defined there.
    no_out = np.array([di.out_degree(v) == 0 and di.in_degree(v) > 0 for v in di])
    assert np.isfinite(got[no_out]).all()
    np.testing.assert_allclose(got[~no_out], want[~no_out], atol=1e-12, equal_nan=True)
    rng = np.random.default_rng(seed)
    for u, v in und.edges:
        und[u][v]["weight"] = float(rng.integers(1, 6))
    w = from_networkx(und, weight="weight")
    got, want = as_array(sh.constraint(w, weighted=True), nx.constraint(und, weight="weight"), und)
    np.testing.assert_allclose(got, want, atol=1e-12, equal_nan=True)
    got, want = as_array(sh.effective_size(w, weighted=True),
                         nx.effective_size(und, nodes=list(und), weight="weight"), und)
    np.testing.assert_allclose(got, want, atol=1e-12, equal_nan=True)


@pytest.mark.parametrize("seed", SEEDS)
def test_core_numbers_match_networkx(seed):
    graph = nx.gnm_random_graph(120, 400, seed=seed)
    got, want = as_array(cores.core_number(from_networkx(graph)), nx.core_number(graph), graph)
    np.testing.assert_array_equal(got, want)
    # a directed graph's core numbers are those of its undirected version
    di = random_directed(seed)
    got, want = as_array(cores.core_number(from_networkx(di)), nx.core_number(di.to_undirected()), di)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("seed", SEEDS)
def test_eigenvector_matches_networkx(seed):
    graph = nx.barabasi_albert_graph(80, 2, seed=seed)
    ref = nx.eigenvector_centrality(graph, max_iter=2000, tol=1e-12)
    got, want = as_array(c.eigenvector(from_networkx(graph)), ref, graph)
    np.testing.assert_allclose(got, want, atol=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_degrees_and_two_step_reach_match_networkx(seed):
    di = random_directed(seed)
    g = from_networkx(di)
    got, want = as_array(c.in_degree(g), dict(di.in_degree()), di)
    np.testing.assert_array_equal(got, want)
    got, want = as_array(c.out_degree(g), dict(di.out_degree()), di)
    np.testing.assert_array_equal(got, want)
    und = di.to_undirected()
    got, want = as_array(c.degree(g), dict(und.degree()), di)
    np.testing.assert_array_equal(got, want)
    reach = {v: (len(nx.single_source_shortest_path_length(und, v, cutoff=2)) - 1) / (len(und) - 1)
             for v in und}
    got, want = as_array(c.two_step_reach(g), reach, di)
    np.testing.assert_allclose(got, want)
    reach_out = {v: (len(nx.single_source_shortest_path_length(di, v, cutoff=2)) - 1) / (len(di) - 1)
                 for v in di}
    got, want = as_array(c.two_step_reach(g, directed=True), reach_out, di)
    np.testing.assert_allclose(got, want)


def test_undirected_flag_equals_both_arcs():
    """A directed=False TieGraph and a directed one with both arcs give the same measures."""
    graph = random_undirected(1, m=150)
    und = from_networkx(graph)
    both = TieGraph(und.nodes, {}, [(a, b, 1.0) for a, b, _ in und.edges] + [(b, a, 1.0) for a, b, _ in und.edges],
                    directed=True)
    for fn in (c.betweenness, c.closeness, c.harmonic, c.information_centrality, c.degree, c.in_degree,
               sh.constraint, sh.effective_size, cores.core_number):
        pd.testing.assert_series_equal(fn(und), fn(both), check_names=False)
    pd.testing.assert_frame_equal(br.brokerage_counts(und), br.brokerage_counts(both))
