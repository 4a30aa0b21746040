"""NetForm roles (hub, gatekeeper, pulsetaker): this project's operationalisation.

Karen Stephenson's NetForm method names three roles, identified per network type
("who else mentioned them and in what context") but publishes no formulas
(Stephenson 2002 "The quantum theory of trust", strategy+business; 2007 "The
community network solution"). The rules below are this project's reading, with every
threshold in :class:`RoleThresholds`; each assignment carries a reason string.

Apply them to one network type at a time (one :class:`TieGraph` per network type:
work, social, innovation, expertise, career, learning, ... - the set is the caller's).
A directed arc ``a -> b`` means "a nominated b".

hub
    "knows the most people": nominations received (in-degree) in the top decile
    (``hub_quantile``) *and* at least ``hub_min_nominations``.
gatekeeper
    "on a critical path, often the only bridge to a part of the network", any of:
    (a) a cut vertex (articulation point) of the undirected graph whose removal cuts
    at least ``gatekeeper_min_cut_off`` actors (default 2) off the rest of its
    component: the only bridge to a part of the network, not just to one pendant
    contact;
    (b) Gould-Fernandez gatekeeper + representative z-score (``z_boundary``) at least
    ``gatekeeper_brokerage_z``;
    (c) betweenness not explained by degree: standardised residual of the linear
    regression of betweenness on degree at least ``gatekeeper_betweenness_residual``.
pulsetaker
    "indirectly connected to many; called on by other connectors": not a hub, and
    either top decile (``pulsetaker_quantile``) of at least one of
    ``pulsetaker_measures`` (closeness, information centrality, 2-step reach), or
    nominated by at least ``pulsetaker_min_hub_nominations`` hubs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kb.analytics.graph import TieGraph
from kb.analytics.thresholds import MEASURE_LABELS, RoleThresholds, ThresholdError

__all__ = ["MEASURE_LABELS", "RoleAssignment", "RoleThresholds", "ThresholdError", "assign_roles",
           "betweenness_residual", "cut_vertices"]

@dataclass
class RoleAssignment:
    """Result of :func:`assign_roles`.

    ``table``: per actor ``hub, gatekeeper, pulsetaker`` (bool), ``hub_reason``,
    ``gatekeeper_reason``, ``pulsetaker_reason`` (``""`` when not assigned), and the
    evidence columns ``cut_off`` (actors a cut vertex separates; 0 if none),
    ``betweenness_residual`` and ``hub_nominations`` (hubs that nominated the actor).
    ``cutoffs``: the quantile values actually used (e.g. ``{"in_degree": 7.0, ...}``).
    """

    table: pd.DataFrame
    cutoffs: dict[str, float]
    thresholds: RoleThresholds = field(default_factory=RoleThresholds)


def _fmt(x: float) -> str:
    if x is None or not np.isfinite(x):
        return str(x)
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.3g}"


def cut_vertices(graph: TieGraph) -> pd.Series:
    """For each actor, how many actors its removal cuts off; 0 if not a cut vertex.

    A cut vertex (articulation point) of the undirected graph is an actor whose
    removal disconnects its component (Hopcroft & Tarjan 1973). The value is the
    number of actors left outside the largest remaining piece of the component: a
    cut vertex holding a single pendant actor scores 1; a bridge between two halves
    of 50 scores 50.

    >>> from kb.analytics.graph import from_edges
    >>> g = from_edges([("a", "b"), ("b", "c"), ("c", "d"), ("c", "e")], directed=False)
    >>> cut_vertices(g).tolist()
    [0, 1, 2, 0, 0]
    """
    n = graph.n
    out = np.zeros(n, dtype=int)
    if n < 3 or len(graph.ties().src) == 0:
        return graph.series(out, "cut_off")
    g = graph.to_igraph(directed=False)
    blocks, aps = g.biconnected_components(return_articulation_points=True)
    if not aps:
        return graph.series(out, "cut_off")
    blocks = [list(b) for b in blocks]
    ap_set = set(aps)
    ap_node = {a: len(blocks) + i for i, a in enumerate(aps)}
    # Block-cut tree: block nodes weigh their non-cut members, cut-vertex nodes weigh 1.
    size = len(blocks) + len(aps)
    weight = np.zeros(size, dtype=np.int64)
    adj: list[list[int]] = [[] for _ in range(size)]
    for b, members in enumerate(blocks):
        for v in members:
            if v in ap_set:
                adj[b].append(ap_node[v])
                adj[ap_node[v]].append(b)
            else:
                weight[b] += 1
    weight[len(blocks):] = 1
    parent = np.full(size, -1)
    seen = np.zeros(size, dtype=bool)
    subtree = weight.copy()
    tree_total = np.zeros(size, dtype=np.int64)
    for root in range(size):
        if seen[root]:
            continue
        order = [root]
        seen[root] = True
        i = 0
        while i < len(order):
            u = order[i]
            i += 1
            for w in adj[u]:
                if not seen[w]:
                    seen[w] = True
                    parent[w] = u
                    order.append(w)
        for u in reversed(order[1:]):
            subtree[parent[u]] += subtree[u]
        tree_total[order] = subtree[root]
    children: dict[int, list[int]] = {}
    for u in range(size):
        if parent[u] >= 0:
            children.setdefault(int(parent[u]), []).append(u)
    for a in aps:
        t = ap_node[a]
        pieces = [int(subtree[c]) for c in children.get(t, [])]
        if parent[t] >= 0:
            pieces.append(int(tree_total[t] - subtree[t]))
        out[a] = int(tree_total[t] - 1 - max(pieces))
    return graph.series(out, "cut_off")


def betweenness_residual(betweenness: pd.Series, degree: pd.Series) -> pd.Series:
    """Betweenness not explained by degree: internally studentised OLS residuals.

    Fit ``b = alpha + beta * degree + e`` over all actors; the residual of actor i is
    ``e_i / (s * sqrt(1 - h_ii))`` with ``s^2 = SSE / (n - 2)`` and leverage
    ``h_ii = 1/n + (x_i - mean x)^2 / S_xx`` (R ``rstandard``). NaN if degree does
    not vary or n < 3.

    >>> r = betweenness_residual(pd.Series([0., 1, 2, 3, 10]), pd.Series([1., 2, 3, 4, 5]))
    >>> bool(r.idxmax() == 4)
    True
    """
    x = degree.to_numpy(dtype=float)
    y = betweenness.to_numpy(dtype=float)
    n = len(x)
    sxx = ((x - x.mean()) ** 2).sum() if n else 0.0
    if n < 3 or sxx == 0:
        return pd.Series(np.nan, index=betweenness.index, name="betweenness_residual")
    beta = ((x - x.mean()) * (y - y.mean())).sum() / sxx
    alpha = y.mean() - beta * x.mean()
    e = y - alpha - beta * x
    s = np.sqrt((e ** 2).sum() / (n - 2))
    h = 1.0 / n + (x - x.mean()) ** 2 / sxx
    with np.errstate(invalid="ignore", divide="ignore"):
        r = e / (s * np.sqrt(np.maximum(1 - h, 1e-12))) if s > 0 else np.full(n, np.nan)
    return pd.Series(r, index=betweenness.index, name="betweenness_residual")


def _needed_measures(graph: TieGraph, thresholds: RoleThresholds, **kwargs) -> pd.DataFrame:
    from kb.analytics import brokerage as br
    from kb.analytics import centrality as c

    est = {k: kwargs[k] for k in ("exact_max_nodes", "seed") if k in kwargs}
    cols = {
        "in_degree": c.in_degree(graph),
        "degree": c.degree(graph),
        "betweenness": c.betweenness(graph, pivots=kwargs.get("pivots", c.DEFAULT_PIVOTS), **est),
        "z_boundary": br.brokerage(graph)["z_boundary"],
    }
    for m in thresholds.pulsetaker_measures:
        if m == "closeness":
            cols[m] = c.closeness(graph, pivots=kwargs.get("pivots", c.DEFAULT_PIVOTS), **est)
        elif m == "harmonic":
            cols[m] = c.harmonic(graph, pivots=kwargs.get("pivots", c.DEFAULT_PIVOTS), **est)
        elif m in ("information", "information_wf"):
            cols[m] = c.information_centrality(graph, wf_improved=m == "information_wf", **est)
        elif m == "two_step_reach":
            cols[m] = c.two_step_reach(graph)
        else:
            raise ValueError(f"unknown pulsetaker measure {m!r}")
    return pd.DataFrame(cols)


def assign_roles(graph: TieGraph, measures: pd.DataFrame | None = None,
                 thresholds: RoleThresholds = RoleThresholds(), **kwargs) -> RoleAssignment:
    """Assign hub, gatekeeper and pulsetaker roles, each with a reason.

    Parameters
    ----------
    graph : one network type's TieGraph (arc a -> b: a nominated b).
    measures : per-actor measures indexed like ``graph.nodes`` with columns
        ``in_degree, degree, betweenness, z_boundary`` and the
        ``thresholds.pulsetaker_measures``; computed when not given (``kwargs``
        ``exact_max_nodes``, ``pivots``, ``seed`` are passed on).
    thresholds : :class:`RoleThresholds`.

    Returns a :class:`RoleAssignment`. The quantile cut-offs use numpy's linear
    interpolation over all actors of the network; a value at or above the cut-off
    qualifies (ties included) and must be positive.

    Example: a star of 10 leaves around h (each leaf nominates h).

    >>> from kb.analytics.graph import from_edges
    >>> g = from_edges([(f"l{i}", "h") for i in range(10)])
    >>> roles = assign_roles(g)
    >>> bool(roles.table.loc["h", "hub"]), roles.table.loc["h", "hub_reason"]
    (True, 'in-degree 10: top 10% (cut-off 0) and >= 3 nominations')
    """
    t = thresholds
    if measures is None:
        measures = _needed_measures(graph, t, **kwargs)
    measures = measures.reindex(graph.index)
    n = graph.n
    names = list(graph.nodes)
    cutoffs: dict[str, float] = {}

    # hubs
    indeg = measures["in_degree"].to_numpy(dtype=float)
    q_hub = float(np.nanquantile(indeg, t.hub_quantile)) if n else float("nan")
    cutoffs["in_degree"] = q_hub
    hub = (indeg >= q_hub) & (indeg >= t.hub_min_nominations) & (indeg > 0)
    top_pct = _fmt(round(100 * (1 - t.hub_quantile), 6))
    hub_reason = [
        f"in-degree {_fmt(d)}: top {top_pct}% (cut-off {_fmt(q_hub)}) and >= {t.hub_min_nominations} nominations"
        if h else "" for d, h in zip(indeg, hub)]

    # gatekeepers
    reasons: list[list[str]] = [[] for _ in range(n)]
    cut_off = cut_vertices(graph).to_numpy()
    if t.gatekeeper_cut_vertex:
        for i in np.flatnonzero((cut_off >= t.gatekeeper_min_cut_off) & (cut_off > 0)):
            reasons[i].append(f"cut vertex: removing it cuts {cut_off[i]} actor"
                              f"{'s' if cut_off[i] != 1 else ''} off the rest of its component")
    zb = measures["z_boundary"].to_numpy(dtype=float)
    for i in np.flatnonzero(np.nan_to_num(zb, nan=-np.inf) >= t.gatekeeper_brokerage_z):
        reasons[i].append(f"gatekeeper+representative brokerage z {_fmt(zb[i])} "
                          f">= {_fmt(t.gatekeeper_brokerage_z)}")
    resid = betweenness_residual(measures["betweenness"], measures["degree"])
    rv = resid.to_numpy()
    for i in np.flatnonzero(np.nan_to_num(rv, nan=-np.inf) >= t.gatekeeper_betweenness_residual):
        reasons[i].append(f"betweenness {_fmt(measures['betweenness'].iloc[i])} is {_fmt(rv[i])} sd "
                          f"above what degree {_fmt(measures['degree'].iloc[i])} predicts "
                          f"(>= {_fmt(t.gatekeeper_betweenness_residual)})")
    gate_reason = ["; ".join(r) for r in reasons]
    gate = np.array([bool(r) for r in reasons], dtype=bool)

    # pulsetakers
    arcs = graph.arcs()
    hub_nom = np.bincount(arcs.dst[hub[arcs.src]], minlength=n) if n else np.zeros(0, int)
    nominators: dict[int, list] = {}
    for s, d in zip(arcs.src[hub[arcs.src]], arcs.dst[hub[arcs.src]]):
        nominators.setdefault(int(d), []).append(names[s])
    preasons: list[list[str]] = [[] for _ in range(n)]
    for m in t.pulsetaker_measures:
        vals = measures[m].to_numpy(dtype=float)
        q = float(np.nanquantile(vals, t.pulsetaker_quantile)) if n else float("nan")
        cutoffs[m] = q
        label = MEASURE_LABELS.get(m, m)
        pct = _fmt(round(100 * (1 - t.pulsetaker_quantile), 6))
        for i in np.flatnonzero(np.nan_to_num(vals, nan=-np.inf) >= q):
            if vals[i] > 0:
                preasons[i].append(f"{label} {_fmt(vals[i])}, top {pct}% (threshold {_fmt(q)})")
    for i in np.flatnonzero(hub_nom >= t.pulsetaker_min_hub_nominations):
        who = sorted(map(str, nominators.get(int(i), [])))
        shown = ", ".join(who[:5]) + (", ..." if len(who) > 5 else "")
        preasons[i].append(f"nominated by {hub_nom[i]} hubs ({shown})")
    pulse = np.array([bool(r) for r in preasons], dtype=bool) & ~hub
    pulse_reason = ["; ".join(r) if p else "" for r, p in zip(preasons, pulse)]

    table = pd.DataFrame({
        "hub": hub, "gatekeeper": gate, "pulsetaker": pulse,
        "hub_reason": hub_reason, "gatekeeper_reason": gate_reason, "pulsetaker_reason": pulse_reason,
        "cut_off": cut_off, "betweenness_residual": rv, "hub_nominations": hub_nom,
    }, index=graph.index)
    return RoleAssignment(table, cutoffs, t)
