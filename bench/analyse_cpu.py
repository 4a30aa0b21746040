"""CPU seconds of `kb analyse`'s three phases, before and after issue 16, on a loaded KB.

    .venv/bin/python -m bench.analyse_cpu --home HOME [--network all]

Wall times on a shared machine measure the queue for the CPUs as much as the work (the
issue-16 run saw load averages of 15-30 on 2 CPUs). This benchmark therefore also counts
CPU seconds: the client process's (and its forked workers') and the Neo4j server's
(/proc/PID/stat), for each phase, old code and new, on the same server and data:

- projection: before, the population query and one row per tie (cypher/bench/analyse-cpu-old-*.cypher)
  turned into a TieGraph by `from_edges`; now, `kb.store.analysis_runs.project`;
- computation: `kb.analytics.analyse(graph, workers=1)` (CPU seconds do not depend on workers);
- write-back: the score rows converted value by value and written by one session (before), and
  `score_rows` + `write_scores` (now), each on a throwaway run deleted afterwards.

HOME is a local server home holding a loaded knowledge base (e.g. kept by `bench.analytics --keep`);
the server is started on a free port and stopped at the end. Prints one JSON line per phase and
saves bench/out/analyse-cpu.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from pathlib import Path

from bench.common import connect, local_server, machine, now_utc, process_cpu_seconds, save_json
from kb.store.cypher import statement


def client_cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.analyse_cpu", description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, required=True, help="local server home with a loaded KB")
    parser.add_argument("--network", default="all")
    parser.add_argument("--heap", default="4g")
    args = parser.parse_args(argv)

    from kb.analytics import analyse, from_edges
    from kb.store import analysis_runs as ar

    out = {"command": "python -m bench.analyse_cpu " + " ".join(sys.argv[1:] if argv is None else argv),
           "date": now_utc(), "machine": machine(), "phases": []}
    with local_server(args.home, heap=args.heap) as server, connect(server) as kb:
        pid = server.state().pid

        def measure(label, fn):
            s0, c0, w0, l0 = process_cpu_seconds(pid), client_cpu(), time.perf_counter(), os.getloadavg()[0]
            value = fn()
            row = {"phase": label, "wall": round(time.perf_counter() - w0, 1),
                   "client_cpu": round(client_cpu() - c0, 1), "server_cpu": round(process_cpu_seconds(pid) - s0, 1),
                   "loadavg": [round(l0, 1), round(os.getloadavg()[0], 1)]}
            print(json.dumps(row), flush=True)
            out["phases"].append(row)
            return value

        def old_project():
            population = kb.read(statement("bench/analyse-cpu-old-population"))
            ties = kb.read(statement("bench/analyse-cpu-old-ties"), {"network": args.network})
            groups = {r["id"]: r["layer"] for r in population}
            return from_edges([(t["source"], t["target"], float(t["weight"])) for t in ties], groups=groups,
                              nodes=list(groups))

        kb.read(statement("analysis/actor-count"))  # connect before timing
        old = measure("projection, before", old_project)
        shape = (old.n, old.m)
        del old
        graph = measure("projection, now", lambda: ar.project(kb, args.network))
        assert (graph.n, graph.m) == shape, ((graph.n, graph.m), shape)
        out["graph"] = {"actors": graph.n, "arcs": graph.m}
        result = measure("computation, now (workers=1)", lambda: analyse(graph, workers=1))
        out["timings"] = result.timings

        def old_rows(run_id):
            table = result.nodes
            columns = {p: table[c].to_numpy() for p, c in ar.SCORE_COLUMNS.items() if c in table}
            reasons = {role: table[f"{role}_reason"].to_numpy() for role in ar.ROLE_NAMES}
            rows = []
            for i, actor in enumerate(table.index):
                props = {p: ar.plain(v[i]) for p, v in columns.items()}
                props = {k: v for k, v in props.items() if v is not None}
                roles = [r for r in ar.ROLE_NAMES if props.get(r)]
                props.update(network=args.network, run_id=run_id, actor_id=str(actor), roles=roles,
                             reasons=[f"{r}: {reasons[r][i]}" for r in roles])
                rows.append({"actor": str(actor), "props": props})
            return rows

        def write(rows_of, sessions):
            run_id = "bench-cpu-" + uuid.uuid4().hex
            kb.write(statement("bench/analyse-cpu-start-run"), {"id": run_id})
            ar.write_scores(kb, run_id, rows_of(run_id), sessions=sessions)

        try:
            measure("write-back, before", lambda: write(old_rows, 1))
            measure("write-back, now", lambda: write(lambda rid: ar.score_rows(result, args.network, rid),
                                                     ar.WRITE_SESSIONS))
        finally:
            kb.write_in_batches(statement("bench/analyse-cpu-delete-runs"))
    save_json("analyse-cpu", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
