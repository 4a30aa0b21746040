"""A bulk first load (`kb load --bulk PATH...`): the files validated exactly as `kb load`
validates them, then written by Neo4j's offline importer into the empty local database.

Steps: check that the knowledge base is the local server kb runs (not NEO4J_URI) and that
its database is empty; read, pseudonymise and validate the files (kb.services.loading
read_and_validate: the same located problems as `kb load`); write the importer's CSV files
(kb.store.bulk_files: the same nodes, relationships and properties as the writer, content
hashes and tie `superseded` marks included, so a later `kb load` of the same rows finds them
unchanged; and the load's record in the history, a :Change linked by CHANGED to every
written node, as kb.services.history records a `kb load`); stop the server, run
`neo4j-admin database import full` (kb.store.bulk_import), start the server again; apply
the constraints, and create the indexes without waiting for them (Neo4j populates them in
the background); record the `:Load` audit node (method 'bulk'); embed for `kb find`.

Validation looks up no stored ids: the database was checked empty (`read_and_validate(...,
empty=True)`), so every lookup would find nothing.

The database is empty before the importer runs, so a failure loses nothing: the message
says what happened and the server is started again either way.
"""

from __future__ import annotations

import datetime as _dt
import getpass
import shutil
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from neo4j.exceptions import ServiceUnavailable, SessionExpired

from kb.neo4j_server import LocalServer, ServerError
from kb.services.connection import safe_uri
from kb.services.loading import LoadError, LoadProblems, LoadResult, read_and_validate, refresh_embeddings
from kb.settings import Settings
from kb.store.backup import database_has_data
from kb.store.bulk_files import BulkFilesError, write_import_files
from kb.store.bulk_import import ImportFailed, record_load, run_import
from kb.store.connection import KnowledgeBase
from kb.store.curation import load_change
from kb.store.schema import apply_schema_without_waiting
from kb.store.writer import LoadSummary, file_digest


class BulkLoadRefused(LoadError):
    """A bulk load cannot run here (a remote server, a server kb does not run, a database
    that is not empty); nothing was written."""

    usage = True


@dataclass
class BulkLoadResult(LoadResult):
    """A bulk load: what LoadResult says, and the time of each step."""

    seconds: dict[str, float] = field(default_factory=dict)
    nodes: int = 0
    relationships: int = 0
    importer: str = ""  # the importer's closing lines

    def loaded(self) -> str:
        return (f"Bulk-loaded {len(self.files)} file(s) as load {self.load_id} with Neo4j's offline importer: "
                f"{self.nodes:,} nodes and {self.relationships:,} relationships in "
                f"{sum(self.seconds.values()):.1f}s (Neo4j builds its indexes in the background: until they are "
                f"online, queries work but may be slower).")


def managed_server(settings: Settings) -> LocalServer:
    """The running local server kb runs for these settings, or BulkLoadRefused saying why not."""
    if not settings.uses_local_server:
        raise BulkLoadRefused(f"A bulk load needs the local server that kb runs: NEO4J_URI is set "
                              f"({safe_uri(settings.uri)}), and Neo4j's offline importer cannot write to a "
                              "server elsewhere. Load with `kb load` (without --bulk).")
    server = LocalServer.from_settings(settings)
    state = server.state()
    if state is None or state.port != settings.kb_neo4j_port:
        raise BulkLoadRefused(f"A bulk load stops and restarts the local server that kb runs from {server.home}, "
                              f"and none is running there on port {settings.kb_neo4j_port}. Start it with "
                              "`kb db start`, then run the bulk load again.")
    return server


def refuse_unless_empty(kb: KnowledgeBase) -> None:
    if database_has_data(kb):
        raise BulkLoadRefused("A bulk load only fills an empty database, and this one already holds data. Load "
                              "the files with `kb load` (without --bulk); it adds to what is stored.")


def bulk_load(settings: Settings, kb: KnowledgeBase, paths: list[str | Path], *, fmt: str | None = None,
              encoding: str = "utf-8-sig", default_network: str = "work", pseudonymise: bool | None = None,
              dry_run: bool = False, embed: bool = True, on_step: Callable[[str], None] | None = None,
              start_timeout: float = 300.0) -> BulkLoadResult:
    """Validate the files, then load them with the offline importer into the empty local
    database (see the module's doc). Raises BulkLoadRefused, LoadInputError, LoadProblems
    or LoadError."""
    say = on_step or (lambda text: None)
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = seconds.get(name, 0.0) + now - clock
        clock = now

    server = managed_server(settings)
    refuse_unless_empty(kb)
    # The database is empty: validation looks up no stored ids (`empty=True`).
    clean, people = read_and_validate(settings, kb, paths, fmt=fmt, encoding=encoding,
                                      default_network=default_network, pseudonymise=pseudonymise, empty=True)
    lap("validate")
    result = BulkLoadResult(files=list(clean.files), counts=dict(clean.count()), dry_run=dry_run,
                            pseudonymised=people, seconds=seconds)
    if dry_run:
        return result
    load_id = uuid.uuid4().hex
    loaded_at = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    folder = Path(settings.kb_state_dir) / "bulk" / load_id
    refuse_unless_empty(kb)  # (again: validating a big load takes a while)
    counts = {name: {"created": n, "updated": 0, "unchanged": 0} for name, n in result.counts.items()}
    # In the history too, as `kb load` records its loads (docs/curation.md): the :Change and
    # its links to every written node go in with the import files.
    change = load_change(load_id, _user(), list(clean.files), counts)
    # The server stops (a JVM shutdown, mostly waiting) while the files are written.
    say(f"Stopping the local server for the offline importer, and writing its files into {folder} ...")
    stopping = threading.Thread(target=server.stop, daemon=True)
    stopping.start()
    try:
        files = write_import_files(clean, settings.kb_network_types, folder, load_id, loaded_at, change)
    except BaseException as exc:
        stopping.join()
        shutil.rmtree(folder, ignore_errors=True)
        _start_again(server, start_timeout, "the import files could not be written")
        if isinstance(exc, BulkFilesError):
            raise LoadProblems(exc.problems, f"Bulk load refused: {len(exc.problems)} value(s) the offline "
                               "importer cannot carry; nothing was written.") from None
        if isinstance(exc, OSError):
            raise LoadError(f"The import files could not be written in {folder} ({exc}); nothing was loaded "
                            "and the server is running again.") from None
        raise
    result.nodes, result.relationships = files.node_count, files.relationship_count
    lap("files")
    stopping.join()
    lap("stop")
    failure = None
    try:
        say(f"Importing {files.node_count:,} nodes and {files.relationship_count:,} relationships ...")
        run = run_import(server, files, settings.neo4j_database, settings.kb_neo4j_heap)
        result.importer = run.summary
    except (ImportFailed, ServerError) as exc:
        failure = exc
    lap("import")
    say("Starting the local server again ...")
    _start_again(server, start_timeout, f"the importer failed: {failure}" if failure else None)
    lap("start")
    if failure is not None:
        raise LoadError(f"Neo4j's offline importer failed; nothing was loaded and the server is running again "
                        f"(the import files are kept in {folder}): {failure}")
    shutil.rmtree(folder, ignore_errors=True)
    with KnowledgeBase.connect(settings) as fresh:
        try:
            say("Applying the schema (constraints; the indexes are built in the background) ...")
            apply_schema_without_waiting(fresh)
            lap("schema")
            record_load(fresh, {"id": load_id, "at": loaded_at, "files": list(clean.files),
                                "hashes": [file_digest(f) or "" for f in clean.files], "user": _user(),
                                "host": socket.gethostname()}, counts)
            result.summary = LoadSummary(load_id, counts=counts)
            lap("record")
        except (ServiceUnavailable, SessionExpired) as exc:
            raise LoadError(f"The data was imported, but the local server stopped answering while the schema and "
                            f"the load record were written ({exc}); run `kb init` once it is back.") from None
        if embed:
            refresh_embeddings(settings, fresh, result)
            lap("embed")
    return result


def _start_again(server: LocalServer, timeout: float, why: str | None) -> None:
    try:
        server.start(timeout=timeout)
    except ServerError as exc:
        raise LoadError(f"The local server did not start again after the bulk load"
                        f"{' (' + why + ')' if why else ''}: {exc}") from None


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


__all__ = ["BulkLoadRefused", "BulkLoadResult", "bulk_load", "managed_server"]
