"""The ties of one survey round out of Neo4j, as the TieGraph the change analytics compare
(kb.analytics.change; `kb change`, the Change page)."""

from __future__ import annotations

from dataclasses import dataclass

from kb.analytics import TieGraph
from kb.store.analysis_runs import tie_rounds
from kb.store.connection import KnowledgeBase
from kb.store.cypher import statement

__all__ = ["RoundNetwork", "round_network", "tie_rounds"]


@dataclass
class RoundNetwork:
    """One round: `graph` over the actors with a tie in it (groups = layers; arcs of the
    network type asked for), who of them named anyone (`respondents`), their names, and
    which actors and arcs are synthetic."""

    round: str
    graph: TieGraph
    respondents: set[str]
    names: dict[str, str]
    synthetic_actors: set[str]
    synthetic_ties: set[tuple[str, str]]


def round_network(kb: KnowledgeBase, round_id: str, network: str = "all",
                  locality: str | None = None) -> RoundNetwork:
    rows = kb.read(statement("analysis/round-ties"), {"round": round_id, "network": network, "locality": locality})
    ids = [r["id"] for r in rows]
    edges, synthetic_ties = [], set()
    for r in rows:
        for target, weight, synthetic in r["ties"]:
            edges.append((r["id"], target, float(weight)))
            if synthetic:
                synthetic_ties.add((r["id"], target))
    graph = TieGraph(nodes=ids, groups={r["id"]: r["layer"] for r in rows}, edges=edges)
    return RoundNetwork(round_id, graph, {r["id"] for r in rows if r["respondent"]},
                        {r["id"]: r["name"] or r["id"] for r in rows},
                        {r["id"] for r in rows if r["synthetic_actor"]}, synthetic_ties)
