"""Loading files into the knowledge base: the one way every write path takes (`kb load`,
the UI's import page, and later forms, surveys and edits).

Read the files, pseudonymise the people when configured (KB_PSEUDONYMISE with a key in
KB_PSEUDONYM_KEY or KB_PSEUDONYM_KEY_FILE), validate everything against what is stored,
then write it: in one transaction up to KB_LOAD_TRANSACTION_ROWS rows, staged in
committed chunks of KB_LOAD_CHUNK_ROWS above that. The load is recorded (:Load) as its
audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

from kb.model import LoadBatch, Problem
from kb.services import InputError, ServiceError
from kb.services.connection import safe_uri
from kb.settings import Settings
from kb.store.backup import database_has_data
from kb.store.connection import KnowledgeBase
from kb.store.known_ids import known_ids
from kb.store.writer import (ActorKindConflict, InterruptedLoad, LoadInProgress, LoadInterrupted, LoadSummary,
                             interrupted_loads, write_batch)
from loaders import LoadRefused, read_paths, validate
from loaders.detect import DATA_SUFFIXES, FORMATS  # noqa: F401  (the formats a page offers)
from loaders.pseudonymise import PseudonymKeyError, pseudonymise as pseudonymise_people, read_key


class LoadError(ServiceError):
    """The load could not be done; nothing was written unless the message says otherwise."""


class LoadInputError(LoadError, InputError):
    """The files (or the options of the load) are at fault; nothing was written."""


class LoadProblems(LoadInputError):
    """Validation found problems (each located: file:row:column); nothing was written."""

    def __init__(self, problems: list[Problem], message: str | None = None):
        self.problems = list(problems)
        super().__init__(message or f"Load refused: {len(self.problems)} problem(s); nothing was written.")


@dataclass
class LoadResult:
    """What a load read, would write (a dry run) or wrote."""

    files: list[str]
    counts: dict[str, int]                 # records per table, as validated
    dry_run: bool
    pseudonymised: int = 0                 # people given pseudonyms
    summary: LoadSummary | None = None     # None for a dry run
    unfinished: list[InterruptedLoad] = field(default_factory=list)  # other loads seen unfinished
    embedded: int = 0                      # nodes (re-)embedded for search by meaning after the load
    embedding_note: str | None = None      # why they could not be (the load itself is kept)
    history_note: str | None = None        # why the load is not in the history (the load itself is kept)

    def would_load(self) -> str:
        return "Dry run: valid. Would load " + ", ".join(f"{n} {name}" for name, n in self.counts.items()) + "."

    @property
    def load_id(self) -> str | None:
        return self.summary.load_id if self.summary else None

    @property
    def staged(self) -> bool:
        return bool(self.summary and self.summary.staged)

    @property
    def completed(self) -> list[str]:
        return list(self.summary.completed) if self.summary else []

    @property
    def changed(self) -> bool:
        return bool(self.summary and self.summary.changed)

    def loaded(self) -> str:
        how = " in committed chunks (staged)" if self.staged else ""
        return f"Loaded {len(self.files)} file(s) as load {self.load_id}{how}."


def pseudonym_key(settings: Settings) -> bytes:
    """The configured key (LoadInputError when there is none fit to use)."""
    try:
        return read_key(settings.kb_pseudonym_key, settings.kb_pseudonym_key_file)
    except PseudonymKeyError as exc:
        raise LoadInputError(str(exc)) from None


def read_and_validate(settings: Settings, kb: KnowledgeBase, paths: list[str | Path], *, fmt: str | None = None,
                      encoding: str = "utf-8-sig", default_network: str = "work",
                      pseudonymise: bool | None = None, empty: bool = False) -> tuple[LoadBatch, int]:
    """Read, (pseudonymise,) and validate files against what is stored: the validated batch
    and how many people were given pseudonyms. Every load path (`kb load`, `kb load
    --bulk`, the import page) checks its files here. `empty`: the caller has checked that
    the database holds nothing, so no stored id is looked up (the same answers, sooner)."""
    try:
        batch = read_paths(list(paths), fmt=fmt, encoding=encoding, default_network=default_network)
    except (ValueError, LookupError) as exc:
        raise LoadInputError(str(exc)) from None
    key = pseudonym_key(settings) if (settings.kb_pseudonymise if pseudonymise is None else pseudonymise) \
        else None
    try:
        people = 0
        lookup = (lambda target, ids: set()) if empty else known_ids(kb)
        if key is not None:
            people = pseudonymise_people(batch, key, lambda ids: lookup("actors", ids))
        return validate(batch, settings.kb_network_types, lookup), people
    except LoadRefused as exc:
        raise LoadProblems(exc.problems) from None
    except (ServiceUnavailable, SessionExpired):
        raise LoadError(f"Neo4j at {safe_uri(settings.uri)} stopped answering while the load was checked; "
                        "nothing was written. Run the same command again once it is back.") from None


def bulk_suggestion(settings: Settings, kb: KnowledgeBase, rows: int) -> str | None:
    """A hint to use `kb load --bulk` for a big first load into the empty local database."""
    limit = settings.kb_bulk_suggest_rows
    if not limit or rows <= limit or not settings.uses_local_server or database_has_data(kb):
        return None
    return (f"Note: this is a first load of {rows:,} rows into an empty database; `kb load --bulk` (Neo4j's "
            "offline importer) would load it several times faster. Loading it transactionally now.")


def load_files(settings: Settings, kb: KnowledgeBase, paths: list[str | Path], *, fmt: str | None = None,
               encoding: str = "utf-8-sig", default_network: str = "work", pseudonymise: bool | None = None,
               dry_run: bool = False, progress: bool | None = None,
               notice: Callable[[str], None] | None = None, user: str | None = None) -> LoadResult:
    """Read, (pseudonymise,) validate and write files; all of it or nothing (or staged).

    `pseudonymise` None follows KB_PSEUDONYMISE. A load that changed something is recorded as
    a change (op "load") under `user` (default: the login name; kb.services.history). Raises
    LoadInputError (bad files or no key), LoadProblems (validation) or LoadError (the server
    failed). `notice` is told,
    before a big load into an empty local database is written, that `kb load --bulk`
    would be faster (KB_BULK_SUGGEST_ROWS).
    """
    clean, people = read_and_validate(settings, kb, paths, fmt=fmt, encoding=encoding,
                                      default_network=default_network, pseudonymise=pseudonymise)
    uri = safe_uri(settings.uri)
    result = LoadResult(files=list(clean.files), counts=dict(clean.count()), dry_run=dry_run, pseudonymised=people)
    if dry_run:
        return result
    if notice is not None:
        suggestion = bulk_suggestion(settings, kb, sum(result.counts.values()))
        if suggestion:
            notice(suggestion)
    result.unfinished = interrupted_loads(kb)
    try:
        result.summary = write_batch(kb, clean, settings.kb_network_types, progress=progress,
                                     transaction_rows=settings.kb_load_transaction_rows,
                                     chunk=settings.kb_load_chunk_rows)
    except ActorKindConflict as exc:
        # Another load wrote these ids as the other kind of actor after validation read them.
        if exc.staged is None:
            raise LoadProblems(exc.problems) from None
        load_id, written, total = exc.staged
        raise LoadProblems(exc.problems, f"Load refused: {len(exc.problems)} problem(s) found while writing; the "
                           f"load stopped after {written} of {total} chunks, which are kept, and load {load_id} "
                           "is recorded as in progress. Correct the files and load them again.") from None
    except LoadInProgress as exc:
        raise LoadError(str(exc)) from None
    except LoadInterrupted as exc:
        raise LoadError(f"Neo4j at {uri}: {exc}") from None
    except (ServiceUnavailable, SessionExpired):
        raise LoadError(f"Neo4j at {uri} stopped answering during the load; nothing was written "
                        "(a load is one transaction). Run the same command again once it is back.") from None
    except TransientError as exc:
        if "MemoryPoolOutOfMemoryError" not in (exc.code or ""):
            raise
        raise LoadError("The load is too big for one transaction in the server's memory; nothing was written. "
                        "Give Neo4j more heap (KB_NEO4J_HEAP for the local server) or lower "
                        "KB_LOAD_TRANSACTION_ROWS so that it is staged.") from None
    if result.changed:
        from kb.services.history import record_load

        result.history_note = record_load(kb, result.summary, result.files, user)
    refresh_embeddings(settings, kb, result)
    return result


def refresh_embeddings(settings: Settings, kb: KnowledgeBase, result: LoadResult) -> None:
    """Embed what the load changed (kb find); a failure here leaves the load as written
    and says how to finish it (`kb embed`)."""
    from kb.services.find import refresh

    try:
        result.embedded = refresh(settings, kb).total
    except (ServiceError, OSError, ImportError) as exc:
        result.embedding_note = f"The load is kept, but the search embeddings were not updated ({exc}); " \
                                "run `kb embed` to update them."


def unfinished_loads(kb: KnowledgeBase) -> list[InterruptedLoad]:
    """Staged loads still recorded as in progress (running now, or interrupted)."""
    return interrupted_loads(kb)


__all__ = ["LoadError", "LoadInputError", "LoadProblems", "LoadResult", "load_files", "read_and_validate",
           "bulk_suggestion", "pseudonym_key",
           "unfinished_loads", "FORMATS", "DATA_SUFFIXES"]
