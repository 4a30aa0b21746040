"""Loading benchmark: the project's loader against Neo4j's own LOAD CSV and a row-by-row loop.

    .venv/bin/python -m bench.load --actors 100000 --ties 1000000 --profile

On one throwaway local Neo4j (kb.neo4j_server.LocalServer, its own temp home, a free port, heap
4g, page cache 1g), with the schema of cypher/schema/ applied and the database emptied
(and the plan cache cleared) before each measurement, it loads the same synthetic
knowledge base (kb.services.generate) three ways:

(a) loader   - what `kb load DIR` does, in a subprocess: loaders.read_paths + validate
               (with known_ids against the database) + kb.store.writer.write_batch with the
               default settings (one transaction up to KB_LOAD_TRANSACTION_ROWS rows,
               staged in committed chunks above). Wall time of the process, the time of
               each stage, the writer's time per table, and the peak RSS of the process.
(b) LOAD CSV - Neo4j reads the same CSV files from its import folder and runs the
               equivalent MERGEs (same labels, relationships and properties except the
               writer's content_hash) in `CALL { } IN TRANSACTIONS OF 10000 ROWS`.
(c) row by row - one parameterised MERGE query per CSV row through the driver, all in one
               transaction, on a SAMPLE: the small tables in full, then --sample-ties
               random ties and the organisations and people they connect; the time per
               row of each table is extrapolated linearly to the full table sizes.

The relationship index `tie_network` (cypher/schema/002-indexes.cypher) makes Neo4j plan
`MERGE (a)-[:TIE {network: ...}]->(b)` on an empty database as an index seek on the
network followed by a filter on the two ends: every tie row then reads all the ties of its
network so far, and a load is quadratic in the number of ties. The project's writer looks
the tie up from its two actors instead (cypher/writer/ties.cypher), so the loader runs with
the schema as is; LOAD CSV and row by row use MERGE, so for them that index is dropped
before each load and rebuilt after it (--tie-index defer, the default; the rebuild time is
reported), and a small study (--index-study) shows the growth with the index kept.

(d) bulk     - `kb load --bulk` (kb.services.bulk_load) of the same files into the emptied
               database of the same server, run last because it stops and restarts the
               server: validation as in (a), the importer's CSV files (with the load's record
               in the history), `neo4j-admin database import full`, the restart, the
               constraints (the indexes are populated in the background: the time until they
               are online is reported apart) and the :Load record (no embeddings, as (a)).
               Its wall time end to end against (b): goal <= 1/3. Its graph must equal the
               loader's: counts per label and type, and every property (apart from the
               load's id and time, and the history's :Change, CHANGED and `version`, which
               the loader here does not write) of about 300 sampled actors and their ties.

Both full loads must produce the same graph (node counts per label, relationship counts
per type, apart from the loader's :Load node); the benchmark checks this. Wall times are
what a user sees; CPU seconds (the server JVM's and the client process's) are reported
too because other work on the machine inflates wall times. With --profile it then runs
the loader once more under cProfile and reports where its time goes. Results go to
docs/benchmarks.md (section "Loading") and bench/out/load-*.json.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.common import (clear_database, connect, fmt_rate, fmt_s, graph_shape, loadavg, local_server, machine,
                          max_rss_mb, now_utc, process_cpu_seconds, process_hwm_mb, read_section, rss_mb,
                          save_json, self_cpu_seconds, write_section)
from kb.settings import DEFAULT_NETWORK_TYPES, PROJECT_ROOT, default
from kb.store.cypher import statement as cypher_statement

TABLES = ("sources", "problems", "localities", "organisations", "people", "innovations", "adoptions", "ties")
# LOAD CSV commits as often as the loader does: every KB_LOAD_CHUNK_ROWS rows (its default).
TX_ROWS = default("KB_LOAD_CHUNK_ROWS")
TIE_INDEX = "tie_network"

# -- the equivalent Cypher, shared by LOAD CSV (b) and the row-by-row loop (c) -------------
# Each table's statement (cypher/bench/load/<table>.cypher), in LOAD CSV (cypher/bench/
# load-csv.cypher) or for one row (cypher/bench/load-row.cypher) in place of their `// BODY`.
TABLE_BODIES = {
    "sources": "bench/load/sources", "problems": "bench/load/problems", "localities": "bench/load/localities",
    "organisations": "bench/load/organisations", "people": "bench/load/people",
    "innovations": "bench/load/innovations", "adoptions": "bench/load/adoptions", "ties": "bench/load/ties",
}
BODY = "// BODY\n"


def _with_body(wrapper: str, table: str) -> str:
    text = cypher_statement(wrapper)
    assert text.count(BODY) == 1, wrapper
    return text.replace(BODY, cypher_statement(TABLE_BODIES[table]))


def load_csv_statement(table: str) -> str:
    text = _with_body("bench/load-csv", table)
    assert f"IN TRANSACTIONS OF {TX_ROWS} ROWS" in text
    return text


def row_statement(table: str) -> str:
    return _with_body("bench/load-row", table)


def vocabulary(tx) -> None:
    from kb.model import LAYERS

    tx.run(cypher_statement("writer/vocabulary"),
           layers=[{"id": k, "name": v, "rank": i} for i, (k, v) in enumerate(LAYERS.items())],
           networks=list(DEFAULT_NETWORK_TYPES)).consume()


# -- (a) the loader, in its own process --------------------------------------------------------
def loader_child(data: Path, uri: str, profile: Path | None = None) -> tuple[dict, bool]:
    """`kb load DATA` in-process, timed per stage. Returns the results and whether it worked;
    a failure (e.g. the server refusing the transaction) keeps the timings up to it."""
    import kb.store.writer as writer
    from kb.store.known_ids import known_ids
    from kb.store.connection import KnowledgeBase
    from kb.settings import load_settings
    from loaders import read_paths, validate

    result: dict = {"rss_start_mb": rss_mb()}
    settings = load_settings(env_file=None, environ={}, neo4j_uri=uri, neo4j_password=os.environ.get("NEO4J_PASSWORD"))
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    ok = False
    t0 = t1 = t2 = time.perf_counter()
    try:
        batch = read_paths([data])
        t1 = time.perf_counter()
        result.update(read=t1 - t0, rss_after_read_mb=rss_mb())
        with KnowledgeBase.connect(settings) as kb:
            clean = validate(batch, settings.kb_network_types, known_ids(kb))
            t2 = time.perf_counter()
            result.update(validate=t2 - t1, rss_after_validate_mb=rss_mb(),
                          rows=sum(len(v) for v in clean.records.values()))
            del batch
            # As `kb load` does, with the default settings: one transaction up to
            # KB_LOAD_TRANSACTION_ROWS rows, staged above.
            summary = writer.write_batch(kb, clean, settings.kb_network_types, progress=False,
                                         transaction_rows=settings.kb_load_transaction_rows,
                                         chunk=settings.kb_load_chunk_rows)
        result["counts"] = summary.counts
        result["staged"] = summary.staged
        # Time per table in the server (driver + statement, and in a staged load the commit
        # of each chunk); the rows of the next chunk are built meanwhile in a thread.
        result["write_tables"] = summary.seconds
        ok = True
    except Exception as exc:
        result["error"] = _last_error_line(f"{type(exc).__name__}: {exc}")
    finally:
        t3 = time.perf_counter()
        if profiler:
            profiler.disable()
            profiler.dump_stats(str(profile))
    result.update(write=t3 - t2, total=t3 - t0, max_rss_mb=max_rss_mb())
    return result, ok


class LoadFailed(RuntimeError):
    """The loader process failed; `result` keeps what was measured up to then."""

    def __init__(self, message: str, result: dict):
        super().__init__(message)
        self.result = result


def _last_error_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    errors = [line for line in lines if "Error" in line or "Exception" in line]
    return (errors or lines or ["(no output)"])[-1][:600]


def _watch_transactions(uri: str, stop, peak: dict) -> None:
    """Poll SHOW TRANSACTIONS: the largest estimated heap of any write transaction."""
    from neo4j import GraphDatabase

    password = os.environ.get("NEO4J_PASSWORD")
    with GraphDatabase.driver(uri, auth=("neo4j", password) if password else None) as driver:
        while not stop.is_set():
            try:
                records, _, _ = driver.execute_query(cypher_statement("bench/transaction-heap"))
                heap = records[0]["heap"] or 0
                peak["tx_heap_bytes"] = max(peak.get("tx_heap_bytes", 0), heap)
            except Exception:  # the server is busy or the query is unsupported: keep going
                pass
            stop.wait(1.0)


def run_loader(data: Path, uri: str, profile: Path | None = None) -> dict:
    """The loader in a fresh `python` process: its wall time, CPU seconds and peak RSS, and
    the peak estimated heap of its transaction in the server."""
    import threading

    cmd = [sys.executable, "-m", "bench.load", "--child-loader", str(data), "--uri", uri]
    if profile:
        cmd += ["--child-profile", str(profile)]
    peak: dict = {}
    stop = threading.Event()
    watcher = threading.Thread(target=_watch_transactions, args=(uri, stop, peak), daemon=True)
    watcher.start()
    try:
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            started = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=PROJECT_ROOT)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
    finally:
        stop.set()
        watcher.join(timeout=10)
    measured = {"wall": wall, "client_cpu": usage.ru_utime + usage.ru_stime,
                "child_max_rss_mb": usage.ru_maxrss / 1024, "tx_heap_mb": peak.get("tx_heap_bytes", 0) / 2**20}
    try:
        result = json.loads(stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        result = {"error": _last_error_line(stderr or stdout)}
    result.update(measured)
    if proc.returncode != 0:
        raise LoadFailed(f"the loader failed after {wall:.0f}s: {result.get('error', '?')}", result)
    return result


# -- (b) LOAD CSV ---------------------------------------------------------------------------
def run_load_csv(kb, server, data: Path) -> dict:
    import_dir = server.home / "import" / "bench"
    shutil.rmtree(import_dir, ignore_errors=True)
    import_dir.mkdir(parents=True)
    for table in TABLES:
        shutil.copyfile(data / f"{table}.csv", import_dir / f"{table}.csv")
    params = {"load_id": uuid.uuid4().hex,
              "loaded_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}
    times: dict[str, float] = {}
    started = time.perf_counter()
    with kb.driver.session(database=kb.database) as session:
        t = time.perf_counter()
        session.execute_write(vocabulary)
        times["vocabulary"] = time.perf_counter() - t
        for table in TABLES:
            t = time.perf_counter()
            session.run(load_csv_statement(table), url=f"file:///bench/{table}.csv",
                        file=str(data / f"{table}.csv"), **params).consume()
            times[table] = time.perf_counter() - t
    return {"wall": time.perf_counter() - started, "tables": times}


# -- (d) bulk: `kb load --bulk`, Neo4j's offline importer -----------------------------------
PER_LOAD = ("load_id", "loaded_at")  # differ between any two loads
# The history's record of a load (a :Change linked by CHANGED to every node it wrote, each
# at `version` 1): `kb load --bulk` writes it as `kb load` does, the loader (a) here does not
# (it runs write_batch alone), so it is left out of the comparison.
HISTORY = ("version",)


def sample_ids(data: Path, n: int = 300) -> list[str]:
    """Every k-th organisation and person id of the generated files (about n of them)."""
    ids = []
    for table in ("organisations", "people"):
        with open(data / f"{table}.csv", newline="", encoding="utf-8") as f:
            ids += [row["id"] for row in csv.DictReader(f)]
    return ids[::max(1, len(ids) // n)]


def sample_graph(kb, ids: list[str]) -> dict:
    """The sampled actors and their ties with every property but the load's id and time."""
    def clean(props):
        return {k: v for k, v in props.items() if k not in PER_LOAD and k not in HISTORY}

    actors = {r["id"]: [sorted(r["labels"]), clean(r["props"])]
              for r in kb.read(cypher_statement("bench/sample-actors"), {"ids": ids})}
    ties = {f"{r['from']}>{r['to']}:{r['network']}": clean(r["props"])
            for r in kb.read(cypher_statement("bench/sample-ties"), {"ids": ids})}
    return {"actors": actors, "ties": ties}


def bulk_settings(server):
    """Settings naming the bench's server as the local server kb runs (its home is
    <state>/neo4j), so that `kb load --bulk` may stop and start it."""
    from kb.settings import load_settings

    return load_settings(env_file=None, environ={}, kb_state_dir=server.home.parent, kb_neo4j_port=server.port,
                         kb_neo4j_lib=server.lib_dir, kb_neo4j_heap=server.heap, kb_neo4j_pagecache=server.pagecache)


def run_bulk(server, data: Path, ids: list[str]) -> tuple[dict, dict, dict]:
    """`kb load --bulk` (kb.services.bulk_load, without the embeddings for `kb find`, as the
    loader (a) runs without them) on the emptied database: its wall time end to end
    (validate, files, stop, import, start, schema, :Load record), each step, the CPU of
    this process and of the importer; then the graph's shape and the sample, read on a new
    connection (the server was restarted)."""
    import resource

    from kb.services.bulk_load import bulk_load
    from kb.store.connection import KnowledgeBase
    from kb.store.schema import await_indexes

    settings = bulk_settings(server)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    mine = self_cpu_seconds()
    started = time.perf_counter()
    with KnowledgeBase.connect(settings) as kb:
        done = bulk_load(settings, kb, [data], embed=False)
    wall = time.perf_counter() - started
    # The indexes are populated in the background after the load returns: how much later
    # they are all online (not counted in `wall`, as LOAD CSV's tie_network rebuild is not).
    with KnowledgeBase.connect(settings) as kb:
        await_indexes(kb)
    indexes = time.perf_counter() - started - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = {"wall": wall, "steps": done.seconds, "nodes": done.nodes, "relationships": done.relationships,
              "importer_cpu": (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime),
              "client_cpu": self_cpu_seconds() - mine, "importer": done.importer[-600:], "indexes_after": indexes}
    with KnowledgeBase.connect(settings) as kb:
        shape = graph_shape(kb)
        sample = sample_graph(kb, ids)
    shape["labels"].pop("Load", None)
    shape["labels"].pop("Change", None)
    shape["relationships"].pop("CHANGED", None)
    return result, shape, sample


# -- (c) row by row, on a sample -------------------------------------------------------------
def _read_rows(path: Path) -> list[tuple[int, dict]]:
    with open(path, newline="", encoding="utf-8") as f:
        return [(line, {k: (v if v != "" else None) for k, v in row.items()})
                for line, row in enumerate(csv.DictReader(f), start=2)]


def sample_rows(data: Path, sample_ties: int, seed: int = 1) -> dict[str, list[tuple[int, dict]]]:
    """The small tables in full; a random sample of ties and the actors at their ends."""
    with open(data / "ties.csv", newline="", encoding="utf-8") as f:
        n = sum(1 for _ in f) - 1
    picked = set(random.Random(seed).sample(range(n), min(sample_ties, n)))
    with open(data / "ties.csv", newline="", encoding="utf-8") as f:  # keep only the sample in memory
        ties = [(i + 2, {k: (v if v != "" else None) for k, v in row.items()})
                for i, row in enumerate(csv.DictReader(f)) if i in picked]
    actors = {r["from"] for _, r in ties} | {r["to"] for _, r in ties}
    rows = {t: _read_rows(data / f"{t}.csv") for t in TABLES if t != "ties"}
    rows["organisations"] = [r for r in rows["organisations"] if r[1]["id"] in actors]
    rows["people"] = [r for r in rows["people"] if r[1]["id"] in actors]
    rows["ties"] = ties
    return rows


def run_row_by_row(kb, data: Path, sample: dict[str, list[tuple[int, dict]]], autocommit_ties: int = 2000) -> dict:
    params = {"load_id": uuid.uuid4().hex,
              "loaded_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}
    times: dict[str, float] = {}
    started = time.perf_counter()
    with kb.driver.session(database=kb.database) as session:
        with session.begin_transaction() as tx:
            vocabulary(tx)
            for table in TABLES:
                statement = row_statement(table)
                file = str(data / f"{table}.csv")
                t = time.perf_counter()
                for line, row in sample[table]:
                    tx.run(statement, row=row, line=line, file=file, **params).consume()
                times[table] = time.perf_counter() - t
            t = time.perf_counter()
            tx.commit()
            times["commit"] = time.perf_counter() - t
        wall = time.perf_counter() - started
        # The same ties again, one auto-commit transaction each (the actors stay).
        session.run(cypher_statement("bench/delete-ties")).consume()
        statement, file = row_statement("ties"), str(data / "ties.csv")
        ties = sample["ties"][:autocommit_ties]
        t = time.perf_counter()
        for line, row in ties:
            session.run(statement, row=row, line=line, file=file, **params).consume()
        autocommit = {"rows": len(ties), "wall": time.perf_counter() - t}
    return {"wall": wall, "tables": times, "rows": {t: len(rows) for t, rows in sample.items()},
            "autocommit_ties": autocommit}


def extrapolate(measured: dict, full_rows: dict[str, int]) -> dict:
    """Each table's time per row times its full size; the commit in proportion to all rows."""
    est = {}
    for table in TABLES:
        n = measured["rows"][table]
        est[table] = measured["tables"][table] / n * full_rows[table] if n else 0.0
    sample_total = sum(measured["rows"].values())
    est["commit"] = measured["tables"]["commit"] * sum(full_rows.values()) / max(sample_total, 1)
    scale = sum(full_rows.values()) / max(sample_total, 1)
    result = {"tables": est, "wall": sum(est.values()),
              "server_cpu": measured.get("server_cpu", 0.0) * scale,
              "client_cpu": measured.get("client_cpu", 0.0) * scale}
    auto = measured.get("autocommit_ties")
    if auto and auto["rows"]:
        result["autocommit_ties_wall"] = auto["wall"] / auto["rows"] * full_rows["ties"]
    return result


# -- diagnosis: the writer's own statements, one transaction per chunk ----------------------------
def run_writer_chunked(kb, data: Path) -> dict:
    """kb.store.writer's statements and rows, but each chunk committed on its own (like LOAD CSV's
    batches); reading, validating and building the rows are done first and not timed."""
    from kb.store.writer import CHUNK, TABLE_STATEMENTS, statement_row, file_index
    from loaders import read_paths, validate
    from kb.model import WRITE_ORDER

    clean = validate(read_paths([data]), DEFAULT_NETWORK_TYPES, None)
    files = file_index(r for name in WRITE_ORDER for r in clean.records[name])
    provenance = {"load_id": "diagnosis", "loaded_at": "now", "files": list(files)}
    plan = [(name, [statement_row(r, files) for r in clean.records[name]]) for name in WRITE_ORDER]
    del clean
    times: dict[str, float] = {}
    started = time.perf_counter()
    with kb.driver.session(database=kb.database) as session:
        session.execute_write(vocabulary)
        for name, rows in plan:
            if not rows:
                continue
            statement = cypher_statement(TABLE_STATEMENTS[name])
            t = time.perf_counter()
            for start in range(0, len(rows), CHUNK):
                session.execute_write(lambda tx: tx.run(statement, rows=rows[start:start + CHUNK],
                                                        **provenance).consume())
            times[name] = time.perf_counter() - t
    return {"wall": time.perf_counter() - started, "tables": times}


# -- the measurement harness ---------------------------------------------------------------------
def plan_operators(kb, statement: str, **params) -> list[str]:
    """The operators of the plan Neo4j picks for a statement now (EXPLAIN; nothing runs)."""
    with kb.driver.session(database=kb.database) as session:
        plan = session.run("EXPLAIN " + statement, **params).consume().plan
    ops: list[str] = []

    def walk(p):
        ops.append(p["operatorType"].split("@")[0])
        for child in p.get("children", []):
            walk(child)

    walk(plan)
    return ops


def tie_merge_plan(kb) -> str:
    """How the writer's ties.cypher would MERGE a tie on this database: index seek or expand."""
    ops = plan_operators(kb, cypher_statement("writer/ties"), rows=[])
    for op in ops:
        if "RelationshipIndexSeek" in op or op.startswith("Expand"):
            return op
    return "?"


def rebuild_schema(kb) -> float:
    from kb.store.schema import apply_schema

    started = time.perf_counter()
    apply_schema(kb)
    return time.perf_counter() - started


def measure(kb, server, run, defer_tie_index: bool) -> tuple[dict, dict]:
    """Empty the database, run one load, and take its wall time, CPU seconds and graph shape."""
    clear_database(kb)
    if defer_tie_index:
        kb.write(cypher_statement("bench/drop-index"), {"name": TIE_INDEX})
    plan = tie_merge_plan(kb)
    kb.write(cypher_statement("bench/clear-query-caches"))
    pid = server.state().pid
    server_cpu, self_cpu, load_before = process_cpu_seconds(pid), self_cpu_seconds(), loadavg()
    try:
        result = run()
    except Exception as exc:  # e.g. the server refusing a transaction too big for its heap
        result = {**getattr(exc, "result", {}), "full": False}
        result["error"] = _last_error_line(f"{type(exc).__name__}: {exc}")
    result["server_cpu"] = process_cpu_seconds(pid) - server_cpu
    result.setdefault("client_cpu", self_cpu_seconds() - self_cpu)
    result["loadavg"] = [load_before, loadavg()]
    result["tie_merge_plan"] = plan
    shape = graph_shape(kb) if result.pop("full", True) else {}
    result["schema_rebuild"] = rebuild_schema(kb) if defer_tie_index else 0.0
    return result, shape


def index_study(kb, server, workdir: Path, sizes: list[int], log) -> list[dict]:
    """Loader and LOAD CSV with the project's schema as is vs with the tie index deferred."""
    from kb.services.generate import generate

    out = []
    for n in sizes:
        data = workdir / f"study-{n}"
        generate(data, localities=2, actors=2000, ties=n, innovations=10, seed=7)
        uri = f"neo4j://127.0.0.1:{server.port}"
        for schema, defer in (("project schema", False), ("tie index deferred", True)):
            loader, _ = measure(kb, server, lambda: run_loader(data, uri), defer)
            csv_, _ = measure(kb, server, lambda: run_load_csv(kb, server, data), defer)
            row = {"ties": n, "schema": schema, "plan": loader["tie_merge_plan"],
                   "loader_wall": loader["wall"], "loader_ties": loader.get("write_tables", {}).get("ties", 0.0),
                   "loader_server_cpu": loader["server_cpu"], "load_csv_wall": csv_["wall"],
                   "load_csv_ties": csv_["tables"]["ties"], "load_csv_server_cpu": csv_["server_cpu"]}
            out.append(row)
            log(f"index study {n} ties, {schema} ({row['plan']}): loader {row['loader_wall']:.1f}s "
                f"(ties {row['loader_ties']:.1f}s), LOAD CSV {row['load_csv_wall']:.1f}s "
                f"(ties {row['load_csv_ties']:.1f}s)")
        shutil.rmtree(data, ignore_errors=True)
    return out


# -- the profile --------------------------------------------------------------------------------
PROFILE_FUNCTIONS = (
    ("loaders/detect.py", "read_paths"), ("loaders/tables.py", "read_csv"),
    ("loaders/tables.py", "load_entity_sheet"), ("loaders/rows.py", "make_record"),
    ("loaders/rows.py", "convert"), ("loaders/rows.py", "_blank"), ("kb/model/records.py", "add"),
    ("loaders/validation.py", "validate"), ("loaders/validation.py", "_dedupe"),
    ("loaders/validation.py", "_content"), ("kb/model/records.py", "key"),
    ("kb/store/writer.py", "write_batch"), ("kb/store/writer.py", "<listcomp>"), ("kb/store/writer.py", "statement_row"),
    ("kb/store/writer.py", "_key"), ("kb/store/writer.py", "work"), ("neo4j/_sync/work/transaction.py", "run"),
    ("neo4j/_sync/work/result.py", "single"),
)


def summarise_profile(path: Path, top: int = 20) -> dict:
    import pstats

    stats = pstats.Stats(str(path))
    entries = []
    for (file, line, func), (cc, nc, tt, ct, _) in stats.stats.items():
        entries.append({"where": f"{_short(file)}:{line}({func})", "file": file, "func": func, "calls": nc,
                        "tottime": tt, "cumtime": ct})
    named = []
    for suffix, func in PROFILE_FUNCTIONS:
        hits = [e for e in entries if e["file"].endswith(suffix) and e["func"] == func]
        if hits:
            named.append(max(hits, key=lambda e: e["cumtime"]))
    return {"total": stats.total_tt, "by_tottime": sorted(entries, key=lambda e: -e["tottime"])[:top],
            "named": named}


def _short(file: str) -> str:
    for marker in ("site-packages/", str(PROJECT_ROOT) + "/"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


# -- the report ---------------------------------------------------------------------------------
def _table(rows: list[list[str]], header: list[str]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def _cpu(result: dict) -> str:
    return f"{result['server_cpu']:,.0f} + {result['client_cpu']:,.0f} s"


def _gib(size: str) -> float:
    units = {"k": 2**-20, "m": 2**-10, "g": 1.0}
    try:
        return float(size[:-1]) * units[size[-1].lower()]
    except (KeyError, ValueError, IndexError):
        return 0.0


def _ok(result: dict | None) -> bool:
    return bool(result) and "error" not in result


def _ratio(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def findings(r: dict) -> list[str]:
    """What the numbers of this run say, in words (computed, so they stay true on a re-run)."""
    a, b, c, chunked = r["loader"], r["load_csv"], r["row_by_row"], r.get("writer_chunked")
    est = r.get("row_by_row_estimate")
    out = []
    if not _ok(a) and "MemoryPoolOutOfMemoryError" in a.get("error", ""):
        out.append(f"The loader cannot write this knowledge base in its one transaction with a {r['heap']} heap: "
                   f"after {fmt_s(a['wall'])} the server refused the transaction, in the "
                   f"`{a.get('write_reached', '?')}` statement, at about {a.get('tx_heap_mb', 0) / 1024:.1f} GiB "
                   "(`dbms.memory.transaction.total.max`, 70% of the heap by default). Everything is kept in "
                   "the server's transaction state until the commit, so the heap a load needs grows with its "
                   "size; LOAD CSV, committing every 10,000 rows, needs no more heap at 1M rows than at 10k.")
    if "read" in a:
        python = a["read"] + a.get("validate", 0) + a.get("write_prepare", 0)
        out.append(f"Python work before the first write: {fmt_s(python)} (`read_paths` "
                   f"{fmt_s(a['read'])}, `validate` {fmt_s(a.get('validate', 0))}"
                   + (f", building the rows {fmt_s(a['write_prepare'])}" if "write_prepare" in a else
                      "; the rows are built chunk by chunk in a thread while the server writes")
                   + ")" + (f", {python / b['wall']:.0%} of LOAD CSV's whole load" if _ok(b) else "")
                   + ("; see the profile for where." if r.get("profile") else ".")
                   + " A clean CSV table is read a column at a time (`loaders/columnar.py`: Arrow's CSV parser, "
                   "then each column typed and checked as one list; a table with any problem in it goes row by "
                   "row, which reports each one), with Python's cyclic garbage collector paused while the "
                   "records are made; `validate` checks vocabularies a column at a time.")
    if _ok(a) and _ok(b) and "write_tables" in a and "read" in a:
        python = a["read"] + a.get("validate", 0)
        gaps = sorted(((a["write_tables"].get(t, 0.0) - b["tables"].get(t, 0.0), t) for t in TABLES), reverse=True)
        write = sum(a["write_tables"].values())
        out.append(f"Where the loader's extra {fmt_s(a['wall'] - b['wall'])} over LOAD CSV go: reading and "
                   f"validating every file before anything is written, {fmt_s(python)} (LOAD CSV checks nothing: "
                   "a wrong layer or an unknown actor is loaded as it is, or silently skipped); start-up "
                   f"{fmt_s(a['wall'] - a.get('total', a['wall']))}; and writing, {fmt_s(write - b['wall'])} more "
                   f"({', '.join(f'{t} +{fmt_s(g)}' for g, t in gaps[:3] if g > 0)}): the look-ups that keep loads "
                   "idempotent and tell created/updated/unchanged apart, the content hash stored per row, and "
                   f"the `{TIE_INDEX}` index kept up to date during the load (LOAD CSV's is rebuilt afterwards, "
                   f"{fmt_s(b.get('schema_rebuild', 0))}, not counted). The writes alone are "
                   f"{write / b['wall']:.2f}x LOAD CSV.")
    if _ok(chunked) and "write_tables" in a:
        pairs = [(t, a["write_tables"][t], chunked["tables"].get(t)) for t in ("organisations", "people", "ties")
                 if t in a["write_tables"] and chunked["tables"].get(t)]
        if pairs:
            out.append("The writer's own Cypher is not the bottleneck: the same statements and rows, committed "
                       f"per chunk of 10,000 rows, wrote everything in {fmt_s(chunked['wall'])}"
                       + (f" (LOAD CSV: {fmt_s(b['wall'])})" if _ok(b) else "")
                       + "; inside the loader's one growing transaction the same statements took "
                       + ", ".join(f"{fmt_s(x)} instead of {fmt_s(y)} for {t}" for t, x, y in pairs)
                       + (" (up to the failure)" if not _ok(a) else "") + ".")
    study = [s for s in r.get("index_study", []) if s["schema"] == "project schema"]
    deferred = {s["ties"]: s for s in r.get("index_study", []) if s["schema"] != "project schema"}
    if len(study) >= 2:
        lo, mid, hi = study[0], study[-2], study[-1]
        # t = t0 + k * n^2 through the two largest sizes (planning makes up the constant).
        k = (hi["loader_ties"] - mid["loader_ties"]) / (hi["ties"] ** 2 - mid["ties"] ** 2)
        full = r["args"]["ties"]
        at_full = hi["loader_ties"] + k * (full ** 2 - hi["ties"] ** 2)
        out.append(f"With the project's `{TIE_INDEX}` index, writing ties grows quadratically: "
                   f"{lo['ties']:,} -> {hi['ties']:,} ties took {fmt_s(lo['loader_ties'])} -> "
                   f"{fmt_s(hi['loader_ties'])} in the loader (LOAD CSV: {fmt_s(lo['load_csv_ties'])} -> "
                   f"{fmt_s(hi['load_csv_ties'])}); without the index "
                   f"{fmt_s(deferred.get(hi['ties'], {}).get('loader_ties', float('nan')))} for {hi['ties']:,}. "
                   + (f"Fitting t = a + b n^2 to the two largest sizes gives about {at_full / 3600:,.0f} hours "
                      f"for the {full:,} ties of this run, for the loader and LOAD CSV alike, which is why the "
                      "index is dropped for the measurements above." if k > 0 else ""))
    if _ok(b) and est:
        out.append(f"Row by row (extrapolated) is {est['wall'] / b['wall']:.1f}x slower than LOAD CSV here"
                   + (f" and {est['wall'] / a['wall']:.1f}x slower than the loader." if _ok(a) else "."))
    return out


def bulk_lines(r: dict) -> list[str]:
    """The bulk load's lines of the report: (d) against LOAD CSV, with its steps."""
    d = r.get("bulk")
    if not d:
        return []
    if not _ok(d):
        return [f"- (d) `kb load --bulk` **failed**: {d.get('error', '?')[:300]}"]
    ratio = r["ratios"].get("bulk_over_load_csv")
    steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in d["steps"].items())
    same = r.get("bulk_same_graph")
    sample = r.get("bulk_sample", {})
    loads = r.get("loadavg_bulk", [0, 0])
    return [f"- (d) **`kb load --bulk`** (kb.services.bulk_load: validate as `kb load`, write the importer's files "
            f"while the server stops, `neo4j-admin database import full`, start the server, apply the constraints "
            f"and create the indexes, record the :Load; no embeddings, as (a)): **{fmt_s(d['wall'])}** for "
            f"{d['nodes']:,} nodes and {d['relationships']:,} relationships ({steps}; CPU of its child processes "
            f"(the importer, and the forked writer of the ties file) {d['importer_cpu']:.0f} s, client CPU "
            f"{d['client_cpu']:.0f} s; load average {loads[0]:.1f} to {loads[-1]:.1f}). It records the load in "
            f"the history as `kb load` does (a :Change linked to every written node, written with the import files); "
            f"its indexes are populated in the background after it returns: all online "
            f"{d.get('indexes_after', 0):.1f} s later (not counted, as LOAD CSV's `tie_network` rebuild is not).",
            f"- **bulk / LOAD CSV = {_ratio(ratio)}** in wall time on the same files and server (goal <= 1/3: "
            f"{'met' if ratio is not None and ratio <= 1 / 3 else 'NOT met'}); same graph as the loader (counts "
            f"per label and type, and every property of {sample.get('actors', 0):,} sampled actors and their "
            f"{sample.get('ties', 0):,} ties apart from the load's id and time): "
            f"**{'yes' if same else 'NO'}**."]


def report(r: dict) -> str:
    a, b, c, est = r["loader"], r["load_csv"], r["row_by_row"], r.get("row_by_row_estimate")
    counts = r["generated"]
    n_rows = sum(counts.values())
    ratios = r["ratios"]
    m = r["machine"]
    defer = r["args"]["tie_index"] == "defer"

    def method_row(label, result, rss, wall=None):
        if not _ok(result):
            error = result.get("error", "?").replace("|", "/")
            if "message: " in error:
                error = error.split("message: ", 1)[1].split("}", 1)[0]
            return [label, f"**failed**: {error[:300]}", "-", _cpu(result) if "server_cpu" in result else "-",
                    rss]
        wall = result["wall"] if wall is None else wall
        return [label, fmt_s(wall), fmt_rate(n_rows, wall), _cpu(result), rss]

    lines = [
        f"Run {r['date']} with `{r['command']}` (from the project root, with `.venv/bin/python`).",
        "",
        f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, {m['os']}; Python {m['python']}, "
        f"neo4j driver {m.get('neo4j driver', '?')}, numpy {m.get('numpy', '?')}, {m['java']}. "
        f"Load average during the run: {r['loadavg_range'][0]:.1f} to {r['loadavg_range'][1]:.1f} "
        "(the machine was shared with other work: wall times are inflated; CPU seconds are steadier).",
        f"- Neo4j {r['neo4j']['version']} {r['neo4j']['edition']}, the local server of `kb.neo4j_server` "
        f"(heap {r['heap']}, page cache {r['pagecache']}), schema of `cypher/schema/` applied, database "
        "emptied and plan cache cleared before each measurement"
        + (f"; for (b) and (c) the `{TIE_INDEX}` index dropped before each load and rebuilt after it (see "
           "below), the loader (a) with the project's schema as is." if defer else "; the project's schema as is."),
        f"- Data: `kb generate --localities {r['args']['localities']} --actors {r['args']['actors']} "
        f"--ties {r['args']['ties']} --innovations {r['args']['innovations']} --seed {r['args']['seed']}` "
        f"({fmt_s(r['generate_seconds'])} to generate): "
        + ", ".join(f"{counts[t]:,} {t}" for t in TABLES if t in counts) + f" ({n_rows:,} rows, "
        f"{r['data_mb']:.0f} MB of CSV).",
        "",
        "#### Results",
        "",
        _table([
            method_row("(a) project loader (`kb load` equivalent: read_paths + validate + write_batch, "
                       + ("staged: committed per chunk of 10,000 rows under an in-progress :Load record"
                          if a.get("staged") else "one transaction") + "; the project's schema as is)",
                       a, f"{a.get('child_max_rss_mb', 0):,.0f} MiB"),
            method_row(f"(b) Neo4j LOAD CSV, `CALL {{ }} IN TRANSACTIONS OF {TX_ROWS} ROWS`", b, "(in the server)"),
            method_row(f"(c) row by row, one MERGE query per row, one transaction: **extrapolated** from a sample "
                       f"of {sum(c.get('rows', {}).values()):,} rows (measured: {fmt_s(c.get('wall', 0))})",
                       {**c, **(est or {})} if _ok(c) else c, "-", wall=(est or {}).get("wall")),
        ], ["method", "wall time", "rows/s", "CPU: server + client", "peak RSS of the loading process"]),
        "",
        f"- **loader / LOAD CSV = {_ratio(ratios['loader_over_load_csv'])}** in wall time (goal <= 1.5: "
        f"{'met' if (ratios['loader_over_load_csv'] or 99) <= 1.5 else 'NOT met'}); "
        f"{_ratio(ratios['loader_over_load_csv_cpu'])} in CPU seconds (server + client).",
        f"- **row-by-row / loader = {_ratio(ratios['row_by_row_over_loader'])}** in wall time (goal >= 10: "
        f"{'met' if (ratios['row_by_row_over_loader'] or 0) >= 10 else 'NOT met'}); "
        f"{_ratio(ratios['row_by_row_over_loader_cpu'])} in CPU seconds (row by row in one transaction, "
        "extrapolated)."
        + (f" With one auto-commit transaction per row, as a plain `session.run` loop does: "
           f"**{_ratio(ratios['autocommit_over_loader'])}** (its ties alone against the loader's whole load)."
           if ratios.get("autocommit_over_loader") else ""),
    ]
    lines += bulk_lines(r)
    if a.get("tx_heap_mb"):
        lines.append(f"- The loader's {'largest transaction (one chunk)' if a.get('staged') else 'one transaction'} "
                     f"reached an estimated {a['tx_heap_mb']:,.0f} MiB of server heap "
                     "(`SHOW TRANSACTIONS`, polled every second); Neo4j refuses a transaction beyond "
                     "`dbms.memory.transaction.total.max`, by default 70% of the heap"
                     + (f" ({0.7 * _gib(r['heap']):.1f} GiB here)." if _gib(r["heap"]) else "."))
    if "same_graph" in r:
        lines.append("- Both full loads produced the same graph: "
                     + ("yes" if r["same_graph"] else f"NO ({r.get('graph_difference')})")
                     + " (node counts per label, relationship counts per type; the loader adds one :Load "
                     "node): " + ", ".join(f"{n:,} :{k}" for k, n in sorted(r["graph"]["labels"].items()))
                     + "; " + ", ".join(f"{n:,} :{k}" for k, n in sorted(r["graph"]["relationships"].items()))
                     + ".")
    if defer:
        lines.append(f"- Rebuilding the `{TIE_INDEX}` index (and the rest of the schema, idempotent) after "
                     f"LOAD CSV, not included above: {fmt_s(b['schema_rebuild'])}.")
    auto = (c.get("autocommit_ties") or {}) if _ok(c) else {}
    if auto.get("rows") and est and est.get("autocommit_ties_wall"):
        one_tx = c["tables"]["ties"] / max(c["rows"]["ties"], 1)
        lines.append(f"- Row by row with one auto-commit transaction per row instead (measured on {auto['rows']:,} of "
                     f"the sampled ties): {auto['wall'] / auto['rows'] * 1000:.2f} ms per tie against "
                     f"{one_tx * 1000:.2f} ms in one transaction; the {counts['ties']:,} ties alone would take "
                     f"{fmt_s(est['autocommit_ties_wall'])}"
                     + (f", {est['autocommit_ties_wall'] / a['wall']:.1f}x the loader's whole load." if _ok(a) else "."))
    found = findings(r)
    if found:
        lines += ["", "#### Findings", ""] + [f"- {f}" for f in found]
    if "read" in a:
        reached = a.get("write_reached", "?")
        where = "at the end of the transaction (creating the :Load node or committing)" \
            if reached == "layer_links" else f"in the `{reached}` statement"
        failed = "" if _ok(a) else (f" It **failed** {where}" + (
            f", on attempt {a['attempts']} (the driver retries a transaction that fails with a transient error "
            "within 30 s; the figures below are for the last attempt)" if a.get("attempts", 1) > 1 else "")
            + ", so the write figures are up to the failure.")
        lines += [
            "",
            "#### Where the loader's time goes",
            "",
            f"The loader process ({fmt_s(a['wall'])} wall time, {fmt_s(a['total'])} of it in the stages below; "
            f"the rest is Python start-up and imports).{failed}",
            "",
            _table([
                ["`read_paths` (CSV -> records)", fmt_s(a["read"]), f"{a.get('rss_after_read_mb', 0):,.0f} MiB"],
                ["`validate` (with `known_ids` against the database)", fmt_s(a.get("validate", 0)),
                 f"{a.get('rss_after_validate_mb', 0):,.0f} MiB"],
                *([["`write_batch`: building every row (content hash, props) in Python",
                    fmt_s(a.get("write_prepare", 0)), ""]] if "write_prepare" in a else []),
                ["`write_batch`: " + ("the committed chunks" if a.get("staged") else "the transaction")
                 + " (driver + server, per table below" + ("" if "write_prepare" in a else
                                                           "; rows built meanwhile in a thread") + ")",
                 fmt_s(a.get("write", 0) - a.get("write_prepare", 0)), f"peak {a['max_rss_mb']:,.0f} MiB"],
            ], ["stage", "time", "RSS after"]),
        ]
    chunked = r.get("writer_chunked")
    lines += ["", "Per table: the loader (its statements' time in the server, commits included when staged), "
              + ("the writer's statements with one transaction per chunk of 10,000 rows (diagnosis, rows built "
                 "beforehand), " if chunked else "")
              + "LOAD CSV (batches of 10,000 rows), and row by row (measured on the sample / extrapolated):", ""]
    rows = []
    for table in TABLES:
        row = [table, f"{counts.get(table, 0):,}",
               fmt_s(a["write_tables"][table]) if table in a.get("write_tables", {}) else "-"]
        if chunked:
            row.append(fmt_s(chunked.get("tables", {}).get(table, 0.0)) if _ok(chunked) else "failed")
        row.append(fmt_s(b["tables"][table]) if _ok(b) else "-")
        row.append(f"{fmt_s(c['tables'][table])} for {c['rows'][table]:,} rows / {fmt_s(est['tables'][table])}"
                   if _ok(c) else "-")
        rows.append(row)
    commit = ["commit", "", fmt_s(a["write_tables"].get("layer_links", 0.0)) + " (and the :Load node)"
              if "layer_links" in a.get("write_tables", {}) else "-"]
    if chunked:
        commit.append("(per chunk)")
    commit += ["(per batch)", f"{fmt_s(c['tables']['commit'])} / {fmt_s(est['tables']['commit'])}" if _ok(c) else "-"]
    rows.append(commit)
    total = ["total", f"{n_rows:,}", (fmt_s(a["write"] - a.get("write_prepare", 0)) + ("" if _ok(a) else
                                                                                       " (failed)"))
             if "write" in a else "-"]
    if chunked:
        total.append(fmt_s(chunked["wall"]) if _ok(chunked) else "-")
    total += [fmt_s(b["wall"]) if _ok(b) else "-", f"{fmt_s(c['wall'])} / {fmt_s(est['wall'])}" if _ok(c) else "-"]
    rows.append(total)
    header = ["table", "rows", "loader"] + (["writer statements, chunked"] if chunked else []) + \
        ["LOAD CSV", "row by row (sample / est.)"]
    lines.append(_table(rows, header))
    if chunked and _ok(chunked):
        lines += ["", f"CPU of the diagnosis run: {_cpu(chunked)} (server + client)."]
    if r.get("profile"):
        p, pa = r["profile"], r["loader_profiled"]
        lines += ["", "#### Profile of the loader", "",
                  f"cProfile of the same loader process, on the same data (profiling overhead included: "
                  f"{fmt_s(pa['wall'])} wall time, {fmt_s(pa.get('read', 0))} read, "
                  f"{fmt_s(pa.get('validate', 0))} validate, {fmt_s(pa.get('write', 0))} write"
                  + ("" if _ok(pa) else f", then it failed in the `{pa.get('write_reached', '?')}` statement")
                  + "; waiting for the server shows as `recv_into`):", "",
                  _table([[f"`{e['where']}`", f"{e['calls']:,}", fmt_s(e["cumtime"]), fmt_s(e["tottime"])]
                          for e in p["named"]], ["function", "calls", "cumulative", "own"]),
                  "", "Top functions by own time:", "",
                  _table([[f"`{e['where']}`", f"{e['calls']:,}", fmt_s(e["tottime"]), fmt_s(e["cumtime"])]
                          for e in p["by_tottime"][:15]], ["function", "calls", "own", "cumulative"])]
    if r.get("index_study"):
        lines += ["", f"#### The `{TIE_INDEX}` index makes loading ties quadratic", "",
                  f"With the index of `cypher/schema/002-indexes.cypher` (`FOR ()-[r:TIE]-() ON (r.network)`), "
                  "Neo4j plans the writer's `MERGE (a)-[n:TIE {network: ...}]->(b)` on an empty (or small) "
                  "database as a `DirectedRelationshipIndexSeek` on the network and a filter on the two ends, so "
                  "each tie reads every tie of its network written so far; the plan is made once per statement "
                  "and, inside the loader's single transaction, statistics never change, so it stays for the "
                  "whole load. Without the index (or once the database holds many ties) it is an `Expand(Into)` "
                  "between the two actors. Small loads (2,000 actors, 2 localities), loader and LOAD CSV, each "
                  "on an empty database:", "",
                  _table([[f"{s['ties']:,}", s["schema"], f"`{s['plan']}`", fmt_s(s["loader_wall"]),
                           fmt_s(s["loader_ties"]), fmt_s(s["load_csv_wall"]), fmt_s(s["load_csv_ties"])]
                          for s in r["index_study"]],
                         ["ties", "schema", "tie MERGE plan", "loader", "loader: ties", "LOAD CSV",
                          "LOAD CSV: ties"])]
    lines += ["", "#### Notes", "",
              "- (a) is timed as the wall time of a fresh `python` process (start-up and imports included), "
              "like a user running `kb load`; its peak memory is that process's `ru_maxrss` (from `os.wait4`); "
              "its CPU is the server JVM's CPU seconds during the load plus the loader process's.",
              "- (b) sets the same properties as the writer (the CSV columns with their types, except a tie's "
              "`from` and `to`, which are its two ends, and source_file, "
              "source_row, load_id, loaded_at) except `content_hash`, which Cypher cannot compute; on an "
              "empty database it skips the writer's clean-up of old relationships (there are none).",
              "- (c) is NOT a full measurement: it loads the small tables in full and a random sample of ties "
              "plus the organisations and people they connect, then scales each table's time per row to the "
              "full row count (linear extrapolation; MERGE on an indexed id grows only logarithmically "
              "with the database, so this slightly flatters the full-size run).",
              f"- Raw numbers: `bench/out/{r['json_name']}.json`" + (
                  ", profile: `bench/out/load-loader.prof`." if r.get("profile") else ".")]
    return "\n".join(lines)


LOADING_INTRO = """\
How fast the project's loader (`kb load`) fills an empty Neo4j, against Neo4j's own `LOAD CSV` of the
same files and a naive row-by-row loop, on synthetic knowledge bases from `kb generate`. Written by
`bench/load.py` (see its docstring for the method); one subsection per size, newest run of each size
kept. Goals: loader / LOAD CSV <= 1.5 and row-by-row / loader >= 10."""


def run_heading(r: dict) -> str:
    a = r["args"]
    return f"{a['actors']:,} actors, {a['ties']:,} ties (heap {r['heap']})"


def update_docs(heading: str, text: str) -> None:
    """Put this run's subsection into the Loading section, keeping the other sizes' runs."""
    body = read_section("Loading") or ""
    blocks: dict[str, str] = {}
    current = None
    for line in body.splitlines():
        if line.startswith("### "):
            current = line[4:].strip()
            blocks[current] = ""
        elif current is not None:
            blocks[current] += line + "\n"
    blocks = {h: b for h, b in blocks.items() if re.search(r"actors, .* ties", h)}  # runs only
    blocks[heading] = "\n" + text.strip() + "\n\n"

    def size(h: str) -> tuple:
        numbers = [int(x.replace(",", "")) for x in re.findall(r"[\d,]+(?= (?:actors|ties))", h)]
        return tuple(-n for n in reversed(numbers))  # most ties first

    ordered = sorted(blocks, key=size)
    write_section("Loading", LOADING_INTRO + "\n\n" + "".join(f"### {h}\n{blocks[h]}" for h in ordered))


# -- main -----------------------------------------------------------------------------------------
def _terminate(signum, frame):  # so that `finally` stops the server on SIGTERM (e.g. `timeout`)
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--localities", type=int, default=None, help="default: one per 1000 actors")
    parser.add_argument("--innovations", type=int, default=None, help="default: one per 50 actors")
    parser.add_argument("--seed", type=int, default=2008)
    parser.add_argument("--sample-ties", type=int, default=20_000, help="ties loaded row by row (c)")
    parser.add_argument("--heap", default="4g")
    parser.add_argument("--pagecache", default="1g")
    parser.add_argument("--tie-index", choices=("defer", "keep"), default="defer",
                        help=f"drop the {TIE_INDEX} index before each load and rebuild it after (defer), "
                             "or keep the project's schema as is (keep: quadratic in ties)")
    parser.add_argument("--index-study", default="5000,10000,20000",
                        help="tie counts for the small study of the tie index ('' to skip)")
    parser.add_argument("--profile", action="store_true", help="also profile the loader with cProfile")
    parser.add_argument("--diagnose", action="store_true",
                        help="also run the writer's statements with one transaction per chunk")
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md")
    parser.add_argument("--no-bulk", action="store_true", help="skip (d), the bulk load (kb load --bulk)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (data, server home)")
    parser.add_argument("--render", type=Path, nargs="+", metavar="JSON",
                        help="only re-write docs/benchmarks.md from saved bench/out/load-*.json results")
    parser.add_argument("--child-loader", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--uri", help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.render:  # re-write the docs from saved results, without measuring
        for path in args.render:
            results = json.loads(path.read_text())
            update_docs(run_heading(results), report(results))
            print(f"rendered {path} into the Loading section of docs/benchmarks.md")
        return 0
    if args.child_loader:
        result, ok = loader_child(args.child_loader, args.uri, args.child_profile)
        print(json.dumps(result))
        return 0 if ok else 3

    signal.signal(signal.SIGTERM, _terminate)
    localities = args.localities or max(1, args.actors // 1000)
    innovations = args.innovations if args.innovations is not None else max(1, args.actors // 50)
    command = "python -m bench.load " + shlex.join(sys.argv[1:] if argv is None else argv)
    workdir = Path(tempfile.mkdtemp(prefix="kb-bench-load-"))
    data = workdir / "data"
    defer = args.tie_index == "defer"
    results: dict = {"command": command.strip(), "date": now_utc(), "machine": machine(), "heap": args.heap,
                     "pagecache": args.pagecache,
                     "args": {"actors": args.actors, "ties": args.ties, "localities": localities,
                              "innovations": innovations, "seed": args.seed, "sample_ties": args.sample_ties,
                              "tie_index": args.tie_index}}
    loads = [loadavg()]
    log = lambda msg: (loads.append(loadavg()), print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True))  # noqa: E731
    try:
        from kb.services.generate import generate
        from kb.store.schema import apply_schema

        log(f"generating {args.actors} actors, {args.ties} ties in {data}")
        generated = generate(data, localities=localities, actors=args.actors, ties=args.ties,
                             innovations=innovations, seed=args.seed)
        results["generated"] = generated.counts
        results["generate_seconds"] = generated.seconds
        results["data_mb"] = sum(p.stat().st_size for p in data.iterdir()) / 1e6
        log(f"generated in {generated.seconds:.1f}s: {generated.counts}")
        with local_server(workdir / "neo4j", heap=args.heap, pagecache=args.pagecache) as server:
            uri = f"neo4j://127.0.0.1:{server.port}"
            with connect(server) as kb:
                results["neo4j"] = kb.server_info()
                apply_schema(kb)
                log(f"Neo4j {results['neo4j']['version']} on {uri}")

                # Warm up the server (JIT) on a small load, so that no method pays for it alone.
                warm = workdir / "warmup"
                generate(warm, localities=2, actors=500, ties=5000, innovations=10, seed=1)
                measure(kb, server, lambda: run_loader(warm, uri), False)
                measure(kb, server, lambda: run_load_csv(kb, server, warm), defer)
                log("warmed up")

                log("(a) loader ...")
                # The loader with the project's schema as is (its tie writer does not depend on
                # the index being absent); LOAD CSV and row by row with the index deferred.
                results["loader"], shape_loader = measure(kb, server, lambda: run_loader(data, uri), False)
                if _ok(results["loader"]):
                    log(f"(a) loader: {results['loader']['wall']:.1f}s, peak RSS "
                        f"{results['loader']['child_max_rss_mb']:.0f} MiB, tie MERGE plan "
                        f"{results['loader']['tie_merge_plan']}")
                else:
                    log(f"(a) loader failed: {results['loader']['error'][:500]}")
                ids = sample_ids(data)
                sample_loader = sample_graph(kb, ids) if _ok(results["loader"]) else None

                log("(b) LOAD CSV ...")
                results["load_csv"], shape_csv = measure(kb, server, lambda: run_load_csv(kb, server, data), defer)
                log(f"(b) LOAD CSV: {results['load_csv'].get('wall', 0):.1f}s {results['load_csv'].get('error', '')}")
                if _ok(results["loader"]) and _ok(results["load_csv"]):
                    shape_loader["labels"].pop("Load", None)
                    results["same_graph"] = shape_loader == shape_csv
                    if not results["same_graph"]:
                        results["graph_difference"] = {"loader": shape_loader, "load_csv": shape_csv}
                    results["graph"] = shape_csv

                log(f"(c) row by row on a sample of {args.sample_ties} ties ...")
                sample = sample_rows(data, args.sample_ties)
                results["row_by_row"], _ = measure(kb, server, lambda: {**run_row_by_row(kb, data, sample),
                                                                        "full": False}, defer)
                if _ok(results["row_by_row"]):
                    results["row_by_row_estimate"] = extrapolate(results["row_by_row"], generated.counts)
                    log(f"(c) row by row: {results['row_by_row']['wall']:.1f}s measured, "
                        f"{results['row_by_row_estimate']['wall']:.0f}s extrapolated")
                else:
                    log(f"(c) row by row failed: {results['row_by_row']['error'][:500]}")

                if args.profile:
                    log("profiling the loader ...")
                    prof = workdir / "loader.prof"
                    results["loader_profiled"], _ = measure(kb, server, lambda: run_loader(data, uri, prof), False)
                    if prof.exists():
                        results["profile"] = summarise_profile(prof)
                        (Path(__file__).parent / "out").mkdir(exist_ok=True)
                        shutil.copyfile(prof, Path(__file__).parent / "out" / "load-loader.prof")

                if args.diagnose:
                    log("diagnosis: the writer's statements, one transaction per chunk ...")
                    results["writer_chunked"], _ = measure(kb, server, lambda: run_writer_chunked(kb, data), defer)

                sizes = [int(x) for x in args.index_study.split(",") if x.strip()]
                if sizes:
                    log(f"index study: {sizes} ties with and without the {TIE_INDEX} index ...")
                    results["index_study"] = index_study(kb, server, workdir, sizes, log)

                if not args.no_bulk:
                    # Last: it stops and restarts the server (this connection's pool is then stale).
                    log("(d) bulk load (kb load --bulk) ...")
                    clear_database(kb)
                    results["loadavg_bulk"] = [loadavg()]
                    try:
                        results["bulk"], shape_bulk, sample_bulk = run_bulk(server, data, ids)
                    except Exception as exc:
                        results["bulk"] = {"error": _last_error_line(f"{type(exc).__name__}: {exc}")}
                    results["loadavg_bulk"].append(loadavg())
                    if _ok(results["bulk"]):
                        log(f"(d) bulk: {results['bulk']['wall']:.1f}s {results['bulk']['steps']}")
                        results["bulk_same_graph"] = shape_bulk == results.get("graph") and sample_bulk == sample_loader
                        results["bulk_sample"] = {"actors": len(sample_bulk["actors"]), "ties": len(sample_bulk["ties"])}
                        if shape_bulk != results.get("graph"):
                            results["bulk_graph_difference"] = {"bulk": shape_bulk, "load_csv": results.get("graph")}
                        elif sample_bulk != sample_loader:
                            results["bulk_sample_difference"] = [k for k in sample_bulk["actors"]
                                                                 if sample_bulk["actors"][k] != (sample_loader or {}).get(
                                                                     "actors", {}).get(k)][:10]
                    else:
                        log(f"(d) bulk failed: {results['bulk']['error'][:500]}")
                else:
                    clear_database(kb)
            state = server.state()
            results["server_peak_rss_mb"] = process_hwm_mb(state.pid) if state else None
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    loads.append(loadavg())
    results["loadavg_range"] = [min(loads), max(loads)]
    name = f"load-{args.actors}-{args.ties}"
    results["json_name"] = name
    a, b, est = results["loader"], results["load_csv"], results.get("row_by_row_estimate")
    ok_ab, ok_ae = _ok(a) and _ok(b), _ok(a) and est is not None
    results["ratios"] = {
        "loader_over_load_csv": a["wall"] / b["wall"] if ok_ab else None,
        "row_by_row_over_loader": est["wall"] / a["wall"] if ok_ae else None,
        "loader_over_load_csv_cpu": (a["server_cpu"] + a["client_cpu"]) / (b["server_cpu"] + b["client_cpu"])
        if ok_ab else None,
        "row_by_row_over_loader_cpu": (est["server_cpu"] + est["client_cpu"]) / (a["server_cpu"] + a["client_cpu"])
        if ok_ae else None,
        "autocommit_over_loader": est["autocommit_ties_wall"] / a["wall"]
        if ok_ae and est.get("autocommit_ties_wall") else None,
        "bulk_over_load_csv": results["bulk"]["wall"] / b["wall"] if _ok(results.get("bulk")) and _ok(b) else None,
    }
    save_json(name, results)
    text = report(results)
    print(text)
    if not args.no_docs:
        update_docs(run_heading(results), text)
        print("wrote the Loading section of docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
