"""`kb analyse`: project the tie graph out of Neo4j, compute the measures (kb.analytics),
and write the scores back, versioned.

Each run writes its scores as (:Actor)-[:HAS_SCORE]->(:Score)-[:IN_RUN]->(:AnalysisRun)
while the run is marked `writing`; only when every score is stored does one small
transaction make it `current` (and retire the previous run). A half-written run is
therefore never read as current; the next run deletes it.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd

from kb.analytics import Analysis, RoleThresholds, TieGraph, analyse
from kb.store.connection import KnowledgeBase
from kb.store.cypher import statement
from kb.store.query_columns import (actor_columns, mark_block_synthetic, rank_columns, run_properties,
                                    store_query_tables, with_actor_columns)

ALL_NETWORKS = "all"
CHUNK = 10_000
# The projection reads the actors in this many parts at once, fetching this many rows a time.
PROJECTION_PARTS = 4
FETCH_SIZE = 2_000
# Sessions writing score chunks at once.
WRITE_SESSIONS = 2

# Score property <- analytics column (docs/analytics.md "Per-actor table").
SCORE_COLUMNS = {
    "in_degree": "in_degree", "out_degree": "out_degree", "degree": "degree",
    "betweenness": "betweenness", "betweenness_norm": "betweenness_normalized",
    "betweenness_stderr": "betweenness_stderr", "closeness": "closeness", "harmonic": "harmonic",
    "information": "information", "two_step_reach": "two_step_reach", "eigenvector": "eigenvector",
    "constraint": "constraint", "effective_size": "effective_size", "coreness": "coreness",
    "in_main_core": "in_main_core", "in_main_component": "in_main_component", "ei": "ei",
    "gf_coordinator": "w_I", "gf_itinerant": "w_O", "gf_representative": "b_IO", "gf_gatekeeper": "b_OI",
    "gf_liaison": "b_O", "gf_total": "t", "gf_coordinator_z": "z_w_I", "gf_itinerant_z": "z_w_O",
    "gf_representative_z": "z_b_IO", "gf_gatekeeper_z": "z_b_OI", "gf_liaison_z": "z_b_O",
    "hub": "hub", "gatekeeper": "gatekeeper", "pulsetaker": "pulsetaker",
}
ROLE_NAMES = ("hub", "gatekeeper", "pulsetaker")
# The carriers of a block (layer x layer cell) are listed by id up to this many ties, as
# weak-layer-links lists them.
BLOCK_LIST_MAX_TIES = 50
CARRIER_SEPARATOR = "\u001f"


@dataclass(frozen=True)
class TieScope:
    """Which ties a run analyses (docs/analytics.md, "Change over time"): one survey `round`,
    or the ties `as_of` a date (YYYY, YYYY-MM or YYYY-MM-DD), or neither: every tie, of a pair
    tied in several rounds only the latest (`key` ""). A run's `key` keeps runs of different
    scopes apart: each scope has its own current run."""

    round: str | None = None
    as_of: str | None = None

    @property
    def key(self) -> str:
        return f"round:{self.round}" if self.round else f"as-of:{self.as_of}" if self.as_of else ""

    def parameters(self) -> dict:
        return {"round": self.round or None, "as_of": self.as_of or None}


EVERY_TIE = TieScope()


def tie_rounds(kb: KnowledgeBase) -> list[dict]:
    """The survey rounds the ties carry, in order (date, then id): round, ties, date."""
    return kb.read(statement("analysis/tie-rounds"))


@dataclass
class RunReport:
    network: str
    run_id: str
    actors: int
    ties: int
    hubs: int
    gatekeepers: int
    pulsetakers: int
    seconds: dict
    scope: str = ""


def plain(value):
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return None if math.isnan(value) or math.isinf(value) else value
    return value


def _read_part(kb: KnowledgeBase, cypher: str, parameters: dict) -> list[list]:
    with kb.driver.session(database=kb.database, default_access_mode="READ", fetch_size=FETCH_SIZE) as session:
        return session.execute_read(lambda tx: [r.values() for r in tx.run(cypher, parameters)])


def _read_parts(kb: KnowledgeBase, cypher: str, parameters: dict, parts: int) -> list[list]:
    """Every row of a projection statement, read in `parts` slices of the actors' id order at
    once, each in its own session and read transaction (the server works on them in parallel)."""
    total = kb.read(statement("analysis/actor-count"))[0]["actors"]
    size = max(1, -(-total // max(1, parts)))
    slices = [{"skip": skip, "limit": size, **parameters} for skip in range(0, total, size)]
    if len(slices) > 1:
        with ThreadPoolExecutor(len(slices)) as pool:
            return [r for part in pool.map(lambda p: _read_part(kb, cypher, p), slices) for r in part]
    return [r for p in slices for r in _read_part(kb, cypher, p)]


def _graph(rows: list[list], keep_tie=None) -> TieGraph:
    """The TieGraph of projection rows (id, layer, targets, weights, ...); `keep_tie`, a boolean
    per tie in row order, keeps some of the ties (every actor stays: the population)."""
    ids = [r[0] for r in rows]
    counts = np.fromiter((len(r[2]) for r in rows), dtype=np.int64, count=len(rows))
    src = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
    dst = pd.Index(ids).get_indexer(list(chain.from_iterable(r[2] for r in rows)))
    weight = np.fromiter(chain.from_iterable(r[3] for r in rows), dtype=float, count=int(counts.sum()))
    keep = dst >= 0  # a target outside the population cannot be (it has a tie); kept safe
    if keep_tie is not None:
        keep &= keep_tie
    return TieGraph.from_indices(ids, src[keep], dst[keep], weight[keep], groups={r[0]: r[1] for r in rows})


def project_networks(kb: KnowledgeBase, networks, parts: int = PROJECTION_PARTS) -> dict[str, TieGraph]:
    """The TieGraphs of several network types (`all` among them or not) from one read of
    every tie with its type (cypher/analysis/projection-part-typed.cypher), split by type
    here: what `kb analyse` of several types reads instead of one projection per type. Each
    graph equals project(kb, network)'s."""
    rows = _read_parts(kb, statement("analysis/projection-part-typed"), {}, parts)
    types = pd.Categorical(list(chain.from_iterable(r[4] for r in rows)))
    if len(types) != sum(len(r[2]) for r in rows):  # pragma: no cover - the statement keeps them parallel
        raise ValueError("projection-part-typed: the lists of targets and network types differ in length")
    graphs = {}
    for network in networks:
        if network == ALL_NETWORKS:
            graphs[network] = _graph(rows)
        else:
            code = types.categories.get_indexer([network])[0]
            graphs[network] = _graph(rows, np.asarray(types.codes) == code)
    return graphs


def project(kb: KnowledgeBase, network: str, parts: int = PROJECTION_PARTS, scope: TieScope = EVERY_TIE):
    """The TieGraph of one network type over the analysed population (every actor with a
    tie of any type in `scope`, grouped by layer; in id order). Without a round or date, the
    plain projection reads the ties not marked `superseded` (the plain view, marked by the
    writer); else projection-part-scoped.cypher picks the ties in scope.

    The actors are read in `parts` slices of the id order, each in its own session and
    read transaction, at the same time (the server works on them in parallel); each row
    is an actor with the target ids and weights of its outgoing ties.
    """
    cypher = statement("analysis/projection-part-scoped" if scope != EVERY_TIE else "analysis/projection-part")
    return _graph(_read_parts(kb, cypher, {"network": network, **scope.parameters()}, parts))


def read_actor_columns(kb: KnowledgeBase, parts: int = PROJECTION_PARTS) -> dict[str, dict]:
    """What every network's Scores copy about each actor (kb/store/query_columns.py), read once
    (cypher/analysis/actor-columns.cypher) in parts as the projection reads the actors."""
    return actor_columns(_read_parts(kb, statement("analysis/actor-columns"), {}, parts))


def _column(values: np.ndarray) -> list:
    """A score column as plain Python values (NaN and infinities: None, not stored)."""
    if values.dtype.kind == "f":
        out = values.tolist()
        for i in np.flatnonzero(~np.isfinite(values)).tolist():
            out[i] = None
        return out
    if values.dtype.kind in "biu":
        return values.tolist()
    return [plain(v) for v in values]


def score_rows(result: Analysis, network: str, run_id: str, actors_columns: dict[str, dict] | None = None) -> list[dict]:
    """The run's Score rows: the scores, roles and ranks, and (`actors_columns`, read_actor_columns)
    what the named queries look up about each actor."""
    actors_columns = actors_columns or {}
    table = result.nodes
    names = [prop for prop, col in SCORE_COLUMNS.items() if col in table]
    columns = [_column(table[SCORE_COLUMNS[prop]].to_numpy()) for prop in names]
    flags = [table[role].to_numpy(dtype=bool).tolist() for role in ROLE_NAMES]
    reasons = [table[f"{role}_reason"].tolist() for role in ROLE_NAMES]
    actors = [str(a) for a in table.index]
    roles = [[r for r, f in zip(ROLE_NAMES, flags) if f[i]] for i in range(len(actors))]
    by_name = dict(zip(names, columns))
    nothing = [None] * len(actors)
    broker_rank, betweenness_rank = rank_columns(actors, roles, by_name.get("betweenness", nothing),
                                                 by_name.get("in_degree", nothing))
    rows = []
    for i, (actor, values) in enumerate(zip(actors, zip(*columns))):
        props = {k: v for k, v in zip(names, values) if v is not None}
        props.update(network=network, run_id=run_id, actor_id=actor, roles=roles[i],
                     reasons=[f"{r}: {reasons[ROLE_NAMES.index(r)][i]}" for r in roles[i]],
                     betweenness_rank=betweenness_rank[i])
        if broker_rank[i] is not None:
            props["broker_rank"] = broker_rank[i]
        rows.append({"actor": actor, "props": with_actor_columns(props, actors_columns.get(actor))})
    return rows


def block_properties(graph, blocks) -> dict:
    """The layer block table of a run as AnalysisRun properties (parallel lists: a Neo4j
    property cannot hold maps), read by layer-links, weak-layer-links and fragility for the
    whole network instead of reading every tie again.

    ``block_layers``/``block_sizes``: the groups (layers) of the population and their
    actors; per cell with ties: ``block_from``, ``block_to``, ``block_ties`` (distinct
    arcs), ``block_senders``, ``block_receivers``, ``block_carriers`` (distinct actors at
    either end) and ``block_carrier_ids`` (their ids joined by U+001F, sorted, for cells of
    at most BLOCK_LIST_MAX_TIES ties; else "").
    """
    codes, labels = graph.group_codes
    k = len(labels)
    sizes = np.bincount(codes, minlength=k) if k else np.zeros(0, dtype=int)
    arcs = graph.arcs()
    cell_of_arc = codes[arcs.src] * k + codes[arcs.dst] if k else np.zeros(0, dtype=int)
    nodes = np.asarray([str(v) for v in graph.nodes], dtype=object)
    out = {key: [] for key in ("block_from", "block_to", "block_ties", "block_senders", "block_receivers",
                               "block_carriers", "block_carrier_ids")}
    for row in blocks.itertuples(index=False):
        if int(row.ties) == 0:
            continue
        out["block_from"].append(str(row.from_group))
        out["block_to"].append(str(row.to_group))
        out["block_ties"].append(int(row.ties))
        out["block_senders"].append(int(row.senders))
        out["block_receivers"].append(int(row.receivers))
        out["block_carriers"].append(int(row.actors))
        ids = ""
        if int(row.ties) <= BLOCK_LIST_MAX_TIES:
            c = labels.index(str(row.from_group)) * k + labels.index(str(row.to_group))
            mask = cell_of_arc == c
            ids = CARRIER_SEPARATOR.join(sorted(set(nodes[arcs.src[mask]]) | set(nodes[arcs.dst[mask]])))
        out["block_carrier_ids"].append(ids)
    out["block_layers"] = [str(label) for label in labels]
    out["block_sizes"] = [int(n) for n in sizes]
    return out


def write_scores(kb: KnowledgeBase, run_id: str, rows: list[dict], sessions: int = WRITE_SESSIONS) -> None:
    """The run's Score nodes, in chunks of CHUNK rows committed by `sessions` sessions at
    once (the run is still `writing`: nothing reads it before finish-run)."""
    cypher = statement("analysis/write-scores")
    chunks = [rows[start:start + CHUNK] for start in range(0, len(rows), CHUNK)]
    if sessions > 1 and len(chunks) > 1:
        with ThreadPoolExecutor(min(sessions, len(chunks))) as pool:
            list(pool.map(lambda chunk: kb.write(cypher, {"run": run_id, "rows": chunk}), chunks))
    else:
        for chunk in chunks:
            kb.write(cypher, {"run": run_id, "rows": chunk})


def default_workers() -> int:
    """Processes for the sampled path measures: the machine's CPUs, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


def load_count(kb: KnowledgeBase) -> int:
    """The finished loads that changed data (recorded on a run as `loads`)."""
    return kb.read(statement("analysis/loads"))[0]["loads"]


@dataclass
class Computed:
    """One network analysed, not yet written back (compute_network; write_run writes it)."""

    network: str
    graph: TieGraph
    result: Analysis
    loads: int
    thresholds: RoleThresholds
    thresholds_from: str
    scope: TieScope
    seconds: dict
    columns: dict | None = None  # read_actor_columns, shared by the networks of one command


def compute_network(kb: KnowledgeBase, network: str, thresholds: RoleThresholds = RoleThresholds(),
                    thresholds_from: str = "defaults", scope: TieScope = EVERY_TIE, graph: TieGraph | None = None,
                    loads: int | None = None, columns: dict | None = None, **options) -> Computed:
    """Project one network type (unless `graph`, its projection, is given with `loads`, the
    load count read before it) and analyse it (`options` go to kb.analytics.analyse, e.g.
    `directed_paths=True`). `columns`: read_actor_columns, when read once for several networks."""
    start = time.perf_counter()
    if graph is None:
        # Read before the projection: a load finished after it changes the count, so readers
        # of stored results (brokerage-roles) can tell that the run no longer matches the data.
        loads = load_count(kb)
        graph = project(kb, network, scope=scope)
    projected = time.perf_counter()
    options.setdefault("workers", default_workers())
    result = analyse(graph, thresholds=thresholds, **options)
    seconds = {"projection": projected - start, "computation": time.perf_counter() - projected}
    return Computed(network, graph, result, int(loads), thresholds, thresholds_from, scope, seconds, columns)


def write_run(kb: KnowledgeBase, done: Computed) -> RunReport:
    """Write a computed network back as its new current run for its scope (a round's, a
    date's, or the default one that the named queries read), which records the analyst's
    choices (directed paths, thresholds and their source) and its scope; then delete the
    runs it retired."""
    start = time.perf_counter()
    network, graph, result, scope, thresholds = done.network, done.graph, done.result, done.scope, done.thresholds
    run_id = uuid.uuid4().hex
    now = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    kb.write(statement("analysis/start-run"), {
        "id": run_id, "network": network, "at": now,
        "parameters": json.dumps(result.parameters, default=plain),
        "summary": json.dumps(result.network, default=plain),
        "max_coreness": int(result.network["max_coreness"]), "actors": graph.n, "ties": graph.m,
        "loads": done.loads, "blocks": {**block_properties(graph, result.blocks), **run_properties(graph, result)},
        "directed_paths": bool(result.parameters["directed_paths"]),
        "thresholds": json.dumps(thresholds.to_dict(), default=plain), "thresholds_from": done.thresholds_from,
        "thresholds_changed": [f"{k}={v}" for k, v in thresholds.changed().items()],
        "scope": scope.key, **scope.parameters()})
    columns = done.columns if done.columns is not None else read_actor_columns(kb)
    write_scores(kb, run_id, score_rows(result, network, run_id, columns))
    if scope == EVERY_TIE:  # the run the named queries read: its block table's synthetic cells
        mark_block_synthetic(kb, run_id)
        store_query_tables(kb, run_id)
    kb.write(statement("analysis/finish-run"), {"id": run_id, "at": now})
    kb.write_in_batches(statement("analysis/prune-runs"), {"network": network})
    seconds = {**done.seconds, "write_back": time.perf_counter() - start}
    return RunReport(network, run_id, graph.n, graph.m, int(result.network["hubs"]),
                     int(result.network["gatekeepers"]), int(result.network["pulsetakers"]),
                     {k: round(v, 3) for k, v in seconds.items()}, scope.key)


def analyse_network(kb: KnowledgeBase, network: str, thresholds: RoleThresholds = RoleThresholds(),
                    thresholds_from: str = "defaults", scope: TieScope = EVERY_TIE, **options) -> RunReport:
    """Project one network type, analyse it and write the scores back as the network's new
    current run for `scope` (compute_network, then write_run)."""
    return write_run(kb, compute_network(kb, network, thresholds, thresholds_from, scope, **options))


def networks_to_analyse(kb: KnowledgeBase, configured) -> list[str]:
    present = {r["network"] for r in kb.read(statement("analysis/networks"))}
    return [n for n in configured if n in present] + [ALL_NETWORKS]


def stored_run_is_current(kb: KnowledgeBase, network: str) -> bool:
    """Does the network's current analysis run still match the data, so that its stored
    results (scores, block table) stand for the graph as it is now?

    Every score of the run is there (`kb forget` removes one), no load is under way, and
    no load that changed data has finished since the run projected the graph (run.loads).
    The named queries that can read stored results take the answer as `$stored`
    (kb.store.named_queries.run_named fills it); without it they count live.
    """
    return bool(run_state(kb, network)["matches"])


def run_state(kb: KnowledgeBase, network: str) -> dict:
    """The network's current run in one read: `matches` (stored_run_is_current), `actors`
    and `computed_at` (None, None without a run)."""
    return kb.read(statement("analysis/current-run-matches"), {"network": network})[0]
