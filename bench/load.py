"""Loading benchmark: the project's loader against Neo4j's own LOAD CSV and a row-by-row loop.

    .venv/bin/python -m bench.load --actors 100000 --ties 1000000

On one throwaway local Neo4j (kb.server.LocalServer, its own temp home, a free port, heap
4g, page cache 1g), with the schema of cypher/schema/ applied and the database emptied
before each measurement, it loads the same synthetic knowledge base (kb.generate) three
ways:

(a) loader   - what `kb load DIR` does, in a subprocess: loaders.read_paths + validate
               (with known_ids against the database) + kb.writer.write_batch (one
               transaction). Wall time of the process, the time of each stage, the
               writer's time per table, and the peak RSS of the process (ru_maxrss).
(b) LOAD CSV - Neo4j reads the same CSV files from its import folder and runs the
               equivalent MERGEs (same labels, relationships and properties except the
               writer's content_hash) in `CALL { } IN TRANSACTIONS OF 10000 ROWS`.
(c) row by row - one parameterised MERGE query per CSV row through the driver, all in one
               transaction, on a SAMPLE: the small tables in full, then --sample-ties
               random ties and the organisations and people they connect; the time per
               row of each table is extrapolated linearly to the full table sizes.

Both full loads must produce the same graph (node counts per label, relationship counts
per type, apart from the loader's :Load node); the benchmark checks this. With --profile
it then runs the loader once more under cProfile and reports where its time goes.
Results go to docs/benchmarks.md (section "Loading") and bench/out/load-*.json.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.common import (clear_database, connect, fmt_rate, fmt_s, graph_shape, local_server, machine,
                          max_rss_mb, now_utc, process_hwm_mb, rss_mb, save_json, write_section)
from kb.settings import DEFAULT_NETWORK_TYPES, PROJECT_ROOT

TABLES = ("sources", "problems", "localities", "organisations", "people", "innovations", "adoptions", "ties")
TX_ROWS = 10_000

# -- the equivalent Cypher, shared by LOAD CSV (b) and the row-by-row loop (c) -------------
# `row` is a map of CSV strings (empty cells are null), `line` its row number; $file,
# $load_id and $loaded_at are the provenance the writer records too.
_PROV = ("source: row.source, section: row.section, synthetic: coalesce(toBoolean(row.synthetic), false), "
         "notes: row.notes, source_file: $file, source_row: toString(line), load_id: $load_id, "
         "loaded_at: $loaded_at")
_CITES = ("FOREACH (s IN CASE WHEN row.source IS NULL THEN [] ELSE [row.source] END | "
          "MERGE (src:Source {id: s}) MERGE (n)-[:CITES {section: coalesce(row.section, '')}]->(src))")
_SECTOR = ("FOREACH (x IN CASE WHEN row.sector IS NULL THEN [] ELSE [trim(row.sector)] END | "
           "MERGE (s:Sector {id: replace(toLower(x), ' ', '_')}) ON CREATE SET s.name = x "
           "MERGE (n)-[:IN_SECTOR]->(s))")
_LOCATED = ("FOREACH (x IN CASE WHEN row.locality IS NULL THEN [] ELSE [row.locality] END | "
            "MERGE (l:Locality {id: x}) MERGE (n)-[:LOCATED_IN]->(l))")
_CASE = ("FOREACH (x IN CASE WHEN row.case_study IS NULL THEN [] ELSE [row.case_study] END | "
         "MERGE (c:CaseStudy {id: x}) MERGE (n)-[:DOCUMENTED_IN]->(c))")
BODIES = {
    "sources": """
MERGE (n:Source {id: row.id})
SET n = {id: row.id, title: row.title, author: row.author, publisher: row.publisher, year: toInteger(row.year),
         url: row.url, notes: row.notes, synthetic: false, source_file: $file, source_row: toString(line),
         load_id: $load_id, loaded_at: $loaded_at}""",
    "problems": f"""
MERGE (n:Problem {{id: row.id}})
SET n = {{id: row.id, name: row.name, description: row.description, {_PROV}}}
{_CITES}""",
    "localities": f"""
MERGE (n:Locality {{id: row.id}})
SET n = {{id: row.id, name: row.name, country: row.country, region: row.region, kind: row.kind,
         problems: split(row.problems, ';'), {_PROV}}}
FOREACH (pid IN coalesce(split(row.problems, ';'), []) | MERGE (p:Problem {{id: pid}}) MERGE (n)-[:FACES]->(p))
{_CITES}""",
    "organisations": f"""
MERGE (n:Actor {{id: row.id}})
SET n = {{id: row.id, name: row.name, org_type: row.org_type, layer: row.layer, locality: row.locality,
         sector: row.sector, case_study: row.case_study, {_PROV}}}
SET n:Organisation
MERGE (layer:Layer {{id: row.layer}}) MERGE (n)-[:IN_LAYER]->(layer)
{_LOCATED}
{_SECTOR}
{_CASE}
{_CITES}""",
    "people": f"""
MERGE (n:Actor {{id: row.id}})
SET n = {{id: row.id, name: row.name, role: row.role, layer: row.layer, organisations: split(row.organisations, ';'),
         locality: row.locality, case_study: row.case_study, {_PROV}}}
SET n:Person
MERGE (layer:Layer {{id: row.layer}}) MERGE (n)-[:IN_LAYER]->(layer)
FOREACH (x IN coalesce(split(row.organisations, ';'), []) | MERGE (o:Actor {{id: x}}) MERGE (n)-[:MEMBER_OF]->(o))
{_LOCATED}
{_CASE}
{_CITES}""",
    "innovations": f"""
MERGE (n:Innovation {{id: row.id}})
SET n = {{id: row.id, name: row.name, description: row.description, sector: row.sector,
         problems: split(row.problems, ';'), lifecycle_stage: row.lifecycle_stage,
         evidence_level: toInteger(row.evidence_level), outcomes: row.outcomes, resources: row.resources,
         cost: row.cost, transferability: row.transferability, preconditions: row.preconditions,
         origin_locality: row.origin_locality, origin_year: toInteger(row.origin_year),
         originators: split(row.originators, ';'), derived_from: row.derived_from,
         funded_by: split(row.funded_by, ';'), case_study: row.case_study, {_PROV}}}
FOREACH (x IN coalesce(split(row.problems, ';'), []) | MERGE (p:Problem {{id: x}}) MERGE (n)-[:ADDRESSES]->(p))
{_SECTOR}
FOREACH (x IN CASE WHEN row.origin_locality IS NULL THEN [] ELSE [row.origin_locality] END |
  MERGE (l:Locality {{id: x}}) MERGE (n)-[o:ORIGINATED_IN]->(l) SET o.year = toInteger(row.origin_year))
FOREACH (x IN coalesce(split(row.originators, ';'), []) | MERGE (a:Actor {{id: x}}) MERGE (a)-[:ORIGINATED]->(n))
FOREACH (x IN CASE WHEN row.derived_from IS NULL THEN [] ELSE [row.derived_from] END |
  MERGE (d:Innovation {{id: x}}) MERGE (n)-[:DERIVED_FROM]->(d))
FOREACH (x IN coalesce(split(row.funded_by, ';'), []) | MERGE (f:FundingInstrument {{id: x}}) MERGE (n)-[:FUNDED_BY]->(f))
{_CASE}
{_CITES}""",
    "adoptions": f"""
MATCH (i:Innovation {{id: row.innovation}})
MATCH (l:Locality {{id: row.locality}})
MERGE (i)-[n:ADOPTED_IN]->(l)
SET n = {{innovation: row.innovation, locality: row.locality, year: toInteger(row.year), outcome: row.outcome,
         adaptation: row.adaptation, adopters: split(row.adopters, ';'), {_PROV}}}
FOREACH (x IN coalesce(split(row.adopters, ';'), []) | MERGE (a:Actor {{id: x}}) MERGE (a)-[:ADOPTED {{locality: l.id}}]->(i))""",
    "ties": f"""
MATCH (a:Actor {{id: row.from}})
MATCH (b:Actor {{id: row.to}})
MERGE (a)-[n:TIE {{network: row.network}}]->(b)
SET n = {{from: row.from, to: row.to, network: row.network, weight: toFloat(row.weight), date: row.date, {_PROV}}}""",
}


def load_csv_statement(table: str) -> str:
    return (f"LOAD CSV WITH HEADERS FROM $url AS row WITH row, linenumber() AS line\n"
            f"CALL (row, line) {{{BODIES[table]}\n}} IN TRANSACTIONS OF {TX_ROWS} ROWS")


def row_statement(table: str) -> str:
    return f"WITH $row AS row, $line AS line{BODIES[table]}"


def vocabulary(tx) -> None:
    from kb.writer import _statement
    from loaders.records import LAYERS

    tx.run(_statement("vocabulary"),
           layers=[{"id": k, "name": v, "rank": i} for i, (k, v) in enumerate(LAYERS.items())],
           networks=list(DEFAULT_NETWORK_TYPES)).consume()


# -- (a) the loader, in its own process --------------------------------------------------------
def loader_child(data: Path, uri: str) -> dict:
    """`kb load DATA` in-process, timed per stage; prints a JSON line of results."""
    import kb.writer as writer
    from kb.database import KnowledgeBase
    from kb.settings import load_settings
    from loaders import read_paths, validate

    result: dict = {"rss_start_mb": rss_mb()}
    marks: list[tuple[str, float]] = []
    statement = writer._statement

    def timed_statement(name: str) -> str:  # the writer asks for each table's statement in turn
        marks.append((name, time.perf_counter()))
        return statement(name)

    writer._statement = timed_statement
    settings = load_settings(env_file=None, environ={}, neo4j_uri=uri)
    t0 = time.perf_counter()
    batch = read_paths([data])
    t1 = time.perf_counter()
    result["rss_after_read_mb"] = rss_mb()
    with KnowledgeBase.connect(settings) as kb:
        clean = validate(batch, settings.kb_network_types, writer.known_ids(kb))
        t2 = time.perf_counter()
        result["rss_after_validate_mb"] = rss_mb()
        del batch
        summary = writer.write_batch(kb, clean, settings.kb_network_types, progress=False)
        t3 = time.perf_counter()
    result.update(read=t1 - t0, validate=t2 - t1, write=t3 - t2, total=t3 - t0,
                  counts=summary.counts, rows=sum(len(v) for v in clean.records.values()),
                  max_rss_mb=max_rss_mb())
    # The writer builds every row (hash, props) first, then opens the transaction and asks
    # for the vocabulary statement: the time up to that mark is Python; after it, per table,
    # it is the driver sending chunks and the server running them; the rest is the commit.
    if marks:
        result["write_prepare"] = marks[0][1] - t2
        tables = {}
        for (name, at), (_, nxt) in zip(marks[1:], marks[2:] + [("end", t3)]):
            tables[name] = nxt - at
        result["write_tables"] = tables
        result["write_vocabulary"] = marks[1][1] - marks[0][1] if len(marks) > 1 else 0.0
    return result


def run_loader(data: Path, uri: str, profile: Path | None = None) -> dict:
    cmd = [sys.executable, "-m", "bench.load", "--child-loader", str(data), "--uri", uri]
    if profile:
        cmd = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "bench.load", "--child-loader",
               str(data), "--uri", uri]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=PROJECT_ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError(f"the loader failed ({proc.returncode}):\n{stdout[-3000:]}\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["wall"] = wall
    result["child_max_rss_mb"] = usage.ru_maxrss / 1024
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
    return {"total": time.perf_counter() - started, "tables": times}


# -- (c) row by row, on a sample -------------------------------------------------------------
def _read_rows(path: Path) -> list[tuple[int, dict]]:
    with open(path, newline="", encoding="utf-8") as f:
        return [(line, {k: (v if v != "" else None) for k, v in row.items()})
                for line, row in enumerate(csv.DictReader(f), start=2)]


def sample_rows(data: Path, sample_ties: int, seed: int = 1) -> dict[str, list[tuple[int, dict]]]:
    ties = _read_rows(data / "ties.csv")
    picked = sorted(random.Random(seed).sample(range(len(ties)), min(sample_ties, len(ties))))
    ties = [ties[i] for i in picked]
    actors = {r["from"] for _, r in ties} | {r["to"] for _, r in ties}
    rows = {t: _read_rows(data / f"{t}.csv") for t in TABLES if t not in ("ties",)}
    rows["organisations"] = [r for r in rows["organisations"] if r[1]["id"] in actors]
    rows["people"] = [r for r in rows["people"] if r[1]["id"] in actors]
    rows["ties"] = ties
    return rows


def run_row_by_row(kb, data: Path, sample: dict[str, list[tuple[int, dict]]]) -> dict:
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
    return {"total": time.perf_counter() - started, "tables": times,
            "rows": {t: len(rows) for t, rows in sample.items()}}


def extrapolate(measured: dict, full_rows: dict[str, int]) -> dict:
    """Each table's time per row times its full size; the commit in proportion to all rows."""
    est = {}
    for table in TABLES:
        n = measured["rows"][table]
        est[table] = measured["tables"][table] / n * full_rows[table] if n else 0.0
    sample_total = sum(measured["rows"].values())
    est["commit"] = measured["tables"]["commit"] * sum(full_rows.values()) / max(sample_total, 1)
    return {"tables": est, "total": sum(est.values())}


# -- the profile --------------------------------------------------------------------------------
PROFILE_FUNCTIONS = (
    ("loaders/detect.py", "read_paths"), ("loaders/tables.py", "read_csv"),
    ("loaders/tables.py", "load_entity_sheet"), ("loaders/rows.py", "make_record"),
    ("loaders/rows.py", "convert"), ("loaders/rows.py", "_blank"), ("loaders/records.py", "add"),
    ("loaders/validation.py", "validate"), ("loaders/validation.py", "_dedupe"),
    ("loaders/records.py", "key"), ("kb/writer.py", "write_batch"), ("kb/writer.py", "_row"),
    ("kb/writer.py", "_key"), ("kb/writer.py", "work"),
)


def summarise_profile(path: Path, top: int = 20) -> dict:
    import pstats

    stats = pstats.Stats(str(path))
    total = stats.total_tt
    entries = []
    for (file, line, func), (cc, nc, tt, ct, _) in stats.stats.items():
        entries.append({"where": f"{_short(file)}:{line}({func})", "file": file, "func": func, "calls": nc,
                        "tottime": tt, "cumtime": ct})
    by_tottime = sorted(entries, key=lambda e: -e["tottime"])[:top]
    named = []
    for suffix, func in PROFILE_FUNCTIONS:
        hits = [e for e in entries if e["file"].endswith(suffix) and e["func"] == func]
        if hits:
            e = max(hits, key=lambda e: e["cumtime"])
            named.append(e)
    return {"total": total, "by_tottime": by_tottime, "named": named}


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


def report(r: dict) -> str:
    a, b, c, est = r["loader"], r["load_csv"], r["row_by_row"], r["row_by_row_estimate"]
    counts = r["generated"]
    n_rows = sum(counts.values())
    ratio_csv = a["wall"] / b["total"]
    ratio_rows = est["total"] / a["wall"]
    m = r["machine"]
    lines = [
        f"Run {r['date']} with `{r['command']}`",
        "",
        f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, {m['os']}; Python {m['python']}, "
        f"neo4j driver {m.get('neo4j driver', '?')}, {m['java']}.",
        f"- Neo4j {r['neo4j']['version']} {r['neo4j']['edition']}, the local server of `kb.server` "
        f"(heap {r['heap']}, page cache {r['pagecache']}), schema of `cypher/schema/` applied, database "
        "emptied before each measurement.",
        f"- Data: `kb generate --localities {r['args']['localities']} --actors {r['args']['actors']} "
        f"--ties {r['args']['ties']} --innovations {r['args']['innovations']} --seed {r['args']['seed']}` "
        f"({fmt_s(r['generate_seconds'])} to generate): "
        + ", ".join(f"{n:,} {t}" for t, n in counts.items()) + f" ({n_rows:,} rows, "
        f"{r['data_mb']:.0f} MB of CSV).",
        "",
        "### Results",
        "",
        _table([
            ["(a) project loader (`kb load` equivalent: read_paths + validate + write_batch, one transaction)",
             fmt_s(a["wall"]), fmt_rate(n_rows, a["wall"]), f"{a['child_max_rss_mb']:,.0f} MiB"],
            [f"(b) Neo4j LOAD CSV, `CALL {{ }} IN TRANSACTIONS OF {TX_ROWS} ROWS`", fmt_s(b["total"]),
             fmt_rate(n_rows, b["total"]), "(in the server)"],
            [f"(c) row by row, one MERGE query per row, one transaction: **extrapolated** from a sample of "
             f"{sum(c['rows'].values()):,} rows (measured {fmt_s(c['total'])})",
             fmt_s(est["total"]), fmt_rate(n_rows, est["total"]), "-"],
        ], ["method", "time", "rows/s", "peak RSS of the loading process"]),
        "",
        f"- **loader / LOAD CSV = {ratio_csv:.2f}** (goal <= 1.5: "
        f"{'met' if ratio_csv <= 1.5 else 'NOT met'}).",
        f"- **row-by-row / loader = {ratio_rows:.1f}** (goal >= 10: {'met' if ratio_rows >= 10 else 'NOT met'}).",
        "- Both full loads produced the same graph: "
        + ("yes" if r["same_graph"] else f"NO ({r['graph_difference']})")
        + " (node counts per label and relationship counts per type; the loader adds one :Load node).",
        "",
        "### Where the time goes",
        "",
        f"The loader ({fmt_s(a['wall'])} wall time of its process, {fmt_s(a['total'])} inside it):",
        "",
        _table([
            ["read_paths (CSV -> records)", fmt_s(a["read"]), f"{a['rss_after_read_mb']:,.0f} MiB"],
            ["validate (with known_ids against the database)", fmt_s(a["validate"]),
             f"{a['rss_after_validate_mb']:,.0f} MiB"],
            ["write_batch: building the rows (content hash, props) in Python", fmt_s(a.get("write_prepare", 0)),
             ""],
            ["write_batch: the transaction (driver + server), see per table below",
             fmt_s(a["write"] - a.get("write_prepare", 0)), f"peak {a['max_rss_mb']:,.0f} MiB"],
        ], ["stage", "time", "RSS after"]),
        "",
        "Per table: the writer's transaction (time from one table's statement to the next, so the last "
        "table includes creating the :Load node and the commit), LOAD CSV, and row by row (measured on the "
        "sample / extrapolated):",
        "",
    ]
    rows = []
    for table in TABLES:
        rows.append([table, f"{counts.get(table, 0):,}", fmt_s(a.get("write_tables", {}).get(table, 0.0)),
                     fmt_s(b["tables"][table]),
                     f"{fmt_s(c['tables'][table])} for {c['rows'][table]:,} rows / {fmt_s(est['tables'][table])}"])
    rows.append(["commit", "", "(in the last row)", "(per batch)",
                 f"{fmt_s(c['tables']['commit'])} / {fmt_s(est['tables']['commit'])}"])
    lines.append(_table(rows, ["table", "rows", "loader transaction", "LOAD CSV", "row by row (sample / est.)"]))
    if r.get("profile"):
        p = r["profile"]
        lines += ["", "### Profile of the loader", "",
                  f"`python -m cProfile` of the same loader process (profiling overhead included: "
                  f"{fmt_s(p['total'])} total):", "",
                  _table([[f"`{e['where']}`", f"{e['calls']:,}", fmt_s(e["cumtime"]), fmt_s(e["tottime"])]
                          for e in p["named"]], ["function", "calls", "cumulative", "own"]),
                  "", "Top functions by own time:", "",
                  _table([[f"`{e['where']}`", f"{e['calls']:,}", fmt_s(e["tottime"]), fmt_s(e["cumtime"])]
                          for e in p["by_tottime"][:15]], ["function", "calls", "own", "cumulative"])]
    lines += ["", "Notes", "",
              "- (a) is timed as the wall time of a fresh `python` process (start-up and imports included), "
              "like a user running `kb load`; its peak memory is that process's `ru_maxrss` (from `os.wait4`).",
              "- (b) sets the same properties as the writer (the CSV columns with their types, source_file, "
              "source_row, load_id, loaded_at) except `content_hash`, which Cypher cannot compute; on an "
              "empty database it skips the writer's clean-up of old relationships (there are none).",
              "- (c) is NOT a full measurement: it loads the small tables in full and a random sample of ties "
              "plus the organisations and people they connect, then scales each table's time per row to the "
              "full row count (linear extrapolation; MERGE on an indexed id grows only logarithmically "
              "with the database, so this slightly flatters the full-size run).",
              f"- Raw numbers: `bench/out/{r['json_name']}.json`."]
    return "\n".join(lines)


# -- main -----------------------------------------------------------------------------------------
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
    parser.add_argument("--profile", action="store_true", help="also profile the loader with cProfile")
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (data, server home)")
    parser.add_argument("--child-loader", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--uri", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_loader:
        print(json.dumps(loader_child(args.child_loader, args.uri)))
        return 0

    localities = args.localities or max(1, args.actors // 1000)
    innovations = args.innovations if args.innovations is not None else max(1, args.actors // 50)
    command = "python -m bench.load " + " ".join(sys.argv[1:] if argv is None else argv)
    workdir = Path(tempfile.mkdtemp(prefix="kb-bench-load-"))
    data = workdir / "data"
    results: dict = {"command": command.strip(), "date": now_utc(), "machine": machine(), "heap": args.heap,
                     "pagecache": args.pagecache,
                     "args": {"actors": args.actors, "ties": args.ties, "localities": localities,
                              "innovations": innovations, "seed": args.seed, "sample_ties": args.sample_ties}}
    log = lambda msg: print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)  # noqa: E731
    try:
        from kb.generate import generate
        from kb.schema import apply_schema

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

                # Warm up the server (JIT, page cache) on a small load, so that no method pays for it.
                warm = workdir / "warmup"
                generate(warm, localities=2, actors=500, ties=5000, innovations=10, seed=1)
                run_loader(warm, uri)
                clear_database(kb)
                run_load_csv(kb, server, warm)
                clear_database(kb)
                log("warmed up")

                log("(a) loader ...")
                results["loader"] = run_loader(data, uri)
                shape_loader = graph_shape(kb)
                log(f"(a) loader: {results['loader']['wall']:.1f}s, peak RSS "
                    f"{results['loader']['child_max_rss_mb']:.0f} MiB")
                clear_database(kb)

                log("(b) LOAD CSV ...")
                results["load_csv"] = run_load_csv(kb, server, data)
                shape_csv = graph_shape(kb)
                log(f"(b) LOAD CSV: {results['load_csv']['total']:.1f}s")
                shape_loader["labels"].pop("Load", None)
                results["same_graph"] = shape_loader == shape_csv
                if not results["same_graph"]:
                    results["graph_difference"] = {"loader": shape_loader, "load_csv": shape_csv}
                results["graph"] = shape_csv
                clear_database(kb)

                log(f"(c) row by row on a sample of {args.sample_ties} ties ...")
                sample = sample_rows(data, args.sample_ties)
                results["row_by_row"] = run_row_by_row(kb, data, sample)
                results["row_by_row_estimate"] = extrapolate(results["row_by_row"], generated.counts)
                log(f"(c) row by row: {results['row_by_row']['total']:.1f}s measured, "
                    f"{results['row_by_row_estimate']['total']:.0f}s extrapolated")
                clear_database(kb)

                if args.profile:
                    log("profiling the loader ...")
                    prof = workdir / "loader.prof"
                    results["loader_profiled"] = run_loader(data, uri, profile=prof)
                    results["profile"] = summarise_profile(prof)
                    (Path(__file__).parent / "out").mkdir(exist_ok=True)
                    shutil.copyfile(prof, Path(__file__).parent / "out" / "load-loader.prof")
                    clear_database(kb)
            results["server_peak_rss_mb"] = process_hwm_mb(server.state().pid) if server.state() else None
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    name = f"load-{args.actors}-{args.ties}"
    results["json_name"] = name
    results["ratios"] = {"loader_over_load_csv": results["loader"]["wall"] / results["load_csv"]["total"],
                         "row_by_row_over_loader": results["row_by_row_estimate"]["total"] / results["loader"]["wall"]}
    save_json(name, results)
    text = report(results)
    print(text)
    if not args.no_docs:
        write_section("Loading", text)
        log("wrote the Loading section of docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
