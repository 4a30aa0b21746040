"""Roles, fragility, block density, E-I and the TieGraph input on small hand-made graphs.

Every expected value below is worked out by hand in the comments.
"""

from __future__ import annotations

import json
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from kb.analytics import RoleThresholds, analyse, analyse_networks, assign_roles
from kb.analytics import centrality as c
from kb.analytics.fragility import remove_brokers, top_brokers
from kb.analytics.graph import UNGROUPED, TieGraph, from_edges, from_networkx
from kb.analytics.groups import block_density, block_matrix, ei_by_group, ei_by_node, ei_index
from kb.analytics.roles import betweenness_residual, cut_vertices

NO_GATE_RULES = dict(gatekeeper_cut_vertex=False, gatekeeper_brokerage_z=math.inf,
                     gatekeeper_betweenness_residual=math.inf)


# ------------------------------------------------------------------ TieGraph
def test_tiegraph_merges_duplicates_and_drops_self_loops():
    g = from_edges([("a", "b", 1.0), ("a", "b", 2.0), ("b", "b", 5.0), ("b", "a", 1.0)])
    assert g.m == 2  # a->b, b->a
    assert sorted(zip(g.arcs().src.tolist(), g.arcs().dst.tolist(), g.arcs().weight.tolist())) == \
        [(0, 1, 3.0), (1, 0, 1.0)]
    assert g.ties().weight.tolist() == [4.0]  # undirected view sums both directions
    u = from_edges([("a", "b"), ("b", "a")], directed=False)
    assert u.m == 1 and len(u.arcs().src) == 2


def test_tiegraph_rejects_unknown_actors_and_duplicates():
    with pytest.raises(ValueError, match="not in nodes"):
        TieGraph(nodes=["a"], edges=[("a", "zz", 1.0)]).arcs()
    with pytest.raises(ValueError, match="duplicate"):
        TieGraph(nodes=["a", "a"])


def test_ungrouped_actors_get_their_own_group():
    g = from_edges([("a", "b")], groups={"a": "x"})
    assert list(g.group_labels) == ["x", UNGROUPED]


def test_to_igraph_and_adjacency():
    g = from_edges([("a", "b", 2.0), ("b", "c", 1.0)], groups={"a": "x"})
    ig_d = g.to_igraph()
    assert ig_d.is_directed() and ig_d.vs["name"] == ["a", "b", "c"] and ig_d.es["weight"] == [2.0, 1.0]
    assert not g.to_igraph(directed=False).is_directed()
    assert g.adjacency(weighted=True).toarray().tolist() == [[0, 2, 0], [0, 0, 1], [0, 0, 0]]
    assert (g.adjacency(directed=False).toarray() == g.adjacency(directed=False).toarray().T).all()


# --------------------------------------------------------- groups: E-I, blocks
@pytest.fixture
def layered() -> TieGraph:
    """Groups A = {a1, a2, a3}, B = {b1, b2}, C = {c1} (isolated); 7 arcs."""
    return from_edges(
        [("a1", "a2"), ("a2", "a1"), ("a1", "a3"), ("a1", "b1"), ("a2", "b1"), ("b1", "b2"), ("b2", "a3")],
        groups={"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C"})


def test_ei_index_hand(layered):
    # internal: a1>a2, a2>a1, a1>a3, b1>b2 = 4; external: a1>b1, a2>b1, b2>a3 = 3
    assert ei_index(layered) == {"external": 3, "internal": 4, "ei": pytest.approx(-1 / 7)}
    by_group = ei_by_group(layered)
    assert by_group.loc["A", ["n", "external", "internal"]].tolist() == [3, 3, 3]
    assert by_group.loc["A", "ei"] == 0
    assert by_group.loc["B", "ei"] == pytest.approx(0.5)      # (3 - 1) / 4
    assert math.isnan(by_group.loc["C", "ei"])
    node = ei_by_node(layered)
    assert node["a1"] == pytest.approx(-0.5)   # 4 arcs at a1, 1 external
    assert node["a3"] == 0                     # a1>a3 internal, b2>a3 external
    assert node["b1"] == pytest.approx(1 / 3)  # 2 external, 1 internal
    assert math.isnan(node["c1"])


def test_block_density_hand(layered):
    table = block_density(layered).set_index(["from_group", "to_group"])
    # overall density 7 / (6 * 5) = 0.2333; thin cut-off 0.25 * 0.2333 = 0.0583
    aa = table.loc[("A", "A")]
    assert (aa["ties"], aa["possible"], aa["density"]) == (3, 6, 0.5)
    assert (aa["senders"], aa["receivers"], aa["actors"]) == (2, 3, 3)
    ab = table.loc[("A", "B")]
    assert (ab["ties"], ab["possible"]) == (2, 6) and ab["density"] == pytest.approx(1 / 3)
    assert (ab["senders"], ab["receivers"], ab["actors"]) == (2, 1, 3)
    ba = table.loc[("B", "A")]
    assert ba["density"] == pytest.approx(1 / 6) and (ba["senders"], ba["receivers"], ba["actors"]) == (1, 1, 2)
    bb = table.loc[("B", "B")]
    assert (bb["ties"], bb["possible"], bb["density"]) == (1, 2, 0.5)
    cc = table.loc[("C", "C")]
    assert cc["possible"] == 0 and math.isnan(cc["density"]) and not cc["thin"]
    ac = table.loc[("A", "C")]
    assert ac["possible"] == 3 and ac["density"] == 0 and ac["thin"] and ac["empty"] and not ac["fragile"]
    assert not table.loc[[("A", "A"), ("A", "B"), ("B", "A"), ("B", "B")], "thin"].any()
    # fragile, min(senders, receivers) <= 2: every non-empty cell here
    assert table.loc[[("A", "A"), ("A", "B"), ("B", "A"), ("B", "B")], "fragile"].all()


def test_block_density_flags_thresholds(layered):
    # thin_fraction 0.75: cut-off 0.175 -> B>A (0.1667) is thin, A>B (0.333) is not
    t = block_density(layered, thin_fraction=0.75).set_index(["from_group", "to_group"])
    assert t.loc[("B", "A"), "thin"] and not t.loc[("A", "B"), "thin"]
    # k = 1: A>A has min(2, 3) = 2 carriers -> not fragile; A>B min(2, 1) = 1 -> fragile
    t = block_density(layered, fragile_max_actors=1).set_index(["from_group", "to_group"])
    assert not t.loc[("A", "A"), "fragile"] and t.loc[("A", "B"), "fragile"]
    # union basis, k = 2: A>B has 3 actors -> not fragile; B>A has 2 -> fragile
    t = block_density(layered, fragile_basis="union").set_index(["from_group", "to_group"])
    assert not t.loc[("A", "B"), "fragile"] and t.loc[("B", "A"), "fragile"]
    matrix = block_matrix(layered, "ties")
    assert matrix.loc["A", "B"] == 2 and matrix.loc["B", "A"] == 1


def test_block_density_undirected_counts_both_directions():
    g = from_edges([("a", "b"), ("a", "c")], groups={"a": "x", "b": "x", "c": "y"}, directed=False)
    t = block_density(g).set_index(["from_group", "to_group"])
    assert t.loc[("x", "x"), "density"] == 1.0  # a-b both ways over 2 * 1
    assert t.loc[("x", "y"), "ties"] == t.loc[("y", "x"), "ties"] == 1


# ------------------------------------------------------------------ cut vertices
@pytest.fixture
def two_triangles() -> TieGraph:
    """Triangles {a, b, c} and {d, e, f} joined by x: c - x - d."""
    return from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "f"), ("f", "d"),
                       ("c", "x"), ("x", "d")], directed=False)


def test_cut_vertices_hand(two_triangles):
    # removing c leaves {a, b} and {x, d, e, f}: 7 - 1 - 4 = 2 cut off; x: 7 - 1 - 3 = 3
    assert cut_vertices(two_triangles).to_dict() == {"a": 0, "b": 0, "c": 2, "d": 2, "e": 0, "f": 0, "x": 3}


@pytest.mark.parametrize("seed", range(3))
def test_cut_vertices_match_networkx(seed):
    graph = nx.gnm_random_graph(150, 170, seed=seed)
    got = cut_vertices(from_networkx(graph))
    assert set(got[got > 0].index) == set(nx.articulation_points(graph))
    for v in list(nx.articulation_points(graph))[:10]:
        comp = nx.node_connected_component(graph, v)
        rest = graph.subgraph(comp - {v})
        pieces = [len(p) for p in nx.connected_components(rest)]
        assert got[v] == len(comp) - 1 - max(pieces)


# ------------------------------------------------------------------ roles
def test_hub_rule_hand():
    # 9 actors; in-degrees: H 5, F 1, G 1, I 1, A-E 0 -> sorted [0,0,0,0,0,1,1,1,5];
    # 0.9 quantile (linear): position 0.9 * 8 = 7.2 -> 1 + 0.2 * (5 - 1) = 1.8
    g = from_edges([(x, "H") for x in "ABCDE"] + [("F", "G"), ("G", "I"), ("I", "F")])
    roles = assign_roles(g, thresholds=RoleThresholds(**NO_GATE_RULES))
    assert roles.cutoffs["in_degree"] == pytest.approx(1.8)
    assert roles.table["hub"].sum() == 1 and roles.table.loc["H", "hub"]
    assert roles.table.loc["H", "hub_reason"] == "in-degree 5: top 10% (cut-off 1.8) and >= 3 nominations"
    assert roles.table.loc["F", "hub_reason"] == ""
    stricter = assign_roles(g, thresholds=RoleThresholds(hub_min_nominations=6, **NO_GATE_RULES))
    assert not stricter.table["hub"].any()


def test_gatekeeper_cut_vertex_rule(two_triangles):
    # c, x and d each guard at least 2 actors (c: {a, b}; d: {e, f}; x: a triangle), so
    # they pass the default gatekeeper_min_cut_off of 2 (issue 16: one pendant is not enough)
    only_cut = RoleThresholds(gatekeeper_brokerage_z=math.inf, gatekeeper_betweenness_residual=math.inf)
    assert only_cut.gatekeeper_min_cut_off == 2
    roles = assign_roles(two_triangles, thresholds=only_cut)
    assert set(roles.table.index[roles.table["gatekeeper"]]) == {"c", "x", "d"}
    assert roles.table.loc["x", "gatekeeper_reason"] == \
        "cut vertex: removing it cuts 3 actors off the rest of its component"
    bigger = RoleThresholds(gatekeeper_min_cut_off=3, gatekeeper_brokerage_z=math.inf,
                            gatekeeper_betweenness_residual=math.inf)
    assert set(assign_roles(two_triangles, thresholds=bigger).table.query("gatekeeper").index) == {"x"}


def test_gatekeeper_cut_vertex_holding_one_pendant_is_not_one_by_default(two_triangles):
    # A gatekeeper is "the only bridge between an important part of the network and everyone
    # else" (Stephenson; sna.md): h, whose removal cuts off only its one pendant contact p,
    # does not control the flow to a part of the network. It counts with min_cut_off=1.
    g = from_edges([(a, b) for a, b, _ in two_triangles.edges] + [("x", "h"), ("h", "p")], directed=False)
    only_cut = dict(gatekeeper_brokerage_z=math.inf, gatekeeper_betweenness_residual=math.inf)
    table = assign_roles(g, thresholds=RoleThresholds(**only_cut)).table
    assert table.loc["h", "cut_off"] == 1 and not table.loc["h", "gatekeeper"]
    assert table.loc["x", "gatekeeper"]
    any_cut = assign_roles(g, thresholds=RoleThresholds(gatekeeper_min_cut_off=1, **only_cut)).table
    assert any_cut.loc["h", "gatekeeper"]
    assert any_cut.loc["h", "gatekeeper_reason"] == "cut vertex: removing it cuts 1 actor off the rest of its component"


def test_betweenness_residual_hand():
    # y = [0,1,2,3,10] on x = [1..5]: beta = 22/10 = 2.2, alpha = -3.4,
    # e = [1.2, 0, -1.2, -2.4, 2.4], s^2 = 14.4 / 3 = 4.8, h = [.6, .3, .2, .3, .6]
    r = betweenness_residual(pd.Series([0.0, 1, 2, 3, 10]), pd.Series([1.0, 2, 3, 4, 5]))
    s = math.sqrt(4.8)
    expected = [1.2 / (s * math.sqrt(0.4)), 0.0, -1.2 / (s * math.sqrt(0.8)),
                -2.4 / (s * math.sqrt(0.7)), 2.4 / (s * math.sqrt(0.4))]
    np.testing.assert_allclose(r.to_numpy(), expected, atol=1e-12)
    assert betweenness_residual(pd.Series([1.0, 2, 3]), pd.Series([2.0, 2, 2])).isna().all()


@pytest.fixture
def nominations() -> TieGraph:
    """H1 and H2 are nominated 4 times each; both nominate P; F <-> G. 10 actors.

    in-degrees: H1 4, H2 4, P 2, F 1, G 1, A-E 0 -> 0.9 quantile = 4 (position 8.1 of
    [0,0,0,0,0,1,1,2,4,4]).
    """
    arcs = [(x, "H1") for x in "ABCD"] + [(x, "H2") for x in "ABCE"] + \
           [("H1", "P"), ("H2", "P"), ("F", "G"), ("G", "F")]
    return from_edges(arcs)


def hand_measures(graph: TieGraph, **columns) -> pd.DataFrame:
    base = pd.DataFrame({"in_degree": c.in_degree(graph), "degree": c.degree(graph)})
    zeros = pd.Series(0.0, index=graph.index)
    for col in ("betweenness", "z_boundary", "closeness", "information_wf", "two_step_reach"):
        base[col] = columns.get(col, zeros)
    return base


def test_pulsetaker_nominated_by_hubs(nominations):
    roles = assign_roles(nominations, hand_measures(nominations), RoleThresholds(**NO_GATE_RULES))
    table = roles.table
    assert set(table.query("hub").index) == {"H1", "H2"}
    assert table.loc["P", "hub_nominations"] == 2
    assert set(table.query("pulsetaker").index) == {"P"}
    assert table.loc["P", "pulsetaker_reason"] == "nominated by 2 hubs (H1, H2)"
    need3 = assign_roles(nominations, hand_measures(nominations),
                         RoleThresholds(pulsetaker_min_hub_nominations=3, **NO_GATE_RULES))
    assert not need3.table["pulsetaker"].any()


def test_pulsetaker_top_decile_measure_and_not_hub(nominations):
    idx = nominations.index
    # closeness: F and H1 0.9, the other 8 actors 0.1; 0.9 quantile of
    # [0.1 x 8, 0.9, 0.9]: position 8.1 -> 0.9
    closeness = pd.Series(0.1, index=idx)
    closeness["F"], closeness["H1"] = 0.9, 0.9
    roles = assign_roles(nominations, hand_measures(nominations, closeness=closeness),
                         RoleThresholds(**NO_GATE_RULES))
    assert roles.cutoffs["closeness"] == pytest.approx(0.9)
    t = roles.table
    assert t.loc["F", "pulsetaker"]
    assert t.loc["F", "pulsetaker_reason"] == "closeness 0.9, top 10% (threshold 0.9)"
    assert t.loc["H1", "hub"] and not t.loc["H1", "pulsetaker"]  # hubs are never pulsetakers
    assert t.loc["H1", "pulsetaker_reason"] == ""
    assert set(t.query("pulsetaker").index) == {"F", "P"}  # P: nominated by both hubs
    # top 20% instead: 0.8 quantile = position 7.2 -> 0.1 + 0.2 * 0.8 = 0.26 -> same set
    wider = assign_roles(nominations, hand_measures(nominations, closeness=closeness),
                         RoleThresholds(pulsetaker_quantile=0.8, **NO_GATE_RULES))
    assert wider.cutoffs["closeness"] == pytest.approx(0.26)


def test_gatekeeper_brokerage_and_residual_rules(nominations):
    z = pd.Series(0.0, index=nominations.index)
    z["F"], z["G"] = 1.96, 1.95
    betweenness = pd.Series(0.0, index=nominations.index)
    betweenness["A"] = 50.0  # far more than its degree predicts
    thresholds = RoleThresholds(gatekeeper_cut_vertex=False)
    t = assign_roles(nominations, hand_measures(nominations, z_boundary=z, betweenness=betweenness),
                     thresholds).table
    assert t.loc["F", "gatekeeper"] and not t.loc["G", "gatekeeper"]
    assert t.loc["F", "gatekeeper_reason"] == "gatekeeper+representative brokerage z 1.96 >= 1.96"
    assert t.loc["A", "gatekeeper"] and t.loc["A", "betweenness_residual"] >= 2
    assert t.loc["A", "gatekeeper_reason"].startswith("betweenness 50 is ")
    assert set(t.query("gatekeeper").index) == {"F", "A"}


def test_assign_roles_computes_measures_when_not_given(two_triangles):
    roles = assign_roles(two_triangles)
    assert set(roles.cutoffs) == {"in_degree", "closeness", "information_wf", "two_step_reach"}
    assert roles.table.loc["x", "gatekeeper"]
    assert roles.thresholds == RoleThresholds()


# ------------------------------------------------------------------ fragility
@pytest.fixture
def layers() -> TieGraph:
    """Council triangle c1 c2 c3; a 6-cycle c1 s1 s2 v2 v1 c2; groups council/schools/voluntary.

    Betweenness by hand: the 6-cycle gives every cycle actor 2; c3's paths add
    c1: +1 (c3-s1) +1 (c3-s2), s1: +1, and symmetrically c2 and v1 -> c1 = c2 = 4,
    s1 = v1 = 3, s2 = v2 = 2, c3 = 0.
    """
    return from_edges([("c1", "c2"), ("c2", "c3"), ("c1", "c3"), ("c1", "s1"), ("s1", "s2"),
                       ("c2", "v1"), ("v1", "v2"), ("s2", "v2")],
                      groups={"c1": "council", "c2": "council", "c3": "council", "s1": "schools",
                              "s2": "schools", "v1": "voluntary", "v2": "voluntary"}, directed=False)


def test_layers_betweenness_hand(layers):
    assert c.betweenness(layers).to_dict() == {"c1": 4, "c2": 4, "c3": 0, "s1": 3, "s2": 2,
                                                "v1": 3, "v2": 2}
    assert top_brokers(c.betweenness(layers), 1) == ["c1"]  # tie with c2: earlier actor


def test_fragility_remove_one(layers):
    r = remove_brokers(layers, brokers=["c2"])
    # inter-group ties: c1-s1, c2-v1, s2-v2 -> after: c1-s1, s2-v2
    assert (r.inter_group_ties_before, r.inter_group_ties_after) == (3, 2)
    assert (r.group_pairs_tied_before, r.group_pairs_tied_after) == (3, 2)
    assert r.disconnected_pairs == [("council", "voluntary")]
    assert (r.main_component_before, r.main_component_after) == (7, 6)
    assert r.unreachable_pairs == [] and r.group_pairs_reachable_after == 3


def test_fragility_top_two_brokers(layers):
    r = remove_brokers(layers, k=2)
    assert r.removed == ["c1", "c2"]
    # left: c3 alone; s1 - s2 - v2 - v1
    assert (r.inter_group_ties_after, r.group_pairs_tied_after) == (1, 1)
    assert r.disconnected_pairs == [("council", "schools"), ("council", "voluntary")]
    assert r.unreachable_pairs == [("council", "schools"), ("council", "voluntary")]
    assert r.main_component_after == 4


def test_fragility_split_layers(layers):
    r = remove_brokers(layers, brokers=["c2", "s2"])
    assert r.inter_group_ties_after == 1                 # c1-s1
    assert r.main_component_after == 3                   # c1 c3 s1 | v1 v2
    assert r.unreachable_pairs == [("council", "voluntary"), ("schools", "voluntary")]
    with pytest.raises(ValueError):
        remove_brokers(layers, brokers=["nobody"])


# ------------------------------------------------------------------ analyse()
def test_analyse_small_network(layers):
    res = analyse(layers)
    nodes = res.nodes
    assert list(nodes.index) == layers.nodes
    for col in ("group", "in_degree", "degree", "betweenness", "betweenness_normalized", "closeness",
                "harmonic", "two_step_reach", "information", "information_wf", "eigenvector",
                "constraint", "effective_size", "coreness", "in_main_core", "in_main_component",
                "ei", "w_I", "b_OI", "z_boundary", "hub", "gatekeeper", "pulsetaker", "hub_reason",
                "gatekeeper_reason", "pulsetaker_reason", "betweenness_stderr"):
        assert col in nodes.columns, col
    assert nodes.loc["c1", "betweenness"] == 4
    assert nodes.loc["c1", "betweenness_normalized"] == pytest.approx(4 * 2 / (6 * 5))
    assert res.parameters["methods"] == {"betweenness": "exact", "closeness": "exact",
                                         "harmonic": "exact", "information": "exact"}
    assert res.parameters["thresholds"] == RoleThresholds().to_dict()
    assert res.network["ties"] == 8 and res.network["ei_external"] == 3
    assert res.fragility.removed == ["c1", "c2", "s1", "v1", "s2"]
    pd.testing.assert_frame_equal(res.roles.table, assign_roles(layers, nodes).table)
    json.dumps(res.to_dict())  # JSON-ready


def test_analyse_uses_sampling_above_threshold():
    graph = nx.barabasi_albert_graph(400, 2, seed=4)
    g = from_networkx(graph)
    g = TieGraph(g.nodes, {v: f"layer{v % 3}" for v in graph}, g.edges, directed=False)
    res = analyse(g, betweenness_exact_max_nodes=100, pivots=80, probes=16, seed=1)
    assert res.parameters["methods"] == {"betweenness": "sampled", "closeness": "sampled",
                                         "harmonic": "sampled", "information": "sampled"}
    assert res.parameters["sampled_component_sizes"] == [400]
    assert (res.nodes["betweenness_stderr"] > 0).any()
    again = analyse(g, betweenness_exact_max_nodes=100, pivots=80, probes=16, seed=1)
    pd.testing.assert_frame_equal(res.nodes, again.nodes)  # seeded: reproducible


def test_analyse_networks_per_type(layers, nominations):
    out = analyse_networks({"work": layers, "innovation": nominations})
    assert set(out) == {"work", "innovation"}
    assert out["innovation"].nodes["hub"].sum() == 2


def test_analyse_degenerate_graphs():
    with pytest.raises(ValueError):
        analyse(TieGraph(nodes=[]))
    lone = analyse(TieGraph(nodes=["a", "b", "c"]))  # no ties at all
    assert lone.network["ties"] == 0 and not lone.nodes[["hub", "gatekeeper", "pulsetaker"]].any().any()
    assert lone.nodes["closeness"].eq(0).all() and lone.nodes["constraint"].isna().all()
    json.dumps(lone.to_dict())
