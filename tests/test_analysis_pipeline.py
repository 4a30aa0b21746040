"""`kb analyse` of several network types (issue 16 part 2): one read of every tie split by
type gives each type the graph of its own projection, and the pipelined service (each
network written while the next is computed) stores what one network at a time stores."""

from __future__ import annotations

import numpy as np

from kb.services.analysis import analyse
from kb.store.analysis_runs import analyse_network, networks_to_analyse, project, project_networks
from kb.store.known_ids import known_ids
from kb.store.writer import write_batch
from kb.settings import DEFAULT_NETWORK_TYPES
from loaders import read_paths, validate
from tests.conftest import DATA_DIR


def _load(kb):
    batch = validate(read_paths([DATA_DIR]), DEFAULT_NETWORK_TYPES, known_ids(kb))
    write_batch(kb, batch, DEFAULT_NETWORK_TYPES, progress=False)


def _arcs(graph):
    a = graph.arcs()
    nodes = np.asarray(graph.nodes, dtype=object)
    return sorted(zip(nodes[a.src], nodes[a.dst], a.weight.tolist()))


def _scores(kb):
    rows = kb.read("MATCH (r:AnalysisRun {current: true})<-[:IN_RUN]-(s:Score) RETURN r.network AS network, "
                   "r.actors AS actors, r.ties AS ties, r.block_ties AS blocks, properties(s) AS s")
    out = {}
    for r in rows:
        s = {k: v for k, v in r["s"].items() if k != "run_id"}
        out[(r["network"], s["actor_id"])] = s
        out[(r["network"], "run")] = (r["actors"], r["ties"], r["blocks"])
    return out


def test_one_typed_read_gives_every_network_its_own_projection(kb):
    _load(kb)
    networks = networks_to_analyse(kb, DEFAULT_NETWORK_TYPES)
    assert len(networks) > 2
    graphs = project_networks(kb, networks)
    assert list(graphs) == networks
    for network in networks:
        alone = project(kb, network)
        assert graphs[network].nodes == alone.nodes, network
        assert graphs[network].groups == alone.groups, network
        assert _arcs(graphs[network]) == _arcs(alone), network


def test_the_pipelined_service_stores_what_one_network_at_a_time_stores(kb, test_settings):
    _load(kb)
    networks = networks_to_analyse(kb, DEFAULT_NETWORK_TYPES)
    for network in networks:
        analyse_network(kb, network)
    one_by_one = _scores(kb)
    seen = []
    reports = analyse(test_settings, kb, on_report=lambda r: seen.append(
        (r.network, kb.read("MATCH (r:AnalysisRun {id: $id}) RETURN r.current AS c", {"id": r.run_id})[0]["c"])))
    assert [r.network for r in reports] == networks
    assert seen == [(n, True) for n in networks]  # in order, each current when reported
    assert _scores(kb) == one_by_one
    # the previous runs were pruned: one run per network
    assert kb.read("MATCH (r:AnalysisRun) RETURN count(r) AS n")[0]["n"] == len(networks)
