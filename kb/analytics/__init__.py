"""Network analytics for the knowledge base: pure functions over a :class:`TieGraph`.

No database access here: the caller projects one network type out of Neo4j (actors,
their group/layer, the ties), passes it as a :class:`TieGraph`, and writes the scores
back. :func:`analyse` (:mod:`~kb.analytics.pipeline`) runs everything; the modules hold one
family of measures each:

* :mod:`~kb.analytics.graph` - TieGraph, from_edges, from_networkx
* :mod:`~kb.analytics.centrality` - one module each: degree, betweenness, closeness and harmonic,
  reach (two-step), information, eigenvector
* :mod:`~kb.analytics.structural_holes` - Burt's constraint and effective size
* :mod:`~kb.analytics.cores` - core numbers, components, core-periphery
* :mod:`~kb.analytics.brokerage` - Gould-Fernandez brokerage roles
* :mod:`~kb.analytics.groups` - E-I index, block densities
* :mod:`~kb.analytics.roles` - hub / gatekeeper / pulsetaker (NetForm)
* :mod:`~kb.analytics.fragility` - removing the top brokers

Formulas and sources: docs/analytics.md.
"""

from kb.analytics.fragility import FragilityReport, remove_brokers, top_brokers
from kb.analytics.graph import UNGROUPED, TieGraph, from_edges, from_networkx
from kb.analytics.pipeline import Analysis, analyse, analyse_networks
from kb.analytics.roles import RoleAssignment, RoleThresholds, assign_roles

__all__ = [
    "Analysis", "FragilityReport", "RoleAssignment", "RoleThresholds", "TieGraph", "UNGROUPED",
    "analyse", "analyse_networks", "assign_roles", "from_edges", "from_networkx", "remove_brokers",
    "top_brokers",
]
