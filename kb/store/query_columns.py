"""What the named queries that answer from a run keep looking up, stored with the run at
`kb analyse` write-back time (issue 16 part 3), so that they read one run's Scores through
an index instead of every Score and each actor's relationships.

On each Score (read once per `kb analyse` for every network by
cypher/analysis/actor-columns.cypher, actor_columns, and written with the scores by
cypher/analysis/write-scores.cypher): the actor's `name`, `layer`, `synthetic` flag, `localities` (the ids of the localities it is
located in, itself or through an organisation it is a member of), `member_org` (the name of
the first organisation it is a member of, by name), `org_name`/`org_type` (outside-core's
group: the actor itself when it is an organisation, else that organisation); and, from
Python (rank_columns): `broker_rank` (the brokers' ORDER BY, dense: actors with a role only)
and `betweenness_rank` (fragility's ORDER BY: betweenness descending, then id).

On the run (run_properties): `query_columns` (QUERY_COLUMNS: the queries read the copies
only from a run that has them; a run written before falls back to their previous text),
`core_internal_ties`/`core_external_ties` (core-clique's arc counts of the main core) and,
after the scores (mark_block_synthetic), `block_synthetic` (per block table cell: is any tie
of it, or an end, synthetic) and (store_query_tables) `oc_rows`: outside-core's rows for the
whole network at its default core fraction, with and without synthetic actors, which it then
reads instead of aggregating every Score of the run, and `cc_rows`: core-clique's members in
its order, which it reads instead of collecting and sorting the core's Scores (a run without
them, or after `kb forget`, which drops them, reads the Scores as before).

The copies stand for the data only while the run matches it (`$stored`: an edit of a
record or a load makes the run stale; kb/store/analysis_runs.py stored_run_is_current).
"""

from __future__ import annotations

import numpy as np

from kb.store.connection import KnowledgeBase
from kb.store.cypher import load_query, statement

QUERY_COLUMNS = 2
# The columns of cypher/analysis/actor-columns.cypher after the actor's id, in order.
ACTOR_COLUMNS = ("name", "layer", "synthetic", "member_org", "org_name", "org_type", "localities")


def actor_columns(rows) -> dict[str, dict]:
    """Actor id -> the properties its Scores copy (rows of actor-columns.cypher; a null is not
    stored, as SET leaves it out).

    >>> actor_columns([["a1", "Ann", "council", False, None, None, None, ["loc1"]]])
    {'a1': {'name': 'Ann', 'layer': 'council', 'synthetic': False, 'localities': ['loc1']}}
    """
    return {row[0]: {k: v for k, v in zip(ACTOR_COLUMNS, row[1:]) if v is not None} for row in rows}


def with_actor_columns(props: dict, columns: dict) -> dict:
    """A Score's properties with its actor's copied columns (an actor the read did not see, which
    the population rules out, gets the walk's defaults: not synthetic, no localities)."""
    props.update(columns or {"synthetic": False, "localities": []})
    return props


def _desc_nulls_first(value) -> tuple:
    """Cypher's ORDER BY x DESC as a Python sort key: null first, then the largest."""
    return (0, 0.0) if value is None else (1, -value)


def rank_columns(actors: list[str], roles: list[list[str]], betweenness: list, in_degree: list) -> tuple[list, list]:
    """`broker_rank` (None for an actor without a role) and `betweenness_rank` per actor.

    broker_rank: dense rank by the brokers query's order - number of roles descending,
    betweenness descending, in-degree descending (nulls first, as Cypher orders them) - which
    the query completes with the actor's name. betweenness_rank: 1.. by betweenness
    descending (nulls first), then actor id: fragility's top k.

    >>> rank_columns(["a", "b", "c"], [["hub"], [], ["hub"]], [1.0, 5.0, 1.0], [2, 1, 3])
    ([2, None, 1], [2, 1, 3])
    """
    keys = {i: (-len(r), _desc_nulls_first(betweenness[i]), _desc_nulls_first(in_degree[i]))
            for i, r in enumerate(roles) if r}
    dense = {key: rank for rank, key in enumerate(sorted(set(keys.values())), start=1)}
    broker = [dense[keys[i]] if i in keys else None for i in range(len(actors))]
    order = sorted(range(len(actors)), key=lambda i: (_desc_nulls_first(betweenness[i]), actors[i]))
    between = [0] * len(actors)
    for rank, i in enumerate(order, start=1):
        between[i] = rank
    return broker, between


def core_arcs(graph, in_core) -> dict:
    """The main core's arcs as core-clique counts them: internal (both ends in the core),
    external (exactly one end), over the run's distinct arcs (no self-ties)."""
    arcs = graph.arcs()
    inside = np.asarray(in_core, dtype=bool)
    src, dst = inside[arcs.src], inside[arcs.dst]
    return {"core_internal_ties": int(np.count_nonzero(src & dst)),
            "core_external_ties": int(np.count_nonzero(src != dst))}


def run_properties(graph, result) -> dict:
    """The run's own additions (set with the block table by start-run)."""
    table = result.nodes
    in_core = table["in_main_core"].to_numpy(dtype=bool) if "in_main_core" in table else np.zeros(graph.n, bool)
    return {"query_columns": QUERY_COLUMNS, **core_arcs(graph, in_core)}


def mark_block_synthetic(kb: KnowledgeBase, run_id: str) -> None:
    """Store per cell of the run's block table whether any of its ties (or an end) is synthetic
    (cypher/analysis/block-synthetic.cypher): layer-links, weak-layer-links and fragility read
    it instead of searching each cell's ties at every query."""
    kb.write(statement("analysis/block-synthetic"), {"run": run_id})


def store_query_tables(kb: KnowledgeBase, run_id: str) -> None:
    """What two queries would otherwise recompute from every Score of the run at each call,
    stored on the run: outside-core's answer for the whole network at the query's default core
    fraction, with and without synthetic actors (`oc_rows`, `oc_split`, `oc_core_fraction`:
    cypher/analysis/outside-core-groups.cypher), and core-clique's members in its order
    (`cc_rows`: cypher/analysis/core-members.cypher)."""
    fraction = load_query("outside-core").bind()["core_fraction"]
    kb.write(statement("analysis/outside-core-groups"), {"run": run_id, "core_fraction": fraction})
    kb.write(statement("analysis/core-members"), {"run": run_id})
