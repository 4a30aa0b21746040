"""The analysis pipeline: every measure of one network, the roles, the layer tables and
fragility, as one :class:`Analysis` (what `kb analyse` computes per network type)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import pandas as pd

from kb.analytics import brokerage as _brokerage
from kb.analytics import centrality as _centrality
from kb.analytics import cores as _cores
from kb.analytics import groups as _groups
from kb.analytics import structural_holes as _holes
from kb.analytics.fragility import DEFAULT_TOP_K, FragilityReport, remove_brokers
from kb.analytics.graph import TieGraph, weak_components
from kb.analytics.roles import RoleAssignment, RoleThresholds, assign_roles



@dataclass
class Analysis:
    """Everything :func:`analyse` computed for one network.

    nodes : DataFrame, one row per actor (index = actor id); columns listed in
        docs/analytics.md ("Per-actor table").
    network : whole-network results (size, density, components, cores, E-I, role counts).
    groups : per-group E-I table (``n, external, internal, ei``).
    blocks : block-density table (see :func:`kb.analytics.groups.block_density`).
    brokerage_expected : Gould-Fernandez expected counts and sds per group.
    roles : the :class:`RoleAssignment` (table, quantile cut-offs used, thresholds).
    fragility : :class:`FragilityReport` for the top brokers.
    parameters : every parameter used, and whether each measure was exact or sampled.
    timings : seconds spent per step.
    """

    nodes: pd.DataFrame
    network: dict
    groups: pd.DataFrame
    blocks: pd.DataFrame
    brokerage_expected: pd.DataFrame
    roles: RoleAssignment
    fragility: FragilityReport
    parameters: dict
    timings: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Plain-Python (JSON-ready) version."""
        def records(df: pd.DataFrame, index: str) -> list[dict]:
            out = df.reset_index(names=index) if index else df
            return out.astype(object).where(out.notna(), None).to_dict(orient="records")

        return {
            "nodes": records(self.nodes, "actor"),
            "network": self.network,
            "groups": records(self.groups, "group"),
            "blocks": records(self.blocks, ""),
            "brokerage_expected": records(self.brokerage_expected, "group"),
            "role_cutoffs": self.roles.cutoffs,
            "fragility": self.fragility.to_dict(),
            "parameters": self.parameters,
            "timings": self.timings,
        }


def analyse(graph: TieGraph, thresholds: RoleThresholds = RoleThresholds(),
            betweenness_exact_max_nodes: int = _centrality.DEFAULT_EXACT_MAX_NODES,
            seed: int = 0, pivots: int = _centrality.DEFAULT_PIVOTS,
            probes: int = _centrality.DEFAULT_PROBES, directed_paths: bool = False,
            thin_fraction: float = _groups.DEFAULT_THIN_FRACTION,
            fragile_max_actors: int = _groups.DEFAULT_FRAGILE_MAX_ACTORS,
            fragile_basis: str = "min_side", fragility_k: int = DEFAULT_TOP_K,
            workers: int = _centrality.DEFAULT_WORKERS) -> Analysis:
    """Compute every measure, the roles and the group results for one network type.

    Parameters
    ----------
    graph : TieGraph of one network type (arc a -> b: a nominated b).
    thresholds : role rules (:class:`RoleThresholds`).
    betweenness_exact_max_nodes : components up to this size get exact betweenness,
        closeness, harmonic and information centrality; larger ones are estimated
        (``pivots`` sources, ``probes`` random vectors).
    seed : random seed of every estimate (results are reproducible).
    directed_paths : path measures along arc direction (default: ties undirected,
        information can flow both ways along a nomination).
    thin_fraction, fragile_max_actors, fragile_basis : block-density flags.
    fragility_k : brokers removed in the fragility report.
    workers : processes sharing the pivots of the sampled path measures (the results do
        not depend on it).

    Example:

    >>> from kb.analytics.graph import from_edges
    >>> g = from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e")],
    ...                groups={"a": "x", "b": "x", "c": "x", "d": "y", "e": "y"})
    >>> result = analyse(g)
    >>> float(result.nodes.loc["c", "degree"]), bool(result.nodes.loc["c", "gatekeeper"])
    (3.0, True)
    >>> result.nodes.loc["c", "gatekeeper_reason"]
    'cut vertex: removing it cuts 2 actors off the rest of its component'
    >>> bool(result.nodes.loc["d", "gatekeeper"])  # d holds one pendant contact only
    False
    """
    if graph.n == 0:
        raise ValueError("analyse() needs at least one actor")
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    est = {"exact_max_nodes": betweenness_exact_max_nodes, "seed": seed}
    nodes = pd.DataFrame(index=graph.index)
    nodes["group"] = graph.group_labels
    nodes["in_degree"] = _centrality.in_degree(graph)
    nodes["out_degree"] = _centrality.out_degree(graph)
    nodes["degree"] = _centrality.degree(graph)
    lap("degree")

    btw = _centrality.betweenness_estimate(graph, directed=directed_paths, pivots=pivots, workers=workers,
                                           **est)
    nodes["betweenness"] = btw.values
    nodes["betweenness_normalized"] = btw.values * _centrality.betweenness_scale(graph.n, directed_paths)
    nodes["betweenness_stderr"] = btw.stderr
    lap("betweenness")

    clo, har = _centrality.distance_measures(graph, directed_paths, betweenness_exact_max_nodes,
                                             pivots, seed, workers)
    nodes["closeness"], nodes["closeness_stderr"] = clo.values, clo.stderr
    nodes["harmonic"], nodes["harmonic_stderr"] = har.values, har.stderr
    nodes["two_step_reach"] = _centrality.two_step_reach(graph, directed=directed_paths)
    lap("closeness_harmonic_reach")

    info = _centrality.information_estimate(graph, probes=probes, **est)
    membership, sizes = weak_components(graph)
    comp_size = sizes[membership].astype(float) if graph.n else np.zeros(0)
    wf = (comp_size - 1) ** 2 / (graph.n - 1) if graph.n > 1 else np.zeros(graph.n)
    nodes["information"] = info.values
    nodes["information_wf"] = info.values * wf
    nodes["information_stderr"] = info.stderr
    lap("information")

    nodes["eigenvector"] = _centrality.eigenvector(graph)
    lap("eigenvector")

    nodes["constraint"] = _holes.constraint(graph)
    nodes["effective_size"] = _holes.effective_size(graph)
    lap("structural_holes")

    cp = _cores.core_periphery(graph)
    nodes["component"] = membership
    for col in cp.columns:
        nodes[col] = cp[col]
    nodes["ei"] = _groups.ei_by_node(graph)
    lap("cores_groups")

    br = _brokerage.brokerage(graph)
    for col in (*_brokerage.ROLES, "t"):
        nodes[col] = br[col]
    for col in (*_brokerage.ROLES, "t"):
        nodes[f"z_{col}"] = br[f"z_{col}"]
    nodes["z_boundary"] = br["z_boundary"]
    lap("brokerage")

    roles = assign_roles(graph, nodes, thresholds)
    for col in roles.table.columns:
        nodes[col] = roles.table[col]
    lap("roles")

    blocks = _groups.block_density(graph, thin_fraction, fragile_max_actors, fragile_basis)
    group_table = _groups.ei_by_group(graph)
    fragility = remove_brokers(graph, k=fragility_k, betweenness=nodes["betweenness"])
    lap("blocks_fragility")

    ei = _groups.ei_index(graph)
    core = nodes["coreness"]
    network = {
        "actors": graph.n,
        "ties": graph.m,
        "arcs": int(len(graph.arcs().src)),
        "directed": graph.directed,
        "density": _groups.overall_density(graph),
        "components": int(len(sizes)),
        "main_component_size": int(sizes[0]) if len(sizes) else 0,
        "max_coreness": int(core.max()) if len(core) else 0,
        "main_core_size": int(nodes["in_main_core"].sum()),
        "ei_external": ei["external"], "ei_internal": ei["internal"], "ei": ei["ei"],
        "groups": int(len(group_table)),
        "hubs": int(nodes["hub"].sum()),
        "gatekeepers": int(nodes["gatekeeper"].sum()),
        "pulsetakers": int(nodes["pulsetaker"].sum()),
        "thin_blocks": int(blocks["thin"].sum()),
        "fragile_blocks": int(blocks["fragile"].sum()),
    }
    parameters = {
        "thresholds": thresholds.to_dict(),
        "betweenness_exact_max_nodes": betweenness_exact_max_nodes,
        "pivots": pivots,
        "probes": probes,
        "seed": seed,
        "directed_paths": directed_paths,
        "thin_fraction": thin_fraction,
        "fragile_max_actors": fragile_max_actors,
        "fragile_basis": fragile_basis,
        "fragility_k": fragility_k,
        "workers": workers,
        "methods": {"betweenness": btw.method, "closeness": clo.method, "harmonic": har.method,
                    "information": info.method},
        "sampled_component_sizes": btw.sampled_component_sizes,
    }
    return Analysis(nodes=nodes, network=network, groups=group_table, blocks=blocks,
                    brokerage_expected=_brokerage.brokerage_moments(graph), roles=roles,
                    fragility=fragility, parameters=parameters, timings=timings)


def analyse_networks(graphs: Mapping[str, TieGraph], **kwargs) -> dict[str, Analysis]:
    """:func:`analyse` each network type (e.g. ``{"work": g1, "innovation": g2}``).

    The set of network types is the caller's (NetForm publishes six; the report
    mapped seven). Keyword arguments go to :func:`analyse`.
    """
    return {name: analyse(g, **kwargs) for name, g in graphs.items()}
