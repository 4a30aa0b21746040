"""Fragility: what inter-layer connectivity is lost if the top brokers leave.

The report's worry: "could undermine future sustainability, if the current core group
leave their current posts". Remove the top-k brokers (by betweenness, or a given
list) and compare the layer-to-layer connectivity before and after.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Hashable, Iterable

import numpy as np
import pandas as pd

from kb.analytics.graph import TieGraph, weak_components

DEFAULT_TOP_K = 5
"""Brokers removed by default."""


@dataclass
class FragilityReport:
    """Before/after comparison of :func:`remove_brokers`.

    * ``inter_group_ties_*``: ties between actors of different groups (arcs if the
      graph is directed, undirected ties otherwise).
    * ``group_pairs_tied_*``: unordered group pairs {g, h}, g != h, with at least one
      direct tie; ``group_pairs_reachable_*``: pairs with members in one connected
      component (some path joins them).
    * ``main_component_*``: actors in the largest weakly connected component.
    * ``disconnected_pairs``: pairs tied before and not after;
      ``unreachable_pairs``: pairs reachable before and not after.
    """

    removed: list
    inter_group_ties_before: int
    inter_group_ties_after: int
    group_pairs_tied_before: int
    group_pairs_tied_after: int
    group_pairs_reachable_before: int
    group_pairs_reachable_after: int
    main_component_before: int
    main_component_after: int
    disconnected_pairs: list[tuple[str, str]] = field(default_factory=list)
    unreachable_pairs: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _tied_pairs(graph: TieGraph) -> tuple[int, set[tuple[str, str]]]:
    t = graph.arcs() if graph.directed else graph.ties()
    labels = graph.group_labels
    if len(t.src) == 0:
        return 0, set()
    gs, gd = labels[t.src], labels[t.dst]
    cross = gs != gd
    pairs = {tuple(sorted((a, b))) for a, b in zip(gs[cross], gd[cross])}
    return int(cross.sum()), pairs


def _reachable_pairs(graph: TieGraph) -> set[tuple[str, str]]:
    membership, _ = weak_components(graph)
    frame = pd.DataFrame({"c": membership, "g": graph.group_labels}).drop_duplicates()
    frame = frame[frame.groupby("c")["g"].transform("size") > 1]  # components spanning groups
    pairs: set[tuple[str, str]] = set()
    for _, grp in frame.groupby("c"):
        gs = sorted(grp["g"])
        pairs.update((a, b) for i, a in enumerate(gs) for b in gs[i + 1:])
    return pairs


def top_brokers(betweenness: pd.Series, k: int = DEFAULT_TOP_K) -> list:
    """The k actors with the highest betweenness (ties: earlier actor first).

    >>> top_brokers(pd.Series([1.0, 5.0, 5.0, 0.0], index=list("abcd")), 2)
    ['b', 'c']
    """
    order = np.argsort(-betweenness.to_numpy(dtype=float), kind="stable")[:k]
    return [betweenness.index[i] for i in order]


def remove_brokers(graph: TieGraph, k: int = DEFAULT_TOP_K, brokers: Iterable[Hashable] | None = None,
                   betweenness: pd.Series | None = None, **betweenness_kwargs) -> FragilityReport:
    """Remove the top-k brokers (or ``brokers``) and report the inter-group connectivity lost.

    Parameters
    ----------
    graph : TieGraph with groups (layers).
    k : number of brokers removed when ``brokers`` is not given.
    brokers : explicit actors to remove (overrides k).
    betweenness : precomputed betweenness used to rank brokers; computed with
        :func:`kb.analytics.centrality.betweenness` (``betweenness_kwargs``) if absent.

    Example: two layers joined only through b.

    >>> from kb.analytics.graph import from_edges
    >>> g = from_edges([("a", "b"), ("b", "c")], groups={"a": "x", "b": "x", "c": "y"},
    ...                directed=False)
    >>> r = remove_brokers(g, k=1)
    >>> r.removed, r.inter_group_ties_after, r.disconnected_pairs
    (['b'], 0, [('x', 'y')])
    """
    if brokers is None:
        if betweenness is None:
            from kb.analytics.centrality import betweenness as _betweenness

            betweenness = _betweenness(graph, **betweenness_kwargs)
        brokers = top_brokers(betweenness, k)
    removed = list(brokers)
    unknown = [b for b in removed if b not in set(graph.nodes)]
    if unknown:
        raise ValueError(f"brokers not in the graph: {unknown[:5]}")
    after = graph.without(removed)
    ties_before, tied_before = _tied_pairs(graph)
    ties_after, tied_after = _tied_pairs(after)
    reach_before, reach_after = _reachable_pairs(graph), _reachable_pairs(after)
    _, sizes_before = weak_components(graph)
    _, sizes_after = weak_components(after)
    return FragilityReport(
        removed=removed,
        inter_group_ties_before=ties_before, inter_group_ties_after=ties_after,
        group_pairs_tied_before=len(tied_before), group_pairs_tied_after=len(tied_after),
        group_pairs_reachable_before=len(reach_before), group_pairs_reachable_after=len(reach_after),
        main_component_before=int(sizes_before[0]) if len(sizes_before) else 0,
        main_component_after=int(sizes_after[0]) if len(sizes_after) else 0,
        disconnected_pairs=sorted(tied_before - tied_after),
        unreachable_pairs=sorted(reach_before - reach_after),
    )
