"""Cypher console: run any named query (its parameters become form fields) or your own
Cypher, read-only, with a time limit and a row limit; results as a table, as a graph
when they hold nodes and relationships, and as CSV and JSON downloads."""

import json
import re
import time

import streamlit as st
from neo4j.exceptions import DriverError, Neo4jError

from kb.services import ServiceError
from kb.services.queries import NamedQuery, QueryError, QueryRefused, list_queries, run_cypher
from ui import common as ui
from ui import network_picture, saved_panel

OWN = "__own__"
EXAMPLE = ("// Your own Cypher, read-only. For example: innovations and where they started\n"
           "MATCH (i:Innovation)-[r:ORIGINATED_IN]->(l:Locality)\n"
           "RETURN i, r, l\nLIMIT 25")
GRAPH_CAP = 300

settings = ui.settings()
timeout, row_limit = settings.kb_query_timeout, settings.kb_row_limit
queries = {q.name: q for q in list_queries()}

st.title("Cypher console")
st.caption(f"Read-only: every query runs in a READ transaction, is stopped after {timeout:g} s "
           f"(KB_QUERY_TIMEOUT) and returns at most {row_limit} rows (KB_ROW_LIMIT). Writes, LOAD CSV, "
           "administration commands and procedures off the allow-list are refused, and so is what the "
           "server could not stop in time (reduce(), nested list comprehensions, big range()s).")


def without_explain(message: str) -> str:
    """A server message about the analyst's statement as they wrote it: the console plans
    it with an EXPLAIN prefix first, which the message would otherwise quote and count."""
    if "EXPLAIN " not in message:
        return message
    lines = message.split("\n")
    out = []
    for n, line in enumerate(lines):
        if line.startswith('"EXPLAIN '):
            line = '"' + line[len('"EXPLAIN '):]
            if n + 1 < len(lines) and lines[n + 1].startswith(" " * 8):
                lines[n + 1] = lines[n + 1][8:]
        out.append(line)
    text = "\n".join(out)
    text = re.sub(r"\(line 1, column (\d+) \(offset: (\d+)\)\)",
                  lambda m: f"(line 1, column {max(1, int(m[1]) - 8)} (offset: {max(0, int(m[2]) - 8)}))", text)
    return re.sub(r"\(line (\d+), column (\d+) \(offset: (\d+)\)\)",
                  lambda m: m[0] if m[1] == "1" else f"(line {m[1]}, column {m[2]} (offset: {max(0, int(m[3]) - 8)}))",
                  text).replace("EXPLAIN ", "")


class CleanError(QueryError):
    """A server error shown without the console's EXPLAIN prefix."""


def clean(exc: Exception) -> Exception:
    if isinstance(exc, Neo4jError) and "EXPLAIN" in (exc.message or "") and not ui.is_timeout(exc):
        return CleanError(f"The query failed: {without_explain(exc.message)}")
    return exc


def run(text: str, params: dict, title: str, named: NamedQuery | None = None) -> None:
    st.session_state["con_error"] = None
    st.session_state["con_result"] = None
    started = time.perf_counter()
    try:
        with st.spinner("Running the query…", show_time=True):
            result = run_cypher(settings, ui.get_kb(settings), text, params, timeout=timeout, row_limit=row_limit,
                                named=named)
    except (Neo4jError, DriverError, QueryRefused, QueryError, ServiceError) as exc:
        st.session_state["con_error"] = clean(exc)
        return
    st.session_state["con_result"] = {"title": title, "columns": result.columns, "rows": result.rows,
                                      "truncated": result.truncated, "truncated_by": result.truncated_by,
                                      "seconds": time.perf_counter() - started, "stale": result.stale}


def edit_as_own() -> None:
    q = queries[st.session_state["con_query"]]
    st.session_state["con_text_saved"] = q.text
    st.session_state["con_text"] = q.text
    st.session_state["con_params_text"] = json.dumps(q.bind(), ensure_ascii=False, default=str)
    st.session_state["con_query"] = OWN


def show_result() -> None:
    error = st.session_state.get("con_error")
    if error is not None:
        if ui.is_timeout(error):
            st.error(f"Timed out: the query ran longer than {timeout:g} s (KB_QUERY_TIMEOUT) and the server "
                     "stopped it; nothing was returned. Your query is kept above: narrow it (a LIMIT, a more "
                     "specific MATCH) and run it again.", icon=":material/timer_off:")
        else:
            ui.show_error(error, "The query")
        return
    result = st.session_state.get("con_result")
    if not result:
        return
    rows, columns = result["rows"], result["columns"]
    if result["truncated"] and result.get("truncated_by") == "bytes":
        st.warning(f"Truncated: showing the first {len(rows)} rows; the result was bigger than "
                   f"{settings.kb_result_max_bytes:,} bytes (KB_RESULT_MAX_BYTES). Return fewer or smaller "
                   "values.", icon=":material/content_cut:")
    elif result["truncated"]:
        st.warning(f"Truncated: showing the first {row_limit} rows; the query returned more (KB_ROW_LIMIT). "
                   "Add a LIMIT or narrow the query to see exactly what you need.", icon=":material/content_cut:")
    if result.get("stale"):
        st.warning(f"Stale: {result['stale']}.", icon=":material/history:")
    st.caption(f"{result['title']}: {len(rows)} row{'s' if len(rows) != 1 else ''} in {result['seconds']:.2f} s.")
    if not columns:
        st.caption("The query returned no columns.")
        return
    st.dataframe(ui.frame(columns, rows), hide_index=True, key="con_table")
    ui.downloads(columns, rows, f"query-{result['title']}", "con", json_too=True)
    picture, total = network_picture.picture_from_rows(rows, cap=GRAPH_CAP)
    if len(picture):
        st.subheader("As a graph")
        if total > len(picture):
            st.warning(f"Drawing the first {len(picture)} of {total} nodes.", icon=":material/filter_alt:")
        network_picture.show(picture, height=520, alt="Nodes and relationships of the result")


names = [*queries, OWN]
ui.seed("con_query", "query", OWN, options=names)
# A shared link (the query, its parameters, or your own Cypher in the URL) runs once on opening.
autorun = "con_opened" not in st.session_state and ("query" in st.query_params or "cypher" in st.query_params)
autorun = st.session_state.pop(saved_panel.AUTORUN, False) or autorun  # a saved query just opened
st.session_state["con_opened"] = True
if "cypher" in st.query_params and "con_text" not in st.session_state:
    st.session_state["con_text"] = st.query_params["cypher"][:20_000]
    st.session_state["con_params_text"] = st.query_params.get("params", "{}")[:20_000]
choice = st.selectbox("Query", names, key="con_query",
                      format_func=lambda n: "✎ Your own Cypher" if n == OWN else f"{queries[n].title}  ({n})")
if st.session_state.get("con_shown_for") != choice:  # another query: the old result goes
    st.session_state["con_result"] = st.session_state["con_error"] = None
    st.session_state["con_shown_for"] = choice
facets = ui.fetch_one("facets") or {}
PICK = {"locality": {x["id"]: x["name"] for x in facets.get("localities", [])},
        "network": {n: ui.network_label(n) for n in ui.network_choices(settings)},
        "grouping": {"layer": "layer", "org_type": "organisation type", "locality": "locality"},
        "role": {"hub": "hub", "gatekeeper": "gatekeeper", "pulsetaker": "pulsetaker"},
        "innovation": {r["innovation"]: r["name"] + (" (⚗ synthetic)" if r["synthetic"] else "")
                       for r in ui.fetch("innovation-names", {"include_synthetic": True}) or []},
        "problem": {x["id"]: x["name"] for x in facets.get("problems", [])},
        "sector": {x["id"]: x["name"] for x in facets.get("sectors", [])}}

if choice == OWN:
    st.session_state.setdefault("con_text_saved", EXAMPLE)
    st.session_state.setdefault("con_params_saved", "{}")
    if "con_text" not in st.session_state:
        st.session_state["con_text"] = st.session_state["con_text_saved"]
    if "con_params_text" not in st.session_state:
        st.session_state["con_params_text"] = st.session_state["con_params_saved"]
    with st.form("con_own_form"):
        text = st.text_area("Cypher", key="con_text", height=180,
                            help="Runs as written, in a READ transaction; values go in the parameters below.")
        params_text = st.text_area("Parameters (a JSON object)", key="con_params_text", height=68)
        submitted = st.form_submit_button("Run query", type="primary", icon=":material/play_arrow:",
                                          key="con_run_own")
    st.session_state["con_text_saved"] = text
    st.session_state["con_params_saved"] = params_text
    ui.set_params({"cypher": text if text.strip() and text != EXAMPLE else None,
                   "params": params_text if params_text.strip() not in ("", "{}") else None})
    if submitted or (autorun and text.strip()):
        try:
            params = json.loads(params_text or "{}")
            if not isinstance(params, dict):
                raise ValueError("not an object")
        except ValueError as exc:
            st.session_state["con_result"] = None
            st.session_state["con_error"] = QueryError(f"The parameters must be a JSON object ({exc}).")
        else:
            if text.strip():
                run(text, params, "your query")
else:
    q = queries[choice]
    if q.question:
        st.markdown(f"**{q.question}**")
    with st.expander("Its Cypher"):
        st.code(q.text, language="cypher")
    st.button("Edit as your own Cypher", on_click=edit_as_own, icon=":material/edit:", key="con_edit")
    for p in q.user_parameters:
        default = p.default
        if p.type in ("int", "float") and default is not None:
            ui.seed(f"con_p_{q.name}_{p.name}", f"p_{p.name}", default, cast=int if p.type == "int" else float)
        elif p.type == "bool":
            ui.seed(f"con_p_{q.name}_{p.name}", f"p_{p.name}", bool(default), cast=lambda v: v == "true")
        elif p.name in PICK and p.type == "str":
            ui.seed(f"con_p_{q.name}_{p.name}", f"p_{p.name}", "" if default not in PICK[p.name] else str(default),
                    options=["", *PICK[p.name]])
        else:
            text_default = "" if default is None else (",".join(default) if isinstance(default, list) else str(default))
            ui.seed(f"con_p_{q.name}_{p.name}", f"p_{p.name}", text_default)
    with st.form(f"con_form_{q.name}"):
        given = {}
        cols = st.columns(min(3, max(1, len(q.user_parameters))))
        for n, p in enumerate(q.user_parameters):
            key = f"con_p_{q.name}_{p.name}"
            help = (p.description or "") + ("" if p.default is not None else " (leave empty for none)")
            with cols[n % len(cols)]:
                if p.type in ("int", "float") and p.default is not None:
                    given[p.name] = st.number_input(p.name, key=key, help=help,
                                                    step=1 if p.type == "int" else 0.05)
                elif p.type == "bool":
                    given[p.name] = st.checkbox(p.name, key=key, help=help)
                elif p.name in PICK and p.type == "str":
                    options = PICK[p.name]
                    given[p.name] = st.selectbox(p.name, ["", *options], key=key, help=help,
                                                 format_func=lambda k, o=options: o.get(k, "— none —"))
                else:
                    given[p.name] = st.text_input(p.name, key=key, help=help + (" (comma-separated)"
                                                                               if p.type == "list" else ""))
        if not q.user_parameters:
            st.caption("This query takes no parameters.")
        submitted = st.form_submit_button("Run query", type="primary", icon=":material/play_arrow:",
                                          key="con_run_named")
    ui.set_params({"query": choice, **{f"p_{k}": ("true" if v is True else v) for k, v in given.items()
                                       if v is not False}})
    if submitted or autorun:
        try:
            bound = q.bind({k: v for k, v in given.items()})
        except QueryError as exc:
            st.session_state["con_result"] = None
            st.session_state["con_error"] = exc
        else:
            run(q.text, bound, q.name, named=q)

if choice == OWN:
    current = {"text": text, "params": params_text}
else:
    current = {"query": choice, "params": {k: v for k, v in given.items() if v not in ("", None)}}
saved_panel.show(current, OWN, lambda name: [(p.name, f"con_p_{name}_{p.name}") for p in queries[name].user_parameters])
show_result()
