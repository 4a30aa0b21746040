"""Shared benchmark helpers: a throwaway local Neo4j, the machine description, timing,
and writing one `## Section` of docs/benchmarks.md without touching the others."""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import re
import resource
import signal
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from kb.store.cypher import statement
from kb.settings import PROJECT_ROOT, Settings

DOCS = PROJECT_ROOT / "docs" / "benchmarks.md"
# Raw results (git-ignored); KB_BENCH_OUT puts them elsewhere (`bench.run --quick`: bench/out/quick/).
OUT_DIR = Path(os.environ.get("KB_BENCH_OUT") or PROJECT_ROOT / "bench" / "out")
DOC_TITLE = "# Benchmarks"
DOC_INTRO = ("Measured numbers, each section written by its benchmark in `bench/` (run from the project "
             "root with `.venv/bin/python -m bench.<name>`). Re-running a benchmark rewrites only its own "
             "section.")


# -- machine -----------------------------------------------------------------------------
def machine() -> dict[str, str]:
    """nproc, memory and CPU model of this machine, and the software versions."""
    info: dict[str, str] = {}
    try:
        info["nproc"] = str(len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        info["nproc"] = str(os.cpu_count())
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
        info["memory"] = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        info["memory"] = "unknown"
    try:
        model = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
        info["cpu"] = model.group(1).strip() if model else platform.processor() or "unknown"
    except OSError:
        info["cpu"] = platform.processor() or "unknown"
    info["os"] = f"{platform.system()} {platform.release()}"
    info["python"] = platform.python_version()
    try:
        import neo4j
        import numpy

        info["neo4j driver"] = neo4j.__version__
        info["numpy"] = numpy.__version__
    except ImportError:
        pass
    try:
        out = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
        info["java"] = out[0].strip() if out else "unknown"
    except OSError:
        info["java"] = "unknown"
    return info


def now_utc() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def max_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size in MiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(who).ru_maxrss / 1024


def rss_mb() -> float:
    """Current resident set size in MiB."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
    except (OSError, AttributeError):
        return float("nan")


def process_hwm_mb(pid: int) -> float:
    """Peak resident set size of another process (VmHWM), in MiB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024
    except (OSError, AttributeError):
        return float("nan")


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def self_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def loadavg() -> float:
    """The 1-minute load average (other work on the machine skews wall times)."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError):
        return float("nan")


@contextmanager
def timed(results: dict, name: str):
    started = time.perf_counter()
    try:
        yield
    finally:
        results[name] = time.perf_counter() - started


# -- a throwaway Neo4j -----------------------------------------------------------------------
def stop_servers_on_sigterm() -> None:
    """From now on a SIGTERM (`kill`, `timeout`) ends this benchmark as Ctrl+C does, by raising
    SystemExit, so the `finally` blocks that stop its throwaway Neo4j run. Without it the process
    died at once and left the server running (a `bench.pages` stopped that way was found still
    holding a 1 GiB Neo4j half an hour later). Only from the main thread; a handler someone else
    set is kept."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) in (
            signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, _exit_on_sigterm)


def _exit_on_sigterm(signum, _frame):
    raise SystemExit(128 + signum)


@contextmanager
def local_server(home: Path, heap: str = "4g", pagecache: str = "1g", timeout: float = 240):
    """A LocalServer in `home` on a free port, stopped (and its state kept in `home`) at exit."""
    from kb.neo4j_server import LocalServer, free_port

    server = LocalServer(home=home, lib_dir=Settings().neo4j_lib_dir, port=free_port(), heap=heap,
                         pagecache=pagecache)
    stop_servers_on_sigterm()
    server.start(timeout=timeout)
    os.environ["NEO4J_PASSWORD"] = server.password()  # auth is on: for child processes (bench/load.py)
    try:
        yield server
    finally:
        server.stop(grace=60)


def connect(server):
    from kb.store.connection import KnowledgeBase
    from kb.settings import load_settings

    settings = load_settings(env_file=None, environ={}, neo4j_uri=f"neo4j://127.0.0.1:{server.port}",
                             neo4j_password=server.password())
    return KnowledgeBase.connect(settings)


def clear_database(kb) -> None:
    """Delete every node and relationship (in batches), keeping the schema; forget cached plans
    so that the next load is planned afresh, as on a new database."""
    with kb.driver.session(database=kb.database) as session:
        for name in ("bench/delete-relationships", "bench/delete-nodes", "bench/clear-query-caches"):
            session.run(statement(name)).consume()
    counts = kb.counts()
    assert counts == {"nodes": 0, "relationships": 0}, counts


def graph_shape(kb) -> dict[str, dict[str, int]]:
    """Node counts by label and relationship counts by type (to compare two loads)."""
    labels = kb.label_counts()
    rels = {r["type"]: r["n"] for r in sorted(kb.read(statement("admin/count-relationship-types")),
                                              key=lambda r: r["type"])}
    return {"labels": labels, "relationships": rels}


# -- docs/benchmarks.md ----------------------------------------------------------------------
def write_section(heading: str, body: str, path: Path = DOCS) -> None:
    """Replace (or append) the `## heading` section of docs/benchmarks.md, keeping the others."""
    title = f"## {heading}"
    text = path.read_text() if path.exists() else f"{DOC_TITLE}\n\n{DOC_INTRO}\n"
    section = f"{title}\n\n{body.strip()}\n"
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == title), None)
    if start is None:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        rest = "".join(lines[end:])
        text = "".join(lines[:start]) + section + ("\n" + rest if rest else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def read_section(heading: str, path: Path = DOCS) -> str | None:
    """The body of the `## heading` section of docs/benchmarks.md (None if it has none)."""
    if not path.exists():
        return None
    lines = path.read_text().splitlines(keepends=True)
    title = f"## {heading}"
    start = next((i for i, line in enumerate(lines) if line.rstrip() == title), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "".join(lines[start + 1:end]).strip("\n")


def save_json(name: str, data: dict) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=True, default=str))
    return path


def fmt_s(seconds: float) -> str:
    return f"{seconds:,.1f} s" if seconds < 600 else f"{seconds / 60:,.1f} min ({seconds:,.0f} s)"


def fmt_rate(rows: float, seconds: float) -> str:
    return f"{rows / seconds:,.0f} rows/s" if seconds > 0 else "-"
