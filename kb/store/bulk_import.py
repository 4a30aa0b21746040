"""Running Neo4j's offline importer (`neo4j-admin database import full`) on the local
server's database, from the pinned jars (neo4j-import-tool, neo4j-command-line), the way
kb.neo4j_server runs neo4j-admin: the same Java, class path, NEO4J_HOME and NEO4J_CONF.

The server must be stopped: the importer writes the database's store files itself and
replaces the (empty) database named by NEO4J_DATABASE. A failed import leaves store files
Neo4j cannot open: they are removed, and the server starts with a new empty database. Its output goes to
`<server home>/logs/import.log`, its report of bad entries to `import.report` beside it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from kb.neo4j_server import ADMIN_TOOL, LocalServer
from kb.store.bulk_files import ARRAY_DELIMITER_OPTION, ImportFiles
from kb.store.connection import KnowledgeBase
from kb.store.cypher import statement


class ImportFailed(RuntimeError):
    """The importer stopped with an error (the message ends with its last lines)."""


@dataclass
class ImportRun:
    seconds: float
    log: Path
    summary: str  # the importer's closing lines ("IMPORT DONE in ...", counts)


def import_command(server: LocalServer, java: str, files: ImportFiles, database: str, heap: str) -> list[str]:
    report = server.home / "logs" / "import.report"
    # The parallel collector: a batch job's throughput, not a server's pauses (its work is
    # mostly off-heap).
    return [java, f"-Xms{heap}", f"-Xmx{heap}", "-XX:+UseParallelGC", "-cp", f"{server.lib_dir}/*", ADMIN_TOOL,
            "database", "import", "full", database, "--overwrite-destination=true",
            f"--array-delimiter={ARRAY_DELIMITER_OPTION}", f"--multiline-fields={str(files.multiline).lower()}",
            "--skip-bad-relationships=false", "--skip-duplicate-nodes=false", "--bad-tolerance=0",
            f"--report-file={report}", *files.arguments()]


def run_import(server: LocalServer, files: ImportFiles, database: str, heap: str,
               timeout: float = 6 * 3600) -> ImportRun:
    """Import the files into `database` of the (stopped) local server."""
    if server.state() is not None:
        raise ImportFailed("the local server is still running; the importer needs it stopped")
    java = server.find_java().path
    log = server.home / "logs" / "import.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NEO4J_HOME": str(server.home), "NEO4J_CONF": str(server.home / "conf")}
    started = time.perf_counter()
    with open(log, "w", encoding="utf-8") as out:
        try:
            proc = subprocess.run(import_command(server, java, files, database, heap), env=env, cwd=server.home,
                                  stdout=out, stderr=subprocess.STDOUT, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ImportFailed(f"the importer did not finish within {timeout:.0f} s (its log: {log})") from None
    text = log.read_text(encoding="utf-8", errors="replace")
    tail = "\n".join(line for line in text.splitlines()[-12:] if line.strip())
    if proc.returncode != 0:
        # The importer leaves a failed import's store files unusable; the database was empty
        # before, so it is removed, and the server makes a new empty one when it starts.
        for folder in ("databases", "transactions"):
            shutil.rmtree(server.home / "data" / folder / database, ignore_errors=True)
        raise ImportFailed(f"the importer stopped with exit code {proc.returncode} (its log: {log}):\n{tail}")
    done = text[text.rfind("IMPORT DONE"):] if "IMPORT DONE" in text else tail
    return ImportRun(seconds=time.perf_counter() - started, log=log, summary=done.strip())


def record_load(kb: KnowledgeBase, record: dict, counts: dict) -> None:
    """The :Load audit record of a bulk load (cypher/writer/load-bulk.cypher); `record` as
    the writer's: id, at, files, hashes, user, host."""
    kb.write(statement("writer/load-bulk"), {"record": record, "counts": json.dumps(counts)})
