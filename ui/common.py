"""Plumbing shared by the pages: settings, the cached connection, running queries,
friendly errors, tables, downloads and URL state.

The pages only present: they call the use cases of kb/services/. Every query they run is
a file: the named queries in cypher/ or the UI's small fixed reads in cypher/ui/, read by
name through kb.services.queries, always with parameters. No Cypher is written here, and
none is ever built from what a user types; the Cypher console hands the analyst's own
text, unchanged, to kb.services.queries.run_cypher.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any, Callable, Iterable

import pandas as pd
import streamlit as st
from neo4j.exceptions import (AuthError, ConfigurationError, DriverError, Neo4jError, ServiceUnavailable,
                              SessionExpired)

from kb.render import plain, to_csv, to_json
from kb.services import ServiceError
from kb.services import connection, queries
from kb.services.queries import NamedQuery, QueryError, QueryRefused
from kb.settings import Settings, load_settings
from ui import provenance
from ui.page_end import PageEnd, end_page  # noqa: F401  (pages call ui.end_page; app.py catches ui.PageEnd)

# The pages' own fixed reads get at least this long (the console uses KB_QUERY_TIMEOUT).
PAGE_TIMEOUT_FLOOR = 60.0
ROLES = ("hub", "gatekeeper", "pulsetaker")
ID_COLUMNS = ("actor", "innovation", "source", "locality_id")
ANALYSE_HINT = ("No network analytics yet: run `kb analyse` (it computes the scores, roles and "
                "brokerage that this needs), then reload the page.")
SCORE_CHOICES = {
    "degree": "degree (ties in this network)",
    "in_degree": "in-degree (times named)",
    "out_degree": "out-degree",
    "betweenness": "betweenness",
    "closeness": "closeness",
    "harmonic": "harmonic closeness",
    "information": "information centrality",
    "two_step_reach": "two-step reach",
    "coreness": "k-core number",
    "eigenvector": "eigenvector",
}


# -- settings and connection --------------------------------------------------------------

def settings() -> Settings:
    """Settings from the environment and .env, read on every run (cheap)."""
    try:
        return load_settings()
    except ValueError as exc:
        st.error(f"Settings: {exc}")
        st.stop()


@st.cache_resource(show_spinner=False)
def _connect(uri: str, user: str, password: str | None, database: str):
    return connection.connect(Settings(neo4j_uri=uri, neo4j_user=user, neo4j_password=password,
                                       neo4j_database=database))


def get_kb(s: Settings | None = None):
    """The cached connection (a KnowledgeBase) the services are handed."""
    s = s or settings()
    return _connect(s.uri, s.neo4j_user, s.password, s.neo4j_database)


def safe_uri(uri: str) -> str:
    """The URI without any user:password@ part."""
    return connection.safe_uri(uri)


def scrub(text: str, s: Settings | None = None) -> str:
    """Error text fit to show: no password, no credentials inside URIs."""
    return connection.scrub(text, s or settings())


def import_enabled(s: Settings) -> bool:
    """The import page exists only when writes are allowed AND a password is set."""
    return bool(s.kb_ui_allow_writes and s.kb_ui_password)


def page_timeout(s: Settings | None = None) -> float:
    s = s or settings()
    return max(s.kb_query_timeout, PAGE_TIMEOUT_FLOOR)


# -- errors -------------------------------------------------------------------------------
def is_timeout(exc: BaseException) -> bool:
    code = getattr(exc, "code", None) or ""
    return "TimedOut" in code or "Timeout" in code


def is_access_mode(exc: BaseException) -> bool:
    return "AccessMode" in (getattr(exc, "code", None) or "")


def is_lucene_error(exc: BaseException) -> bool:
    text = f"{getattr(exc, 'code', '')} {getattr(exc, 'message', '') or exc}"
    return "ProcedureCallFailed" in text and ("ParseException" in text or "queryparser" in text.lower())


def show_error(exc: BaseException, what: str = "The query") -> None:
    """A friendly message for any failure of a query; never credentials."""
    s = settings()
    if isinstance(exc, (ServiceUnavailable, SessionExpired)):
        st.error(connection.unreachable_message(s))
    elif isinstance(exc, ConfigurationError):
        st.error(f"The Neo4j connection settings are not valid (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD): "
                 f"{scrub(str(exc), s)}")
    elif isinstance(exc, AuthError):
        st.error(connection.credentials_message(s))
    elif isinstance(exc, QueryRefused):
        st.error(f"Refused: the console runs read-only queries, and {scrub(str(exc), s)}. Nothing was run.")
    elif is_timeout(exc):
        st.error(f"{what} ran longer than its time limit ({page_timeout(s):g} s) and was stopped by the server. "
                 "Narrow the choices and try again.")
    elif is_access_mode(exc):
        st.error("Refused: this is a read-only view, and the server would not write: "
                 f"{scrub(getattr(exc, 'message', None) or exc, s)}. Nothing was written.")
    elif isinstance(exc, (QueryError, ServiceError)):
        st.error(scrub(str(exc), s))
    elif isinstance(exc, Neo4jError):
        st.error(f"{what} failed: {scrub(getattr(exc, 'message', None) or exc, s)}")
    elif isinstance(exc, DriverError):
        st.error(f"{what} failed ({type(exc).__name__}): {scrub(str(exc), s)}")
    else:
        raise exc


# -- running queries ----------------------------------------------------------------------
def ui_query(name: str) -> NamedQuery:
    """One of the UI's fixed reads, from cypher/ui/<name>.cypher (or, named with its
    folder, another fixed read such as "writer/interrupted-loads")."""
    return queries.query(name if "/" in name else f"ui/{name}")


def named_query(name: str) -> NamedQuery:
    """A named query from cypher/<name>.cypher (the same ones `kb query` runs)."""
    return queries.named_query(name)


def data_version() -> str:
    """Changes whenever a load or an analysis run changes the data (the cache key)."""
    return st.session_state.get("_kb_data_version", "")


def refresh_data_version() -> None:
    """Once per run, before the page: also the connectivity check. Stops on failure."""
    try:
        s = settings()
        kb = get_kb(s)
        # Fails at once when nothing answers (a query would retry for a minute first).
        connection.verify(s, kb)
        row = queries.read(kb, "ui/data-version", timeout=page_timeout(s))[0]
    except connection.ConnectionFailed as exc:
        st.error(str(exc))
        end_page()
    except (Neo4jError, DriverError) as exc:
        show_error(exc, "Connecting to Neo4j")
        end_page()
    st.session_state["_kb_data_version"] = json.dumps(row, sort_keys=True, default=str)
    # Not again for the data `kb ui` had the server plan for just before it served (KB_UI_PLANNED_FOR).
    if s.kb_ui_plan_ahead and os.environ.get("KB_UI_PLANNED_FOR") != st.session_state["_kb_data_version"]:
        _plan_ahead(s.uri, s.neo4j_database, st.session_state["_kb_data_version"], kb)


@st.cache_resource(show_spinner=False, max_entries=4)
def _plan_ahead(uri: str, database: str, version: str, _kb):
    """Once per server and data version: the server plans every page's queries in a
    background thread (EXPLAIN only), so no first view waits for its planning."""
    import threading

    def work():
        try:
            queries.plan_all(_kb)
        except (Neo4jError, DriverError, ServiceError):
            pass  # a page then plans its own queries, as it would anyway

    thread = threading.Thread(target=work, name="kb-plan-ahead", daemon=True)
    thread.start()
    return thread


@st.cache_data(show_spinner=False, ttl=600, max_entries=500)
def _cached_read(uri: str, database: str, name: str, params_json: str, version: str, timeout: float,
                 stale_actors: int) -> tuple[list[dict], str | None]:
    return queries.read_marked(get_kb(), name, json.loads(params_json), timeout=timeout, stale_actors=stale_actors)


def read_args(query: NamedQuery | str, params: dict | None = None) -> tuple[NamedQuery, tuple]:
    """The query, and its cached read's arguments (fetch's and ui.prefetch's: one cache entry)."""
    query = ui_query(query) if isinstance(query, str) else query
    s, params = settings(), dict(params or {})
    if any(p.name == "include_synthetic" for p in query.parameters):  # the sidebar's "Hide synthetic data"
        params.setdefault("include_synthetic", provenance.include())
    return query, (s.uri, s.neo4j_database, queries.qualified_name(query),
                   json.dumps(query.bind(params), sort_keys=True, default=str), data_version(), page_timeout(s),
                   s.kb_stale_run_actors)


def cached_read(args: tuple) -> tuple[list[dict], str | None]:
    return _cached_read(*args)


def fetch(query: NamedQuery | str, params: dict | None = None, *, what: str | None = None,
          errors: str = "stop") -> list[dict] | None:
    """Rows of a named (or UI) query with its parameters bound; cached per data version.

    errors="stop" shows a friendly message and stops the page; "raise" lets the page
    handle the exception itself.
    """
    query = ui_query(query) if isinstance(query, str) else query
    try:
        query, args = read_args(query, params)
        # The spinner shows only when a query takes more than half a second.
        with st.spinner(f"Running {query.title.lower()}…", show_time=True):
            rows, stale = _cached_read(*args)
        if stale:  # a big knowledge base's last run answered, as `kb query` does: said on the page
            st.warning(f"{query.title}: {stale}.", icon=":material/history:")
        return rows
    except (Neo4jError, DriverError, QueryError, ServiceError) as exc:
        if errors == "raise":
            raise
        show_error(exc, what or f"The query {query.title!r}")
        end_page()


def fetch_one(query: NamedQuery | str, params: dict | None = None, **kwargs) -> dict | None:
    rows = fetch(query, params, **kwargs)
    return rows[0] if rows else None


def analysis_runs() -> dict[str, dict]:
    """The current `kb analyse` run of each network ({} before the first run)."""
    return {r["network"]: r for r in fetch("analysis-runs") or []}


def run_choices(run: dict) -> str:
    """The analyst's choices a run records, for a caption: paths and role thresholds."""
    paths = "directed paths (along nominations)" if run.get("directed_paths") else "undirected paths"
    changed = run.get("thresholds_changed") or []
    if run.get("thresholds_from", "defaults") == "defaults" and not changed:
        used = "default role thresholds"
    else:
        used = f"role thresholds from {run.get('thresholds_from')}" + (f" ({', '.join(changed)})" if changed else "")
    return f"{paths}; {used}"


def analytics_notice(runs: dict, network: str | None = None) -> bool:
    """Show the 'run kb analyse' notice when there is nothing for this network. True if shown."""
    if not runs:
        st.info(ANALYSE_HINT, icon=":material/info:")
        return True
    if network is not None and network not in runs:
        st.info(f"`kb analyse` has not scored the {network!r} network yet (scored: "
                f"{', '.join(sorted(runs))}). Run `kb analyse` to include it.", icon=":material/info:")
        return True
    return False


def network_choices(s: Settings) -> list[str]:
    return ["all", *s.kb_network_types]


def network_label(n: str) -> str:
    return "all ties (every network type)" if n == "all" else f"{n} ties"


# -- tables and downloads -----------------------------------------------------------------
def _cell(value: Any) -> Any:
    value = plain(value)
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return ", ".join("" if v is None else str(v) for v in value)
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def frame(columns: list[str], rows: list[dict]) -> pd.DataFrame:
    """Rows as a DataFrame fit for st.dataframe (lists joined, graph values as JSON,
    columns of mixed types as text)."""
    df = pd.DataFrame([{c: _cell(r.get(c)) for c in columns} for r in rows], columns=columns)
    for c in df.columns:
        kinds = {type(v) for v in df[c] if v is not None and not (isinstance(v, float) and pd.isna(v))}
        if len(kinds - {int, float}) > 0 and len(kinds) > 1:
            df[c] = [None if v is None else str(v) for v in df[c]]
        if (not kinds or not kinds <= {int, float}) and df[c].isna().any():  # empty text cells, never "None"
            df[c] = ["" if v is None or (isinstance(v, float) and pd.isna(v)) else v if kinds <= {str}
                     else str(v).lower() if isinstance(v, bool) else str(v) for v in df[c]]  # true/false beside an empty cell: all text (one type per column)
    return df


def columns_of(query: NamedQuery, rows: list[dict]) -> list[str]:
    if rows:
        return list(rows[0].keys())
    return list(query.columns)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-") or "results"


def downloads(columns: list[str], rows: list[dict], stem: str, key: str, json_too: bool = False) -> None:
    """CSV (formula-safe cells) and optionally JSON downloads of exactly these rows."""
    with st.container(horizontal=True):
        st.download_button("Download CSV", to_csv(columns, rows), file_name=f"{slug(stem)}.csv",
                           mime="text/csv", key=f"{key}_csv", on_click="ignore", icon=":material/download:")
        if json_too:
            st.download_button("Download JSON", to_json(rows), file_name=f"{slug(stem)}.json",
                               mime="application/json", key=f"{key}_json", on_click="ignore",
                               icon=":material/download:")


def table(columns: list[str], rows: list[dict], *, key: str, stem: str | None = None, json_too: bool = False,
          empty: str = "No rows.", column_config: dict | None = None, height: int | str = "auto") -> None:
    """A results table with its downloads (or a note when there is nothing)."""
    if not rows:
        st.caption(empty)
        return
    provenance.caption(columns, rows)
    config = dict(column_config or {})
    if "synthetic" in columns:
        config.setdefault("synthetic", st.column_config.TextColumn("synthetic", help=provenance.MEANING))
    if "editors_judgement" in columns:
        config.setdefault("editors_judgement", st.column_config.TextColumn("editors' judgement",
                                                                           help=provenance.JUDGEMENT_MEANING))
    if "name" in columns or "title" in columns:  # ids stay in the downloads, names are shown
        for c in ID_COLUMNS:
            config.setdefault(c, None)
    st.dataframe(frame(columns, provenance.mark_rows(columns, rows)), hide_index=True, column_config=config, height=height,
                 key=f"{key}_table")
    downloads(columns, rows, stem or key, key, json_too=json_too)


# -- URL state (shareable views) ----------------------------------------------------------
def seed(key: str, param: str, default: Any = None, *, cast: Callable[[str], Any] = str,
         options: Iterable | None = None, many: bool = False) -> None:
    """Before a widget is drawn: give it the value in the URL (once), else the default."""
    if key in st.session_state:
        return
    allowed = None if options is None else list(options)

    def ok(v):
        try:
            v = cast(v)
        except (TypeError, ValueError):
            return None
        return v if allowed is None or v in allowed else None

    if many:
        values = [v for v in (ok(x) for x in st.query_params.get_all(param)) if v is not None]
        st.session_state[key] = values if param in st.query_params else (default or [])
    else:
        value = ok(st.query_params[param]) if param in st.query_params else None
        st.session_state[key] = default if value is None else value


def set_params(values: dict[str, Any], keep: Iterable[str] = ()) -> None:
    """Mirror the view's state into the URL (empty values dropped) so it can be shared."""
    keep = (*keep, provenance.URL_PARAM)
    desired: dict[str, Any] = {k: st.query_params.get_all(k) for k in keep if k in st.query_params}
    for k, v in values.items():
        if v is None or v == "" or v == [] or v is False:
            continue
        desired[k] = [str(x) for x in v] if isinstance(v, (list, tuple)) else str(v)
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    norm = {k: (v if isinstance(v, list) else [v]) for k, v in desired.items()}
    if norm != current:
        st.query_params.from_dict(desired)


def param(name: str, default: str | None = None) -> str | None:
    return st.query_params.get(name, default)


# -- small presentation helpers -----------------------------------------------------------
def join(values: Iterable[Any] | None, sep: str = ", ") -> str:
    return sep.join(str(v) for v in (values or []) if v not in (None, ""))


def synthetic_badge(synthetic: bool) -> None:
    if synthetic:
        st.warning("Illustrative (synthetic) data, not a fact from a source.", icon=":material/science:")


LIFECYCLE_LABELS = {
    "identify_problems": "identifying problems", "generate_ideas": "generating ideas",
    "develop_proposals": "developing proposals", "implement": "implementing", "evaluate": "evaluating",
    "diffuse": "diffusing",
}
