"""Group (layer) measures: E-I index and block densities.

Ties are counted as arcs for a directed :class:`TieGraph` and as undirected ties for
an undirected one (so the karate club has 78 ties, not 156). Actors without a group
belong to :data:`~kb.analytics.graph.UNGROUPED`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kb.analytics.graph import TieGraph

DEFAULT_THIN_FRACTION = 0.25
"""A block is thin when its density is below this fraction of the overall density."""
DEFAULT_FRAGILE_MAX_ACTORS = 2
"""A block is fragile when at most this many actors carry its ties."""


def _tie_groups(graph: TieGraph) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    t = graph.arcs() if graph.directed else graph.ties()
    codes, _ = graph.group_codes
    return t.src, t.dst, codes[t.src], codes[t.dst]


def _ei(external: float, internal: float) -> float:
    total = external + internal
    return (external - internal) / total if total else float("nan")


def ei_index(graph: TieGraph) -> dict:
    """Whole-network E-I index (Krackhardt & Stern 1988).

    ``EI = (E - I) / (E + I)`` with E the ties between groups and I the ties within
    groups: -1 when all ties are internal, +1 when all are external.
    Krackhardt, D. & Stern, R. N. (1988). "Informal networks and organizational
    crises: an experimental simulation". *Social Psychology Quarterly* 51(2): 123-140.

    Returns ``{"external": E, "internal": I, "ei": EI}`` (EI is NaN without ties).

    >>> from kb.analytics.graph import from_edges
    >>> ei_index(from_edges([("a", "b"), ("b", "c")], groups={"a": "x", "b": "x", "c": "y"}))
    {'external': 1, 'internal': 1, 'ei': 0.0}
    """
    _, _, gs, gd = _tie_groups(graph)
    external = int((gs != gd).sum())
    internal = int((gs == gd).sum())
    return {"external": external, "internal": internal, "ei": _ei(external, internal)}


def ei_by_group(graph: TieGraph) -> pd.DataFrame:
    """E-I index per group: ties leaving or entering the group vs ties inside it.

    For group g: ``I_g`` = ties with both ends in g, ``E_g`` = ties with exactly one end
    in g; ``EI_g = (E_g - I_g) / (E_g + I_g)``. Columns ``n, external, internal, ei``.

    >>> from kb.analytics.graph import from_edges
    >>> g = from_edges([("a", "b"), ("b", "c")], groups={"a": "x", "b": "x", "c": "y"})
    >>> ei_by_group(g)["ei"].tolist()
    [0.0, 1.0]
    """
    codes, labels = graph.group_codes
    _, _, gs, gd = _tie_groups(graph)
    k = len(labels)
    internal = np.bincount(gs[gs == gd], minlength=k)
    cross = gs != gd
    external = np.bincount(gs[cross], minlength=k) + np.bincount(gd[cross], minlength=k)
    sizes = np.bincount(codes, minlength=k)
    out = pd.DataFrame({"n": sizes, "external": external, "internal": internal},
                       index=pd.Index(labels, name="group"))
    out["ei"] = [_ei(e, i) for e, i in zip(external, internal)]
    return out


def ei_by_node(graph: TieGraph) -> pd.Series:
    """E-I index per actor over the ties at the actor (in and out arcs if directed).

    ``EI_v = (E_v - I_v) / (E_v + I_v)``: E_v ties to actors of other groups, I_v to
    actors of v's group. NaN for isolates.

    >>> from kb.analytics.graph import from_edges
    >>> g = from_edges([("a", "b"), ("b", "c")], groups={"a": "x", "b": "x", "c": "y"})
    >>> ei_by_node(g).tolist()
    [-1.0, 0.0, 1.0]
    """
    src, dst, gs, gd = _tie_groups(graph)
    cross = (gs != gd).astype(float)
    ext = np.bincount(src, weights=cross, minlength=graph.n) + np.bincount(dst, weights=cross, minlength=graph.n)
    tot = np.bincount(src, minlength=graph.n) + np.bincount(dst, minlength=graph.n)
    with np.errstate(invalid="ignore", divide="ignore"):
        ei = np.where(tot > 0, (2 * ext - tot) / tot, np.nan)
    return graph.series(ei, "ei")


def overall_density(graph: TieGraph) -> float:
    """Directed density ``m / (n (n - 1))`` (an undirected tie counts as two arcs)."""
    n = graph.n
    return len(graph.arcs().src) / (n * (n - 1)) if n > 1 else float("nan")


def block_density(graph: TieGraph, thin_fraction: float = DEFAULT_THIN_FRACTION,
                  fragile_max_actors: int = DEFAULT_FRAGILE_MAX_ACTORS,
                  fragile_basis: str = "min_side") -> pd.DataFrame:
    """Block (group x group) densities of the directed ties, with thin and fragile flags.

    ``d_gh = ties(g -> h) / (n_g n_h)`` for g != h and ``d_gg = ties(g -> g) / (n_g (n_g - 1))``
    (an undirected tie is two arcs; White, Boorman & Breiger 1976 blockmodels).

    One row per ordered pair of groups (``from_group``, ``to_group``) with columns:

    * ``n_from``, ``n_to``, ``ties``, ``possible``, ``density`` (NaN if nothing is possible)
    * ``senders``: distinct actors sending the cell's ties; ``receivers``: distinct
      actors receiving them; ``actors``: distinct actors at either end (the union)
    * ``thin``: ``density < thin_fraction * overall density`` ("thin and atrophied")
    * ``fragile``: the cell has ties and is carried by at most ``fragile_max_actors``
      actors. ``fragile_basis="min_side"`` (default) counts ``min(senders, receivers)``:
      removing that many actors empties the cell. ``"union"`` counts ``actors``.
    * ``empty``: no ties at all.

    >>> from kb.analytics.graph import from_edges
    >>> g = from_edges([("a", "b"), ("a", "c"), ("b", "c")],
    ...                groups={"a": "x", "b": "x", "c": "y"})
    >>> float(block_density(g).set_index(["from_group", "to_group"]).loc[("x", "y"), "density"])
    1.0
    """
    if fragile_basis not in ("min_side", "union"):
        raise ValueError("fragile_basis must be 'min_side' or 'union'")
    codes, labels = graph.group_codes
    arcs = graph.arcs()
    k = len(labels)
    sizes = np.bincount(codes, minlength=k).astype(float)
    gs, gd = codes[arcs.src], codes[arcs.dst]
    cell = gs * k + gd
    ties = np.bincount(cell, minlength=k * k)

    def distinct(cells: np.ndarray, actors: np.ndarray) -> np.ndarray:
        if len(cells) == 0:
            return np.zeros(k * k, dtype=int)
        pairs = np.unique(cells * max(graph.n, 1) + actors)
        return np.bincount(pairs // max(graph.n, 1), minlength=k * k)

    senders = distinct(cell, arcs.src)
    receivers = distinct(cell, arcs.dst)
    union = distinct(np.concatenate([cell, cell]), np.concatenate([arcs.src, arcs.dst]))
    g_from, g_to = np.divmod(np.arange(k * k), k)
    possible = np.where(g_from == g_to, sizes[g_from] * (sizes[g_from] - 1), sizes[g_from] * sizes[g_to])
    with np.errstate(invalid="ignore", divide="ignore"):
        density = np.where(possible > 0, ties / np.where(possible > 0, possible, 1), np.nan)
    overall = overall_density(graph)
    out = pd.DataFrame({
        "from_group": np.asarray(labels, dtype=object)[g_from] if k else [],
        "to_group": np.asarray(labels, dtype=object)[g_to] if k else [],
        "n_from": sizes[g_from].astype(int), "n_to": sizes[g_to].astype(int),
        "ties": ties, "possible": possible.astype(int), "density": density,
        "senders": senders, "receivers": receivers, "actors": union,
    })
    carried = np.minimum(senders, receivers) if fragile_basis == "min_side" else union
    out["thin"] = (possible > 0) & (density < thin_fraction * overall)
    out["fragile"] = (ties > 0) & (carried <= fragile_max_actors)
    out["empty"] = ties == 0
    return out


def block_matrix(graph: TieGraph, value: str = "density") -> pd.DataFrame:
    """The block table as a from-group x to-group matrix of one column (default density).

    >>> from kb.analytics.graph import from_edges
    >>> g = from_edges([("a", "b"), ("a", "c")], groups={"a": "x", "b": "x", "c": "y"})
    >>> block_matrix(g, "ties").loc["x"].tolist()
    [1, 1]
    """
    table = block_density(graph)
    return table.pivot(index="from_group", columns="to_group", values=value)
