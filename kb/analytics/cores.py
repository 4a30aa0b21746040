"""Cores and periphery: k-core numbers, components, core-periphery membership.

"Outside the core" is read two ways (sna.md): low coreness (not in the main k-core)
or outside the main (largest) connected component. The k-core is the discrete
operationalisation of the core-periphery idea of Borgatti & Everett (1999, "Models
of core/periphery structures", Social Networks 21): a core is a set of actors more
densely tied to each other than the periphery is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kb.analytics.graph import TieGraph, weak_components


def core_number(graph: TieGraph) -> pd.Series:
    """Core number (coreness) of each actor in the undirected graph.

    The k-core is the maximal subgraph in which every actor has at least k
    neighbours; an actor's core number is the largest k whose k-core contains it.
    Computed in O(m) by repeatedly removing a minimum-degree actor (Batagelj &
    Zaversnik 2003, "An O(m) algorithm for cores decomposition of networks";
    Seidman 1983). Matches networkx ``core_number``.

    Example: a triangle with a pendant.

    >>> from kb.analytics.graph import from_edges
    >>> g = from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")], directed=False)
    >>> core_number(g).tolist()
    [2, 2, 2, 1]
    """
    if graph.n == 0:
        return graph.series(np.zeros(0, dtype=int), "coreness")
    g = graph.to_igraph(directed=False)
    return graph.series(np.asarray(g.coreness(mode="all"), dtype=int), "coreness")


def components(graph: TieGraph) -> pd.Series:
    """Weakly connected component of each actor: 0 = the main (largest) component.

    Components are numbered by decreasing size; equal sizes by earliest actor.

    >>> from kb.analytics.graph import from_edges
    >>> components(from_edges([("a", "b"), ("c", "d"), ("d", "e")])).tolist()
    [1, 1, 0, 0, 0]
    """
    membership, _ = weak_components(graph)
    return graph.series(membership, "component")


def main_component(graph: TieGraph) -> pd.Series:
    """True for actors in the main (largest weakly connected) component.

    >>> from kb.analytics.graph import from_edges
    >>> main_component(from_edges([("a", "b"), ("c", "d"), ("d", "e")])).tolist()
    [False, False, True, True, True]
    """
    return (components(graph) == 0).rename("in_main_component")


def core_periphery(graph: TieGraph) -> pd.DataFrame:
    """Per actor: ``coreness``, ``in_main_core`` (coreness == max), ``in_main_component``.

    >>> from kb.analytics.graph import from_edges
    >>> g = from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("e", "f")],
    ...                directed=False)
    >>> core_periphery(g)["in_main_core"].tolist()
    [True, True, True, False, False, False]
    """
    core = core_number(graph)
    top = core.max() if len(core) else 0
    return pd.DataFrame({"coreness": core, "in_main_core": core == top,
                         "in_main_component": main_component(graph)})
