"""Asking questions: the named queries of cypher/ (what `kb query` and the console run),
the UI's fixed reads (cypher/ui/), and analyst Cypher, all read-only.

Named and analyst queries run in a READ transaction under the limits KB_QUERY_TIMEOUT
(seconds) and KB_ROW_LIMIT (rows), which a caller may override within sane bounds, and
KB_RESULT_MAX_BYTES; only commands and procedures on kb.store.console_guard's allow-list
run, and analyst text is refused when it holds work the server cannot stop in time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable

from neo4j.exceptions import ClientError, TransientError

from kb.services import InputError, ServiceError
from kb.settings import Settings
from kb.store import cypher
from kb.store.connection import KnowledgeBase, QueryRefused, ReadResult
from kb.store.cypher import CYPHER_DIR, NamedQuery, QueryError
from kb.store.named_queries import computed_parameters, no_run, run_named

# Folders of cypher/ whose statements the UI may read by name ("ui/facets").
READABLE_FOLDERS = ("ui", "writer")
# Bounds on the read-only limits: beyond them a value is a mistake, not a wish.
MAX_TIMEOUT = 86_400.0      # a day
MAX_ROW_LIMIT = 10_000_000


class QueryInputError(InputError):
    """No such query, a parameter it cannot take, or a limit out of bounds. Nothing ran."""


class QueryFailed(ServiceError):
    """The server refused or stopped the query (its message, without credentials)."""


@dataclass
class QueryRun:
    """Rows of one run of a named query, and the limits it ran under."""

    name: str
    result: ReadResult
    timeout: float
    row_limit: int

    @property
    def columns(self) -> list[str]:
        return self.result.columns

    @property
    def rows(self) -> list[dict[str, Any]]:
        return self.result.rows

    @property
    def truncated(self) -> bool:
        return self.result.truncated


def list_queries() -> list[NamedQuery]:
    """Every named query of cypher/ (what `kb query` lists and the console offers)."""
    return cypher.list_queries()


def named_query(name: str) -> NamedQuery:
    """A named query of cypher/<name>.cypher (QueryInputError when there is none)."""
    try:
        return cypher.load_query(name)
    except QueryError as exc:
        raise QueryInputError(str(exc)) from None


def query(name: str) -> NamedQuery:
    """A named query, or with a folder ("ui/facets", "writer/interrupted-loads") one of the
    fixed reads kept there."""
    folder, _, stem = name.rpartition("/")
    if not folder:
        return named_query(name)
    if folder not in READABLE_FOLDERS:
        raise QueryInputError(f"no query folder {folder!r}; readable: {', '.join(READABLE_FOLDERS)}")
    try:
        return cypher.load_query(stem, CYPHER_DIR / folder)
    except QueryError as exc:
        raise QueryInputError(str(exc)) from None


def qualified_name(q: NamedQuery) -> str:
    """The name `query` finds `q` by ("brokers", "ui/facets")."""
    return q.path.relative_to(CYPHER_DIR).with_suffix("").as_posix()


def bind(q: NamedQuery, given: dict[str, Any] | None = None) -> dict[str, Any]:
    """Its parameters: defaults, overridden by `given` (converted to the declared types)."""
    try:
        return q.bind(given)
    except QueryError as exc:
        raise QueryInputError(str(exc)) from None


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """key=value texts (as `--param` takes them) as a dict."""
    given = {}
    for item in pairs:
        if "=" not in item:
            raise QueryInputError(f"--param {item!r} must look like key=value")
        key, value = item.split("=", 1)
        given[key.strip()] = value
    return given


def limits(settings: Settings, timeout: float | None = None, row_limit: int | None = None) -> tuple[float, int]:
    """The time and row limits to run under: the given ones, else KB_QUERY_TIMEOUT and
    KB_ROW_LIMIT; QueryInputError when a value is not positive or is absurdly big."""
    t = settings.kb_query_timeout if timeout is None else timeout
    n = settings.kb_row_limit if row_limit is None else row_limit
    t_name = "KB_QUERY_TIMEOUT" if timeout is None else "the timeout"
    n_name = "KB_ROW_LIMIT" if row_limit is None else "the row limit"
    try:
        t = float(t)
    except (TypeError, ValueError):
        raise QueryInputError(f"{t_name} must be a number of seconds, got {t!r}") from None
    if not math.isfinite(t) or t <= 0 or t > MAX_TIMEOUT:
        raise QueryInputError(f"{t_name} must be more than 0 and at most {MAX_TIMEOUT:g} seconds, got {t:g}")
    if isinstance(n, bool) or not isinstance(n, int):
        try:
            if isinstance(n, float) and not n.is_integer():
                raise ValueError(n)
            n = int(n)
        except (TypeError, ValueError, OverflowError):
            raise QueryInputError(f"{n_name} must be a whole number of rows, got {n!r}") from None
    if n < 1 or n > MAX_ROW_LIMIT:
        raise QueryInputError(f"{n_name} must be at least 1 and at most {MAX_ROW_LIMIT} rows, got {n}")
    return t, n


def run_query(settings: Settings, kb: KnowledgeBase, name: str, params: dict[str, Any] | None = None, *,
              timeout: float | None = None, row_limit: int | None = None) -> QueryRun:
    """Run a named query read-only within the limits. QueryInputError for a bad name,
    parameter or limit (nothing ran); QueryFailed when the server refused or stopped it."""
    q = named_query(name)
    bound = bind(q, params)
    t, n = limits(settings, timeout, row_limit)
    for attempt in (1, 2, 3):
        try:
            result = run_named(kb, q, bound, timeout=t, row_limit=n, byte_limit=settings.kb_result_max_bytes,
                               stale_actors=settings.kb_stale_run_actors)
            break
        except ClientError as exc:
            raise QueryFailed(f"Query {name!r} failed: {exc.message}") from None
        except TransientError as exc:
            # A read that overlapped a load's commit (Transaction.Outdated) or a deadlock: a
            # read-only query is safe to run again.
            if attempt == 3:
                raise QueryFailed(f"Query {name!r} could not finish while the data was being changed "
                                  f"({exc.code}); run it again.") from None
    return QueryRun(name, result, t, n)


def _statement_lines(text: str) -> tuple[str, ...]:
    """The statement as lines without comment-only lines, blank lines and end-of-line spaces."""
    return tuple(line.rstrip() for line in text.strip().splitlines()
                 if line.strip() and not line.strip().startswith("//"))


def named_text(text: str) -> NamedQuery | None:
    """The named query whose text this is (its comment lines, blank lines and end-of-line
    spaces aside), else None. Such text is the project's own reviewed statement, so it runs
    as that named query does (kb.store.console_guard's analyst-text rules exempt it; the
    allow-list still applies), with its declared parameters and their types; one changed
    character and it is analyst text again."""
    lines = _statement_lines(text)
    if not lines:
        return None
    return next((q for q in list_queries() if _statement_lines(q.text) == lines), None)


def run_cypher(settings: Settings, kb: KnowledgeBase, text: str, params: dict[str, Any] | None = None, *,
               timeout: float | None = None, row_limit: int | None = None,
               named: NamedQuery | None = None) -> ReadResult:
    """Run analyst Cypher read-only within the limits (the console): KB_RESULT_MAX_BYTES
    too, and kb.store.console_guard's allow-list. Raises QueryRefused for what it refuses; the server's own errors (a
    timeout, a write refused in READ mode, a syntax error) pass through as they are, for
    the caller to word. With `named` (the named query whose text this is, its parameters
    bound), the parameters kb computes (`stored`) are filled in as `kb query` does."""
    t, n = limits(settings, timeout, row_limit)
    b = settings.kb_result_max_bytes
    if named is None:
        named = named_text(text)
        if named is not None:  # a named query's own text, pasted: its parameters typed as it declares them
            odd = sorted(k for k, v in (params or {}).items() if not isinstance(v, (str, int, float, bool, type(None))))
            if odd:
                raise QueryInputError(f"this is the named query {named.name!r}, whose parameters are single values; "
                                      f"not a list or map: {', '.join(odd)}")
            params = bind(named, params)
    if named is not None:
        return run_named(kb, named, params, timeout=t, row_limit=n, byte_limit=b,
                         stale_actors=settings.kb_stale_run_actors)
    return kb.read_limited(text, params or {}, timeout=t, row_limit=n, byte_limit=b)


def read(kb: KnowledgeBase, name: str, params: dict[str, Any] | None = None, *,
         timeout: float | None = None) -> list[dict]:
    """Rows of a fixed read by name ("ui/facets", or a named query), its parameters bound."""
    return read_marked(kb, name, params, timeout=timeout)[0]


def read_marked(kb: KnowledgeBase, name: str, params: dict[str, Any] | None = None, *,
                timeout: float | None = None, stale_actors: int = 0) -> tuple[list[dict], str | None]:
    """read's rows, and a note on them (None when there is nothing to say): with `stale_actors`
    (KB_STALE_RUN_ACTORS), a large knowledge base is answered as `kb query` answers it: from its
    stale analysis run (the note says so), or, without any run, with no rows and why, instead of
    counting live for seconds to minutes (kb.store.named_queries)."""
    q = query(name)
    bound = bind(q, params)
    why = no_run(kb, q, bound, stale_actors) if stale_actors else None
    if why:
        return [], why
    computed = computed_parameters(kb, q, bound, stale_actors)
    stale = computed.pop("_stale", None)
    return kb.read(q.text, computed, timeout=timeout), stale


# The pages' heaviest reads first: planning each takes about a second on a quiet machine.
PLAN_FIRST = ("layer-links", "weak-layer-links", "fragility", "brokerage-roles", "brokers", "transfer-assessment")


def plan_variants(q: NamedQuery) -> list[dict[str, Any]]:
    """Parameters to plan `q` with: the server caches a plan per parameter TYPES (null and a
    text are different plans), so each text parameter defaulting to null is planned both
    ways, one at a time and all at once; `stored` both ways where kb computes it."""
    base = dict(q.bind())
    if any(p.name == "stored" for p in q.parameters):
        base["stored"] = False
    nullable = [p.name for p in q.parameters if p.type == "str" and p.default is None]
    variants = [base] + [{**base, name: "x"} for name in nullable]
    if len(nullable) > 1:
        variants.append({**base, **{name: "x" for name in nullable}})
    return variants


# Statements the pages read by name outside cypher/ui/ (the transfer finder's service), each with
# parameters of the types the page sends (the server caches a plan per parameter types).
PLAN_ALSO = {
    "transfer/problems": {"locality": "x"},
    "transfer/candidates": {"locality": "x", "problems": ["x"], "sector": None, "min_evidence": 0,
                            "unevidenced": False, "limit": 1},
    "transfer/known": {"innovation": "x", "locality": "x"},
    "transfer/sources": {"ids": ["x"]},
}


def plan_all(kb: KnowledgeBase, *, timeout: float = 60.0, folders: Iterable[str] = ("ui",),
             workers: int = 1) -> int:
    """Plan (EXPLAIN: nothing runs) every named query and the fixed reads of `folders` (and,
    with any folder, the transfer finder's reads), with the parameter types the pages send, so a page's first view
    after a restart, a load or an analysis run does not wait for the server to plan its
    queries. `workers` sessions plan at once (planning is CPU work on the server). Returns
    how many plans were made; a statement the server refuses to plan is skipped."""
    from concurrent.futures import ThreadPoolExecutor

    named = sorted(list_queries(), key=lambda q: (q.name not in PLAN_FIRST,
                                                  PLAN_FIRST.index(q.name) if q.name in PLAN_FIRST else 0))
    fixed = [query(name) for folder in folders for name in cypher.statement_names(folder)]
    work = [(q.text, params) for q in [*named, *fixed] for params in plan_variants(q)]
    if folders:
        work += [(cypher.statement(name), params) for name, params in PLAN_ALSO.items()]

    def plan(item: tuple[str, dict]) -> int:
        try:
            kb.plan(item[0], item[1], timeout=timeout)
        except (ClientError, TransientError):
            return 0
        return 1

    if workers <= 1:
        return sum(map(plan, work))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kb-plan") as pool:
        return sum(pool.map(plan, work))


def label_counts(kb: KnowledgeBase) -> dict[str, int]:
    """Nodes per label."""
    return kb.label_counts()


__all__ = ["QueryInputError", "QueryFailed", "QueryRefused", "QueryError", "QueryRun", "NamedQuery", "ReadResult",
           "list_queries", "named_query", "query", "qualified_name", "bind", "parse_params", "limits",
           "run_query", "run_cypher", "read", "read_marked", "label_counts", "named_text", "plan_all", "plan_variants"]
