"""Roles over sourced data only: what the UI shows when synthetic data is hidden.

The stored run of `kb analyse` scores each network with every tie, synthetic ones
included, so its roles (hub, gatekeeper, pulsetaker) and reasons may rest on invented
ties. With synthetic data hidden, the pages ask this service instead: it reads the
network's sourced actors and ties (none synthetic, at either end), computes the same
measures and roles with the same rules (kb.analytics.analyse, the thresholds `kb analyse`
would use), in memory, and writes nothing. Above MAX_TIES sourced ties it does not compute
(the page must say its roles come from the stored run over all ties).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import pandas as pd

from kb.analytics.graph import TieGraph
from kb.analytics.pipeline import analyse
from kb.services.role_thresholds import choose_thresholds
from kb.settings import Settings
from kb.store.connection import KnowledgeBase
from kb.store.cypher import statement

MAX_TIES = 50_000
ROLE_NAMES = ("hub", "gatekeeper", "pulsetaker")
MEASURES = ("in_degree", "betweenness", "closeness", "information", "two_step_reach", "constraint", "coreness")


@dataclass
class SourcedRoles:
    """Rows shaped as the named query `brokers` returns them (every actor with a role)."""

    network: str
    actors: int
    ties: int
    thresholds_from: str
    rows: list[dict] = field(default_factory=list)
    too_big: bool = False


def _round(value, digits: int = 3):
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return None
    return round(float(value), digits) if isinstance(value, (float, np.floating)) else int(value)


def sourced_roles(settings: Settings, kb: KnowledgeBase, network: str, *, directed: bool = False,
                  timeout: float | None = None) -> SourcedRoles:
    """The roles of `network` ('all' for every type) over its sourced actors and ties."""
    read = kb.read(statement("analysis/sourced-projection"), {"network": network}, timeout=timeout)
    chosen = choose_thresholds(settings)
    ties = sum(len(r["targets"]) for r in read)
    found = SourcedRoles(network, len(read), ties, chosen.source)
    if ties > MAX_TIES:
        found.too_big = True
        return found
    if not read or not ties:
        return found
    ids = [r["id"] for r in read]
    counts = np.fromiter((len(r["targets"]) for r in read), dtype=np.int64, count=len(read))
    src = np.repeat(np.arange(len(read), dtype=np.int64), counts)
    dst = pd.Index(ids).get_indexer(list(chain.from_iterable(r["targets"] for r in read)))
    weight = np.fromiter(chain.from_iterable(r["weights"] for r in read), dtype=float, count=int(counts.sum()))
    keep = dst >= 0
    graph = TieGraph.from_indices(ids, src[keep], dst[keep], weight[keep], groups={r["id"]: r["layer"] for r in read})
    table = analyse(graph, thresholds=chosen.thresholds, directed_paths=directed, workers=1).nodes
    by_id = {r["id"]: r for r in read}
    for actor, row in table.iterrows():
        roles = [role for role in ROLE_NAMES if bool(row.get(role))]
        if not roles:
            continue
        info = by_id[str(actor)]
        found.rows.append({"actor": str(actor), "name": info["name"], "layer": info["layer"], "roles": roles,
                           "reasons": [f"{role}: {row[f'{role}_reason']}" for role in roles],
                           **{m: _round(row.get(m)) for m in MEASURES}, "synthetic": False,
                           "localities": info["localities"]})
    found.rows.sort(key=lambda r: (-len(r["roles"]), -(r["betweenness"] or 0), -(r["in_degree"] or 0), r["name"]))
    return found


__all__ = ["MAX_TIES", "SourcedRoles", "sourced_roles"]
