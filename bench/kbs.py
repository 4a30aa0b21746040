"""Building the knowledge bases the benchmarks measure: the sizes (case base, a synthetic
size, an already loaded home), generating, loading as `kb load` does (in one transaction or
in parts), the schema with relationship-property indexes deferred, and `kb analyse` timed.
Shared by bench.analytics, bench.queries, bench.readers and bench.transfer (none of them
imports another for these)."""

from __future__ import annotations

import gc
import re
import shutil
import time
from pathlib import Path

from kb.settings import DEFAULT_NETWORK_TYPES, PROJECT_ROOT

CASEBASE = "casebase"
LOADED = "loaded"  # --loaded-home: the knowledge base already in a local server's home
SINGLE_NETWORK = "innovation"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# -- sizes, generating, loading -------------------------------------------------------------
def parse_size(text: str) -> tuple[int, int] | str:
    """`casebase` or `ACTORSxTIES` (e.g. 10000x100000)."""
    if text == CASEBASE:
        return CASEBASE
    actors, ties = text.lower().split("x")
    return int(actors), int(ties)


def size_label(size) -> str:
    if size == LOADED:
        return "the knowledge base already loaded (--loaded-home)"
    return "bundled case base (`data/`)" if size == CASEBASE else f"{size[0]:,} actors, {size[1]:,} ties"


def generate_size(size, workdir: Path, seed: int) -> tuple[Path, dict]:
    """The folder to load for a size, and how it was made."""
    if size == CASEBASE:
        return PROJECT_ROOT / "data", {"source": "data/"}
    from kb.services.generate import generate

    actors, ties = size
    localities, innovations = max(1, actors // 1000), max(1, actors // 50)
    out = workdir / f"data-{actors}-{ties}"
    gen = generate(out, localities=localities, actors=actors, ties=ties, innovations=innovations, seed=seed)
    return out, {"source": f"kb generate --localities {localities} --actors {actors} --ties {ties} "
                           f"--innovations {innovations} --seed {seed}",
                 "counts": gen.counts, "seconds": gen.seconds}


# The schema's relationship-property index on TIE(network) makes the writer's
# `MERGE (a)-[n:TIE {network: ...}]->(b)` plan as a DirectedRelationshipIndexSeek on
# network followed by a filter on the endpoints: every MERGE scans all ties of that
# network type (including those added earlier in the same transaction), so a load is
# quadratic in the number of ties (10k actors / 100k ties had not finished after 30 min).
# The benchmark therefore creates such indexes after each load (timed), unless
# --schema-first asks for the order `kb init` + `kb load` would use.
_REL_INDEX = re.compile(r"^\s*CREATE\s+INDEX\s+(\w+)\s+IF\s+NOT\s+EXISTS\s+FOR\s*\(\s*\)\s*-", re.I)


DEFERRED_NOTE = (
    "**Schema order:** the relationship-property index on `TIE(network)` (cypher/schema/002-indexes.cypher) "
    "is created *after* each load, not before: with it in place, the writer's "
    "`MERGE (a)-[n:TIE {network: ...}]->(b)` (cypher/writer/ties.cypher) is planned as a "
    "DirectedRelationshipIndexSeek on `network` followed by a filter on the two endpoints, so every tie "
    "scans all ties of its network type written so far and the load is quadratic (10,000 actors / 100,000 "
    "ties had not finished after 30 minutes). Queries and analyses below run with the full schema.")


def apply_schema_deferred(kb, defer: bool = True) -> list[str]:
    """The schema of cypher/schema/, without relationship-property indexes when `defer`;
    returns the deferred statements (create them with create_deferred after a load)."""
    from kb.store.schema import await_indexes, schema_statements

    statements = schema_statements()
    deferred = [s for s in statements if defer and _REL_INDEX.match(s)]
    kb.run_statements([s for s in statements if s not in deferred])
    await_indexes(kb)
    return deferred


def create_deferred(kb, deferred: list[str]) -> float:
    started = time.perf_counter()
    if deferred:
        from kb.store.schema import await_indexes

        kb.run_statements(deferred)
        await_indexes(kb, 600)
    return time.perf_counter() - started


def drop_deferred(kb, deferred: list[str]) -> None:
    from kb.store.cypher import statement

    for index in deferred:
        kb.write(statement("bench/drop-index"), {"name": _REL_INDEX.match(index).group(1)})


class LoadTooBig(RuntimeError):
    """The server ran out of transaction memory for the one-transaction load."""


def gib(size: str) -> float:
    units = {"k": 1 / 1024 ** 2, "m": 1 / 1024, "g": 1.0, "t": 1024.0}
    return float(size[:-1]) * units[size[-1].lower()] if size[-1].lower() in units else float(size) / 1024 ** 3


def load_dir(kb, data: Path) -> dict:
    """What `kb load DATA` does: read_paths + validate + write_batch (one transaction), timed."""
    from neo4j.exceptions import TransientError

    from kb.store.known_ids import known_ids

    from kb.store.writer import write_batch
    from loaders import read_paths, validate

    t0 = time.perf_counter()
    batch = read_paths([data])
    t1 = time.perf_counter()
    clean = validate(batch, DEFAULT_NETWORK_TYPES, known_ids(kb))
    t2 = time.perf_counter()
    del batch
    try:
        summary = write_batch(kb, clean, DEFAULT_NETWORK_TYPES, progress=False)
    except TransientError as exc:
        if "MemoryPoolOutOfMemoryError" in (exc.code or ""):
            raise LoadTooBig(exc.message) from exc
        raise
    t3 = time.perf_counter()
    rows = sum(len(v) for v in clean.records.values())
    del clean
    gc.collect()
    return {"read": t1 - t0, "validate": t2 - t1, "write": t3 - t2, "total": t3 - t0, "rows": rows,
            "created": {k: v["created"] for k, v in summary.counts.items()}}


def split_ties(data: Path, out: Path, part_ties: int) -> list[Path]:
    """The folder as `kb load`-able parts: every table but ties, then ties in slices."""
    out.mkdir(parents=True, exist_ok=True)
    base = out / "part-0-entities"
    base.mkdir(exist_ok=True)
    for f in data.glob("*.csv"):
        if f.name != "ties.csv":
            shutil.copyfile(f, base / f.name)
    parts = [base]
    with open(data / "ties.csv", encoding="utf-8") as src:
        header = src.readline()
        lines = src.readlines()
    for i, start in enumerate(range(0, len(lines), part_ties), start=1):
        folder = out / f"part-{i}-ties"
        folder.mkdir(exist_ok=True)
        (folder / "ties.csv").write_text(header + "".join(lines[start:start + part_ties]), encoding="utf-8")
        parts.append(folder)
    return parts


def load_parts(kb, data: Path, workdir: Path, part_ties: int) -> dict:
    """`kb load` part by part (the remedy the CLI suggests when one transaction is too big):
    the entity tables, then the ties in slices of `part_ties`, each one load/transaction."""
    parts = split_ties(data, workdir / f"parts-{data.name}", part_ties)
    out: dict = {"parts": [], "rows": 0}
    started = time.perf_counter()
    for folder in parts:
        r = load_dir(kb, folder)
        out["parts"].append({"folder": folder.name, **r})
        out["rows"] += r["rows"]
        log(f"    part {folder.name}: {r['rows']:,} rows in {r['total']:.1f}s")
    out["total"] = time.perf_counter() - started
    for key in ("read", "validate", "write"):
        out[key] = sum(p[key] for p in out["parts"])
    out["part_ties"] = part_ties
    shutil.rmtree(workdir / f"parts-{data.name}", ignore_errors=True)
    return out


# -- kb analyse ---------------------------------------------------------------------------------
def analyse_timed(kb, network: str) -> dict:
    """kb.store.analysis_runs.analyse_network, with the step timings of kb.analytics.analyse captured."""
    import kb.store.analysis_runs as ka

    captured: dict = {}
    original = ka.analyse

    def capturing(graph, **kwargs):
        result = original(graph, **kwargs)
        captured.update(timings=result.timings, methods=result.parameters["methods"],
                        sampled=result.parameters["sampled_component_sizes"],
                        components=result.network["components"],
                        main_component=result.network["main_component_size"])
        return result

    ka.analyse = capturing
    try:
        started = time.perf_counter()
        report = ka.analyse_network(kb, network)
        wall = time.perf_counter() - started
    finally:
        ka.analyse = original
    gc.collect()
    return {"network": network, "actors": report.actors, "ties": report.ties, "wall": wall,
            "seconds": report.seconds, "hubs": report.hubs, "gatekeepers": report.gatekeepers,
            "pulsetakers": report.pulsetakers, **captured}
